"""The dispatch engine's data: instructions, their events, notifications, answer sheets and photos.

What an instruction is about belongs to the app whose kind of work it is (e.g. disputes.Dispatch);
the engine knows kinds only through their registration (`kinds.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stations.models import Officer, Station
from stations.scoping import ScopedQuerySet

from . import kinds


class AnswerSheet(models.Model):
    """An answer sheet (答题卡) definition: the items an officer fills in, as data.

    A sheet is versioned: editing one means adding a new version, and an
    instruction keeps the version it was issued with.
    """

    code = models.SlugField(_("code"), max_length=64)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=100)
    fields = models.JSONField(_("fields"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("answer sheet")
        verbose_name_plural = _("answer sheets")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="answersheet_code_version")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def clean(self) -> None:
        from .answer_sheets import validate_definition

        validate_definition(self.fields)


class InstructionQuerySet(ScopedQuerySet["Instruction"]):
    """The center sees all, a station its own, an officer what was assigned to him."""

    def for_station(self, station_id: int) -> InstructionQuerySet:
        return self.filter(station_id=station_id)

    def for_self(self, officer: Officer) -> InstructionQuerySet:
        return self.filter(officer_id=officer.pk)

    def open(self) -> InstructionQuerySet:
        return self.filter(status__in=Instruction.OPEN_STATUSES)


class Instruction(models.Model):
    """Work that one tier sends down to another (指令), with one state machine (see `transitions.py`).

    Due times (and when their reminders are due) are written when a state is entered; lateness when it is
    left. The sweep claims breaches and reminders through the *_at columns.
    """

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        ASSIGNED = "assigned", _("Assigned")
        FEEDBACK_SUBMITTED = "feedback_submitted", _("Feedback submitted")
        RETURNED = "returned", _("Returned")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.ISSUED, Status.ASSIGNED, Status.FEEDBACK_SUBMITTED, Status.RETURNED)
    FEEDBACK_OPEN = (Status.ASSIGNED, Status.RETURNED)

    kind = models.CharField(_("kind"), max_length=20, choices=kinds.choices)  # registered by the apps (kinds.py)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ISSUED)
    station = models.ForeignKey(Station, models.PROTECT, related_name="instructions", verbose_name=_("station"))
    answer_sheet = models.ForeignKey(
        AnswerSheet, models.PROTECT, related_name="instructions", verbose_name=_("answer sheet")
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    officer = models.ForeignKey(
        Officer, models.PROTECT, null=True, blank=True, related_name="instructions", verbose_name=_("officer")
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"))
    sign_off_due = models.DateTimeField(_("sign-off due"))
    sign_off_remind_at = models.DateTimeField(_("sign-off reminder due"), null=True, blank=True)
    sign_off_reminded_at = models.DateTimeField(_("sign-off reminder sent"), null=True, blank=True)
    sign_off_breached_at = models.DateTimeField(_("sign-off overdue since"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("signed by")
    )
    sign_off_late = models.BooleanField(_("sign-off late"), null=True, blank=True)
    sign_off_late_minutes = models.PositiveIntegerField(_("sign-off minutes late"), null=True, blank=True)
    due_by = models.DateTimeField(
        _("feedback due by (issuer's deadline)"),
        null=True,
        blank=True,
        help_text=_("Set by the issuer (e.g. a rectification's deadline); otherwise the category's window applies."),
    )
    feedback_due = models.DateTimeField(_("feedback due"), null=True, blank=True)
    feedback_remind_at = models.DateTimeField(_("feedback reminder due"), null=True, blank=True)
    feedback_reminded_at = models.DateTimeField(_("feedback reminder sent"), null=True, blank=True)
    feedback_breached_at = models.DateTimeField(_("feedback overdue since"), null=True, blank=True)
    feedback_at = models.DateTimeField(_("feedback at"), null=True, blank=True)
    feedback_late = models.BooleanField(_("feedback late"), null=True, blank=True)
    feedback_late_minutes = models.PositiveIntegerField(_("feedback minutes late"), null=True, blank=True)
    answers = models.JSONField(_("answers"), null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    case = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="case_instructions",
        verbose_name=_("case"),
        help_text=_("Sibling instructions of one case (e.g. two families, two officers) point at the first one."),
    )

    objects = InstructionQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        indexes = [
            # The sweep reads only these: open deadlines not yet breached / not yet reminded.
            models.Index(
                fields=["sign_off_due"],
                condition=models.Q(status="issued", sign_off_breached_at__isnull=True),
                name="instr_signoff_unbreached",
            ),
            models.Index(
                fields=["sign_off_remind_at"],
                condition=models.Q(status="issued", sign_off_reminded_at__isnull=True),
                name="instr_signoff_unreminded",
            ),
            models.Index(
                fields=["feedback_due"],
                condition=models.Q(status__in=["assigned", "returned"], feedback_breached_at__isnull=True),
                name="instr_feedback_unbreached",
            ),
            models.Index(
                fields=["feedback_remind_at"],
                condition=models.Q(status__in=["assigned", "returned"], feedback_reminded_at__isnull=True),
                name="instr_feedback_unreminded",
            ),
            models.Index(fields=["station", "status"], name="instr_station_status"),
            models.Index(fields=["officer", "status"], name="instr_officer_status"),
            models.Index(fields=["issued_at"], name="instr_issued"),
            models.Index(fields=["feedback_due"], condition=models.Q(kind="standard_task"), name="instr_standard_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="issued") | models.Q(status="cancelled") | models.Q(officer__isnull=False),
                name="instr_assigned_has_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def current_due(self) -> datetime | None:
        """The deadline the instruction is running against now, if any."""
        if self.status == self.Status.ISSUED:
            return self.sign_off_due
        if self.status in self.FEEDBACK_OPEN:
            return self.feedback_due
        return None


class InstructionEvent(models.Model):
    """The instruction's history, written by services and the sweep only; never changed."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Issued")
        SIGNED_OFF = "signed_off", _("Signed off and assigned")
        FEEDBACK = "feedback", _("Feedback submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")
        SIGN_OFF_REMINDER = "sign_off_reminder", _("Sign-off reminder")
        SIGN_OFF_OVERDUE = "sign_off_overdue", _("Sign-off overdue")
        FEEDBACK_REMINDER = "feedback_reminder", _("Feedback reminder")
        FEEDBACK_OVERDUE = "feedback_overdue", _("Feedback overdue")
        NOTE = "note", _("Note")
        MILESTONE_REMINDER = "milestone_reminder", _("Milestone reminder")
        MILESTONE_OVERDUE = "milestone_overdue", _("Milestone overdue")
        MILESTONE_DONE = "milestone_done", _("Milestone done")

    CLOCK_KINDS = (Kind.SIGN_OFF_REMINDER, Kind.SIGN_OFF_OVERDUE, Kind.FEEDBACK_REMINDER, Kind.FEEDBACK_OVERDUE)

    instruction = models.ForeignKey(Instruction, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("instruction event")
        verbose_name_plural = _("instruction events")
        indexes = [models.Index(fields=["instruction", "at"], name="instr_event_instr_at")]
        constraints = [
            # A reminder or a breach of one deadline is recorded once, however many sweeps run.
            models.UniqueConstraint(
                fields=["instruction", "kind", "due_at"],
                condition=models.Q(
                    kind__in=["sign_off_reminder", "sign_off_overdue", "feedback_reminder", "feedback_overdue"]
                ),
                name="instr_event_clock_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class InstructionMilestone(models.Model):
    """An extra deadline of one instruction that its kind declares (`kinds.Milestone`), e.g. the plan due
    five minutes after the sign-off. Written by the engine when it starts, claimed by the sweep like the
    instruction's own clocks (reminded once, breached once at `due_at`), done once by the assigned officer."""

    instruction = models.ForeignKey(
        Instruction, models.CASCADE, related_name="milestones", verbose_name=_("instruction")
    )
    name = models.SlugField(_("name"), max_length=32)
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    remind_at = models.DateTimeField(_("reminder due"))
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    breached_at = models.DateTimeField(_("overdue since"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    late_minutes = models.PositiveIntegerField(_("minutes late"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("instruction milestone")
        verbose_name_plural = _("instruction milestones")
        constraints = [models.UniqueConstraint(fields=["instruction", "name"], name="milestone_once")]
        indexes = [
            # The sweep reads only these: milestones not done, not yet breached / not yet reminded.
            models.Index(
                fields=["due_at"],
                condition=models.Q(done_at__isnull=True, breached_at__isnull=True),
                name="milestone_unbreached",
            ),
            models.Index(
                fields=["remind_at"],
                condition=models.Q(done_at__isnull=True, reminded_at__isnull=True),
                name="milestone_unreminded",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.instruction_id} {self.name}"

    @property
    def label(self) -> Any:
        """The label its kind registers (the name, if the kind no longer declares it)."""
        milestone = kinds.get(self.instruction.kind).milestone(self.name)
        return milestone.label if milestone is not None else self.name

    def is_overdue(self, now: datetime) -> bool:
        return self.done_at is None and self.instruction.is_open and self.due_at < now


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notification for one person."""

    class Kind(models.TextChoices):
        NEW_INSTRUCTION = "new_instruction", _("New instruction")
        ASSIGNED = "assigned", _("Assigned to you")
        FEEDBACK = "feedback", _("Feedback to review")
        RETURNED = "returned", _("Feedback returned")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")
        SIGN_OFF_REMINDER = "sign_off_reminder", _("Sign-off due soon")
        FEEDBACK_REMINDER = "feedback_reminder", _("Feedback due soon")
        SIGN_OFF_OVERDUE = "sign_off_overdue", _("Sign-off overdue")
        FEEDBACK_OVERDUE = "feedback_overdue", _("Feedback overdue")
        NOTE = "note", _("New information")
        REPORT = "report", _("Outcome report")
        DIGEST = "digest", _("Digest")
        SWEEP_LATE = "sweep_late", _("Deadline sweep stopped")
        SWEEP_RECOVERED = "sweep_recovered", _("Deadline sweep running again")
        MILESTONE_REMINDER = "milestone_reminder", _("Milestone due soon")
        MILESTONE_OVERDUE = "milestone_overdue", _("Milestone overdue")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=32, choices=kinds.notice_choices)  # the engine's and registered
    instruction = models.ForeignKey(
        Instruction, models.CASCADE, null=True, blank=True, related_name="notifications", verbose_name=_("instruction")
    )
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"], condition=models.Q(read_at__isnull=True), name="notif_unread"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Heartbeat(models.Model):
    """The last time a scheduled job ran: proof that the worker and beat are alive."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    at = models.DateTimeField(_("at"))
    # The "sweep" row: when its lateness was announced (cleared by the sweep's next success); see sweepwatch.
    alarm_at = models.DateTimeField(_("alarm raised at"), null=True, blank=True)

    class Meta:
        db_table = "control_center_heartbeat"
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"


class FeedbackPhoto(models.Model):
    """A photo an officer attaches to feedback. The id is chosen by the phone (a UUID), so that an upload
    repeated after a lost answer stores nothing twice; the answer sheet's photo item keeps these ids.
    The file is re-encoded on upload (see `photos.py`): JPEG only, no metadata, no location."""

    id = models.UUIDField(primary_key=True)
    instruction = models.ForeignKey(Instruction, models.CASCADE, related_name="photos", verbose_name=_("instruction"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    file = models.FileField(_("file"), upload_to="photos/%Y/%m/")
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("bytes"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("feedback photo")
        verbose_name_plural = _("feedback photos")

    def __str__(self) -> str:
        return str(self.pk)
