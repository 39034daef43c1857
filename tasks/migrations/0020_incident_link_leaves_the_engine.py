"""The engine forgets what its instructions are about: the incident and the category now live in disputes'
Dispatch table, filled from these columns by disputes 0009 before they are dropped."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0019_category_moves_to_disputes"),
        ("disputes", "0009_dispatch"),
    ]

    operations = [
        migrations.RemoveField(model_name="instruction", name="category"),
        migrations.RemoveField(model_name="instruction", name="incident"),
    ]
