"""Subject access requests for tests: one asked for by a given user, ready
with a small file when asked."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone

from peerprog.core import storage
from peerprog.core.models import SubjectAccessRequest, User
from tests.core.factories import PersonFactory


def subject_access_request(by: User, *, ready: bool = False) -> SubjectAccessRequest:
    person = PersonFactory(programme=by.programme)
    record = SubjectAccessRequest.objects.create(
        programme=by.programme, person=person, requested_by=by
    )
    if ready:
        name = storage.save_file(f"subject-access/test-{record.pk}.zip", io.BytesIO(b"PK"))
        now = timezone.now()
        SubjectAccessRequest.objects.filter(pk=record.pk).update(
            status=SubjectAccessRequest.Status.DONE,
            file_name=name,
            file_size=2,
            finished_at=now,
            expires_at=now + timedelta(days=30),
        )
        record.refresh_from_db()
    return record
