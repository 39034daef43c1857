"""Every scoped model's queryset derives from the one reach switch (stations.scoping.ScopedQuerySet),
so a new model cannot grow a seventh copy of it."""

from __future__ import annotations

import pytest
from django.apps import apps

from disputes.models import ImportJob, Incident, Push
from stations.models import Community, Officer, PatrolUnit, Station
from stations.scoping import ScopedQuerySet
from tasks.models import Instruction

SCOPED = [Instruction, Incident, Push, ImportJob, Station, Community, PatrolUnit, Officer]


@pytest.mark.parametrize("model", SCOPED, ids=lambda model: model._meta.label)
def test_a_scoped_models_queryset_derives_from_the_base(model):
    assert isinstance(model._default_manager.all(), ScopedQuerySet)


def test_every_queryset_that_says_who_sees_it_derives_from_the_base():
    own_switch = [
        model._meta.label
        for model in apps.get_models()
        for manager in model._meta.managers
        if hasattr(manager.all(), "visible_to") and not isinstance(manager.all(), ScopedQuerySet)
    ]
    assert own_switch == []
