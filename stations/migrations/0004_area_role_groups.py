"""Permission groups for the two area roles added with the pushes (they see no model in the admin)."""

from django.db import migrations

AREA_ROLES = ["subdistrict_worker", "community_worker"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in AREA_ROLES:
        Group.objects.get_or_create(name=role)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=AREA_ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("stations", "0003_officer_subdistrict_alter_officer_role_and_more")]
    operations = [migrations.RunPython(create_groups, delete_groups)]
