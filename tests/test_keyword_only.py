"""Every public selector and service takes keyword arguments only
(``def appointment_list(*, user, ...)``), as STYLE.md asks: a call names
what it passes, so reordering or adding a parameter cannot silently change
what a caller means.

The test finds the modules itself: every module named ``selectors`` or
``services`` (or inside a package of that name) in each of our installed
apps, so a new app or a new module is covered without editing this file.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest
from django.apps import apps
from django.conf import settings

ROOMS = {"selectors", "services"}
ALLOWED = {inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD}


def _our_apps() -> list[ModuleType]:
    base = Path(settings.BASE_DIR).resolve()
    ours = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.parts:
            ours.append(config.module)
    return ours


def _room_module_names() -> list[str]:
    names: set[str] = set()
    for app in _our_apps():
        for info in pkgutil.walk_packages(app.__path__, prefix=app.__name__ + "."):
            parts = info.name.split(".")
            if "migrations" in parts or "tests" in parts:
                continue
            if ROOMS & set(parts[1:]):
                names.add(info.name)
    return sorted(names)


def _positional_functions(module: ModuleType) -> list[str]:
    found = []
    for name, value in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(value):
            continue
        if inspect.getmodule(value) is not module:
            continue
        positional = [
            parameter.name
            for parameter in inspect.signature(value).parameters.values()
            if parameter.kind not in ALLOWED
        ]
        if positional:
            found.append(f"{name}({', '.join(positional)})")
    return found


def test_the_selectors_and_services_of_every_app_are_found() -> None:
    names = _room_module_names()
    for expected in (
        "recruitment.selectors",
        "training.selectors.records",
        "deployment.services.appointments",
        "supervision.selectors.supervising",
        "peerprog.core.services",
        "peerprog.core.reminders.selectors",
        "peerprog.dashboard.selectors.scope",
    ):
        assert expected in names


@pytest.mark.parametrize("module_name", _room_module_names())
def test_public_selectors_and_services_take_keyword_arguments_only(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert _positional_functions(module) == []
