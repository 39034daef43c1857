"""HTML pages of the weekly rankings (table, drill-down, print layout, Excel export) and of the
supervision post (spot checks, rectifications). Supervisors and center staff see everything; a
station's command room and duty leader read the published bulletin of their kind and drill down into
their own unit only; others get 404."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core import spreadsheets
from core.inputs import ascii_int
from stations.audit import audit
from stations.models import AuditLog, Station
from tasks.models import Instruction

from . import rankings, supervision
from .models import SpotCheck

# --- what the tables show ---------------------------------------------------------------------------

METRIC_LABELS = {
    "received": gettext_lazy("Received"),
    "sign_off_due": gettext_lazy("Sign-offs due"),
    "signed_on_time": gettext_lazy("Signed off on time"),
    "sign_off_on_time_pct": gettext_lazy("Signed off on time (%)"),
    "sign_off_median_minutes": gettext_lazy("Median minutes to sign off"),
    "feedback_due": gettext_lazy("Feedback due"),
    "feedback_on_time": gettext_lazy("Feedback on time"),
    "feedback_on_time_pct": gettext_lazy("Feedback on time (%)"),
    "overdue": gettext_lazy("Overdue"),
    "feedback_given": gettext_lazy("Feedback given"),
    "returned": gettext_lazy("Returned feedback"),
    "revisits": gettext_lazy("Revisits"),
    "revisits_done": gettext_lazy("Revisits done"),
    "standard_tasks_due": gettext_lazy("Standard tasks due"),
    "standard_tasks_on_time": gettext_lazy("Standard tasks on time"),
    "standard_tasks_on_time_pct": gettext_lazy("Standard tasks on time (%)"),
    "alerts": gettext_lazy("Alerts"),
    "alerts_due": gettext_lazy("Alerts due"),
    "alerts_acknowledged": gettext_lazy("Alerts acknowledged"),
    "alerts_acknowledged_pct": gettext_lazy("Alerts acknowledged (%)"),
    "acknowledge_avg_minutes": gettext_lazy("Average minutes to acknowledge"),
}
# The columns of the page and the print layout: (figure, its numerator and denominator for the tooltip).
PAGE_COLUMNS = [
    ("received", None),
    ("sign_off_on_time_pct", ("signed_on_time", "sign_off_due")),
    ("sign_off_median_minutes", None),
    ("feedback_on_time_pct", ("feedback_on_time", "feedback_due")),
    ("overdue", None),
    ("returned", ("returned", "feedback_given")),
    ("revisits_done", ("revisits_done", "revisits")),
    ("standard_tasks_on_time_pct", ("standard_tasks_on_time", "standard_tasks_due")),
]
POST_COLUMNS = [
    ("alerts_acknowledged", ("alerts_acknowledged", "alerts")),
    ("acknowledge_avg_minutes", None),
]
NOT_ON_POSTS = {"revisits_done"}  # community work: in the drill-down and the workbook, not in the posts' table


def _text(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key.endswith("_pct"):
        return f"{value:.1f}%"
    if key.endswith("_minutes"):
        return f"{value:.1f}"
    return str(value)


def _columns(kind: str) -> list[tuple[str, Any]]:
    if kind == "patrol_post":
        return [c for c in PAGE_COLUMNS if c[0] not in NOT_ON_POSTS] + POST_COLUMNS
    return PAGE_COLUMNS


def _cells(row: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    metrics, changed = row["metrics"], row.get("changed", {})
    cells = []
    for key, ratio in _columns(kind):
        value = metrics.get(key)
        cell = {"key": key, "raw": "" if value is None else value, "text": _text(key, value)}
        if ratio is not None:
            cell["title"] = f"{metrics.get(ratio[0])} / {metrics.get(ratio[1])}"
        if key in changed:
            cell["old"] = _text(key, changed[key])
        cells.append(cell)
    return cells


def _tables(board: rankings.Board) -> list[dict[str, Any]]:
    tables = board.tables
    for table in tables:
        table["headers"] = [METRIC_LABELS[key] for key, _ratio in _columns(table["kind"])]
        for row in table["rows"]:
            row["cells"] = _cells(row, table["kind"])
    return tables


# --- access, week, revision ---------------------------------------------------------------------


def _viewer(request: HttpRequest) -> None:
    if not rankings.may_view(request.user):
        raise Http404


def _reader(request: HttpRequest) -> Station | None:
    """None for the center and supervisors (the whole ranking); a station's own unit for its command room
    and duty leader (the published bulletin of its kind); 404 for everybody else."""
    if rankings.may_view(request.user):
        return None
    station = rankings.bulletin_station(request.user)
    if station is None:
        raise Http404
    return station


def _week(text: str | None, now: Any = None) -> rankings.Week:
    """The asked week, or by default the last complete one."""
    if not text:
        return rankings.Week.of(now or timezone.now()).shift(-1)
    try:
        return rankings.Week.parse(text)
    except ValueError:
        raise Http404 from None


def _revision(request: HttpRequest) -> int | None:
    value = request.GET.get("revision") or ""
    if not value:
        return None
    revision = ascii_int(value)
    if revision is None:
        raise Http404
    return revision


def _board(request: HttpRequest) -> rankings.Board:
    own = _reader(request)
    kind = {"kind": own.kind, "published_only": True} if own is not None else {}
    try:
        return rankings.board(_week(request.GET.get("week")), revision=_revision(request), **kind)
    except LookupError:
        raise Http404 from None


def _context(board: rankings.Board, request: HttpRequest) -> dict[str, Any]:
    this_week = rankings.Week.of(board.now)
    own = rankings.bulletin_station(request.user)
    return {
        "own_station": own,  # a station's reader: the published bulletin, its own drill-down only
        "may_supervise": own is None,
        "board": board,
        "tables": _tables(board),
        "definitions": rankings.definitions(),
        "previous_week": board.week.shift(-1),
        "next_week": board.week.shift(1) if board.week < this_week else None,
        "this_week": this_week,
        "may_recompute": own is None and board.week < this_week,  # a week that is over
    }


# --- the rankings pages ---------------------------------------------------------------------------


@login_required
def rankings_page(request: HttpRequest) -> HttpResponse:
    board = _board(request)
    return TemplateResponse(request, "control_center/rankings.html", _context(board, request))


@login_required
def rankings_print(request: HttpRequest) -> HttpResponse:
    board = _board(request)
    return TemplateResponse(request, "control_center/rankings_print.html", _context(board, request))


@login_required
@require_POST
def rankings_recompute(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    week = _week(request.POST.get("week"))
    try:
        snapshot, created = rankings.snapshot_week(
            week=week, actor=request.user, reason=request.POST.get("reason", "")[:200]
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(f"{reverse('rankings')}?week={week}")
    if created:
        messages.success(
            request, _("Stored as revision %(revision)s of %(week)s.") % {"revision": snapshot.revision, "week": week}
        )
    else:
        messages.info(
            request,
            _("Nothing changed since revision %(revision)s: no new revision.") % {"revision": snapshot.revision},
        )
    return redirect(f"{reverse('rankings')}?week={week}")


@login_required
def rankings_unit(request: HttpRequest, week: str, code: str) -> HttpResponse:
    own = _reader(request)
    if own is not None and own.code != code:
        raise Http404
    station = get_object_or_404(Station.objects.visible_to(request.user), code=code)
    the_week = _week(week)
    try:
        unit = rankings.unit(the_week, station, revision=_revision(request))
    except LookupError:
        raise Http404 from None
    texts = {d["key"]: d["text"] for d in rankings.definitions()}
    figures = [
        f
        | {
            "label": METRIC_LABELS[f["key"]],
            "text": texts.get(f["key"], ""),
            "live_text": _text(f["key"], f["live"]),
            "stored_text": _text(f["key"], f["stored"]),
        }
        for f in unit.figures
    ]
    context = {
        "unit": unit,
        "figures": figures,
        "rectifications": supervision.open_rectifications().filter(instruction__station=station),
        "checks": SpotCheck.objects.filter(
            instruction__station=station,
            instruction__issued_at__gte=the_week.start,
            instruction__issued_at__lt=the_week.end,
        ).select_related("inspector__officer", "instruction"),
        "this_week": rankings.Week.of(unit.now),
    }
    return TemplateResponse(request, "control_center/rankings_unit.html", context)


# --- the workbook ---------------------------------------------------------------------------------

HEAD_FILL = PatternFill("solid", fgColor="0B4F8A")
THIN = Side(style="thin", color="DDE3EA")


def workbook(board: rankings.Board) -> bytes:
    """One sheet per kind: the week's header, every figure of every unit, the weights; and the definitions."""
    wb = Workbook()
    wb.remove(wb.active)
    status = (
        _("Provisional, computed %(at)s") % {"at": timezone.localtime(board.generated_at).strftime("%Y-%m-%d %H:%M")}
        if board.provisional
        else _("Revision %(revision)s, generated %(at)s")
        % {
            "revision": board.snapshot.revision,  # type: ignore[union-attr]
            "at": timezone.localtime(board.generated_at).strftime("%Y-%m-%d %H:%M"),
        }
    )
    keys = list(METRIC_LABELS)
    for table in board.tables:
        ws = wb.create_sheet(str(table["label"])[:31])
        ws.append(
            [f"{_('Weekly rankings')} {board.week} ({board.week.monday:%Y-%m-%d} – {board.week.sunday:%Y-%m-%d})"]
        )
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([status])
        weights = _("; ").join(f"{w['label']} {w['weight']}" for w in board.weight_rows)
        ws.append([_("Weights: %(weights)s") % {"weights": weights}])
        ws.append([])
        present = [k for k in keys if any(k in r["metrics"] for r in table["rows"])]
        header = [_("Rank"), _("Since last week"), _("Unit"), _("Code"), _("Score")]
        header += [str(METRIC_LABELS[k]) for k in present] + [_("Open rectifications")]
        spreadsheets.append(ws, header)
        head_row = ws.max_row
        for cell in ws[head_row]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for row in table["rows"]:
            spreadsheets.append(
                ws,
                [row["rank"], row.get("change"), row["name"], row["station"], row["score"]]
                + [row["metrics"].get(k) for k in present]
                + [row.get("rectifications", {}).get("open", 0)],
            )
            for i, cell in enumerate(ws[ws.max_row]):
                cell.border = Border(bottom=THIN)
                key = present[i - 5] if 5 <= i < 5 + len(present) else ""
                if key.endswith("_pct"):
                    cell.number_format = '0.0"%"'
                elif key.endswith("_minutes") or i == 4:
                    cell.number_format = "0.0"
                elif i == 1:
                    cell.number_format = '"▲"0;"▼"0;"="'
        ws.freeze_panes = ws.cell(row=head_row + 1, column=4)
        ws.row_dimensions[head_row].height = 45
        for col in range(1, len(header) + 1):
            ws.column_dimensions[get_column_letter(col)].width = 22 if col == 3 else 11
        ws.print_options.gridLines = True
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
    notes = wb.create_sheet(_("Definitions")[:31])
    notes.append([_("Figure"), _("Definition")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for d in rankings.definitions():
        spreadsheets.append(notes, [d["label"], d["text"]])
    notes.append([])
    notes.append([_("Weight"), _("Component")])
    for w in board.weight_rows:
        spreadsheets.append(notes, [w["weight"], str(w["label"])])
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 110
    for row in notes.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@login_required
def rankings_export(request: HttpRequest) -> HttpResponse:
    board = _board(request)
    revision = "" if board.snapshot is None else f"-r{board.snapshot.revision}"
    audit(AuditLog.Kind.EXPORT, request=request, target=f"rankings {board.week}{revision}")
    response = HttpResponse(
        workbook(board), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="rankings-{board.week}{revision}.xlsx"'
    return response


# --- the supervision post -------------------------------------------------------------------------


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
    answers = instruction.answers or {}
    rows = []
    for item in instruction.answer_sheet.fields:
        if item["name"] not in answers:
            continue
        value = answers[item["name"]]
        choices = {c["value"]: c["label"] for c in item.get("choices", [])}
        if isinstance(value, list):
            text = "、".join(str(choices.get(v, v)) for v in value)
        elif isinstance(value, bool):
            text = _("yes") if value else _("no")
        else:
            text = str(choices.get(value, value))
        rows.append((item["label"], text))
    return rows


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
