"""A subject access request is built by a real Celery worker through Redis
while the officer's progress page waits, and only then offers the archive."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerprog.celery import app
from peerprog.core.models import Role, SubjectAccessRequest
from tests.core.factories import PersonFactory, ProgrammeFactory, UserFactory
from tests.core.once_helpers import with_token
from tests.recruitment.factories import ApplicationFactory, CohortFactory
from tests.test_celery_worker import mail_dir, start_worker, wait_for  # noqa: F401

pytestmark = pytest.mark.worker


def test_a_real_worker_builds_the_archive(
    transactional_db: Any,
    start_worker: Callable[[], Path],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    assert app.conf.task_always_eager is False
    app.control.purge()
    monkeypatch.setenv("PRIVATE_STORAGE_ROOT", str(settings.PRIVATE_STORAGE_ROOT))
    programme = ProgrammeFactory(name="Worker subject access programme")
    officer = UserFactory(programme=programme, roles=[Role.DATA_PROTECTION])
    person = PersonFactory(programme=programme, first_name="Wren", last_name="Worker")
    ApplicationFactory(cohort=CohortFactory(programme=programme), person=person)
    client = Client()
    client.force_login(officer)

    start = reverse("core:subject-access-start") + f"?person={person.pk}"
    response = client.post(start, with_token(officer, start, {"reference": "W-1", "reason": ""}))
    record = SubjectAccessRequest.objects.get()
    assert response["Location"] == reverse("core:subject-access-progress", args=[record.pk])
    assert "Waiting to start" in client.get(response["Location"]).content.decode()
    download = reverse("core:subject-access-download", args=[record.pk])
    assert client.get(download).status_code == 404

    log = start_worker()
    wait_for(
        lambda: SubjectAccessRequest.objects.get(pk=record.pk).status == "done",
        "the worker to build the archive",
        log,
    )
    assert "The archive is ready." in client.get(response["Location"]).content.decode()
    answer = client.get(download)
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    assert "kinds/applications.json" in bundle.namelist()
    assert "Wren Worker" in bundle.read("report.html").decode()
