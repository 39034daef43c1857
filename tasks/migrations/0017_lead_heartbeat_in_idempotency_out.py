"""State only, no data copied: the sweep's watch (Heartbeat) joins the engine, keeping its table
(control_center_heartbeat, created by control_center 0001/0004); IdempotencyRecord leaves for core/,
keeping tasks_idempotencyrecord."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0016_h7_sweep_watch"),
        ("core", "0001_idempotency_record"),
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
    ]
