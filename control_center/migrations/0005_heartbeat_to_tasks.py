"""State only: Heartbeat now belongs to the engine (tasks), which keeps this app's table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("control_center", "0004_h7_sweep_watch"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Heartbeat")]),
    ]
