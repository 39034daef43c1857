"""The domestic-violence sheet's "纠纷起因" item lists forms of violence (殴打, 威胁、恐吓, ...): version 2 of
`dispute-domestic_violence` calls it 侵害方式. Sheets are versioned: instructions issued on version 1 keep it
(their answers were given to that wording); new ones get the latest version."""

from django.db import migrations

CODE = "dispute-domestic_violence"
OLD, NEW = "纠纷起因", "侵害方式"


def forwards(apps, schema_editor):
    AnswerSheet = apps.get_model("tasks", "AnswerSheet")
    latest = AnswerSheet.objects.filter(code=CODE).order_by("-version").first()
    if latest is None or not any(f.get("name") == "subject" and f.get("label") == OLD for f in latest.fields):
        return
    fields = [{**f, "label": NEW} if f.get("name") == "subject" else f for f in latest.fields]
    AnswerSheet.objects.create(code=CODE, version=latest.version + 1, title=latest.title, fields=fields)


def backwards(apps, schema_editor):
    AnswerSheet = apps.get_model("tasks", "AnswerSheet")
    for sheet in AnswerSheet.objects.filter(code=CODE, version__gt=1, instructions__isnull=True):
        if any(f.get("name") == "subject" and f.get("label") == NEW for f in sheet.fields):
            sheet.delete()


class Migration(migrations.Migration):
    dependencies = [("tasks", "0011_instruction_due_by")]
    operations = [migrations.RunPython(forwards, backwards)]
