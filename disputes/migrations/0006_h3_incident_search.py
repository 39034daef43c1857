"""Find any incident: substring search on the address through a pg_trgm GIN index (PostgreSQL only;
the SQLite of a laptop demo scans)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS incident_address_trgm ON disputes_incident USING gin (address gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS incident_address_trgm")


class Migration(migrations.Migration):
    dependencies = [("disputes", "0005_h3_import_aliases")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(add_index, drop_index, elidable=False),
    ]
