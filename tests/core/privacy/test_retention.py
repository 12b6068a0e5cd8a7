"""The retention schedule lists exactly the records whose date has passed
(a day either side of each boundary), shows held records as held, and
approval anonymises (or deletes) only what was chosen and not held."""

from __future__ import annotations

import importlib
from datetime import date, datetime
from typing import Any

import pytest
from axes.models import AccessLog
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deployment.models import Appointment
from peerprog.core.models import LegalHold, RetentionDue, Role
from peerprog.core.privacy import retention
from peerprog.core.privacy.retention_services import (
    RetentionRefused,
    legal_hold_lift,
    legal_hold_place,
    retention_approve,
    retention_list_due,
    retention_rule_update,
    rule_months,
)
from recruitment.models import Application
from tests.core.factories import ProgrammeFactory, UserFactory
from tests.deployment.factories import AppointmentFactory, LeavingReasonFactory
from tests.recruitment.factories import (
    ApplicationFactory,
    CohortFactory,
    UnsuccessfulReasonFactory,
)
from training.models import Enrolment, NonCompletionReason, PortfolioSubmission
from training.retention_due import REMOVED

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
# A day on each side of each boundary: on the boundary is due.
DUE, NOT_YET = date(2025, 6, 15), date(2025, 6, 16)  # 12 months
DUE_2Y, NOT_YET_2Y = date(2024, 6, 15), date(2024, 6, 16)  # 24 months
DUE_6Y, NOT_YET_6Y = date(2020, 6, 15), date(2020, 6, 16)  # 72 months


@pytest.fixture
def programme() -> Any:
    return ProgrammeFactory(name="Retention programme")


@pytest.fixture
def officer(programme: Any) -> Any:
    return UserFactory(programme=programme, full_name="Dee Officer", roles=[Role.DATA_PROTECTION])


def _unsuccessful(programme: Any, closes: date, name: str) -> Application:
    cohort = CohortFactory(
        programme=programme,
        name=name,
        applications_open=date(closes.year - 1, 1, 1),
        applications_close=closes,
        training_start=closes.replace(year=closes.year + 1),
        training_end=closes.replace(year=closes.year + 1, month=12),
    )
    return ApplicationFactory(
        cohort=cohort,
        stage=Application.Stage.UNSUCCESSFUL,
        unsuccessful_reason=UnsuccessfulReasonFactory(programme=programme),
    )


def _not_completed(programme: Any, course_ends: date, name: str) -> Enrolment:
    cohort = CohortFactory(
        programme=programme,
        name=name,
        applications_open=date(course_ends.year - 1, 1, 1),
        applications_close=date(course_ends.year - 1, 2, 1),
        training_start=date(course_ends.year - 1, 3, 1),
        training_end=course_ends,
    )
    application = ApplicationFactory(cohort=cohort, stage=Application.Stage.ACCEPTED)
    reason, _ = NonCompletionReason.objects.get_or_create(
        programme=programme,
        label="Found other work",
        defaults={"category": NonCompletionReason.Category.LEFT_PAID_EMPLOYMENT},
    )
    return Enrolment.objects.create(
        application=application,
        cohort=cohort,
        person=application.person,
        status=Enrolment.Status.NOT_COMPLETED,
        ended_on=course_ends,
        non_completion_reason=reason,
    )


def _left(programme: Any, ended_on: date) -> Appointment:
    appointment = AppointmentFactory(
        post__programme=programme, start_date=date(ended_on.year - 2, 1, 5)
    )
    appointment.status = Appointment.Status.LEFT
    appointment.ended_on = ended_on
    appointment.leaving_reason = LeavingReasonFactory(programme=programme)
    appointment.save()
    return appointment


def _sign_in(email: str, day: date) -> AccessLog:
    log = AccessLog.objects.create(
        username=email, ip_address="192.0.2.1", user_agent="test", http_accept="*/*"
    )
    moment = timezone.make_aware(datetime(day.year, day.month, day.day, 12, 0))
    AccessLog.objects.filter(pk=log.pk).update(attempt_time=moment)
    return log


