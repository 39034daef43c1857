"""/api/schema/ and /api/docs/: public in development, for signed-in users (session or token) where
settings.API_DOCS_LOGIN_REQUIRED says so (production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated


class _LoginWhenRequired:
    def get_permissions(self) -> list[Any]:
        if settings.API_DOCS_LOGIN_REQUIRED:
            return [IsAuthenticated()]
        return super().get_permissions()  # type: ignore[misc]


class SchemaView(_LoginWhenRequired, SpectacularAPIView):
    pass


class DocsView(_LoginWhenRequired, SpectacularSwaggerView):
    def permission_denied(self, request: Any, message: Any = None, code: Any = None) -> Any:
        if not request.user.is_authenticated:  # a person with a browser: the login page, then back here
            raise _ToLogin(request.get_full_path())
        return super().permission_denied(request, message, code)

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, _ToLogin):
            return redirect_to_login(exc.next)
        return super().handle_exception(exc)


class _ToLogin(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next = next_url
