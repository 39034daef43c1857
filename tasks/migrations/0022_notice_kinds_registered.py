"""State only in effect: the notification kinds are the engine's own plus those apps register (disputes: push)."""

import tasks.kinds
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0021_merge_standard_out_and_engine'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=tasks.kinds.notice_choices, max_length=32, verbose_name='kind'),
        ),
    ]
