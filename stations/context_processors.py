from typing import Any

from django.http import HttpRequest

from .scoping import scope_of


def officer(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "officer": getattr(user, "officer", None) if hasattr(user, "officer") else None,
        "nav_district": scope_of(user).is_district,
    }
