"""Incidents (the 110 call records), repeat groups, revisits' follow-ups and the pushes to
subdistricts and communities."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.settings_row import SettingsRow, lines
from stations.models import Community, Officer, Station, Subdistrict
from stations.roles import Role
from stations.scoping import Reach, ScopedQuerySet, scope_of
from tasks.models import Instruction

FEEDBACK_HOURS_CHOICES = [(3, _("3 hours")), (6, _("6 hours")), (9, _("9 hours")), (24, _("24 hours"))]


class Category(models.Model):
    """A kind of incident: one of the 16 dispute categories, another non-criminal kind, or a criminal kind."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_dispute = models.BooleanField(_("dispute"), default=False)
    is_criminal = models.BooleanField(_("criminal"), default=False)
    feedback_hours = models.PositiveSmallIntegerField(
        _("feedback hours"), choices=FEEDBACK_HOURS_CHOICES, null=True, blank=True
    )
    risk_weight = models.DecimalField(
        _("risk weight"),
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_severe = models.BooleanField(
        _("severe"), default=False, help_text=_("Domestic violence or a threat to life: repeats count sooner.")
    )
    answer_sheet_code = models.SlugField(
        _("answer sheet"),
        max_length=64,
        blank=True,
        help_text=_("Code of the answer sheet officers fill in; the newest version is used. Empty: the general sheet."),
    )
    accepted_by = models.CharField(
        _("feedback accepted by"),
        max_length=20,
        choices=[("center", _("the control center")), ("duty_leader", _("the station's duty leader"))],
        default="center",
    )

    class Meta:
        db_table = "tasks_category"  # kept from when the engine held the categories
        ordering = ["sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_dispute=False) | models.Q(feedback_hours__in=[3, 6, 9, 24]),
                name="category_dispute_has_feedback_hours",
                violation_error_message=_("A dispute category needs feedback hours of 3, 6, 9 or 24."),
            ),
            models.CheckConstraint(
                condition=~(models.Q(is_dispute=True) & models.Q(is_criminal=True)),
                name="category_dispute_is_not_criminal",
                violation_error_message=_("A dispute category cannot be criminal."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IncidentQuerySet(ScopedQuerySet["Incident"]):
    """A station sees its incidents; an officer those of his communities."""

    def for_station(self, station_id: int) -> IncidentQuerySet:
        return self.filter(station_id=station_id)

    def for_self(self, officer: Officer) -> IncidentQuerySet:
        return self.filter(community__officers=officer.pk)


class Incident(models.Model):
    number = models.CharField(_("incident number"), max_length=32, unique=True)
    received_at = models.DateTimeField(_("received at"))
    category = models.ForeignKey(Category, models.PROTECT, related_name="incidents", verbose_name=_("category"))
    caller_name = models.CharField(_("caller name"), max_length=50)
    caller_phone = models.CharField(_("caller phone"), max_length=20)
    caller_phone_norm = models.CharField(_("caller phone (normalised)"), max_length=16, blank=True)
    caller_id_number = models.CharField(_("caller resident ID"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=200)
    address_norm = models.CharField(
        _("dwelling (normalised)"),
        max_length=200,
        blank=True,
        help_text=_("The same-place key: the normalised address of a dwelling; empty for public places."),
    )
    community = models.ForeignKey(Community, models.PROTECT, related_name="incidents", verbose_name=_("community"))
    station = models.ForeignKey(Station, models.PROTECT, related_name="incidents", verbose_name=_("station"))
    summary = models.TextField(_("summary"), max_length=2000)
    resolved_at_scene = models.BooleanField(_("resolved at the scene"), default=False)
    is_severe = models.BooleanField(_("domestic violence or threat to life"), default=False)
    repeat_caller_count = models.PositiveIntegerField(_("calls from this caller in the window"), default=1)
    repeat_address_count = models.PositiveIntegerField(_("calls from this address in the window"), default=1)
    repeat_flagged = models.BooleanField(_("repeat risk"), default=False)
    created_at = models.DateTimeField(_("stored at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("stored by")
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [
            models.Index(fields=["received_at"], name="incident_received"),
            models.Index(fields=["station", "received_at"], name="incident_station_received"),
            models.Index(fields=["caller_phone_norm", "received_at"], name="incident_phone_received"),
            models.Index(
                fields=["caller_id_number", "received_at"],
                condition=~models.Q(caller_id_number=""),
                name="incident_idno_received",
            ),
            models.Index(
                fields=["address_norm", "received_at"],
                condition=~models.Q(address_norm=""),
                name="incident_addr_received",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class RepeatRule(SettingsRow):
    """When repeated calls are a risk. One row, edited in the admin."""

    window_days = models.PositiveSmallIntegerField(_("window (days)"), default=90)
    threshold = models.PositiveSmallIntegerField(_("calls that make a risk"), default=3)
    severe_threshold = models.PositiveSmallIntegerField(
        _("calls that make a risk when one is severe"),
        default=2,
        help_text=_("Severe: a severe category (domestic violence) or a threat-to-life word in the summary."),
    )
    severe_words = models.TextField(
        _("threat-to-life words"),
        default="扔下楼\n跳楼\n自杀\n杀了\n砍死\n同归于尽\n喝农药",
        help_text=_("One per line."),
        blank=True,
    )
    live_hours = models.PositiveSmallIntegerField(
        _("live window (hours)"),
        default=48,
        help_text=_("Only incidents received this recently raise revisits; older imports are linked only."),
    )

    class Meta:
        verbose_name = _("repeat rule")
        verbose_name_plural = _("repeat rule")

    def __str__(self) -> str:
        return str(_("Repeat rule"))

    @property
    def words(self) -> list[str]:
        return lines(self.severe_words)


class RepeatGroup(models.Model):
    """The incidents of one caller (by phone) or one place (by address)."""

    class Kind(models.TextChoices):
        CALLER = "caller", _("Same caller")
        PLACE = "place", _("Same place")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=200)
    station = models.ForeignKey(Station, models.PROTECT, related_name="+", verbose_name=_("station"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    incidents = models.ManyToManyField(Incident, through="RepeatLink", related_name="repeat_groups")
    first_at = models.DateTimeField(_("first call"))
    last_at = models.DateTimeField(_("last call"))
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    revisit = models.ForeignKey(
        "tasks.Instruction",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeat_groups",
        verbose_name=_("current revisit"),
    )

    class Meta:
        verbose_name = _("repeat group")
        verbose_name_plural = _("repeat groups")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="repeatgroup_kind_key")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.key}"


class RepeatLink(models.Model):
    group = models.ForeignKey(RepeatGroup, models.CASCADE, related_name="links")
    incident = models.ForeignKey(Incident, models.CASCADE, related_name="repeat_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "incident"], name="repeatlink_once")]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.incident_id}"


class DispatchQuerySet(models.QuerySet["Dispatch"]):
    def open(self) -> DispatchQuerySet:
        return self.filter(instruction__status__in=Instruction.OPEN_STATUSES)


class Dispatch(models.Model):
    """What an instruction of the kinds about incidents is about: the incident (when there is one) and the
    category whose feedback window and reviewer apply. One row per such instruction, written when it is
    issued; the engine does not know this table (it points at the instruction, as Push and
    RepeatGroup.revisit do)."""

    instruction = models.OneToOneField(
        Instruction, models.CASCADE, primary_key=True, related_name="dispatch", verbose_name=_("instruction")
    )
    incident = models.ForeignKey(
        Incident, models.PROTECT, null=True, blank=True, related_name="dispatches", verbose_name=_("incident")
    )
    category = models.ForeignKey(
        Category, models.PROTECT, null=True, blank=True, related_name="dispatches", verbose_name=_("category")
    )

    objects = DispatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")

    def __str__(self) -> str:
        return f"#{self.instruction_id} → {self.incident or self.category or '—'}"


class FollowUp(models.Model):
    """A revisit the officer asked for on a date; the sweep issues it on that date, once."""

    group = models.ForeignKey(RepeatGroup, models.CASCADE, null=True, blank=True, related_name="follow_ups")
    incident = models.ForeignKey(Incident, models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("revisit on"))
    requested_by = models.ForeignKey(
        "tasks.Instruction", models.CASCADE, related_name="follow_ups", verbose_name=_("asked for in")
    )
    issued = models.ForeignKey(
        "tasks.Instruction", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("issued as")
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up revisit")
        verbose_name_plural = _("follow-up revisits")
        indexes = [models.Index(fields=["due_on"], condition=models.Q(issued_at__isnull=True), name="followup_pending")]
        constraints = [models.UniqueConstraint(fields=["requested_by"], name="followup_once_per_instruction")]

    def __str__(self) -> str:
        return f"{self.due_on} {self.group}"


class PushQuerySet(ScopedQuerySet["Push"]):
    def visible_to(self, user: Any) -> PushQuerySet:
        """The center sees every push; a subdistrict worker his subdistrict's; a community worker his community's.

        Area workers have no reach of their own (stations.scoping), so they are read from the profile
        here; everybody else goes through the reach switch, where only the center sees pushes."""
        if scope_of(user).reach is Reach.DISTRICT:
            return self.for_district()
        officer = getattr(user, "officer", None) if user.is_authenticated and hasattr(user, "officer") else None
        if officer is None or not officer.is_active:
            return self.for_nobody()
        if officer.role == Role.SUBDISTRICT_WORKER:
            return self.filter(level=Push.Level.SUBDISTRICT, subdistrict_id=officer.subdistrict_id)
        if officer.role == Role.COMMUNITY_WORKER:
            return self.filter(level=Push.Level.COMMUNITY, community__in=officer.communities.all())
        return super().visible_to(user)


class Push(models.Model):
    """The outcome of a closed revisit, pushed to the subdistrict office or the community committee."""

    class Level(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("Subdistrict office")
        COMMUNITY = "community", _("Community committee")

    level = models.CharField(_("to"), max_length=12, choices=Level.choices)
    subdistrict = models.ForeignKey(Subdistrict, models.PROTECT, related_name="pushes", verbose_name=_("subdistrict"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="pushes", verbose_name=_("community"))
    instruction = models.ForeignKey(Instruction, models.CASCADE, related_name="pushes")
    incident = models.ForeignKey(Incident, models.CASCADE, related_name="pushes")
    outcome = models.CharField(_("outcome"), max_length=200)
    notes = models.TextField(_("what the officer did"), max_length=2000, blank=True)
    visit_on = models.DateField(_("joint visit planned on"), null=True, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("pushed at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )

    objects = PushQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("push")
        verbose_name_plural = _("pushes")
        constraints = [models.UniqueConstraint(fields=["instruction", "level"], name="push_once_per_level")]
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(acknowledged_at__isnull=True), name="push_unacked")
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.community}"


class ImportJobQuerySet(ScopedQuerySet["ImportJob"]):
    """The center sees every import; nobody else sees any (the base's defaults)."""


class ImportJob(models.Model):
    """A CSV or Excel file of incidents, stored, then read in chunks by a Celery job."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to="imports/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows read"), default=0)
    created_count = models.PositiveIntegerField(_("rows stored"), default=0)
    duplicate_count = models.PositiveIntegerField(_("duplicates"), default=0)
    error_count = models.PositiveIntegerField(_("rows refused"), default=0)
    flagged_count = models.PositiveIntegerField(_("repeat risks flagged"), default=0)
    errors = models.JSONField(_("refused rows"), default=list, blank=True)  # [{row, field, message}]
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)  # of the current claim
    updated_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)  # queued or progressed
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    failure = models.TextField(_("failure"), blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("incident import")
        verbose_name_plural = _("incident imports")
        indexes = [
            models.Index(
                fields=["status", "updated_at"],
                condition=models.Q(status__in=["queued", "running"]),
                name="importjob_unfinished",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ImportAlias(models.Model):
    """Another name the 110 system or the district writes for a category or a community (家暴 for
    家庭暴力, 交易街 for 交易街社区); the import and the intake accept it as well as the code and the name."""

    class Kind(models.TextChoices):
        CATEGORY = "category", _("Category")
        COMMUNITY = "community", _("Community")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    alias = models.CharField(_("alias"), max_length=100)
    category = models.ForeignKey(
        Category, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    community = models.ForeignKey(
        Community, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("community")
    )

    class Meta:
        ordering = ["kind", "alias"]
        verbose_name = _("import alias")
        verbose_name_plural = _("import aliases")
        constraints = [
            models.UniqueConstraint(fields=["kind", "alias"], name="importalias_once"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="category", category__isnull=False, community__isnull=True)
                    | models.Q(kind="community", community__isnull=False, category__isnull=True)
                ),
                name="importalias_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alias} → {self.category or self.community}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        self.alias = self.alias.strip()
        wanted = {self.Kind.CATEGORY: "category", self.Kind.COMMUNITY: "community"}.get(self.kind)
        if wanted and getattr(self, f"{wanted}_id") is None:
            raise ValidationError({wanted: _("Choose what this alias stands for.")})
        other = "community" if wanted == "category" else "category"
        if wanted and getattr(self, f"{other}_id") is not None:
            raise ValidationError({other: _("An alias stands for one category or one community, not both.")})
