from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stations.admin import ScopedAdminMixin
from stations.masking import mask_id_number, mask_name, mask_phone

from . import reveal, selectors
from .models import Category, ImportAlias, Incident

PERSONAL_FIELDS = ["caller_name", "caller_phone", "caller_phone_norm", "caller_id_number"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "is_dispute",
        "is_criminal",
        "feedback_hours",
        "risk_weight",
        "accepted_by",
        "answer_sheet_code",
        "sort_order",
    ]
    list_filter = ["is_dispute", "is_criminal", "feedback_hours", "accepted_by"]
    list_editable = ["feedback_hours", "risk_weight", "accepted_by"]
    search_fields = ["code", "name"]


class RevealForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Why do you need the full data?"), choices=reveal.Purpose.choices)
    note = forms.CharField(label=_("Reason (required for other)"), required=False, max_length=reveal.NOTE_MAX)


@admin.register(Incident)
class IncidentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Personal data is shown masked, as everywhere; the full values only through the audited reveal,
    with a purpose and within the hourly limit (disputes/reveal.py)."""

    list_display = ["number", "received_at", "category", "station", "community", "resolved_at_scene"]
    list_filter = ["category", "station", "resolved_at_scene"]
    search_fields = ["number", "address"]
    date_hierarchy = "received_at"
    list_select_related = ["category", "station", "community"]
    raw_id_fields = ["community", "created_by"]
    exclude = PERSONAL_FIELDS
    readonly_fields = ["masked_caller", "created_at", "created_by"]

    @admin.display(description=_("Caller"))
    def masked_caller(self, obj: Incident) -> str:
        if obj.pk is None:
            return "—"
        url = reverse("admin:disputes_incident_reveal", args=[obj.pk])
        return format_html(
            '<span data-testid="masked-caller">{} · {} · {}</span> <a href="{}">{}</a>',
            mask_name(obj.caller_name),
            mask_phone(obj.caller_phone_norm or obj.caller_phone),
            mask_id_number(obj.caller_id_number) or "—",
            url,
            _("Show in full (recorded)"),
        )

    def get_urls(self) -> list[Any]:
        reveal_url = path(
            "<int:pk>/reveal/", self.admin_site.admin_view(self.reveal_view), name="disputes_incident_reveal"
        )
        return [reveal_url, *super().get_urls()]

    def reveal_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = get_object_or_404(self.get_queryset(request), pk=pk)
        if not (request.user.is_superuser or selectors.may_reveal(request.user, incident)):
            raise Http404
        form = RevealForm(request.POST or None)
        revealed, status = None, 200
        if request.method == "POST" and form.is_valid():
            try:
                revealed = reveal.incident_reveal(
                    incident=incident, actor=request.user, request=request, **form.cleaned_data
                )
            except reveal.RevealRefused as refused:
                form.add_error(refused.field if refused.field in form.fields else None, str(refused.message))
                status = refused.status
        elif request.method == "POST":
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Show the caller's data in full"),
            "incident": incident,
            "form": form,
            "revealed": revealed,
        }
        return TemplateResponse(request, "admin/disputes/incident_reveal.html", context, status=status)


@admin.register(ImportAlias)
class ImportAliasAdmin(admin.ModelAdmin):
    """The district's other names for categories and communities, accepted by the import."""

    list_display = ["alias", "kind", "category", "community"]
    list_filter = ["kind"]
    search_fields = ["alias", "category__name", "community__name"]
    autocomplete_fields = ["category", "community"]
