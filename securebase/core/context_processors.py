from securebase.care.policy import client_record_of, roles_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": None}
    roles = roles_of(user)
    record = None
    if roles.is_clinician:
        role = "clinician"
    elif roles.is_admin:
        role = "admin"
    elif (record := client_record_of(user)) is not None:
        role = "client"
    else:
        role = "none"
    return {
        "nav_role": role,
        "nav_is_admin": roles.is_admin,
        "nav_is_clinician": roles.is_clinician,
        # The client's own record is restricted: every page says so before anything is typed.
        "nav_restricted": record is not None and record.restricted_at is not None,
    }
