"""A refused request is logged once, as one line without a traceback."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import World

pytestmark = pytest.mark.django_db


def _printing_handlers(logger_name: str) -> list[logging.Handler]:
    """The handlers a record logged on ``logger_name`` reaches, leaving out
    the test runner's own capture."""
    handlers: list[logging.Handler] = []
    logger: logging.Logger | None = logging.getLogger(logger_name)
    while logger is not None:
        handlers += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
        logger = logger.parent if logger.propagate else None
    return handlers


def test_a_403_is_logged_once_without_its_traceback(
    client: Any, world: World, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Django's own console handler prints only when DEBUG is on.
    settings.DEBUG = True
    client.force_login(world.users["mentor"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("core:people"))

    assert response.status_code == 403
    refused = [r for r in caplog.records if r.name == "django.request"]
    assert len(refused) == 1
    assert "Forbidden" in refused[0].getMessage()
    assert refused[0].exc_info is None
    printing = [h for h in _printing_handlers("django.request") if h.filter(refused[0])]
    assert len(printing) == 1


def test_a_server_error_keeps_its_traceback() -> None:
    from peerprog.core.log_filters import ClientErrorWithoutTraceback

    try:
        raise RuntimeError("broken")
    except RuntimeError:
        import sys

        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error",
            (),
            sys.exc_info(),
        )
    record.status_code = 500
    ClientErrorWithoutTraceback().filter(record)
    assert record.exc_info is not None
