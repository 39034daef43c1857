"""What an instruction about an incident is about, owned by disputes: one Dispatch row per instruction that
had an incident or a category, copied from the engine's columns (which tasks 0020 then drops)."""

import django.db.models.deletion
from django.db import migrations, models

COPY = """
INSERT INTO disputes_dispatch (instruction_id, incident_id, category_id)
SELECT id, incident_id, category_id FROM tasks_instruction
WHERE incident_id IS NOT NULL OR category_id IS NOT NULL
"""
BACK = """
UPDATE tasks_instruction AS i SET incident_id = d.incident_id, category_id = d.category_id
FROM disputes_dispatch AS d WHERE d.instruction_id = i.id
"""


class Migration(migrations.Migration):

    dependencies = [
        ('disputes', '0008_category_moves_here'),
        ('tasks', '0019_category_moves_to_disputes'),
    ]

    operations = [
        migrations.CreateModel(
            name='Dispatch',
            fields=[
                ('instruction', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='dispatch', serialize=False, to='tasks.instruction', verbose_name='instruction')),
                ('category', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='dispatches', to='disputes.category', verbose_name='category')),
                ('incident', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='dispatches', to='disputes.incident', verbose_name='incident')),
            ],
            options={
                'verbose_name': 'dispatch',
                'verbose_name_plural': 'dispatches',
            },
        ),
        migrations.RunSQL(COPY, BACK),
    ]
