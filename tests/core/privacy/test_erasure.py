"""Erasure: nothing changes until a second officer or an admin approves;
approval leaves the person's name, e-mail and planted values in no column
of their own records or of any history table; other people's current
records that named them are listed for review; report figures resting on
stages, dates and categories do not move."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peerprog.core.export_records import ExportRecord
from peerprog.core.models import ErasureMention, ErasureRequest, Person, Role, User
from peerprog.core.privacy import erasure
from peerprog.core.privacy.erasure import ErasureRefused
from peerprog.dashboard.selectors.programme import programme_dashboard
from peerprog.dashboard.selectors.scope import report_scope
from peerprog.dashboard.selectors.study import employment_table, training_table
from tests.core.factories import (
    AdjustmentFactory,
    PersonFactory,
    ProgrammeFactory,
    SensitiveFactsFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zebedee", "Quillfeather"
EMAIL = "zeb.quillfeather@example.org"
PLANTED = ("Quillfeather", "zeb.quillfeather", "Planted-Condition-Q", "Planted-Plan-Q")


@pytest.fixture
def officer() -> Any:
    return UserFactory(programme=ProgrammeFactory(), roles=[Role.DATA_PROTECTION])


@pytest.fixture
def second_officer(officer: Any) -> Any:
    return UserFactory(programme=officer.programme, roles=[Role.DATA_PROTECTION])


@pytest.fixture
def journey(officer: Any) -> dict[str, Any]:
    """A trainee who completed the course and is in post, seeded in every
    app, with an account; and a classmate whose mentor's notes name them."""
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
    enrolment = enrol(cohort, first_name=FIRST, last_name=LAST, email=EMAIL)
    person = enrolment.person
    person.user = UserFactory(
        programme=programme, email=EMAIL, full_name=f"{FIRST} {LAST}", roles=[]
    )
    person.phone = "07700 900456"
    person.save()
    classmate = enrol(cohort, first_name="Ottoline", last_name="Brackenbury")
    lead = lead_of(programme)
    their_mentor = mentor(programme)
    assign(enrolment, their_mentor, by=lead)
    assign(classmate, their_mentor, by=lead)
    log_meeting(enrolment, their_mentor, held_on=today - timedelta(days=3), notes="Own aside")
    other_meeting = log_meeting(
        classmate,
        their_mentor,
        held_on=today - timedelta(days=2),
        notes=f"Ottoline shadowed {FIRST} {LAST} on the ward.",
    )
    submit(enrolment, by=lead)
    AppointmentFactory(
        person=person, post=PeerPostFactory(service=ServiceFactory(programme=programme))
    )
    their_supervisor = supervisor(programme)
    supervise(person, their_supervisor, by=lead)
    record_session(their_supervisor, [person], notes="Supervisor aside")
    plan = write_plan(person, their_supervisor)
    plan.early_signs = "Planted-Plan-Q"
    plan.save()
    SensitiveFactsFactory(person=person, disability_details="Planted-Condition-Q")
    AdjustmentFactory(person=person, request="Planted-Condition-Q needs breaks")
    export = ExportRecord.objects.create(
        user=lead,
        programme=programme,
        key="recruitment.applications",
        title="Applications",
        file_format="csv",
        status=ExportRecord.Status.DONE,
        file_name="exports/ready.csv",
    )
    return {
        "person": person,
        "classmate": classmate.person,
        "lead": lead,
        "other_meeting": other_meeting,
        "export": export,
    }


def places_holding(*words: str) -> set[str]:
    """Every model and text column, history tables included, holding any
    of the words."""
    found = set()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.primary_key
        ]
        if not fields:
            continue
        wanted = Q()
        for field in fields:
            for word in words:
                wanted |= Q(**{f"{field}__icontains": word})
        for row in model._default_manager.filter(wanted).values(*fields):
            for field, value in row.items():
                if value and any(word.lower() in str(value).lower() for word in words):
                    found.add(f"{model._meta.label}.{field}")
    return found


def figures(lead: Any) -> dict[str, Any]:
    scope = report_scope(user=lead)
    dashboard = programme_dashboard(scope=scope)
    return {
        "training": dataclasses.asdict(training_table(scope=scope)),
        "employment": dataclasses.asdict(employment_table(scope=scope)),
        "funnel": [dataclasses.asdict(f) for f in getattr(dashboard, "funnels", [])],
    }


def test_approval_erases_the_person_everywhere_and_lists_the_mentions(
    officer: Any, second_officer: Any, journey: dict[str, Any]
) -> None:
    person = journey["person"]
    assert places_holding(*PLANTED)
    before = figures(journey["lead"])

    record = erasure.erasure_request(person=person, reason="Asked by letter.", by=officer)
    record = erasure.erasure_approve(record=record, by=second_officer)

    # Only the classmate's meeting note still names them, listed for review.
    assert places_holding(*PLANTED) == {"supervision.MentorMeeting.notes"}
    (mention,) = record.mentions.all()
    assert (mention.object_id, mention.field) == (journey["other_meeting"].pk, "notes")
    assert LAST not in mention.label
    erasure.mention_save(
        mention=mention, text="Ottoline shadowed a colleague on the ward.", by=officer
    )
    assert places_holding(*PLANTED) == set()

    person.refresh_from_db()
    assert person.legal_name == "Erased Erased"
    assert not User.objects.get(pk=person.user_id).is_active
    assert record.status == ErasureRequest.Status.ERASED
    assert record.decided_by == second_officer
    journey["export"].refresh_from_db()
    assert journey["export"].status == ExportRecord.Status.WITHDRAWN
    # The classmate's records are theirs still.
    assert Person.objects.get(pk=journey["classmate"].pk).first_name == "Ottoline"
    assert figures(journey["lead"]) == before


