"""factory_boy factories for the whole project."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from disputes.models import Category, Incident
from stations.models import Community, Department, District, Officer, Station, Subdistrict
from stations.roles import Role
from stations.services import officer_create

PASSWORD = "Correct-Horse-42"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    code = "jianghan"
    name = "江汉区分局"


class SubdistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subdistrict

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"sub{n}")
    name = factory.Sequence(lambda n: f"第{n}街道")


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"st{n}")
    name = factory.Sequence(lambda n: f"第{n}派出所")
    kind = Station.Kind.POLICE_STATION


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    code = factory.Sequence(lambda n: f"com{n}")
    name = factory.Sequence(lambda n: f"第{n}社区")
    subdistrict = factory.SubFactory(SubdistrictFactory)
    station = factory.SubFactory(StationFactory)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = "population"
    name = "人口管理大队"


_usernames = iter(range(1, 10**9))


def make_officer(
    role: str = Role.COMMUNITY_OFFICER,
    *,
    station: Station | None = None,
    communities: list[Community] | tuple[Community, ...] = (),
    username: str | None = None,
    name: str = "张警官",
    **extra: Any,
) -> Officer:
    return officer_create(
        username=username or f"user{next(_usernames)}",
        name=name,
        role=role,
        password=PASSWORD,
        station=station,
        communities=communities,
        **extra,
    )


# Codes of the categories this test has made (emptied before each test by tests/conftest.py).
CATEGORIES_MADE: set[str] = set()


class CategoryFactory(factory.django.DjangoModelFactory):
    """A category by code. The migrations ship the district's categories, so a test's first call for a code
    makes the row exactly as a fresh one would be (the model's defaults, then the factory's, then the call's),
    and later calls in the same test return it as it is (as get_or_create by code did on an empty table)."""

    class Meta:
        model = Category

    @classmethod
    def _create(cls, model_class: type[Category], *args: Any, **kwargs: Any) -> Category:
        code = kwargs["code"]
        if code in CATEGORIES_MADE and (row := model_class.objects.filter(code=code).first()) is not None:
            return row
        fresh = {f.attname: f.get_default() for f in model_class._meta.concrete_fields if not f.primary_key}
        row, _ = model_class.objects.update_or_create(code=code, defaults=fresh | kwargs)
        CATEGORIES_MADE.add(code)
        return row

    code = "family"
    name = "家庭纠纷"
    is_dispute = True
    feedback_hours = 3


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    number = factory.Sequence(lambda n: f"J42010320261129{n:05d}")
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=5))
    category = factory.SubFactory(CategoryFactory)
    caller_name = "陈女士"
    caller_phone = "13800138000"
    address = "江汉区前进一路88号3栋2单元501室"
    community = factory.SubFactory(CommunityFactory)
    station = factory.SelfAttribute("community.station")
    summary = "报警人称与丈夫发生口角"
    resolved_at_scene = True


GOOD_ANSWERS = {"met_in_person": True, "actions": ["mediated"], "outcome": "settled", "risk_level": "low"}


def issue(incident: Incident | None = None, *, by: Officer | None = None, kind: str = "dispute", **kwargs: Any):
    """Issue an instruction through the engine, as the center would (about an incident: through disputes)."""
    from disputes.services import issue_about

    return issue_about(kind=kind, actor=by.user if by else None, incident=incident, **kwargs)


def run_data_migration(app: str, name: str) -> None:
    """Run a data migration's `forwards` again, with the models as they were at that migration (a transactional
    test empties every table, migration data included)."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    state = MigrationLoader(connection).project_state((app, name)).apps
    importlib.import_module(f"{app}.migrations.{name}").forwards(state, None)