@pytest.fixture
def records(programme: Any, officer: Any) -> dict[str, Any]:
    return {
        "application_due": _unsuccessful(programme, DUE, "Cohort closing on the boundary"),
        "application_not_yet": _unsuccessful(programme, NOT_YET, "Cohort closing a day later"),
        "enrolment_due": _not_completed(programme, DUE_2Y, "Course ending on the boundary"),
        "enrolment_not_yet": _not_completed(programme, NOT_YET_2Y, "Course ending a day later"),
        "appointment_due": _left(programme, DUE_6Y),
        "appointment_not_yet": _left(programme, NOT_YET_6Y),
        "sign_in_due": _sign_in(officer.email, DUE),
        "sign_in_not_yet": _sign_in(officer.email, NOT_YET),
    }


def _listed() -> set[tuple[str, int]]:
    return set(
        RetentionDue.objects.filter(status=RetentionDue.Status.DUE).values_list("kind", "object_id")
    )


def test_the_seeded_defaults_are_the_kinds_defaults() -> None:
    """The data migration seeds the README's defaults, and each app's kind
    falls back to the same months when no rule is stored (a test that
    empties the tables takes the seeded rows away)."""
    expected = {
        "recruitment.unsuccessful_application": 12,
        "training.not_completed": 24,
        "deployment.employment": 72,
        "training.portfolio_file": 12,
        "core.sign_in": 12,
    }
    seeding = importlib.import_module("peerprog.core.migrations.0024_retention_defaults")

    assert {kind: months for kind, (months, _) in seeding.DEFAULTS.items()} == expected
    assert {kind.key: kind.default_months for kind in retention.kinds()} == expected
    assert rule_months() == expected


def test_exactly_the_records_whose_date_has_passed_are_listed(records: dict[str, Any]) -> None:
    counts = retention_list_due(today=TODAY)

    assert _listed() == {
        ("recruitment.unsuccessful_application", records["application_due"].pk),
        ("training.not_completed", records["enrolment_due"].pk),
        ("deployment.employment", records["appointment_due"].pk),
        ("core.sign_in", records["sign_in_due"].pk),
    }
    assert counts["training.portfolio_file"] == 0
    due = RetentionDue.objects.get(
        kind="recruitment.unsuccessful_application", object_id=records["application_due"].pk
    )
    assert due.due_on == TODAY
    assert due.person_id == records["application_due"].person_id


def test_a_day_later_the_next_records_are_due_and_listing_again_adds_no_row(
    records: dict[str, Any],
) -> None:
    retention_list_due(today=TODAY)
    retention_list_due(today=TODAY)
    assert RetentionDue.objects.count() == 4

    retention_list_due(today=date(2026, 6, 16))

    assert RetentionDue.objects.count() == 8


def test_a_longer_rule_takes_records_off_the_list(records: dict[str, Any], officer: Any) -> None:
    retention_list_due(today=TODAY)
    retention_rule_update(
        kind="recruitment.unsuccessful_application", months=13, basis="Longer.", by=officer
    )

    retention_list_due(today=TODAY)

    assert ("recruitment.unsuccessful_application", records["application_due"].pk) not in (
        _listed()
    )


def test_held_records_are_shown_held_and_skipped_by_approval(
    records: dict[str, Any], officer: Any
) -> None:
    retention_list_due(today=TODAY)
    held = RetentionDue.objects.get(kind="core.sign_in")
    legal_hold_place(due=held, reason="A complaint about a sign-in is under review.", by=officer)
    free = RetentionDue.objects.get(kind="deployment.employment")

    with pytest.raises(RetentionRefused):
        retention_approve(due_ids=[held.pk], by=officer)
    done = retention_approve(due_ids=[held.pk, free.pk], by=officer)

    assert done == 1
    assert AccessLog.objects.filter(pk=records["sign_in_due"].pk).exists()
    held.refresh_from_db()
    assert held.status == RetentionDue.Status.DUE


def test_a_lifted_hold_lets_the_schedule_act(records: dict[str, Any], officer: Any) -> None:
    retention_list_due(today=TODAY)
    due = RetentionDue.objects.get(kind="core.sign_in")
    hold = legal_hold_place(due=due, reason="An inquiry.", by=officer)
    legal_hold_lift(hold=hold, by=officer)

    assert retention_approve(due_ids=[due.pk], by=officer) == 1

    assert not AccessLog.objects.filter(pk=records["sign_in_due"].pk).exists()
    assert AccessLog.objects.filter(pk=records["sign_in_not_yet"].pk).exists()


