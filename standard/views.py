"""Standard-task pages: the catalogue (with its Excel export and import), issuing and what was merged,
progress per task and issuer (with Excel export), and the officer's combined answer sheet on the phone."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.inputs import ascii_int
from core.time import today
from stations.audit import audit
from stations.models import AuditLog, Community, Officer, Station
from stations.roles import Role
from stations.scoping import scope_of
from tasks import policy

from . import selectors, services
from .catalogue import CatalogueFileError, from_workbook
from .models import StandardTask, StandardTaskIssue
from .progress import Progress, issuer_choices, task_progress
from .workbooks import catalogue_workbook, progress_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 5 * 1024 * 1024


def _district(request: HttpRequest) -> None:
    if not scope_of(request.user).is_district:
        raise Http404


def _xlsx(book: Any, filename: str) -> HttpResponse:
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the catalogue ---------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Catalogue workbook (.xlsx)"))


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    _district(request)
    context = {
        "tasks": list(selectors.catalogue_tasks()),
        "may_issue": policy.may_issue(request.user, services.KIND),
        "may_import": policy.may_issue(request.user),
        "import_form": ImportForm(),
    }
    return TemplateResponse(request, "standard/catalogue.html", context)


@login_required
def catalogue_export(request: HttpRequest) -> HttpResponse:
    _district(request)
    audit(AuditLog.Kind.EXPORT, request=request, target="standard task catalogue")
    return _xlsx(catalogue_workbook(), f"standard-tasks-{today():%Y%m%d}.xlsx")


@login_required
@require_POST
def catalogue_import(request: HttpRequest) -> HttpResponse:
    if not policy.may_issue(request.user):
        raise Http404
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid() or form.cleaned_data["file"].size > MAX_UPLOAD:
        messages.error(request, _("Choose an Excel workbook of at most 5 MB."))
        return redirect("standard:catalogue")
    try:
        entries = from_workbook(form.cleaned_data["file"], selectors.department_codes())
        report = services.catalogue_import(entries=entries, actor=request.user)
    except CatalogueFileError as exc:
        for error in exc.errors[:20]:
            messages.error(request, error)
    except ValidationError as exc:
        for error in exc.messages[:20]:
            messages.error(request, error)
    else:
        messages.success(
            request,
            _("Catalogue imported: %(created)d new, %(revised)d changed (as new versions), %(unchanged)d unchanged.")
            % {"created": len(report.created), "revised": len(report.revised), "unchanged": report.unchanged},
        )
    return redirect("standard:catalogue")


# --- issuing ---------------------------------------------------------------------------------------


class TaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StandardTask) -> str:
        return f"{obj.code} {obj.current.name}"  # type: ignore[union-attr]


class OfficerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        return f"{obj.name} · {obj.station.name}" if obj.station else obj.name


class IssueForm(forms.Form):
    task = TaskChoiceField(queryset=StandardTask.objects.none(), label=gettext_lazy("Standard task"))
    scope = forms.ChoiceField(
        choices=StandardTaskIssue.Scope.choices, label=gettext_lazy("To"), widget=forms.RadioSelect
    )
    officer = OfficerField(queryset=Officer.objects.none(), required=False, label=gettext_lazy("Officer"))
    station = forms.ModelChoiceField(queryset=Station.objects.none(), required=False, label=gettext_lazy("Station"))
    community = forms.ModelChoiceField(
        queryset=Community.objects.none(), required=False, label=gettext_lazy("Community")
    )
    subject = forms.CharField(
        max_length=200,
        required=False,
        label=gettext_lazy("Place or person"),
        help_text=gettext_lazy("Leave empty to ask for each community the officers look after."),
    )
    recurrence = forms.ChoiceField(
        choices=[("", gettext_lazy("As the task says")), *StandardTaskIssue.Recurrence.choices],
        required=False,
        label=gettext_lazy("Recurrence"),
    )
    note = forms.CharField(
        max_length=2000, required=False, label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = selectors.catalogue_tasks()  # type: ignore[attr-defined]
        self.fields["officer"].queryset = (  # type: ignore[attr-defined]
            Officer.objects.visible_to(user)
            .filter(is_active=True, station__isnull=False, role__in=policy.assignable_roles())
            .select_related("station")
            .order_by("station__code", "name")
        )
        self.fields["station"].queryset = Station.objects.visible_to(user).order_by("kind", "code")  # type: ignore[attr-defined]
        self.fields["community"].queryset = Community.objects.visible_to(user).order_by("code")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = data.get("scope")
        if scope in ("officer", "station", "community") and not data.get(scope):
            self.add_error(scope, _("Choose one."))
        return data


def _issues_of(user: Any) -> Any:
    """The issues a page lists for `user`: a department's own, or all of them for the center."""
    issues = selectors.issues_for(user).select_related("officer")
    department = selectors.issuing_department(user)
    officer = scope_of(user).officer
    if officer is not None and officer.role != Role.CENTER_STAFF:
        issues = issues.filter(department=department)
    return issues[:50]


