"""A prepared background export is downloaded only while the person who
asked for it still may have it: every download checks their role, their
programme and their right to the file's special-category columns again, and
a change of their roles withdraws their prepared files."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core import export_files, services, storage
from peerprog.core.export_records import ExportRecord
from peerprog.core.models import Role, User
from supervision.exports import MEETINGS
from tests.conftest import World
from tests.core.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def meeting_notes_export(user: User) -> ExportRecord:
    """Mentor meetings with their notes, prepared in the background for
    ``user`` and ready to download."""
    record = ExportRecord.objects.create(
        user=user,
        programme=user.programme,
        key=MEETINGS,
        title="Mentor meetings",
        file_format="csv",
        sensitive_included=True,
        status=ExportRecord.Status.QUEUED,
        rows=0,
        rows_expected=30_000,
    )
    name = storage.save_file(
        f"exports/rights-{record.pk}.csv",
        io.BytesIO(b"Trainee,Notes\nAda,Talked about a hard week\n"),
    )
    ExportRecord.objects.filter(pk=record.pk).update(
        status=ExportRecord.Status.DONE,
        rows=1,
        file_name=name,
        finished_at=timezone.now(),
        expires_at=timezone.now() + timedelta(hours=24),
    )
    record.refresh_from_db()
    return record


def _download(user: User, record: ExportRecord) -> int:
    client = Client()
    client.force_login(user)
    return client.get(reverse("core:export-download", args=[record.pk])).status_code


def _withdrawn(record: ExportRecord) -> bool:
    name = record.file_name
    record.refresh_from_db()
    return record.status == ExportRecord.Status.WITHDRAWN and not storage.private_storage.exists(
        name
    )


def test_the_lead_who_asked_downloads_their_file(world: World, lead: User) -> None:
    record = meeting_notes_export(lead)

    assert _download(lead, record) == 200


def test_a_lead_made_a_mentor_can_no_longer_download_meeting_notes(
    world: World, lead: User
) -> None:
    record = meeting_notes_export(lead)
    lead.groups.set([Group.objects.get(name=Role.MENTOR)])

    assert _download(lead, record) == 403
    assert _withdrawn(record)


def test_a_lead_made_an_admin_cannot_download_the_notes_admins_may_not_read(
    world: World, lead: User
) -> None:
    record = meeting_notes_export(lead)
    lead.groups.set([Group.objects.get(name=Role.ADMIN)])

    assert _download(lead, record) == 403
    assert _withdrawn(record)


def test_a_lead_moved_to_another_programme_cannot_download_the_old_programmes_file(
    world: World, lead: User
) -> None:
    record = meeting_notes_export(lead)
    User.objects.filter(pk=lead.pk).update(programme=ProgrammeFactory())

    assert _download(lead, record) == 403
    assert _withdrawn(record)


def test_changing_someones_roles_withdraws_their_prepared_files(
    world: World, lead: User, admin_user: User
) -> None:
    record = meeting_notes_export(lead)
    waiting = ExportRecord.objects.create(
        user=lead,
        programme=lead.programme,
        key=MEETINGS,
        title="Mentor meetings",
        file_format="csv",
        status=ExportRecord.Status.QUEUED,
    )

    services.staff_user_update(
        user=lead,
        by=admin_user,
        full_name=lead.full_name,
        job_title="",
        roles=[Role.MENTOR],
        is_active=True,
    )

    assert _withdrawn(record)
    waiting.refresh_from_db()
    assert waiting.status == ExportRecord.Status.WITHDRAWN
    assert export_files.export_prepare(record_id=waiting.pk) is False


def test_changing_only_a_name_keeps_the_prepared_file(
    world: World, lead: User, admin_user: User
) -> None:
    record = meeting_notes_export(lead)

    services.staff_user_update(
        user=lead,
        by=admin_user,
        full_name="Another name",
        job_title="",
        roles=sorted(lead.role_names),
        is_active=True,
    )

    record.refresh_from_db()
    assert record.status == ExportRecord.Status.DONE
    assert _download(lead, record) == 200


def test_moving_someone_to_another_programme_in_the_admin_withdraws_their_files(
    world: World, lead: User
) -> None:
    record = meeting_notes_export(lead)
    other = ProgrammeFactory()
    client = Client()
    client.force_login(world.users["sysadmin"])
    url = reverse("admin:core_user_change", args=[lead.pk])
    lead.refresh_from_db()
    form = {
        "email": lead.email,
        "full_name": lead.full_name,
        "job_title": lead.job_title,
        "programme": other.pk,
        "is_active": "on",
        "groups": [group.pk for group in lead.groups.all()],
        "date_joined_0": timezone.localtime(lead.date_joined).strftime("%Y-%m-%d"),
        "date_joined_1": timezone.localtime(lead.date_joined).strftime("%H:%M:%S"),
    }

    response = client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=lead.pk).programme_id == other.pk
    assert _withdrawn(record)
