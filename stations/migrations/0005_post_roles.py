"""A patrol post's chief (站长) and duty desk (值班台): two station roles, each with its permission group.
The desk's group gets the command room's permissions, the chief's the duty leader's."""

from django.db import migrations, models

LIKE = {"duty_desk": "command_room", "post_chief": "duty_leader"}


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role, like in LIKE.items():
        group, _ = Group.objects.get_or_create(name=role)
        model = Group.objects.filter(name=like).first()
        if model is not None:
            group.permissions.add(*model.permissions.all())


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=LIKE).delete()


class Migration(migrations.Migration):
    dependencies = [("stations", "0004_area_role_groups")]

    operations = [
        migrations.AlterField(
            model_name="officer",
            name="role",
            field=models.CharField(
                choices=[
                    ("center_staff", "Control center staff"),
                    ("supervisor", "Supervisor"),
                    ("command_room", "Station command room"),
                    ("duty_leader", "Station duty leader"),
                    ("post_chief", "Patrol post chief"),
                    ("duty_desk", "Patrol post duty desk"),
                    ("community_officer", "Community officer"),
                    ("patrol_officer", "Patrol officer"),
                    ("department_staff", "Department staff"),
                    ("internal_security", "Internal-security brigade"),
                    ("auditor", "Auditor"),
                    ("subdistrict_worker", "Subdistrict office worker"),
                    ("community_worker", "Community committee worker"),
                ],
                max_length=32,
                verbose_name="role",
            ),
        ),
        migrations.RemoveConstraint(model_name="officer", name="officer_station_role_needs_station"),
        migrations.AddConstraint(
            model_name="officer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        (
                            "role__in",
                            [
                                "command_room",
                                "duty_leader",
                                "post_chief",
                                "duty_desk",
                                "community_officer",
                                "patrol_officer",
                            ],
                        ),
                        _negated=True,
                    ),
                    ("station__isnull", False),
                    _connector="OR",
                ),
                name="officer_station_role_needs_station",
                violation_error_message="This role works at a station: choose one.",
            ),
        ),
        migrations.RunPython(create_groups, delete_groups),
    ]
