"""HTML pages of the weekly rankings (table, drill-down, print layout, Excel export). Supervisors and
center staff see everything; a station's command room and duty leader read the published bulletin of
their kind and drill down into their own unit only; others get 404."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core import spreadsheets
from core.inputs import ascii_int
from core.time import Week
from stations.audit import audit
from stations.models import AuditLog, Station

from . import ranking_pages, rankings, supervision
from .models import SpotCheck
from .ranking_pages import METRIC_LABELS

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


def _week(text: str | None, now: Any = None) -> Week:
    """The asked week, or by default the last complete one."""
    if not text:
        return Week.of(now or timezone.now()).shift(-1)
    try:
        return Week.parse(text)
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


def _board(request: HttpRequest) -> ranking_pages.Board:
    own = _reader(request)
    kind = {"kind": own.kind, "published_only": True} if own is not None else {}
    try:
        return ranking_pages.board(_week(request.GET.get("week")), revision=_revision(request), **kind)
    except LookupError:
        raise Http404 from None


def _context(board: ranking_pages.Board, request: HttpRequest) -> dict[str, Any]:
    this_week = Week.of(board.now)
    own = rankings.bulletin_station(request.user)
    return {
        "own_station": own,  # a station's reader: the published bulletin, its own drill-down only
        "may_supervise": own is None,
        "board": board,
        "tables": ranking_pages.page_tables(board),
        "definitions": ranking_pages.definitions(),
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
        unit = ranking_pages.unit(the_week, station, revision=_revision(request))
    except LookupError:
        raise Http404 from None
    texts = {d["key"]: d["text"] for d in ranking_pages.definitions()}
    figures = [
        f
        | {
            "label": METRIC_LABELS[f["key"]],
            "text": texts.get(f["key"], ""),
            "live_text": ranking_pages.figure_text(f["key"], f["live"]),
            "stored_text": ranking_pages.figure_text(f["key"], f["stored"]),
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
        "this_week": Week.of(unit.now),
    }
    return TemplateResponse(request, "control_center/rankings_unit.html", context)


# --- the workbook ---------------------------------------------------------------------------------

HEAD_FILL = PatternFill("solid", fgColor="0B4F8A")
THIN = Side(style="thin", color="DDE3EA")


def workbook(board: ranking_pages.Board) -> bytes:
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
    for d in ranking_pages.definitions():
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
