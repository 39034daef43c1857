"""The standard tasks moved to the `standard` app (standard 0001), keeping their tables: they leave the
`tasks` migration state, and nothing happens to the database but their content types (and with them
their permissions and admin log entries) following them to `standard`."""


from django.db import migrations

MODELS = ["standardtask", "standardtaskversion", "standardtaskissue", "standardtaskoccurrence", "standardtaskrequest"]


def _move_content_types(apps, old, new):
    content_type = apps.get_model("contenttypes", "ContentType")
    taken = set(content_type.objects.filter(app_label=new, model__in=MODELS).values_list("model", flat=True))
    content_type.objects.filter(app_label=old, model__in=set(MODELS) - taken).update(app_label=new)


def forwards(apps, schema_editor):
    _move_content_types(apps, "tasks", "standard")


def backwards(apps, schema_editor):
    _move_content_types(apps, "standard", "tasks")


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0016_h7_sweep_watch'),
        ('standard', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='standardtask',
                    name='current',
                ),
                migrations.RemoveIndex(
                    model_name='standardtaskissue',
                    name='stdissue_due',
                ),
                migrations.RemoveConstraint(
                    model_name='standardtaskissue',
                    name='stdissue_scope_target',
                ),
                migrations.RemoveIndex(
                    model_name='standardtaskoccurrence',
                    name='stdocc_match',
                ),
                migrations.RemoveConstraint(
                    model_name='standardtaskoccurrence',
                    name='stdocc_period',
                ),
                migrations.RemoveConstraint(
                    model_name='standardtaskrequest',
                    name='stdrequest_once',
                ),
                migrations.RemoveConstraint(
                    model_name='standardtaskversion',
                    name='stdtask_version_unique',
                ),
                migrations.RemoveConstraint(
                    model_name='standardtaskversion',
                    name='stdtask_limit_positive',
                ),
                migrations.RemoveField(
                    model_name='standardtaskoccurrence',
                    name='community',
                ),
                migrations.RemoveField(
                    model_name='standardtaskoccurrence',
                    name='instruction',
                ),
                migrations.RemoveField(
                    model_name='standardtaskoccurrence',
                    name='officer',
                ),
                migrations.RemoveField(
                    model_name='standardtaskoccurrence',
                    name='requested_by',
                ),
                migrations.RemoveField(
                    model_name='standardtaskoccurrence',
                    name='task',
                ),
                migrations.RemoveField(
                    model_name='standardtaskoccurrence',
                    name='version',
                ),
                migrations.RemoveField(
                    model_name='standardtaskrequest',
                    name='issue',
                ),
                migrations.RemoveField(
                    model_name='standardtaskrequest',
                    name='occurrence',
                ),
                migrations.RemoveField(
                    model_name='standardtaskversion',
                    name='answer_sheet',
                ),
                migrations.RemoveField(
                    model_name='standardtaskversion',
                    name='consumers',
                ),
                migrations.RemoveField(
                    model_name='standardtaskversion',
                    name='lead_department',
                ),
                migrations.RemoveField(
                    model_name='standardtaskversion',
                    name='task',
                ),
                migrations.DeleteModel(
                    name='StandardTaskIssue',
                ),
                migrations.DeleteModel(
                    name='StandardTaskOccurrence',
                ),
                migrations.DeleteModel(
                    name='StandardTaskRequest',
                ),
                migrations.DeleteModel(
                    name='StandardTask',
                ),
                migrations.DeleteModel(
                    name='StandardTaskVersion',
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
