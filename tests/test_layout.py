"""The code's shape, held by the suite: no source file grows past 600 lines (shipped data and migrations
aside), and every app the layering names exists."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 600
SHIPPED_DATA = {"standard/catalogue_data.py"}  # the 117 standard tasks as data


def _sources() -> list[Path]:
    skip = {".venv", "var", "migrations", "node_modules", ".git"}
    return [p for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts)]


def test_no_source_file_is_over_600_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in _sources()
        if str(p.relative_to(ROOT)) not in SHIPPED_DATA and (n := len(p.read_text().splitlines())) > LIMIT
    }
    assert long == {}


def test_the_layers_name_every_app_and_only_apps_that_exist():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    named = {part.strip() for layer in config["contracts"][0]["layers"] for part in layer.split("|")}
    assert named == set(config["root_packages"])
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert named == apps