@login_required
def issue(request: HttpRequest) -> HttpResponse:
    if not policy.may_issue(request.user, services.KIND):
        raise Http404
    if request.method == "POST":
        form = IssueForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                result = services.standard_task_issue(actor=request.user, **form.cleaned_data)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Issued: %(created)d new items; %(merged)d merged into items the officers already had.")
                    % {"created": len(result.created), "merged": len(result.merged)},
                )
                return redirect("standard:issue-detail", pk=result.issue.pk)
        status = 400
    else:
        task = StandardTask.objects.filter(code=request.GET.get("task", "")).first()
        form = IssueForm(user=request.user, initial={"task": task, "scope": "all"})
        status = 200
    context = {
        "form": form,
        "issuer": selectors.issuer_name(selectors.issuing_department(request.user)),
        "issues": _issues_of(request.user),
    }
    return TemplateResponse(request, "standard/issue_form.html", context, status=status)


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What an issue asked for: the items it created and those it merged into (and with whom)."""
    _district(request)
    found = get_object_or_404(selectors.issues_for(request.user), pk=pk)
    rows = []
    for occurrence in selectors.issue_occurrences(found):
        own = next(r for r in occurrence.requests.all() if r.issue_id == found.pk)
        others = [
            selectors.issuer_name(r.issue.department) for r in occurrence.requests.all() if r.issue_id != found.pk
        ]
        rows.append({"occurrence": occurrence, "merged": own.merged, "others": list(dict.fromkeys(others))})
    context = {
        "issue": found,
        "issuer": selectors.issuer_name(found.department),
        "rows": rows,
        "created": sum(not r["merged"] for r in rows),
        "merged": sum(r["merged"] for r in rows),
        "shared": sum(bool(r["others"]) for r in rows),
        "may_stop": found.is_active and found.next_run_at is not None and selectors.may_manage(request.user, found),
    }
    return TemplateResponse(request, "standard/issue_detail.html", context)


@login_required
@require_POST
def issue_stop(request: HttpRequest, pk: int) -> HttpResponse:
    _district(request)
    found = get_object_or_404(selectors.issues_for(request.user), pk=pk)
    try:
        services.standard_task_issue_stop(issue=found, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The recurrence is stopped; items already issued stay."))
    return redirect("standard:issue-detail", pk=pk)


# --- progress --------------------------------------------------------------------------------------


def _progress(request: HttpRequest, code: str) -> Progress:
    _district(request)
    task = get_object_or_404(StandardTask.objects.select_related("current__lead_department"), code=code)
    issue_pk = request.GET.get("issue") or None
    if issue_pk is not None and ascii_int(issue_pk) is None:
        raise Http404
    return task_progress(
        request.user,
        task,
        issuer=request.GET.get("issuer", ""),
        issue=ascii_int(issue_pk) if issue_pk else None,
    )


@login_required
def progress(request: HttpRequest, code: str) -> HttpResponse:
    result = _progress(request, code)
    context = {
        "progress": result,
        "issuers": issuer_choices(),
        "query": request.GET.urlencode(),
        "now": timezone.now(),
    }
    return TemplateResponse(request, "standard/progress.html", context)


@login_required
def progress_export(request: HttpRequest, code: str) -> HttpResponse:
    result = _progress(request, code)
    audit(AuditLog.Kind.EXPORT, request=request, target=f"standard task progress {code}", issuer=result.issuer)
    return _xlsx(progress_workbook(result), f"progress-{code}-{today():%Y%m%d}.xlsx")
