"""Reads of the organisation that views, the API and other apps need."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import Community, Officer, Station
from .roles import Role


def station_for(user: Any, code: str) -> Station:
    """The station with `code`, or 404 when it is outside the user's scope."""
    return get_object_or_404(Station.objects.visible_to(user).select_related("district"), code=code)


def community_officers() -> QuerySet[Officer]:
    """The police officers who cover communities: never the community committee's workers."""
    return Officer.objects.filter(is_active=True, role=Role.COMMUNITY_OFFICER)


def communities_of(station: Station) -> QuerySet[Community]:
    officers = community_officers().select_related("user").order_by("user__username")
    return (
        Community.objects.filter(station=station)
        .select_related("subdistrict")
        .prefetch_related(Prefetch("officers", queryset=officers))
        .order_by("code")
    )


def officers_of(station: Station, user: Any) -> QuerySet[Officer]:
    return (
        Officer.objects.visible_to(user)
        .filter(station=station, is_active=True)
        .select_related("user")
        .annotate(community_count=Count("communities"))
        .order_by("role", "user__username")
    )


def stations_overview(user: Any) -> QuerySet[Station]:
    return (
        Station.objects.visible_to(user)
        .annotate(community_count=Count("communities", distinct=True), officer_count=Count("officers", distinct=True))
        .order_by("kind", "code")
    )
