"""Subject access requests: every model holding personal data is covered;
the archive holds the person's records kind by kind, with their history,
and nobody else's; a staff user's holds their sign-ins; only the officer
who asked downloads it; old archives are deleted; a person's own download
leaves out staff's private notes."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessLog
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from peerprog.core import storage
from peerprog.core.models import Role, SubjectAccessRequest
from peerprog.core.privacy import subject_access
from peerprog.core.privacy import subject_access_build as build
from tests.core.factories import (
    AdjustmentFactory,
    PersonFactory,
    ProgrammeFactory,
    SensitiveFactsFactory,
    UserFactory,
)
from tests.deployment.factories import InterviewFactory
from tests.recruitment.factories import ApplicationFactory, CohortFactory

pytestmark = pytest.mark.django_db


def archive_of(record: SubjectAccessRequest) -> zipfile.ZipFile:
    record.refresh_from_db()
    return zipfile.ZipFile(io.BytesIO(storage.read_bytes(record.file_name)))


def kind(bundle: zipfile.ZipFile, name: str) -> list[dict[str, Any]]:
    return json.loads(bundle.read(f"kinds/{name}.json"))


@pytest.fixture
def officer() -> Any:
    return UserFactory(programme=ProgrammeFactory(), roles=[Role.DATA_PROTECTION])


@pytest.fixture
def person(officer: Any) -> Any:
    interview = InterviewFactory(notes="Panel remark: quiet but thoughtful")
    person = interview.candidate.person
    person.programme = officer.programme
    person.save()
    SensitiveFactsFactory(person=person)
    AdjustmentFactory(person=person)
    ApplicationFactory(cohort=CohortFactory(programme=officer.programme), person=person)
    return person


def test_every_model_holding_personal_data_is_registered_or_marked() -> None:
    assert subject_access.uncovered() == []
    assert all(subject_access.not_exported().values())


def test_the_definition_follows_foreign_keys_one_hop() -> None:
    holds = subject_access.holds_personal_data
    assert holds(apps.get_model("core", "Person"))
    # Attendance -> Enrolment -> Person: one hop.
    assert holds(apps.get_model("training", "Attendance"))
    assert not holds(apps.get_model("recruitment", "Cohort"))
    # History tables go with their model.
    assert not holds(apps.get_model("training", "HistoricalAttendance"))


def test_the_archive_holds_the_persons_records_and_nobody_elses(officer: Any, person: Any) -> None:
    stranger = PersonFactory(first_name="Zebedee", last_name="Outsider")
    ApplicationFactory(cohort=CohortFactory(programme=stranger.programme), person=stranger)
    record = SubjectAccessRequest.objects.create(
        programme=officer.programme, person=person, requested_by=officer, reference="SAR-7"
    )
    assert build.subject_access_build_job(request_id=record.pk) is True
    assert build.subject_access_build_job(request_id=record.pk) is False
    bundle = archive_of(record)
    names = set(bundle.namelist())
    for part in (
        "person",
        "sensitive_facts",
        "equality",
        "adjustments",
        "applications",
        "candidacies",
        "interviews",
        "panel_notes",
        "history",
    ):
        assert f"kinds/{part}.json" in names, part
    assert kind(bundle, "person")[0]["email"] == person.email
    assert kind(bundle, "panel_notes")[0]["notes"] == "Panel remark: quiet but thoughtful"
    assert "notes" not in kind(bundle, "interviews")[0]
    everything = b"".join(bundle.read(n) for n in names)
    assert b"Zebedee" not in everything
    assert b"Outsider" not in everything
    report = bundle.read("report.html").decode()
    assert escape(person.legal_name) in report
    assert timezone.localdate().strftime("%-d %B %Y") in report
    assert record.kinds["applications"] == 1


def test_a_persons_own_download_leaves_out_private_notes(person: Any) -> None:
    own = build.subject_access_start(by=UserFactory(), person=person, own_download=True)
    build.subject_access_build_job(request_id=own.pk)
    bundle = archive_of(own)
    assert "kinds/panel_notes.json" not in bundle.namelist()
    everything = b"".join(bundle.read(n) for n in bundle.namelist())
    assert b"quiet but thoughtful" not in everything
    assert "kinds/applications.json" in bundle.namelist()


def test_a_staff_users_archive_holds_their_sign_ins(officer: Any) -> None:
    staff = UserFactory(programme=officer.programme, email="mentor.sam@example.org")
    AccessLog.objects.create(
        username="mentor.sam@example.org", ip_address="10.0.0.9", user_agent="Firefox"
    )
    AccessLog.objects.create(username="someone.else@example.org", ip_address="10.0.0.8")
    record = SubjectAccessRequest.objects.create(
        programme=officer.programme, user=staff, requested_by=officer
    )
    build.subject_access_build_job(request_id=record.pk)
    bundle = archive_of(record)
    sign_ins = kind(bundle, "sign_ins")
    assert [row["ip_address"] for row in sign_ins] == ["10.0.0.9"]
    assert kind(bundle, "account")[0]["email"] == "mentor.sam@example.org"
    assert "password" not in kind(bundle, "account")[0]


def test_only_the_officer_who_asked_downloads_and_each_download_is_recorded(
    officer: Any, person: Any
) -> None:
    record = build.subject_access_start(by=officer, person=person)
    build.subject_access_build_job(request_id=record.pk)
    other = UserFactory(programme=officer.programme, roles=[Role.DATA_PROTECTION])
    url = reverse("core:subject-access-download", args=[record.pk])
    client = Client()
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(reverse("core:subject-access-progress", args=[record.pk])).status_code == 404
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).testzip() is None
    record.refresh_from_db()
    assert record.downloads == 1
    latest = record.history.order_by("-history_date").first()
    assert latest.history_user == officer
    assert latest.downloads == 1


def test_old_archives_are_deleted_by_the_nightly_task(
    officer: Any, person: Any, settings: Any
) -> None:
    settings.SUBJECT_ACCESS_KEEP_DAYS = 30
    record = build.subject_access_start(by=officer, person=person)
    build.subject_access_build_job(request_id=record.pk)
    record.refresh_from_db()
    name = record.file_name
    assert build.subject_access_expire(now=timezone.now() + timedelta(days=29)) == 0
    assert storage.files_in("subject-access") == [name]
    assert build.subject_access_expire(now=timezone.now() + timedelta(days=31)) == 1
    record.refresh_from_db()
    assert record.status == "expired"
    assert storage.files_in("subject-access") == []


def test_the_nightly_task_is_in_the_database_schedule() -> None:
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="Subject access: delete old files")
    assert task.task == "peerprog.core.tasks.subject_access_expire"


def test_the_officers_pages_take_the_same_queries_at_two_sizes(officer: Any) -> None:
    client = Client()
    client.force_login(officer)
    counts = []
    for size in (1, 6):
        for _ in range(size):
            SubjectAccessRequest.objects.create(
                programme=officer.programme,
                person=PersonFactory(programme=officer.programme),
                requested_by=officer,
            )
        PersonFactory(programme=officer.programme, last_name="Findme")
        for url in (
            reverse("core:subject-access"),
            reverse("core:subject-access-start") + "?q=findme",
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:]


def test_a_person_seeded_in_every_app_appears_in_every_part(officer: Any) -> None:
    from tests.core.factories import ServiceFactory
    from tests.deployment.factories import AppointmentFactory, PeerPostFactory
    from tests.supervision.factories import (
        assign,
        lead_of,
        log_meeting,
        mentor,
        record_session,
        supervise,
        supervisor,
        write_plan,
    )
    from tests.training.factories import CohortFactory as TrainingCohortFactory
    from tests.training.factories import assessor, enrol, set_assessors, submit

    programme = officer.programme
    today = timezone.localdate()
    cohort = TrainingCohortFactory(programme=programme)
    set_assessors(cohort, assessor(programme), assessor(programme))
    enrolment = enrol(cohort)
    person = enrolment.person
    lead = lead_of(programme)
    their_mentor = mentor(programme)
    assign(enrolment, their_mentor, by=lead)
    log_meeting(enrolment, their_mentor, held_on=today - timedelta(days=3), notes="Mentor aside")
    submit(enrolment, by=lead)
    AppointmentFactory(
        person=person, post=PeerPostFactory(service=ServiceFactory(programme=programme))
    )
    their_supervisor = supervisor(programme)
    supervise(person, their_supervisor, by=lead)
    record_session(their_supervisor, [person], notes="Supervisor aside")
    write_plan(person, their_supervisor)
    SensitiveFactsFactory(person=person)
    AdjustmentFactory(person=person)

    record = build.subject_access_start(by=officer, person=person)
    build.subject_access_build_job(request_id=record.pk)
    record.refresh_from_db()
    for part in (
        "person",
        "sensitive_facts",
        "equality",
        "adjustments",
        "applications",
        "enrolments",
        "portfolio_submissions",
        "appointments",
        "mentor_assignments",
        "mentor_meetings",
        "mentor_meeting_notes",
        "supervision_assignments",
        "supervision_attendance",
        "supervision_sessions",
        "supervision_notes",
        "wellbeing_plans",
        "history",
    ):
        assert record.kinds.get(part), part
    bundle = archive_of(record)
    assert any(name.startswith("files/portfolio_submissions/") for name in bundle.namelist())
    assert b"Mentor aside" in bundle.read("kinds/mentor_meeting_notes.json")

    own = build.subject_access_start(by=UserFactory(), person=person, own_download=True)
    build.subject_access_build_job(request_id=own.pk)
    mine = archive_of(own)
    everything = b"".join(mine.read(n) for n in mine.namelist())
    assert b"Mentor aside" not in everything
    assert b"Supervisor aside" not in everything
    assert "kinds/wellbeing_plans.json" in mine.namelist()


def test_the_bench_figure_times_a_full_subject_access_request(officer: Any) -> None:
    from peerprog.devtools.bench_tasks import subject_access_figures
    from tests.deployment.factories import AppointmentFactory

    AppointmentFactory()
    figures = subject_access_figures()
    assert figures["rows"] > 0
    assert figures["bytes"] > 0
    assert not SubjectAccessRequest.objects.exists()


def test_a_person_downloads_their_own_data_from_their_pages(
    officer: Any, person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    account = UserFactory(programme=officer.programme, roles=[])
    person.user = account
    person.save()
    client = Client()
    client.force_login(account)
    assert "Download my data" in client.get(reverse("selfservice:home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("selfservice:my-data"), {"record": person.pk})
    own = SubjectAccessRequest.objects.get(requested_by=account)
    assert own.own_download
    assert response["Location"] == reverse("core:subject-access-progress", args=[own.pk])
    assert "Your data" in client.get(response["Location"]).content.decode()
    download = client.get(reverse("core:subject-access-download", args=[own.pk]))
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "kinds/panel_notes.json" not in bundle.namelist()
    # The officer's list is of officers' requests only.
    client.force_login(officer)
    assert person.legal_name not in client.get(reverse("core:subject-access")).content.decode()
