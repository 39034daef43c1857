"""The incident import pages: upload a CSV or Excel file, then watch the job and read its report.
Only center staff import; anyone else gets 404."""

from __future__ import annotations

import csv
from typing import Any

from django import forms
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

from core import spreadsheets
from tasks import policy

from . import imports
from .intake import FIELDS
from .models import ImportJob, Incident

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
        "jobs": ImportJob.objects.visible_to(request.user).select_related("created_by")[:10],
        "columns": [(f, imports.CHINESE[f], f in imports.REQUIRED) for f in FIELDS],
        "max_mb": imports.MAX_BYTES // 2**20,
        "max_rows": imports.MAX_ROWS,
    }
    return TemplateResponse(request, "disputes/import_upload.html", context, status=400 if form.is_bound else 200)


def _labelled(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = {f: Incident._meta.get_field(f).verbose_name for f in FIELDS}
    return [{**e, "label": labels.get(e["field"], e["field"])} for e in errors]


def _refused_csv(job: ImportJob) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-refused.csv"'
    response.write("\ufeff")  # so that Excel reads it as UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Row"), _("Field"), _("Reason")])
    for e in _labelled(job.errors):
        writer.writerow(spreadsheets.csv_row([e["row"], e["label"], e["message"]]))
    return response


@require_http_methods(["GET"])
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress, refreshed by htmx every 2 s while it runs, then its report."""
    fragment = request.headers.get("HX-Request") == "true"
    if not request.user.is_authenticated:
        # A refresh after the session ended: reload the whole page, which then goes to the login.
        return HttpResponse(headers={"HX-Refresh": "true"}) if fragment else redirect_to_login(request.get_full_path())
    _only_center(request)
    job = get_object_or_404(ImportJob.objects.visible_to(request.user).select_related("created_by"), pk=pk)
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