def test_nothing_changes_while_waiting_or_after_refusal(
    officer: Any, second_officer: Any, journey: dict[str, Any]
) -> None:
    person = journey["person"]
    record = erasure.erasure_request(person=person, reason="Asked by letter.", by=officer)
    with pytest.raises(ErasureRefused, match="Someone other than the officer"):
        erasure.erasure_approve(record=record, by=officer)
    with pytest.raises(ErasureRefused, match="already waiting"):
        erasure.erasure_request(person=person, reason="Again.", by=second_officer)
    lead = journey["lead"]
    with pytest.raises(ErasureRefused, match="data protection officer or an admin"):
        erasure.erasure_approve(record=record, by=lead)

    erasure.erasure_refuse(record=record, reason="Kept for a tribunal claim.", by=second_officer)

    assert Person.objects.get(pk=person.pk).last_name == LAST
    assert "supervision.WellbeingPlan.early_signs" in places_holding("Planted-Plan-Q")
    record.refresh_from_db()
    assert record.status == ErasureRequest.Status.REFUSED
    assert not ErasureMention.objects.exists()


def test_the_database_refuses_a_decision_by_the_officer_who_asked(
    officer: Any, journey: dict[str, Any]
) -> None:
    record = erasure.erasure_request(person=journey["person"], reason="Asked.", by=officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        ErasureRequest.objects.filter(pk=record.pk).update(
            status=ErasureRequest.Status.ERASED, decided_by=officer, decided_at=timezone.now()
        )


def test_a_legal_hold_stops_approval(
    officer: Any, second_officer: Any, journey: dict[str, Any]
) -> None:
    from django.contrib.contenttypes.models import ContentType

    from peerprog.core.models import LegalHold

    person = journey["person"]
    LegalHold.objects.create(
        content_type=ContentType.objects.get_for_model(Person),
        object_id=person.pk,
        programme=person.programme,
        person=person,
        label="Employment record",
        reason="A tribunal claim.",
        placed_by=officer,
    )
    record = erasure.erasure_request(person=person, reason="Asked.", by=officer)
    with pytest.raises(ErasureRefused, match="legal hold"):
        erasure.erasure_approve(record=record, by=second_officer)
    assert Person.objects.get(pk=person.pk).last_name == LAST


def test_the_officer_asks_and_an_admin_approves_in_the_pages(
    officer: Any, journey: dict[str, Any]
) -> None:
    person = journey["person"]
    admin = UserFactory(programme=officer.programme, roles=[Role.ADMIN])
    asking = Client()
    asking.force_login(officer)
    found = asking.get(reverse("core:erasure-start"), {"q": LAST}).content.decode()
    assert f"?person={person.pk}" in found
    response = asking.post(
        reverse("core:erasure-start") + f"?person={person.pk}",
        {"reason": "Asked by letter.", "reference": "DP-7"},
    )
    record = ErasureRequest.objects.get(person=person)
    assert response.url == reverse("core:erasure", args=[record.pk])
    page = asking.get(response.url).content.decode()
    assert "Approve and erase" not in page
    assert "you asked for it" in page

    deciding = Client()
    deciding.force_login(admin)
    home = deciding.get(reverse("core:home")).content.decode()
    assert reverse("core:erasures") in home
    page = deciding.get(reverse("core:erasure", args=[record.pk])).content.decode()
    assert "Approve and erase" in page
    assert "1 field of other people's current records names them" in page
    deciding.post(reverse("core:erasure-approve", args=[record.pk]))

    record.refresh_from_db()
    assert record.status == ErasureRequest.Status.ERASED
    page = asking.get(reverse("core:erasure", args=[record.pk])).content.decode()
    assert "not reviewed yet" in page
    mention = record.mentions.get()
    review = reverse("core:erasure-mention", args=[record.pk, mention.pk])
    assert "shadowed" in asking.get(review).content.decode()
    asking.post(review, {"text": "Ottoline shadowed a colleague."})
    mention.refresh_from_db()
    assert mention.reviewed_by == officer


def test_the_request_page_costs_the_same_queries_however_many_records(
    officer: Any, journey: dict[str, Any]
) -> None:
    from supervision.models import MentorAssignment
    from tests.supervision.factories import log_meeting

    person = journey["person"]
    record = erasure.erasure_request(person=person, reason="Asked.", by=officer)
    admin = UserFactory(programme=officer.programme, roles=[Role.ADMIN])
    client = Client()
    client.force_login(admin)
    url = reverse("core:erasure", args=[record.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = count()
    enrolment = person.enrolments.get()
    their_mentor = MentorAssignment.objects.get(enrolment=enrolment).mentor
    for days in range(4, 10):
        log_meeting(enrolment, their_mentor, held_on=timezone.localdate() - timedelta(days=days))
    PersonFactory(programme=officer.programme)
    assert count() == few


def test_the_bench_figure_times_an_erasure_and_keeps_nothing(journey: dict[str, Any]) -> None:
    from peerprog.devtools.bench_tasks import erasure_figures

    person = journey["person"]
    figures = erasure_figures()

    assert figures["records"] > 0
    assert figures["mentions"] == 1
    assert Person.objects.get(pk=person.pk).last_name == LAST
