from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from stations.auth import is_locked
from stations.scoping import Reach, scope_of

from . import selectors


class LockoutAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct username and password. Note that both fields may be case-sensitive."
        ),
        "locked": _("Too many failed logins: this account is locked. Try again later or ask an administrator."),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError:
            if is_locked(self.cleaned_data.get("username") or ""):
                raise forms.ValidationError(self.error_messages["locked"], code="locked") from None
            raise


class LoginView(auth_views.LoginView):
    form_class = LockoutAuthenticationForm
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the main page of their tier."""
    scope = scope_of(request.user)
    if scope.reach is Reach.DISTRICT:
        return redirect("dashboard")
    if scope.station_id is not None and scope.officer is not None:
        return redirect("stations:detail", code=scope.officer.station.code)
    return TemplateResponse(request, "control_center/no_role.html", status=403)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not scope_of(request.user).is_district:
        raise Http404
    return TemplateResponse(
        request, "control_center/dashboard.html", {"summary": selectors.dashboard_summary(request.user)}
    )
