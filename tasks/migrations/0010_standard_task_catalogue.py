"""Ship the catalogue of 117 standard tasks (tasks/catalogue.py), each with its answer sheet, version 1.

The loader creates only what is missing; the reverse removes the shipped tasks nobody was asked for yet."""

from django.db import migrations

from tasks import catalogue


def forwards(apps, schema_editor):
    catalogue.load(apps)


def backwards(apps, schema_editor):
    catalogue.unload(apps)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0009_standard_tasks"), ("stations", "0003_officer_subdistrict_alter_officer_role_and_more")]
    operations = [migrations.RunPython(forwards, backwards)]
