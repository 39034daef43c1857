"""State only, no data copied: the sweep's watch (Heartbeat) joins the engine, keeping its table
(control_center_heartbeat, created by control_center 0001/0004); IdempotencyRecord leaves for core/,
keeping tasks_idempotencyrecord."""

from django.db import migrations, models

MOVES = [("control_center", "tasks", "heartbeat"), ("tasks", "core", "idempotencyrecord")]


def _move(apps, moves):
    """The content types (and so any permissions granted on them) move with the models."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old, new, model in moves:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _move(apps, MOVES)


def unmove_content_types(apps, schema_editor):
    _move(apps, [(new, old, model) for old, new, model in MOVES])


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0016_h7_sweep_watch"),
        ("core", "0001_idempotency_record"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Heartbeat",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=64, unique=True, verbose_name="name")),
                        ("at", models.DateTimeField(verbose_name="at")),
                        ("alarm_at", models.DateTimeField(blank=True, null=True, verbose_name="alarm raised at")),
                    ],
                    options={
                        "verbose_name": "heartbeat",
                        "verbose_name_plural": "heartbeats",
                        "db_table": "control_center_heartbeat",
                    },
                ),
                migrations.DeleteModel(name="IdempotencyRecord"),
            ],
        ),
        migrations.RunPython(move_content_types, unmove_content_types),
    ]
