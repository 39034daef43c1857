"""Writes to the organisation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Community, Department, Officer, PatrolUnit, Station
from .roles import Role


def officer_sync_groups(officer: Officer) -> None:
    """The user's role groups are exactly the officer's role."""
    officer.user.groups.remove(*Group.objects.filter(name__in=Role.values).exclude(name=officer.role))
    officer.user.groups.add(Group.objects.get_or_create(name=officer.role)[0])


@transaction.atomic
def officer_create(
    *,
    username: str,
    name: str,
    role: str,
    password: str | None,
    station: Station | None = None,
    department: Department | None = None,
    communities: Iterable[Community] = (),
    patrol_unit: PatrolUnit | None = None,
    is_auxiliary: bool = False,
    **extra: Any,
) -> Officer:
    user_model = get_user_model()
    user = user_model(username=username, first_name=name[:150])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    officer = Officer(
        user=user,
        name=name,
        role=role,
        station=station,
        department=department,
        patrol_unit=patrol_unit,
        is_auxiliary=is_auxiliary,
        **extra,
    )
    officer.full_clean(exclude=["user"])
    officer.save()
    officer.communities.set(communities)
    officer_sync_groups(officer)
    return officer
