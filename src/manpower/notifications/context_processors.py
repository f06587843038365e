from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread_notifications(request):
    """The navigation's unread badge; counted only on pages that show it."""
    return {
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user=request.user)),
    }
