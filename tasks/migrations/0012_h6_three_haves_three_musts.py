"""The article's words: the bank outlets' check is 三有三要, not 三有三必 (the shipped catalogue, in place)."""

from django.db import migrations

WORDS = [
    ("三有三必", "三有三要"),
    ("柜面“三必”（必问用途、必作提醒、必签告知书）", "柜面“三要”（要问用途、要作提醒、要签告知书）"),
    ("“三必”落实情况", "“三要”落实情况"),
    ("必问转账用途", "要问转账用途"),
    ("必作反诈提醒", "要作反诈提醒"),
    ("必签风险告知书", "要签风险告知书"),
]


def fix(text: str) -> str:
    for old, new in WORDS:
        text = text.replace(old, new)
    return text


def forwards(apps, schema_editor):
    version_model = apps.get_model("tasks", "StandardTaskVersion")
    sheet_model = apps.get_model("tasks", "AnswerSheet")
    for v in version_model.objects.filter(task__code="NB04"):
        v.name, v.measures, v.work_standard = fix(v.name), fix(v.measures), fix(v.work_standard)
        v.save(update_fields=["name", "measures", "work_standard"])
    for sheet in sheet_model.objects.filter(code="std-nb04"):
        sheet.title = fix(sheet.title)
        for item in sheet.fields:
            item["label"] = fix(item.get("label", ""))
            for choice in item.get("choices", []):
                choice["label"] = fix(choice.get("label", ""))
        sheet.save(update_fields=["title", "fields"])


class Migration(migrations.Migration):
    dependencies = [("tasks", "0011_instruction_due_by")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
