"""The catalogue of standard tasks (标准件) that ships with the product: its loader, and the catalogue as Excel.

The data, the 117 items and their library of questions, are in `catalogue_data.py`.

`load()` creates whatever of the shipped catalogue is missing (a migration calls it with its app
registry; seeds and tests call it plainly). The Excel functions are pure: workbook <-> entries.
"""

from __future__ import annotations

import re
from typing import IO, Any

from openpyxl import Workbook, load_workbook

from core import spreadsheets

from .catalogue_data import DEPARTMENTS, QUESTIONS, SECTIONS

SHEET_PREFIX = "std-"


def sheet_code(task_code: str) -> str:
    return f"{SHEET_PREFIX}{task_code.lower()}"


LIMIT_RE = re.compile(r"^(\d+)([hd])$")
LIMIT_TEXT = {"weekly": "每周", "monthly": "每月", "quarterly": "每季度"}


def parse_limit(text: str) -> tuple[str, int]:
    """The time limit "24h" or "24小时", "3d" or "3天", or a recurrence ("monthly" or "每月") -> (unit, value)."""
    text = str(text).strip().lower().replace("小时", "h").replace("天", "d").replace("日", "d")
    if match := LIMIT_RE.match(text):
        value = int(match.group(1))
        if value < 1:
            raise ValueError(text)
        return ("hours" if match.group(2) == "h" else "days"), value
    for unit, chinese in LIMIT_TEXT.items():
        if text in (unit, chinese):
            return unit, 1
    raise ValueError(text)


def limit_text(unit: str, value: int) -> str:
    if unit == "hours":
        return f"{value}小时"
    if unit == "days":
        return f"{value}天"
    return LIMIT_TEXT[unit]


def entries() -> list[dict[str, Any]]:
    """The shipped catalogue, as entries (the shape `catalogue_import` and the Excel functions use)."""
    out = []
    for lead, consumers, items in SECTIONS:
        for code, name, limit, basis, measures, standard, questions in items:
            unit, value = parse_limit(limit)
            out.append(
                {
                    "code": code,
                    "name": name,
                    "lead_department": lead,
                    "basis": basis,
                    "measures": measures,
                    "work_standard": standard,
                    "limit_unit": unit,
                    "limit_value": value,
                    "consumers": consumers,
                    "fields": [dict(QUESTIONS[q]) for q in questions],
                }
            )
    return out


def load(apps: Any = None) -> int:
    """Create what is missing of the shipped catalogue; returns how many tasks were created.

    Idempotent. `apps` is a migration's app registry (historical models); None for the real ones."""
    if apps is None:
        from django.apps import apps
    department_model = apps.get_model("stations", "Department")
    sheet_model = apps.get_model("tasks", "AnswerSheet")
    task_model = apps.get_model("standard", "StandardTask")
    version_model = apps.get_model("standard", "StandardTaskVersion")
    departments = {
        code: department_model.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in DEPARTMENTS
    }
    created = 0
    for entry in entries():
        task, _new = task_model.objects.get_or_create(code=entry["code"])
        if task.current_id:
            continue
        sheet, _new = sheet_model.objects.get_or_create(
            code=sheet_code(entry["code"]), version=1, defaults={"title": entry["name"], "fields": entry["fields"]}
        )
        version = version_model.objects.create(
            task=task,
            version=1,
            name=entry["name"],
            lead_department=departments[entry["lead_department"]],
            basis=entry["basis"],
            measures=entry["measures"],
            work_standard=entry["work_standard"],
            limit_unit=entry["limit_unit"],
            limit_value=entry["limit_value"],
            answer_sheet=sheet,
        )
        version.consumers.set([departments[c] for c in entry["consumers"]])
        task.current = version
        task.save(update_fields=["current"])
        created += 1
    return created


def unload(apps: Any) -> None:
    """Undo `load` for the tasks nobody was asked to do yet (the data migration's reverse)."""
    task_model = apps.get_model("standard", "StandardTask")
    version_model = apps.get_model("standard", "StandardTaskVersion")
    sheet_model = apps.get_model("tasks", "AnswerSheet")
    codes = [e["code"] for e in entries()]
    unused = task_model.objects.filter(code__in=codes, occurrences__isnull=True, issues__isnull=True)
    unused_ids = list(unused.values_list("pk", flat=True))
    task_model.objects.filter(pk__in=unused_ids).update(current=None)
    version_model.objects.filter(task_id__in=unused_ids).delete()
    task_model.objects.filter(pk__in=unused_ids).delete()
    sheets = [sheet_code(c) for c in codes]
    sheet_model.objects.filter(code__in=sheets, instructions__isnull=True, standard_task_versions__isnull=True).delete()


# --- Excel ---------------------------------------------------------------------------------------

TASK_HEADERS = ["编号", "名称", "牵头部门", "任务依据", "任务措施", "工作标准", "完成时限", "使用部门"]
FIELD_HEADERS = ["编号", "字段名", "题目", "类型", "必填", "选项", "最小值", "最大值", "最多字数"]
TASK_KEYS = ["code", "name", "lead_department", "basis", "measures", "work_standard", "time_limit", "consumers"]
TYPE_NAMES = {
    "choice": "单选",
    "multi": "多选",
    "text": "填空",
    "number": "数字",
    "date": "日期",
    "bool": "是否",
    "photo": "照片",
}
YES, NO = "是", "否"
LIST_SEP = re.compile(r"[、,，;；\s]+")


