"""Merge: the standard tasks left the engine while the incident link did."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0017_standard_moved_out'),
        ('tasks', '0020_incident_link_leaves_the_engine'),
    ]

    operations = [
    ]
