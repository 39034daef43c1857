from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.settings_row import SettingsRow, lines
from core.time import Week


class SelectionPolicy(SettingsRow):
    """How the daily selection scores and bounds its proposal. One row, edited in the admin."""

    min_items = models.PositiveSmallIntegerField(_("propose at least"), default=10)
    max_items = models.PositiveSmallIntegerField(_("propose at most"), default=15)
    threshold = models.DecimalField(
        _("score that always qualifies"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("4"),
        help_text=_("Items at or above it are proposed up to the maximum; below it only to reach the minimum."),
    )
    risk_words = models.TextField(
        _("risk words"),
        default="扔下楼\n跳楼\n自杀\n刀\n打人\n砍\n杀\n威胁\n喝药\n同归于尽",
        help_text=_("One per line."),
    )
    vulnerable_words = models.TextField(
        _("vulnerable parties"), default="孩子\n儿童\n小孩\n老人\n老年\n孕妇\n残疾\n学生", help_text=_("One per line.")
    )
    repeat_weight = models.DecimalField(
        _("weight per earlier call"), max_digits=5, decimal_places=2, default=Decimal("2")
    )
    risk_word_weight = models.DecimalField(
        _("weight per risk word"), max_digits=5, decimal_places=2, default=Decimal("3")
    )
    unsettled_weight = models.DecimalField(
        _("weight if not settled at the scene"), max_digits=5, decimal_places=2, default=Decimal("2")
    )
    vulnerable_weight = models.DecimalField(
        _("weight for vulnerable parties"), max_digits=5, decimal_places=2, default=Decimal("1.5")
    )
    category_weight = models.DecimalField(
        _("factor on the category's risk weight"), max_digits=5, decimal_places=2, default=Decimal("1")
    )

    class Meta:
        verbose_name = _("selection policy")
        verbose_name_plural = _("selection policy")

    def __str__(self) -> str:
        return str(_("Selection policy"))

    @property
    def risk_word_list(self) -> list[str]:
        return lines(self.risk_words)

    @property
    def vulnerable_word_list(self) -> list[str]:
        return lines(self.vulnerable_words)


class Selection(models.Model):
    """The day's proposal of key dispute incidents (纠纷类重点警情), one per day of incidents."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        DISPATCHED = "dispatched", _("Dispatched")

    date = models.DateField(_("incidents of"), unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(_("selected at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("selected by"),
    )
    dispatch_due = models.DateTimeField(_("dispatched automatically at"))
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dispatched by"),
    )
    auto_dispatched = models.BooleanField(_("dispatched automatically"), default=False)
    candidates = models.PositiveIntegerField(_("qualifying incidents"), default=0)
    policy = models.JSONField(_("policy used"), default=dict)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("daily selection")
        verbose_name_plural = _("daily selections")
        indexes = [
            models.Index(fields=["dispatch_due"], condition=models.Q(status="proposed"), name="selection_undispatched")
        ]

    def __str__(self) -> str:
        return f"{self.date}"


class SelectionItem(models.Model):
    selection = models.ForeignKey(Selection, models.CASCADE, related_name="items")
    incident = models.ForeignKey("disputes.Incident", models.PROTECT, related_name="selection_items")
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    reasons = models.JSONField(_("reasons"), default=list)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)
    included = models.BooleanField(_("included"), default=True)
    added_by_hand = models.BooleanField(_("added by hand"), default=False)
    instruction = models.ForeignKey(
        "tasks.Instruction", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("instruction")
    )

    class Meta:
        ordering = ["rank", "pk"]
        verbose_name = _("selected incident")
        verbose_name_plural = _("selected incidents")
        constraints = [models.UniqueConstraint(fields=["selection", "incident"], name="selection_item_once")]

    def __str__(self) -> str:
        return f"{self.selection_id}:{self.incident_id}"


class SelectionEvent(models.Model):
    """Who changed what in a selection, and why."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ADDED = "added", _("Added")
        REMOVED = "removed", _("Removed")
        DISPATCHED = "dispatched", _("Dispatched")

    selection = models.ForeignKey(Selection, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    incident = models.ForeignKey("disputes.Incident", models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("selection change")
        verbose_name_plural = _("selection changes")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class RankingWeights(SettingsRow):
    """The weights of the weekly composite score. One row, edited in the admin, printed on the rankings page.

    Each weight multiplies one component (a figure turned into 0–100, higher is better); the score is
    the weighted mean over the components a unit has data for."""

    sign_off_on_time = models.PositiveSmallIntegerField(_("signed off on time"), default=20)
    sign_off_speed = models.PositiveSmallIntegerField(_("sign-off speed"), default=10)
    feedback_on_time = models.PositiveSmallIntegerField(_("feedback on time"), default=20)
    overdue = models.PositiveSmallIntegerField(_("nothing overdue"), default=15)
    returned = models.PositiveSmallIntegerField(_("feedback not returned"), default=10)
    revisits = models.PositiveSmallIntegerField(_("revisits done"), default=10)
    standard_tasks = models.PositiveSmallIntegerField(_("standard tasks on time"), default=15)
    alerts_acknowledged = models.PositiveSmallIntegerField(_("alerts acknowledged (patrol posts)"), default=20)
    acknowledge_speed = models.PositiveSmallIntegerField(_("acknowledgement speed (patrol posts)"), default=10)

    COMPONENTS = (
        "sign_off_on_time",
        "sign_off_speed",
        "feedback_on_time",
        "overdue",
        "returned",
        "revisits",
        "standard_tasks",
        "alerts_acknowledged",
        "acknowledge_speed",
    )

    class Meta:
        verbose_name = _("ranking weights")
        verbose_name_plural = _("ranking weights")

    def __str__(self) -> str:
        return str(_("Ranking weights"))

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COMPONENTS}


class RankingSnapshot(models.Model):
    """One stored computation of a week's ranking. Never changed: recomputing adds a revision."""

    week_start = models.DateField(_("week (Monday)"))
    revision = models.PositiveSmallIntegerField(_("revision"))
    generated_at = models.DateTimeField(_("generated at"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("generated by"),
        help_text=_("Empty: the weekly job."),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    weights = models.JSONField(_("weights used"), default=dict)
    rows = models.JSONField(_("rows"), default=list)

    class Meta:
        ordering = ["-week_start", "-revision"]
        verbose_name = _("ranking snapshot")
        verbose_name_plural = _("ranking snapshots")
        constraints = [models.UniqueConstraint(fields=["week_start", "revision"], name="ranking_week_revision")]

    def __str__(self) -> str:
        return f"{Week(self.week_start)} r{self.revision}"


class SpotCheck(models.Model):
    """A supervisor's judgement of one instruction's feedback (监督检查岗 spot check)."""

    instruction = models.ForeignKey(
        "tasks.Instruction", models.PROTECT, related_name="spot_checks", verbose_name=_("instruction")
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    adequate = models.BooleanField(_("feedback adequate"))
    findings = models.TextField(_("findings"), max_length=2000, blank=True)
    at = models.DateTimeField(_("checked at"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        indexes = [models.Index(fields=["-at"], name="spotcheck_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(adequate=True) | ~models.Q(findings=""),
                name="spotcheck_inadequate_has_findings",
                violation_error_message=_("Say what is wrong with the feedback."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.instruction_id} {'ok' if self.adequate else 'inadequate'}"


class Rectification(models.Model):
    """A rectification ordered by the supervision post: a `rectification` instruction of the dispatch
    engine (which tracks sign-off and feedback) and the deadline the supervisor set for the station."""

    instruction = models.OneToOneField(
        "tasks.Instruction", models.PROTECT, related_name="rectification", verbose_name=_("instruction")
    )
    due_at = models.DateTimeField(_("rectify by"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("ordered by")
    )
    spot_check = models.ForeignKey(
        SpotCheck,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("after spot check"),
    )

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

    def __str__(self) -> str:
        return f"{self.instruction_id} by {self.due_at:%Y-%m-%d %H:%M}"
