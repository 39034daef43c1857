"""The auditor's own page: the security audit log, newest first, people by name, filtered by kind,
paginated at a constant number of queries; nobody else may read it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from stations.models import AuditLog
from stations.roles import Role
from tests.factories import make_officer

pytestmark = pytest.mark.django_db


def signed_in(who) -> Client:
    client = Client()
    client.force_login(getattr(who, "user", who))
    return client


def log(n: int, actor, kind: str = AuditLog.Kind.EXPORT) -> None:
    AuditLog.objects.bulk_create(
        AuditLog(kind=kind, actor=actor.user, username=actor.user.username, target=f"rankings {i}") for i in range(n)
    )


def test_the_auditor_reads_the_audit_log_with_people_by_name_and_filters_by_kind(cast):
    auditor = make_officer(Role.AUDITOR, username="auditor", name="审计员")
    log(3, cast.center)
    log(2, cast.command_room, AuditLog.Kind.REVEAL)
    client = signed_in(auditor)
    html = client.get("/center/").content.decode()
    assert 'href="/audit/"' in html  # in the auditor's navigation
    html = client.get("/audit/").content.decode()
    kinds = re.findall(r'data-testid="audit-row" data-kind="(\w+)"', html)
    assert (kinds.count("export"), kinds.count("reveal"), kinds.count("login")) == (3, 2, 1)  # and its own login
    assert "王中心" in html
    assert ">center<" not in html
    html = client.get("/audit/?kind=reveal").content.decode()
    assert set(re.findall(r'data-testid="audit-row" data-kind="(\w+)"', html)) == {"reveal"}
    assert client.get("/audit/?kind=nonsense&page=x").status_code == 200


def test_nobody_but_the_auditor_reads_the_audit_log(cast):
    for who in (cast.center, cast.supervisor, cast.command_room, cast.officer, cast.outsider):
        assert signed_in(who).get("/audit/").status_code == 404, who
    assert Client().get("/audit/").status_code == 302


def test_the_audit_log_page_costs_the_same_queries_however_long(cast, django_assert_num_queries):
    auditor = make_officer(Role.AUDITOR, username="auditor", name="审计员")
    log(3, cast.center)
    client = signed_in(auditor)
    client.get("/audit/")
    with CaptureQueriesContext(connection) as few:
        client.get("/audit/")
    log(120, cast.command_room)
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get("/audit/?page=2").content.decode()
    assert len(re.findall(r'data-testid="audit-row"', html)) == 50
