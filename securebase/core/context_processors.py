from securebase.care.policy import client_record_of, roles_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": None}
    roles = roles_of(user)
    if roles.is_clinician:
        role = "clinician"
    elif roles.is_admin:
        role = "admin"
    elif client_record_of(user) is not None:
        role = "client"
    else:
        role = "none"
    return {
        "nav_role": role,
        "nav_is_admin": roles.is_admin,
        "nav_is_clinician": roles.is_clinician,
    }
