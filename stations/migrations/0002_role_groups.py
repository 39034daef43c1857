"""One permission group per role, with the model permissions that role needs in the admin."""

from django.db import migrations

REFERENCE = [
    "stations.view_district",
    "stations.view_subdistrict",
    "stations.view_station",
    "stations.view_community",
    "stations.view_department",
    "stations.view_patrolunit",
    "stations.view_officer",
    "tasks.view_category",
]
ROLE_PERMISSIONS = {
    "center_staff": [*REFERENCE, "tasks.change_category", "disputes.view_incident", "disputes.add_incident"],
    "supervisor": [*REFERENCE, "disputes.view_incident"],
    "command_room": [*REFERENCE, "disputes.view_incident"],
    "duty_leader": [*REFERENCE, "disputes.view_incident"],
    "community_officer": REFERENCE,
    "patrol_officer": REFERENCE,
    "department_staff": REFERENCE,
    "internal_security": REFERENCE,
    "auditor": [*REFERENCE, "stations.view_auditlog", "stations.view_accountlock", "disputes.view_incident"],
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0001_initial"),
        ("tasks", "0001_initial"),
        ("disputes", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, delete_groups)]
