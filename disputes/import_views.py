"""The incident import pages: upload a CSV or Excel file, then watch the job and read its report.
Only center staff import; anyone else gets 404."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from core import spreadsheets
from disputes.models import Category
from stations.models import Community
from tasks import policy

from . import imports
from .intake import FIELDS
from .models import ImportAlias, ImportJob, Incident

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_ERRORS = 500  # refused rows listed on the page; the CSV has all that were kept


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"), widget=forms.FileInput(attrs={"accept": ",".join(imports.EXTENSIONS)})
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            imports.check_upload(upload)
        except imports.ImportFileError as exc:
            raise ValidationError(exc.message) from None
        return upload


def _only_center(request: HttpRequest) -> None:
    if not policy.may_issue(request.user):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _only_center(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        job = imports.import_start(upload=form.cleaned_data["file"], actor=request.user)
        return redirect("disputes:import-status", pk=job.pk)
    context = {
        "form": form,
        "jobs": ImportJob.objects.visible_to(request.user).select_related("created_by__officer")[:10],
        "columns": [(f, imports.CHINESE[f], f in imports.REQUIRED) for f in FIELDS],
        "max_mb": settings.IMPORT_MAX_BYTES // 2**20,
        "code_lists": _code_lists(),
        "max_rows": settings.IMPORT_MAX_ROWS,
    }
    return TemplateResponse(request, "disputes/import_upload.html", context, status=400 if form.is_bound else 200)


def _labelled(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = {f: Incident._meta.get_field(f).verbose_name for f in FIELDS}
    return [{**e, "label": labels.get(e["field"], e["field"])} for e in errors]


# A cell a spreadsheet shows as text, never runs as a formula (a 110 number or a reason may start with =);
# also in the write-only template workbook, where a cell's type cannot be set after the row is written.
_text_cell = spreadsheets.csv_cell


def _refused_csv(job: ImportJob) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-refused.csv"'
    response.write("\ufeff")  # so that Excel reads it as UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Row"), _("Incident number"), _("Field"), _("Reason")])
    for e in _labelled(job.errors):
        writer.writerow([_text_cell(v) for v in (e["row"], e.get("number", ""), str(e["label"]), e["message"])])
    return response


EXAMPLE = {
    "number": "J4201032026120200001",
    "received_at": "2026/12/02 08:30:00",
    "category": "家庭纠纷",
    "caller_name": "陈女士",
    "caller_phone": "13800138000",
    "caller_id_number": "",
    "address": "江汉区交易街36号2栋1单元602室",
    "community": "交易街社区",
    "summary": "夫妻因家务琐事争吵",
    "resolved_at_scene": "否",
}


@login_required
@require_http_methods(["GET"])
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """An empty file to fill in: the Chinese column names and one example row; the workbook also
    carries the code lists (categories and communities, with their names and aliases)."""
    _only_center(request)
    if kind not in ("csv", "xlsx"):
        raise Http404
    header = [imports.CHINESE[f] for f in FIELDS]
    example = [EXAMPLE[f] for f in FIELDS]
    if kind == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="incidents-template.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerow(example)
        return response
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Incidents to import"))
    sheet.append(header)
    sheet.append(example)
    categories, communities = _code_lists()
    codes = book.create_sheet(_("Categories"))
    codes.append([_("Code"), _("Name"), _("Aliases")])
    for c in categories:
        codes.append([_text_cell(c["code"]), _text_cell(c["name"]), _text_cell("、".join(c["aliases"]))])
    places = book.create_sheet(_("Communities"))
    places.append([_("Code"), _("Name"), _("Station"), _("Aliases")])
    for c in communities:
        places.append([_text_cell(v) for v in (c["code"], c["name"], c["station"], "、".join(c["aliases"]))])
    data = io.BytesIO()
    book.save(data)
    response = HttpResponse(data.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="incidents-template.xlsx"'
    return response


def _code_lists() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Categories and communities with their codes, names and aliases: three queries."""
    aliases: dict[tuple[str, int], list[str]] = defaultdict(list)
    for kind, category_id, community_id, alias in ImportAlias.objects.values_list(
        "kind", "category_id", "community_id", "alias"
    ).order_by("alias"):
        aliases[(kind, category_id or community_id)].append(alias)
    categories = [
        {"code": c.code, "name": c.name, "aliases": aliases[("category", c.pk)]}
        for c in Category.objects.order_by("sort_order", "code")
    ]
    communities = [
        {"code": c.code, "name": c.name, "station": c.station.name, "aliases": aliases[("community", c.pk)]}
        for c in Community.objects.select_related("station").order_by("station__name", "code")
    ]
    return categories, communities


@require_http_methods(["GET"])
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress, refreshed by htmx every 2 s while it runs, then its report."""
    fragment = request.headers.get("HX-Request") == "true"
    if not request.user.is_authenticated:
        # A refresh after the session ended: reload the whole page, which then goes to the login.
        return HttpResponse(headers={"HX-Refresh": "true"}) if fragment else redirect_to_login(request.get_full_path())
    _only_center(request)
    job = get_object_or_404(ImportJob.objects.visible_to(request.user).select_related("created_by__officer"), pk=pk)
    if request.GET.get("download") == "refused":
        return _refused_csv(job)
    context = {
        "job": job,
        "percent": job.processed_rows * 100 // job.total_rows if job.total_rows else 0,
        "errors": _labelled(job.errors[:SHOWN_ERRORS]),
        "errors_cut": len(job.errors) > SHOWN_ERRORS,
        "errors_capped": len(job.errors) >= imports.MAX_ERRORS,
    }
    template = "disputes/import_status.html#job" if fragment else "disputes/import_status.html"
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
