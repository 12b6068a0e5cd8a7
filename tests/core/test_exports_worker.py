"""A long export is prepared by a real Celery worker through Redis while
the requester's progress page waits, and only then offers the file."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerprog.celery import app
from peerprog.core.models import ExportRecord, Role
from tests.core.factories import ProgrammeFactory, UserFactory
from tests.recruitment.factories import ApplicationFactory, CohortFactory
from tests.test_celery_worker import mail_dir, start_worker, wait_for  # noqa: F401

pytestmark = pytest.mark.worker


def test_a_real_worker_prepares_a_background_export(
    transactional_db: Any,
    start_worker: Callable[[], Path],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    assert app.conf.task_always_eager is False
    app.control.purge()
    settings.EXPORT_BACKGROUND_ROWS = 2
    monkeypatch.setenv("PRIVATE_STORAGE_ROOT", str(settings.PRIVATE_STORAGE_ROOT))
    programme = ProgrammeFactory(name="Worker export programme")
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    cohort = CohortFactory(programme=programme, name="Autumn")
    for _ in range(5):
        ApplicationFactory(cohort=cohort)
    client = Client()
    client.force_login(lead)

    response = client.get(reverse("recruitment:application-export"))
    record = ExportRecord.objects.get()
    progress = client.get(response["Location"]).content.decode()
    assert "Waiting to start: 0 of 5 rows so far." in progress
    assert client.get(reverse("core:export-download", args=[record.pk])).status_code == 404

    log = start_worker()
    wait_for(
        lambda: ExportRecord.objects.get(pk=record.pk).status == "done",
        "the worker to prepare the file",
        log,
    )
    assert "Your file is ready." in client.get(response["Location"]).content.decode()
    download = client.get(reverse("core:export-download", args=[record.pk]))
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert len(rows) == 6
    assert rows[1][3] == "Autumn"
