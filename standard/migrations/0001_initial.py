"""The standard tasks move out of `tasks` into their own app and keep their tables (`tasks_standardtask*`):
this creates the models in the migration state only; the database already has them (tasks 0009). On a new
database, tasks 0009 creates the tables, and this migration again only records the state.
tasks 0017 then removes the models from the `tasks` state."""


import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('stations', '0004_area_role_groups'),
        ('tasks', '0016_h7_sweep_watch'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='StandardTask',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=32, unique=True, verbose_name='code')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                    ],
                    options={
                        'verbose_name': 'standard task',
                        'verbose_name_plural': 'standard tasks',
                        'db_table': 'tasks_standardtask',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='StandardTaskIssue',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scope', models.CharField(choices=[('officer', 'One officer'), ('station', "A station's officers"), ('community', "A community's officers"), ('all', 'All community officers')], max_length=10, verbose_name='to')),
                        ('subject', models.CharField(blank=True, help_text='Empty: each community the officer looks after.', max_length=200, verbose_name='place or person')),
                        ('recurrence', models.CharField(choices=[('once', 'Once'), ('weekly', 'Weekly'), ('monthly', 'Monthly'), ('quarterly', 'Quarterly')], max_length=10, verbose_name='recurrence')),
                        ('note', models.TextField(blank=True, max_length=2000, verbose_name='note')),
                        ('created_at', models.DateTimeField(verbose_name='issued at')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                        ('next_run_at', models.DateTimeField(blank=True, null=True, verbose_name='next occurrence at')),
                        ('community', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='stations.community', verbose_name='community')),
                        ('department', models.ForeignKey(blank=True, help_text='Empty: the control center.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='standard_task_issues', to='stations.department', verbose_name='issuing department')),
                        ('issued_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='issued by')),
                        ('officer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='stations.officer', verbose_name='officer')),
                        ('station', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='stations.station', verbose_name='station')),
                        ('task', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='issues', to='standard.standardtask', verbose_name='standard task')),
                    ],
                    options={
                        'verbose_name': 'standard task issue',
                        'verbose_name_plural': 'standard task issues',
                        'db_table': 'tasks_standardtaskissue',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='StandardTaskOccurrence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('target_key', models.SlugField(max_length=64, verbose_name='target key')),
                        ('target_label', models.CharField(max_length=200, verbose_name='target')),
                        ('period_start', models.DateTimeField(verbose_name='period from')),
                        ('period_end', models.DateTimeField(verbose_name='period until')),
                        ('community', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='stations.community', verbose_name='community')),
                        ('instruction', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='standard_occurrence', to='tasks.instruction', verbose_name='instruction')),
                        ('officer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='stations.officer', verbose_name='officer')),
                        ('task', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='occurrences', to='standard.standardtask', verbose_name='standard task')),
                    ],
                    options={
                        'verbose_name': 'standard task occurrence',
                        'verbose_name_plural': 'standard task occurrences',
                        'db_table': 'tasks_standardtaskoccurrence',
                        'ordering': ['-period_start', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='StandardTaskRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('requested_at', models.DateTimeField(verbose_name='requested at')),
                        ('merged', models.BooleanField(default=False, verbose_name='merged')),
                        ('issue', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requests', to='standard.standardtaskissue', verbose_name='issue')),
                        ('occurrence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requests', to='standard.standardtaskoccurrence', verbose_name='occurrence')),
                    ],
                    options={
                        'verbose_name': 'standard task request',
                        'verbose_name_plural': 'standard task requests',
                        'db_table': 'tasks_standardtaskrequest',
                        'ordering': ['requested_at', 'pk'],
                    },
                ),
                migrations.AddField(
                    model_name='standardtaskoccurrence',
                    name='requested_by',
                    field=models.ManyToManyField(related_name='occurrences', through='standard.StandardTaskRequest', to='standard.standardtaskissue', verbose_name='requested by'),
                ),
                migrations.CreateModel(
                    name='StandardTaskVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(verbose_name='version')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('basis', models.TextField(max_length=2000, verbose_name='basis')),
                        ('measures', models.TextField(max_length=2000, verbose_name='measures')),
                        ('work_standard', models.TextField(max_length=2000, verbose_name='work standard')),
                        ('limit_unit', models.CharField(choices=[('hours', 'within hours'), ('days', 'within days'), ('weekly', 'weekly'), ('monthly', 'monthly'), ('quarterly', 'quarterly')], max_length=10, verbose_name='time limit')),
                        ('limit_value', models.PositiveSmallIntegerField(default=1, help_text='Hours or days; 1 for a recurrence.', verbose_name='within')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('answer_sheet', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='standard_task_versions', to='tasks.answersheet', verbose_name='answer sheet')),
                        ('consumers', models.ManyToManyField(blank=True, db_table='tasks_standardtaskversion_consumers', related_name='standard_tasks_consumed', to='stations.department', verbose_name='departments using the answers')),
                        ('lead_department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='standard_tasks_led', to='stations.department', verbose_name='lead department')),
                        ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='standard.standardtask', verbose_name='standard task')),
                    ],
                    options={
                        'verbose_name': 'standard task version',
                        'verbose_name_plural': 'standard task versions',
                        'db_table': 'tasks_standardtaskversion',
                        'ordering': ['task', '-version'],
                    },
                ),
                migrations.AddField(
                    model_name='standardtaskoccurrence',
                    name='version',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='occurrences', to='standard.standardtaskversion', verbose_name='version'),
                ),
                migrations.AddField(
                    model_name='standardtask',
                    name='current',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='standard.standardtaskversion', verbose_name='current version'),
                ),
                migrations.AddIndex(
                    model_name='standardtaskissue',
                    index=models.Index(condition=models.Q(('is_active', True), ('next_run_at__isnull', False)), fields=['next_run_at'], name='stdissue_due'),
                ),
                migrations.AddConstraint(
                    model_name='standardtaskissue',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('officer__isnull', False), ('scope', 'officer')), models.Q(('scope', 'station'), ('station__isnull', False)), models.Q(('community__isnull', False), ('scope', 'community')), ('scope', 'all'), _connector='OR'), name='stdissue_scope_target'),
                ),
                migrations.AddConstraint(
                    model_name='standardtaskrequest',
                    constraint=models.UniqueConstraint(fields=('issue', 'occurrence'), name='stdrequest_once'),
                ),
                migrations.AddConstraint(
                    model_name='standardtaskversion',
                    constraint=models.UniqueConstraint(fields=('task', 'version'), name='stdtask_version_unique'),
                ),
                migrations.AddConstraint(
                    model_name='standardtaskversion',
                    constraint=models.CheckConstraint(condition=models.Q(('limit_value__gte', 1)), name='stdtask_limit_positive'),
                ),
                migrations.AddIndex(
                    model_name='standardtaskoccurrence',
                    index=models.Index(fields=['officer', 'task', 'target_key'], name='stdocc_match'),
                ),
                migrations.AddConstraint(
                    model_name='standardtaskoccurrence',
                    constraint=models.CheckConstraint(condition=models.Q(('period_end__gt', models.F('period_start'))), name='stdocc_period'),
                ),
            ],
            database_operations=[],
        ),
    ]
