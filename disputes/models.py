"""Incidents: the 110 call records."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stations.models import Community, Station
from stations.scoping import Reach, scope_of
from tasks.models import Category


class IncidentQuerySet(models.QuerySet["Incident"]):
    def visible_to(self, user: Any) -> IncidentQuerySet:
        scope = scope_of(user)
        if scope.reach is Reach.DISTRICT:
            return self
        if scope.reach is Reach.STATION:
            return self.filter(station_id=scope.station_id)
        if scope.reach is Reach.SELF:
            return self.filter(community__officers=scope.officer_id)
        return self.none()


class Incident(models.Model):
    number = models.CharField(_("incident number"), max_length=32, unique=True)
    received_at = models.DateTimeField(_("received at"))
    category = models.ForeignKey(Category, models.PROTECT, related_name="incidents", verbose_name=_("category"))
    caller_name = models.CharField(_("caller name"), max_length=50)
    caller_phone = models.CharField(_("caller phone"), max_length=20)
    caller_id_number = models.CharField(_("caller resident ID"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=200)
    community = models.ForeignKey(Community, models.PROTECT, related_name="incidents", verbose_name=_("community"))
    station = models.ForeignKey(Station, models.PROTECT, related_name="incidents", verbose_name=_("station"))
    summary = models.TextField(_("summary"), max_length=2000)
    resolved_at_scene = models.BooleanField(_("resolved at the scene"), default=False)
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
        ]

    def __str__(self) -> str:
        return self.number
