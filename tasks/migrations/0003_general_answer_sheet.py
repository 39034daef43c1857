"""Ship the general feedback sheet, version 1."""

from django.db import migrations

from tasks.answer_sheets import GENERAL_SHEET_CODE, general_sheet_fields


def forwards(apps, schema_editor):
    AnswerSheet = apps.get_model("tasks", "AnswerSheet")
    AnswerSheet.objects.get_or_create(
        code=GENERAL_SHEET_CODE, version=1, defaults={"title": "通用反馈", "fields": general_sheet_fields()}
    )


def backwards(apps, schema_editor):
    AnswerSheet = apps.get_model("tasks", "AnswerSheet")
    AnswerSheet.objects.filter(code=GENERAL_SHEET_CODE, version=1, instructions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("tasks", "0002_category_accepted_by_category_answer_sheet_code_and_more")]
    operations = [migrations.RunPython(forwards, backwards)]