class CatalogueFileError(Exception):
    """The workbook cannot be read as a catalogue: `errors` lists what is wrong, row by row."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def to_workbook(items: list[dict[str, Any]], department_names: dict[str, str]) -> Workbook:
    """Two worksheets: the tasks, one a row; and their answer sheets, one question a row."""
    book = Workbook()
    tasks = book.active
    tasks.title = "标准件"
    tasks.append(TASK_HEADERS)
    questions = book.create_sheet("答题卡")
    questions.append(FIELD_HEADERS)
    for entry in items:
        spreadsheets.append(
            tasks,
            [
                entry["code"],
                entry["name"],
                department_names.get(entry["lead_department"], entry["lead_department"]),
                entry["basis"],
                entry["measures"],
                entry["work_standard"],
                limit_text(entry["limit_unit"], entry["limit_value"]),
                "、".join(department_names.get(c, c) for c in entry["consumers"]),
            ],
        )
        for field in entry["fields"]:
            choices = ";".join(f"{c['value']}={c['label']}" for c in field.get("choices", []))
            spreadsheets.append(
                questions,
                [
                    entry["code"],
                    field["name"],
                    field["label"],
                    TYPE_NAMES[field["type"]],
                    YES if field.get("required") else NO,
                    choices or None,
                    field.get("min"),
                    field.get("max"),
                    field.get("max_length"),
                ],
            )
    for sheet, widths in ((tasks, [8, 28, 14, 40, 50, 50, 10, 24]), (questions, [8, 20, 28, 8, 6, 50, 8, 8, 8])):
        for i, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + i)].width = width
    return book


def _cell(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(value: Any) -> int | float | None:
    if value in (None, ""):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def from_workbook(file: IO[bytes], department_codes: dict[str, str]) -> list[dict[str, Any]]:
    """Read entries from a workbook written by `to_workbook` (and edited by people).

    `department_codes` maps department names and codes to codes. Raises CatalogueFileError."""
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a file that is not a workbook
        raise CatalogueFileError([f"不是有效的Excel文件（{type(exc).__name__}）"]) from None
    if "标准件" not in book.sheetnames or "答题卡" not in book.sheetnames:
        raise CatalogueFileError(["工作簿需要“标准件”和“答题卡”两个工作表"])
    errors: list[str] = []
    type_codes = {v: k for k, v in TYPE_NAMES.items()} | {k: k for k in TYPE_NAMES}

    def department(value: str, where: str) -> str:
        code = department_codes.get(value)
        if code is None:
            errors.append(f"{where}：未知部门“{value}”")
        return code or ""

    items: dict[str, dict[str, Any]] = {}
    rows = book["标准件"].iter_rows(values_only=True)
    if [_cell(c) for c in next(rows, ())][: len(TASK_HEADERS)] != TASK_HEADERS:
        raise CatalogueFileError(["“标准件”工作表的表头与导出格式不一致"])
    for number, row in enumerate(rows, start=2):
        cells = dict(zip(TASK_KEYS, [_cell(c) for c in row], strict=False))
        if not any(cells.values()):
            continue
        where = f"标准件第{number}行"
        code = cells.get("code", "")
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", code):
            errors.append(f"{where}：编号只能由字母、数字、-和_组成")
            continue
        if code in items:
            errors.append(f"{where}：编号{code}重复")
            continue
        missing = [h for h, k in zip(TASK_HEADERS, TASK_KEYS, strict=True) if not cells.get(k)]
        if missing:
            errors.append(f"{where}：缺少{'、'.join(missing)}")
            continue
        try:
            unit, value = parse_limit(cells["time_limit"])
        except ValueError:
            errors.append(f"{where}：完成时限应写作“24小时”“3天”“每周”“每月”或“每季度”")
            continue
        items[code] = {
            "code": code,
            "name": cells["name"],
            "lead_department": department(cells["lead_department"], where),
            "basis": cells["basis"],
            "measures": cells["measures"],
            "work_standard": cells["work_standard"],
            "limit_unit": unit,
            "limit_value": value,
            "consumers": [department(c, where) for c in LIST_SEP.split(cells["consumers"]) if c],
            "fields": [],
        }
    rows = book["答题卡"].iter_rows(values_only=True)
    if [_cell(c) for c in next(rows, ())][: len(FIELD_HEADERS)] != FIELD_HEADERS:
        raise CatalogueFileError(["“答题卡”工作表的表头与导出格式不一致"])
    for number, row in enumerate(rows, start=2):
        cells = [*row, *[None] * len(FIELD_HEADERS)][: len(FIELD_HEADERS)]
        code, name, label, kind, required, choices = (_cell(c) for c in cells[:6])
        if not any((code, name, label)):
            continue
        where = f"答题卡第{number}行"
        if code not in items:
            errors.append(f"{where}：编号{code}不在“标准件”工作表中")
            continue
        if kind not in type_codes:
            errors.append(f"{where}：类型应为{'、'.join(TYPE_NAMES.values())}之一")
            continue
        field: dict[str, Any] = {"name": name, "label": label, "type": type_codes[kind], "required": required == YES}
        if choices:
            pairs = [p.split("=", 1) for p in choices.split(";") if p.strip()]
            field["choices"] = [{"value": p[0].strip(), "label": p[-1].strip()} for p in pairs]
        try:
            for key, value in zip(("min", "max", "max_length"), cells[6:9], strict=True):
                if (number_value := _number(value)) is not None:
                    field[key] = number_value
        except ValueError:
            errors.append(f"{where}：最小值、最大值和最多字数应为数字")
            continue
        items[code]["fields"].append(field)
    for code, entry in items.items():
        if not entry["fields"]:
            errors.append(f"{code}：答题卡没有题目")
    if errors:
        raise CatalogueFileError(errors)
    return list(items.values())
