"""State only: the categories now belong to disputes, which keeps this app's table (tasks_category)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('disputes', '0008_category_moves_here'),
        ('tasks', '0018_lead_kinds_registered'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='category',
                    name='category_dispute_has_feedback_hours',
                ),
                migrations.RemoveConstraint(
                    model_name='category',
                    name='category_dispute_is_not_criminal',
                ),
                migrations.AlterField(
                    model_name='instruction',
                    name='category',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='instructions', to='disputes.category', verbose_name='category'),
                ),
                migrations.DeleteModel(
                    name='Category',
                ),
            ],
        ),
    ]
