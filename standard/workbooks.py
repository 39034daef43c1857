"""The catalogue and a task's progress as Excel workbooks (the pages' exports)."""

from __future__ import annotations

from typing import Any

from core import spreadsheets
from core.time import local
from stations.models import Department

from . import catalogue
from .progress import Progress
from .selectors import catalogue_tasks, entry_of


def catalogue_workbook() -> Any:
    names = dict(Department.objects.values_list("code", "name"))
    return catalogue.to_workbook([entry_of(t) for t in catalogue_tasks()], names)


def progress_workbook(progress: Progress) -> Any:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "明细"
    sheet.append(["派出所", "民警", "社区", "对象", "周期开始", "截止时间", "状态", "完成", "逾期", "下达单位"])
    for row in progress.rows:
        occurrence, instruction = row.occurrence, row.occurrence.instruction
        spreadsheets.append(
            sheet,
            [
                instruction.station.name,
                occurrence.officer.name,
                occurrence.community.name if occurrence.community else "",
                occurrence.target_label,
                local(occurrence.period_start).strftime("%Y-%m-%d %H:%M"),
                local(instruction.feedback_due).strftime("%Y-%m-%d %H:%M"),  # type: ignore[arg-type]
                instruction.get_status_display(),
                "是" if row.done else "否",
                "是" if row.late else "否",
                "、".join(row.requesters),
            ],
        )
    for title, rates in (("按派出所", progress.by_station), ("按社区", progress.by_community)):
        summary = book.create_sheet(title)
        summary.append(["名称", "应完成", "已完成", "逾期", "完成率(%)"])
        for rate in [*rates, progress.overall]:
            spreadsheets.append(summary, [rate.name, rate.total, rate.done, rate.late, rate.rate])
    return book
