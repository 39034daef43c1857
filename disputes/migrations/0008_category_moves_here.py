"""The categories move from the engine to the incidents, keeping their table (tasks_category): state only, no data
copied. Their content type (and so the permissions the role groups hold) moves with them."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def _move(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="category").exists():
        ContentType.objects.filter(app_label=old, model="category").update(app_label=new)


def move_content_type(apps, schema_editor):
    _move(apps, "tasks", "disputes")


def unmove_content_type(apps, schema_editor):
    _move(apps, "disputes", "tasks")



class Migration(migrations.Migration):

    dependencies = [
        ('disputes', '0007_merge_h3_h4'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Category',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=32, unique=True, verbose_name='code')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('is_dispute', models.BooleanField(default=False, verbose_name='dispute')),
                        ('is_criminal', models.BooleanField(default=False, verbose_name='criminal')),
                        ('feedback_hours', models.PositiveSmallIntegerField(blank=True, choices=[(3, '3 hours'), (6, '6 hours'), (9, '9 hours'), (24, '24 hours')], null=True, verbose_name='feedback hours')),
                        ('risk_weight', models.DecimalField(decimal_places=2, default=1, max_digits=4, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(10)], verbose_name='risk weight')),
                        ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('is_severe', models.BooleanField(default=False, help_text='Domestic violence or a threat to life: repeats count sooner.', verbose_name='severe')),
                        ('answer_sheet_code', models.SlugField(blank=True, help_text='Code of the answer sheet officers fill in; the newest version is used. Empty: the general sheet.', max_length=64, verbose_name='answer sheet')),
                        ('accepted_by', models.CharField(choices=[('center', 'the control center'), ('duty_leader', "the station's duty leader")], default='center', max_length=20, verbose_name='feedback accepted by')),
                    ],
                    options={
                        'verbose_name': 'category',
                        'verbose_name_plural': 'categories',
                        'db_table': 'tasks_category',
                        'ordering': ['sort_order', 'code'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('is_dispute', False), ('feedback_hours__in', [3, 6, 9, 24]), _connector='OR'), name='category_dispute_has_feedback_hours', violation_error_message='A dispute category needs feedback hours of 3, 6, 9 or 24.'), models.CheckConstraint(condition=models.Q(('is_dispute', True), ('is_criminal', True), _negated=True), name='category_dispute_is_not_criminal', violation_error_message='A dispute category cannot be criminal.')],
                    },
                ),
                migrations.AlterField(
                    model_name='importalias',
                    name='category',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='disputes.category', verbose_name='category'),
                ),
                migrations.AlterField(
                    model_name='incident',
                    name='category',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='incidents', to='disputes.category', verbose_name='category'),
                ),
            ],
        ),
        migrations.RunPython(move_content_type, unmove_content_type),
    ]
