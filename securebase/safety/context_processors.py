"""What every page of a practice admin carries from safety: how many crisis-line entries their
clients see were read more than a year ago (a badge on "Crisis lines" until someone checks)."""

from securebase.care.policy import roles_of
from securebase.safety.crisis_lines import domain as crisis_lines


def crisis_reminder(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    if not roles.is_admin:
        return {}
    return {"crisis_stale": crisis_lines.stale_count(min(roles.admin_practices))}
