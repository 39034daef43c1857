"""Patrol posts at work: a unit's status (one row per unit, set only by `services.unit_set_status`) and its
events, its shifts, and each post's patrol area (communities, road sections, places).

A unit itself is the organisation's `stations.PatrolUnit` (call sign = `name`, vehicle = `plate_number`);
its members are the officers whose `patrol_unit` it is."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stations.models import Community, PatrolUnit, Station
from stations.scoping import ScopedQuerySet


class UnitStatus(models.TextChoices):
    ON_DUTY = "on_duty", _("On duty")
    EN_ROUTE = "en_route", _("En route")
    ON_SCENE = "on_scene", _("On scene")
    BUSY = "busy", _("Busy")
    OFF_DUTY = "off_duty", _("Off duty")


class UnitStateQuerySet(ScopedQuerySet["UnitState"]):
    """A post's people see its units' statuses; the center all of them."""

    officer_sees_station = True

    def for_station(self, station_id: int) -> UnitStateQuerySet:
        return self.filter(unit__station_id=station_id)


class UnitState(models.Model):
    """Where a unit stands now. Nobody but `services.unit_set_status` writes `status`."""

    unit = models.OneToOneField(
        PatrolUnit, models.CASCADE, primary_key=True, related_name="state", verbose_name=_("patrol unit")
    )
    status = models.CharField(_("status"), max_length=16, choices=UnitStatus.choices, default=UnitStatus.OFF_DUTY)
    since = models.DateTimeField(_("since"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )

    objects = UnitStateQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit status")
        verbose_name_plural = _("unit statuses")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.status}"


class UnitStatusEvent(models.Model):
    """One change of a unit's status: who, when, from, to, why."""

    unit = models.ForeignKey(PatrolUnit, models.CASCADE, related_name="status_events", verbose_name=_("patrol unit"))
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    from_status = models.CharField(_("from status"), max_length=16, choices=UnitStatus.choices)
    to_status = models.CharField(_("to status"), max_length=16, choices=UnitStatus.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("unit status event")
        verbose_name_plural = _("unit status events")
        indexes = [models.Index(fields=["unit", "at"], name="patrol_event_unit_at")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.from_status} → {self.to_status}"


class Shift(models.Model):
    """A unit on duty from `starts_at` to `ends_at`."""

    unit = models.ForeignKey(PatrolUnit, models.CASCADE, related_name="shifts", verbose_name=_("patrol unit"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="patrol_shift_ends_after_start",
                violation_error_message=_("A shift ends after it starts."),
            ),
            models.UniqueConstraint(fields=["unit", "starts_at"], name="patrol_shift_unit_start"),
        ]
        indexes = [models.Index(fields=["unit", "ends_at"], name="patrol_shift_unit_end")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.starts_at:%Y-%m-%d %H:%M}"


class PatrolAreaQuerySet(ScopedQuerySet["PatrolArea"]):
    officer_sees_station = True

    def for_station(self, station_id: int) -> PatrolAreaQuerySet:
        return self.filter(post_id=station_id)


class PatrolArea(models.Model):
    """A post's patrol area: its communities, the neighbouring stations whose incidents concern it, and its
    road sections and places (`AreaPlace`)."""

    post = models.OneToOneField(
        Station,
        models.CASCADE,
        related_name="patrol_area",
        limit_choices_to={"kind": Station.Kind.PATROL_POST},
        verbose_name=_("patrol post"),
    )
    communities = models.ManyToManyField(
        Community, blank=True, related_name="patrol_areas", verbose_name=_("communities")
    )
    neighbours = models.ManyToManyField(Station, blank=True, related_name="+", verbose_name=_("neighbouring stations"))

    objects = PatrolAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol area")
        verbose_name_plural = _("patrol areas")

    def __str__(self) -> str:
        return str(self.post)


class AreaPlace(models.Model):
    """A road section or a place a post patrols."""

    class Kind(models.TextChoices):
        ROAD_SECTION = "road_section", _("Road section")
        PLACE = "place", _("Place")

    area = models.ForeignKey(PatrolArea, models.CASCADE, related_name="places", verbose_name=_("patrol area"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["area", "kind", "sort_order", "pk"]
        verbose_name = _("road section or place")
        verbose_name_plural = _("road sections and places")
        constraints = [models.UniqueConstraint(fields=["area", "kind", "name"], name="patrol_place_unique")]

    def __str__(self) -> str:
        return self.name
