"""HTML pages of the supervision post (spot checks, rectifications): supervisors and center staff;
others get 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.inputs import ascii_int
from stations.models import Station
from tasks.answer_sheets import answer_rows
from tasks.models import Instruction

from . import rankings, supervision
from .models import SpotCheck


def _viewer(request: HttpRequest) -> None:
    if not rankings.may_view(request.user):
        raise Http404


class SpotCheckForm(forms.Form):
    adequate = forms.TypedChoiceField(
        label=gettext_lazy("Feedback"),
        choices=[("1", gettext_lazy("Adequate")), ("0", gettext_lazy("Not adequate"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    findings = forms.CharField(label=gettext_lazy("Findings"), max_length=2000, required=False, widget=forms.Textarea)


class RectificationForm(forms.Form):
    station = forms.ModelChoiceField(
        label=gettext_lazy("Station"), queryset=Station.objects.order_by("kind", "code"), to_field_name="code"
    )
    due_at = forms.DateTimeField(
        label=gettext_lazy("Rectify by"),
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(label=gettext_lazy("What must be rectified"), max_length=1500, widget=forms.Textarea)
    spot_check = forms.ModelChoiceField(queryset=SpotCheck.objects.all(), required=False, widget=forms.HiddenInput)


def _answers(instruction: Instruction) -> list[tuple[str, str]]:
    """The stored answers as (label, text), choice values shown as their labels."""
    return answer_rows(instruction.answer_sheet.fields, instruction.answers)


@login_required
def supervision_page(request: HttpRequest, rectify_form: RectificationForm | None = None) -> HttpResponse:
    _viewer(request)
    station = None
    if request.GET.get("station"):
        station = Station.objects.filter(code=request.GET["station"]).first()
    if rectify_form is None:
        initial: dict[str, Any] = {"due_at": (timezone.localtime() + dt.timedelta(days=3)).replace(second=0)}
        check_pk = request.GET.get("check") or None
        if check_pk is not None and ascii_int(check_pk) is None:
            raise Http404
        check = SpotCheck.objects.filter(pk=ascii_int(check_pk or "0")).select_related("instruction__station").first()
        if check is not None:
            initial |= {"station": check.instruction.station.code, "spot_check": check.pk, "note": check.findings}
        elif station is not None:
            initial["station"] = station.code
        rectify_form = RectificationForm(initial=initial)
    context = {
        "station": station,
        "stations": Station.objects.order_by("kind", "code"),
        "candidates": supervision.candidates(station=station),
        "checks": supervision.recent_checks(),
        "rectifications": supervision.open_rectifications(),
        "form": rectify_form,
        "may_inspect": supervision.may_inspect(request.user),
        "now": timezone.now(),
    }
    status = 400 if rectify_form.is_bound else 200
    return TemplateResponse(request, "control_center/supervision.html", context, status=status)


@login_required
def supervision_check(request: HttpRequest, pk: int) -> HttpResponse:
    _viewer(request)
    instruction = get_object_or_404(
        Instruction.objects.filter(feedback_at__isnull=False).select_related("station", "officer", "answer_sheet"),
        pk=pk,
    )
    form = SpotCheckForm(request.POST or None)
    if request.method == "POST":
        if not supervision.may_inspect(request.user):
            raise Http404
        if form.is_valid():
            try:
                check = supervision.spot_check_record(
                    instruction=instruction,
                    inspector=request.user,
                    adequate=form.cleaned_data["adequate"],
                    findings=form.cleaned_data["findings"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Spot check recorded."))
                if not check.adequate:
                    return redirect(f"{reverse('supervision')}?check={check.pk}#rectify")
                return redirect("supervision")
    context = {
        "instruction": instruction,
        "answers": _answers(instruction),
        "form": form,
        "checks": instruction.spot_checks.select_related("inspector__officer"),
        "may_inspect": supervision.may_inspect(request.user),
    }
    return TemplateResponse(
        request, "control_center/supervision_check.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def supervision_rectify(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    if not supervision.may_inspect(request.user):
        raise Http404
    form = RectificationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            rect = supervision.rectification_issue(
                station=data["station"],
                inspector=request.user,
                note=data["note"],
                due_at=data["due_at"],
                spot_check=data["spot_check"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("Rectification #%(pk)s sent to %(station)s.")
                % {"pk": rect.instruction_id, "station": data["station"].name},
            )
            return redirect("supervision")
    return supervision_page(request, rectify_form=form)
