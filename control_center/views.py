from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.inputs import ascii_int, parse_day
from core.time import yesterday
from disputes.models import Incident
from stations import permissions
from stations.auth import is_locked
from stations.scoping import Reach, scope_of
from tasks import sweepwatch

from . import selectors, services
from .models import Selection


class LockoutAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "Please enter a correct username and password. Note that both fields may be case-sensitive."
        ),
        "locked": gettext_lazy(
            "Too many failed logins: this account is locked. Try again later or ask an administrator."
        ),
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
    officer = scope.officer
    if scope.reach is Reach.DISTRICT:
        return redirect("rankings" if permissions.is_supervisor_profile(officer) else "dashboard")
    if permissions.is_area_worker(request.user):
        return redirect("disputes:pushes")
    if permissions.is_field_officer(officer):
        return redirect("field:mobile-inbox")
    if scope.station_id is not None and scope.officer is not None:
        return redirect("stations:detail", code=scope.officer.station.code)
    return TemplateResponse(request, "control_center/no_role.html", status=403)


def _center_only(request: HttpRequest) -> None:
    if not scope_of(request.user).is_district:
        raise Http404


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _center_only(request)
    filters = selectors.Filters.from_query(request.GET)
    context = {
        "board": selectors.dashboard(request.user, filters),
        "query": request.GET.urlencode(),
        "may_act": services.may_act(request.user),
        "sweep": sweepwatch.sweep_state(),  # noticing a late sweep here raises the alarm (beat may be dead)
    }
    if request.headers.get("HX-Request"):
        response = TemplateResponse(request, "control_center/dashboard.html#live", context)
    else:
        response = TemplateResponse(
            request, "control_center/dashboard.html", {**context, **selectors.dashboard_choices()}
        )
    response["Vary"] = "HX-Request"
    return response


def _back(request: HttpRequest) -> HttpResponse:
    return redirect("dashboard")


def _run(request: HttpRequest, fn: Any, success: str, **kwargs: Any) -> HttpResponse:
    try:
        fn(actor=request.user, **kwargs)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return _back(request)


@login_required
@require_POST
def selection_run(request: HttpRequest) -> HttpResponse:
    _center_only(request)
    day = yesterday()
    return _run(request, services.selection_run, _("The selection is made."), day=day)


def _selection(request: HttpRequest, date: str) -> Selection:
    _center_only(request)
    day = parse_day(date)
    if day is None:
        raise Http404
    return get_object_or_404(Selection, date=day)


@login_required
@require_POST
def selection_add(request: HttpRequest, date: str) -> HttpResponse:
    selection = _selection(request, date)
    incident = selectors.incident_by_number(request.user, request.POST.get("number", ""))
    if incident is None:
        messages.error(request, _("No incident has this number."))
        return _back(request)
    reason = request.POST.get("reason", "")
    return _run(
        request, services.selection_add, _("Incident added."), selection=selection, incident=incident, reason=reason
    )


@login_required
@require_POST
def selection_remove(request: HttpRequest, date: str) -> HttpResponse:
    selection = _selection(request, date)
    incident = get_object_or_404(Incident, pk=ascii_int(request.POST.get("incident", "")) or 0)
    reason = request.POST.get("reason", "")
    return _run(
        request,
        services.selection_remove,
        _("Incident removed."),
        selection=selection,
        incident=incident,
        reason=reason,
    )


@login_required
@require_POST
def selection_dispatch(request: HttpRequest, date: str) -> HttpResponse:
    selection = _selection(request, date)
    return _run(request, services.selection_dispatch, _("The selection is dispatched."), selection=selection)