def test_approval_anonymises_the_due_application_and_nothing_else(
    records: dict[str, Any], officer: Any
) -> None:
    due_application = records["application_due"]
    other = records["application_not_yet"]
    name = due_application.person.first_name
    retention_list_due(today=TODAY)
    due = RetentionDue.objects.get(kind="recruitment.unsuccessful_application")

    retention_approve(due_ids=[due.pk], by=officer)

    due_application.refresh_from_db()
    other.refresh_from_db()
    assert due_application.statement == ""
    assert other.statement != ""
    assert due_application.stage == Application.Stage.UNSUCCESSFUL
    due.refresh_from_db()
    assert due.status == RetentionDue.Status.DONE and due.done_by == officer
    assert name  # the person record itself is the erasure's business, not retention's


def test_portfolio_files_go_a_year_after_the_decision(
    programme: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.training.factories import CohortFactory as TrainingCohort
    from tests.training.factories import assessor, enrol, set_assessors, submit

    cohort = TrainingCohort(programme=programme)
    set_assessors(cohort, assessor(programme), assessor(programme))
    enrolment = enrol(cohort)
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    submission = submit(enrolment, lead)
    PortfolioSubmission.objects.filter(pk=submission.pk).update(
        status=PortfolioSubmission.Status.DECIDED, outcome="pass", decided_on=DUE
    )
    storage, name = submission.file.storage, submission.file.name
    assert storage.exists(name)

    retention_list_due(today=date(2026, 6, 14))
    assert not RetentionDue.objects.filter(kind="training.portfolio_file").exists()
    retention_list_due(today=TODAY)
    due = RetentionDue.objects.get(kind="training.portfolio_file")
    assert due.object_id == submission.pk
    with django_capture_on_commit_callbacks(execute=True):
        retention_approve(due_ids=[due.pk], by=officer)

    submission.refresh_from_db()
    assert submission.file_name == REMOVED
    assert submission.outcome == "pass"
    assert not storage.exists(name)


def test_another_programmes_due_records_are_not_approved(records: dict[str, Any]) -> None:
    retention_list_due(today=TODAY)
    stranger = UserFactory(roles=[Role.DATA_PROTECTION])
    due = RetentionDue.objects.get(kind="deployment.employment")

    with pytest.raises(RetentionRefused):
        retention_approve(due_ids=[due.pk], by=stranger)


def test_the_officer_reviews_and_approves_on_the_page(
    client: Any, records: dict[str, Any], officer: Any
) -> None:
    retention_list_due(today=TODAY)
    hold_due = RetentionDue.objects.get(kind="core.sign_in")
    legal_hold_place(due=hold_due, reason="A complaint.", by=officer)
    client.force_login(officer)

    page = client.get(reverse("core:retention")).content.decode()

    assert "Unsuccessful application to Cohort closing on the boundary" in page
    assert "Cohort closing a day later" not in page
    assert "Held" in page
    due = RetentionDue.objects.get(kind="deployment.employment")
    response = client.post(reverse("core:retention-approve"), {"due": [due.pk, hold_due.pk]})
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "1 record anonymised or deleted" in follow
    assert ContentType.objects.get_for_model(LegalHold)  # holds stay listed
    assert LegalHold.objects.filter(lifted_at__isnull=True).count() == 1


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


OFFICER_PAGES = ("core:retention", "core:legal-holds", "core:retention-rules", "core:home")


def test_the_officers_pages_cost_the_same_queries_whatever_the_rows(
    client: Any, programme: Any, officer: Any
) -> None:
    client.force_login(officer)

    def add(start: int, many: int) -> None:
        for n in range(many):
            _unsuccessful(programme, date(2023, 3, start + n), f"Cohort {start + n}")
        retention_list_due(today=TODAY)
        for due in RetentionDue.objects.filter(status="due")[:many]:
            if not LegalHold.objects.filter(object_id=due.object_id).exists():
                legal_hold_place(due=due, reason="A claim.", by=officer)

    add(1, 2)
    client.get(reverse("core:retention"))  # content types cached
    few = {name: _count(client, reverse(name)) for name in OFFICER_PAGES}
    add(3, 6)
    many = {name: _count(client, reverse(name)) for name in OFFICER_PAGES}

    assert RetentionDue.objects.count() == 8
    assert many == few
