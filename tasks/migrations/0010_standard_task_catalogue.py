"""Ship the catalogue of 117 standard tasks, each with its answer sheet, version 1.

The catalogue is frozen beside this migration (`_catalogue_0010.py`), so that the live one
(standard/catalogue.py) can change without changing history.
The loader creates only what is missing; the reverse removes the shipped tasks nobody was asked for yet."""

from django.db import migrations

from ._catalogue_0010 import load, unload


def forwards(apps, schema_editor):
    load(apps)


def backwards(apps, schema_editor):
    unload(apps)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0009_standard_tasks"), ("stations", "0003_officer_subdistrict_alter_officer_role_and_more")]
    operations = [migrations.RunPython(forwards, backwards)]
