"""Standard tasks (标准件): the catalogue's tasks and their versions, issues, occurrences and requests.

The tables keep the names they had when these models lived in `tasks` (`tasks_standardtask*`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stations.models import Community, Department, Officer, Station
from tasks.models import AnswerSheet, Instruction


class StandardTask(models.Model):
    """A standard work item of the catalogue. Its content lives in versions: editing adds a version, so
    answers given under an older version keep it."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    current = models.ForeignKey(
        "StandardTaskVersion",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "tasks_standardtask"
        ordering = ["code"]
        verbose_name = _("standard task")
        verbose_name_plural = _("standard tasks")

    def __str__(self) -> str:
        return f"{self.code} {self.current.name}" if self.current_id else self.code  # type: ignore[union-attr]


class StandardTaskVersion(models.Model):
    """What a standard task asks, as of one version: never changed once officers answered it."""

    class Limit(models.TextChoices):
        HOURS = "hours", _("within hours")
        DAYS = "days", _("within days")
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")

    RECURRING = (Limit.WEEKLY, Limit.MONTHLY, Limit.QUARTERLY)

    task = models.ForeignKey(StandardTask, models.CASCADE, related_name="versions", verbose_name=_("standard task"))
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=100)
    lead_department = models.ForeignKey(
        Department, models.PROTECT, related_name="standard_tasks_led", verbose_name=_("lead department")
    )
    basis = models.TextField(_("basis"), max_length=2000)
    measures = models.TextField(_("measures"), max_length=2000)
    work_standard = models.TextField(_("work standard"), max_length=2000)
    limit_unit = models.CharField(_("time limit"), max_length=10, choices=Limit.choices)
    limit_value = models.PositiveSmallIntegerField(
        _("within"), default=1, help_text=_("Hours or days; 1 for a recurrence.")
    )
    answer_sheet = models.ForeignKey(
        AnswerSheet, models.PROTECT, related_name="standard_task_versions", verbose_name=_("answer sheet")
    )
    consumers = models.ManyToManyField(
        Department,
        blank=True,
        related_name="standard_tasks_consumed",
        verbose_name=_("departments using the answers"),
        db_table="tasks_standardtaskversion_consumers",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "tasks_standardtaskversion"
        ordering = ["task", "-version"]
        verbose_name = _("standard task version")
        verbose_name_plural = _("standard task versions")
        constraints = [
            models.UniqueConstraint(fields=["task", "version"], name="stdtask_version_unique"),
            models.CheckConstraint(condition=models.Q(limit_value__gte=1), name="stdtask_limit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_recurring(self) -> bool:
        return self.limit_unit in self.RECURRING


class StandardTaskIssue(models.Model):
    """A department or the center asking officers for a standard task, once or on a recurrence.

    A recurring issue's next occurrence is due at `next_run_at`; the beat job claims it with a
    conditional UPDATE on that column, so each period is run exactly once."""

    class Scope(models.TextChoices):
        OFFICER = "officer", _("One officer")
        STATION = "station", _("A station's officers")
        COMMUNITY = "community", _("A community's officers")
        ALL = "all", _("All community officers")

    class Recurrence(models.TextChoices):
        ONCE = "once", _("Once")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    task = models.ForeignKey(StandardTask, models.PROTECT, related_name="issues", verbose_name=_("standard task"))
    department = models.ForeignKey(
        Department,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="standard_task_issues",
        verbose_name=_("issuing department"),
        help_text=_("Empty: the control center."),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("issued by")
    )
    scope = models.CharField(_("to"), max_length=10, choices=Scope.choices)
    officer = models.ForeignKey(
        Officer, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("officer")
    )
    station = models.ForeignKey(
        Station, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("station")
    )
    community = models.ForeignKey(
        Community, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("community")
    )
    subject = models.CharField(
        _("place or person"),
        max_length=200,
        blank=True,
        help_text=_("Empty: each community the officer looks after."),
    )
    recurrence = models.CharField(_("recurrence"), max_length=10, choices=Recurrence.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("issued at"))
    is_active = models.BooleanField(_("active"), default=True)
    next_run_at = models.DateTimeField(_("next occurrence at"), null=True, blank=True)

    class Meta:
        db_table = "tasks_standardtaskissue"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("standard task issue")
        verbose_name_plural = _("standard task issues")
        indexes = [
            models.Index(
                fields=["next_run_at"],
                condition=models.Q(is_active=True, next_run_at__isnull=False),
                name="stdissue_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(scope="officer", officer__isnull=False)
                    | models.Q(scope="station", station__isnull=False)
                    | models.Q(scope="community", community__isnull=False)
                    | models.Q(scope="all")
                ),
                name="stdissue_scope_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} {self.get_scope_display()} {self.get_recurrence_display()}"


class StandardTaskOccurrence(models.Model):
    """One item in an officer's inbox: a standard task for one target over one period, answered once.

    Every issue it answers is linked through a request; two departments asking the same officer for
    the same task and target in overlapping periods share one occurrence."""

    instruction = models.OneToOneField(
        Instruction, models.CASCADE, related_name="standard_occurrence", verbose_name=_("instruction")
    )
    task = models.ForeignKey(StandardTask, models.PROTECT, related_name="occurrences", verbose_name=_("standard task"))
    version = models.ForeignKey(
        StandardTaskVersion, models.PROTECT, related_name="occurrences", verbose_name=_("version")
    )
    officer = models.ForeignKey(Officer, models.PROTECT, related_name="+", verbose_name=_("officer"))
    community = models.ForeignKey(
        Community, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("community")
    )
    target_key = models.SlugField(_("target key"), max_length=64)
    target_label = models.CharField(_("target"), max_length=200)
    period_start = models.DateTimeField(_("period from"))
    period_end = models.DateTimeField(_("period until"))
    requested_by = models.ManyToManyField(
        StandardTaskIssue, through="StandardTaskRequest", related_name="occurrences", verbose_name=_("requested by")
    )

    class Meta:
        db_table = "tasks_standardtaskoccurrence"
        ordering = ["-period_start", "pk"]
        verbose_name = _("standard task occurrence")
        verbose_name_plural = _("standard task occurrences")
        indexes = [models.Index(fields=["officer", "task", "target_key"], name="stdocc_match")]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gt=models.F("period_start")), name="stdocc_period")
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.target_label}"


class StandardTaskRequest(models.Model):
    """An issue asking for an occurrence; `merged` when the occurrence already existed for another ask."""

    issue = models.ForeignKey(StandardTaskIssue, models.CASCADE, related_name="requests", verbose_name=_("issue"))
    occurrence = models.ForeignKey(
        StandardTaskOccurrence, models.CASCADE, related_name="requests", verbose_name=_("occurrence")
    )
    requested_at = models.DateTimeField(_("requested at"))
    merged = models.BooleanField(_("merged"), default=False)

    class Meta:
        db_table = "tasks_standardtaskrequest"
        ordering = ["requested_at", "pk"]
        verbose_name = _("standard task request")
        verbose_name_plural = _("standard task requests")
        constraints = [models.UniqueConstraint(fields=["issue", "occurrence"], name="stdrequest_once")]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.occurrence_id}"
