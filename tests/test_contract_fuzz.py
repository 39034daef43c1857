"""The API contract, fuzzed: schemathesis generates requests from /api/schema/ for every operation,
sends them with a token of each role to the WSGI app (in-process, on the test database with a small
world of data), and checks that no answer is a server error or breaks the schema.

Bounded: FUZZ_EXAMPLES examples per operation (default 6), each sent with every role's token, so that
the whole run takes a minute or two on two cores. `FUZZ_EXAMPLES=50 bin/test -m fuzz` digs deeper.
"""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from control_center import services as center_services
from standard import catalogue
from stations.models import Department
from stations.roles import Role
from tasks import services
from tests.factories import GOOD_ANSWERS, IncidentFactory, issue, make_officer

# No server error, and every answer as the schema says: a documented status, media type, headers and body.
# (The stricter negative-data checks of schemathesis are left out: DRF and django-filter ignore some
# malformed optional filters, which the contract allows.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))


@pytest.fixture
def keep_connection() -> Any:
    """The WSGI handler closes the database connection after each request; the test's transaction
    must outlive it (as Django's test client arranges)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(keep_connection: Any, cast, settings: Any) -> dict[str, str]:
    """A small world (incidents, instructions in each state, a selection, the catalogue) and a token
    of each role."""
    settings.ALLOWED_HOSTS = ["*"]
    catalogue.load()
    department = Department.objects.get_or_create(code="public_order", defaults={"name": "治安管理大队"})[0]
    brigade = Department.objects.get_or_create(code="internal_security", defaults={"name": "内保大队"})[0]
    subdistrict = cast.home_community.subdistrict
    people = {
        Role.CENTER_STAFF: cast.center,
        Role.SUPERVISOR: cast.supervisor,
        Role.COMMAND_ROOM: cast.command_room,
        Role.DUTY_LEADER: cast.duty_leader,
        Role.COMMUNITY_OFFICER: cast.officer,
        Role.PATROL_OFFICER: make_officer(Role.PATROL_OFFICER, station=cast.home, username="patrol"),
        Role.DEPARTMENT_STAFF: make_officer(Role.DEPARTMENT_STAFF, department=department, username="zhian"),
        Role.INTERNAL_SECURITY: make_officer(Role.INTERNAL_SECURITY, department=brigade, username="neibao"),
        Role.AUDITOR: make_officer(Role.AUDITOR, username="auditor"),
        Role.SUBDISTRICT_WORKER: make_officer(Role.SUBDISTRICT_WORKER, subdistrict=subdistrict, username="street"),
        Role.COMMUNITY_WORKER: make_officer(
            Role.COMMUNITY_WORKER, communities=[cast.home_community], username="committee"
        ),
    }
    now = timezone.now()
    for n in range(3):
        instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center)
        if n:
            services.instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)
        if n == 2:
            services.instruction_submit_feedback(instruction=instruction, actor=cast.officer.user, answers=GOOD_ANSWERS)
    IncidentFactory(community=cast.neighbour_community)
    center_services.selection_run(day=timezone.localdate(now - timedelta(days=1)), actor=cast.center.user)
    return {role: Token.objects.get_or_create(user=who.user)[0].key for role, who in people.items()}


def _plain(value: Any) -> Any:
    """The generated schema as plain JSON types (lazy translations and enums to str)."""
    return json.loads(json.dumps(value, default=str))


def _token_only(raw: dict[str, Any]) -> dict[str, Any]:
    """The schema with the token as its only way in: the fuzz signs in with tokens, and a generated
    (random) session cookie beside a valid token would read as "invalid auth accepted"."""
    raw.get("components", {}).get("securitySchemes", {}).pop("cookieAuth", None)
    for operations in raw.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "security" in operation:
                operation["security"] = [s for s in operation["security"] if "cookieAuth" not in s]
    return raw


# The schema /api/schema/ serves, generated in-process; requests go to the WSGI app, in-process too.
schema = schemathesis.openapi.from_dict(_token_only(_plain(SchemaGenerator().get_schema(request=None, public=True))))
schema.app = get_wsgi_application()


@pytest.mark.fuzz
@pytest.mark.django_db
def test_no_operation_answers_a_server_error_or_breaks_the_schema(fuzz_world: dict[str, str]) -> None:
    """For every operation of the schema, schemathesis generates EXAMPLES requests, valid and invalid
    data mixed; each is sent once with the token of each role. The world is built once for all operations."""
    failures: list[str] = []
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(GenerationMode.NEGATIVE))
        def send(case: Any) -> None:
            for token in fuzz_world.values():
                case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

        try:
            send()
        except (Exception, BaseExceptionGroup) as exc:  # one report for all operations
            failures.append(f"{operation.label}: {exc}")
    took = time.monotonic() - started
    assert not failures, "\n\n".join(failures)
    assert took < 300, f"the fuzz took {took:.0f} s: lower FUZZ_EXAMPLES"
