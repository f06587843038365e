"""What the site's menu needs to know of the signed-in user on every page."""

from manpower.accounts.permissions import staff_actions


def staff_menu(request) -> dict:
    """Staff see the queues they may work on (the permission table decides, as the services
    do), so an inspector or an administrator is not offered a page that would refuse them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_ministry_staff:
        return {}
    return {"staff_actions": staff_actions(user)}
