"""When each reminder is due becomes a column written when the state is entered (due - min(lead, half the
window)), so that short windows are reminded half-way, not at once. Open rows get theirs from the settings
in force; rows already reminded stay reminded (their *_reminded_at is kept)."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

BATCH = 1000


def _remind_at(start, due, lead):
    return due - min(lead, (due - start) / 2)


def forwards(apps, schema_editor):
    Instruction = apps.get_model("tasks", "Instruction")
    InstructionEvent = apps.get_model("tasks", "InstructionEvent")
    sign_off_lead = timedelta(minutes=settings.INSTRUCTION_SIGN_OFF_REMINDER_MINUTES)
    feedback_lead = timedelta(minutes=settings.INSTRUCTION_FEEDBACK_REMINDER_MINUTES)
    changed = []
    for row in Instruction.objects.filter(status="issued").only("issued_at", "sign_off_due").iterator(BATCH):
        row.sign_off_remind_at = _remind_at(row.issued_at, row.sign_off_due, sign_off_lead)
        changed.append(row)
    Instruction.objects.bulk_update(changed, ["sign_off_remind_at"], batch_size=BATCH)
    # A feedback clock starts at the sign-off (or the issue, for work issued straight to an officer), or at
    # the last return.
    last_return = (
        InstructionEvent.objects.filter(instruction=OuterRef("pk"), kind="returned").order_by("-at").values("at")[:1]
    )
    changed = []
    rows = (
        Instruction.objects.filter(status__in=["assigned", "returned"], feedback_due__isnull=False)
        .annotate(returned_at=Subquery(last_return))
        .only("status", "issued_at", "signed_at", "feedback_due")
    )
    for row in rows.iterator(BATCH):
        start = (row.returned_at if row.status == "returned" else None) or row.signed_at or row.issued_at
        row.feedback_remind_at = _remind_at(start, row.feedback_due, feedback_lead)
        changed.append(row)
    Instruction.objects.bulk_update(changed, ["feedback_remind_at"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0004_area_role_groups"),
        ("tasks", "0022_notice_kinds_registered"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="instruction",
            name="instr_signoff_unreminded",
        ),
        migrations.RemoveIndex(
            model_name="instruction",
            name="instr_feedback_unreminded",
        ),
        migrations.AddField(
            model_name="instruction",
            name="feedback_remind_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="feedback reminder due"),
        ),
        migrations.AddField(
            model_name="instruction",
            name="sign_off_remind_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sign-off reminder due"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="instruction",
            index=models.Index(
                condition=models.Q(("sign_off_reminded_at__isnull", True), ("status", "issued")),
                fields=["sign_off_remind_at"],
                name="instr_signoff_unreminded",
            ),
        ),
        migrations.AddIndex(
            model_name="instruction",
            index=models.Index(
                condition=models.Q(("feedback_reminded_at__isnull", True), ("status__in", ["assigned", "returned"])),
                fields=["feedback_remind_at"],
                name="instr_feedback_unreminded",
            ),
        ),
    ]
