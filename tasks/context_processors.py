from typing import Any

from django.http import HttpRequest

from . import selectors


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's unread notification count, for the header (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": selectors.unread_count(user)}
