"""mypy, as CI runs it on core/, stations/ and tasks/, is strict enough to refuse a wrong type passed to
a service (django-stubs knows the models; the services are fully annotated)."""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent

WRONG = """
from tasks.services import instruction_sign_off


def wrong() -> None:
    instruction_sign_off(instruction="12", actor=None, officer="home_officer")
"""

RIGHT = """
from stations.models import Officer
from tasks.models import Instruction
from tasks.services import instruction_sign_off


def right(instruction: Instruction, officer: Officer) -> None:
    instruction_sign_off(instruction=instruction, actor=None, officer=officer)
"""


def _mypy(tmp_path: Path, source: str) -> tuple[str, int]:
    path = tmp_path / "call.py"
    path.write_text(source)
    out, _err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(path)])
    return out, status


def test_a_wrong_type_passed_to_a_service_is_an_error(tmp_path):
    out, status = _mypy(tmp_path, WRONG)
    assert status == 1
    assert 'Argument "instruction" to "instruction_sign_off" has incompatible type "str"' in out
    assert 'Argument "officer" to "instruction_sign_off" has incompatible type "str"' in out


def test_the_right_types_pass(tmp_path):
    out, status = _mypy(tmp_path, RIGHT)
    assert status == 0, out
