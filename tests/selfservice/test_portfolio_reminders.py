"""Portfolio reminders to the trainee: to their account once they have one
(on their pages, and one e-mail), never twice; and the resubmission
deadline. Run through the real scan task and the outbox."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerprog.core.models import Notification, Person, Programme, Reminder, Role, User
from peerprog.core.reminders.services import reminders_run_group
from peerprog.core.tasks import reminders_scan
from tests.core.factories import UserFactory
from tests.training.factories import CohortFactory, assessor, enrol, mark, set_assessors, submit
from training.models import CohortTraining, Enrolment

DAY = timedelta(days=1)
OVERDUE_LINE = "Your final portfolio was due on 9 June 2026 and we have not received it yet."


@pytest.fixture
def course(programme: Programme) -> dict[str, Any]:
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD], full_name="Priya Lead")
    facilitator = UserFactory(
        programme=programme, roles=[Role.FACILITATOR, Role.ASSESSOR], full_name="Ruth Facilitator"
    )
    second = assessor(programme, "Martin Inclusion")
    cohort = CohortFactory(programme=programme, name="Cohort 1")
    set_assessors(cohort, facilitator, second)
    enrolment = enrol(
        cohort,
        first_name="Ada",
        last_name="Lovelace",
        email="ada.home@example.org",
        email_allowed=True,
    )
    CohortTraining.objects.filter(cohort=cohort).update(
        draft_due=date(2026, 6, 1), final_due=date(2026, 6, 9)
    )
    return {
        "lead": lead,
        "facilitator": facilitator,
        "second": second,
        "cohort": cohort,
        "enrolment": enrolment,
    }


def _account(person: Person, email: str = "ada@example.org") -> User:
    user = UserFactory(programme=person.programme, roles=[], email=email, full_name="Ada Lovelace")
    person.user = user
    person.save(update_fields=["user"])
    return user


def _scan(on: str, capture: Any) -> None:
    with capture(execute=True):
        reminders_scan("training", on=on)


def _to_trainee(mailoutbox: list, line: str) -> list[Any]:
    return [m for m in mailoutbox if m.subject == f"[peerprog] {line}"]


@pytest.mark.django_db
def test_a_trainee_with_an_account_gets_the_reminder_on_their_pages_and_one_e_mail(
    course, django_capture_on_commit_callbacks, mailoutbox
):
    enrolment: Enrolment = course["enrolment"]
    user = _account(enrolment.person)

    for _ in range(2):
        _scan("2026-06-10", django_capture_on_commit_callbacks)

    notification = Notification.objects.get(
        recipient=user, key__startswith="reminder:training.final_overdue"
    )
    page = reverse("selfservice:portfolio", kwargs={"pk": enrolment.pk})
    assert notification.title == OVERDUE_LINE
    assert notification.link == page
    emails = _to_trainee(mailoutbox, OVERDUE_LINE)
    assert [m.to for m in emails] == [["ada@example.org"]]
    assert page in emails[0].body
    assert "notification settings" not in emails[0].body
    assert (
        Reminder.objects.filter(
            kind="training.final_overdue", recipient_person=enrolment.person
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_a_trainee_reminded_by_e_mail_is_not_reminded_again_once_they_have_an_account(
    course, django_capture_on_commit_callbacks, mailoutbox
):
    enrolment: Enrolment = course["enrolment"]
    _scan("2026-06-10", django_capture_on_commit_callbacks)
    _account(enrolment.person)

    _scan("2026-06-11", django_capture_on_commit_callbacks)

    emails = _to_trainee(mailoutbox, OVERDUE_LINE)
    assert [m.to for m in emails] == [["ada.home@example.org"]]


@pytest.mark.django_db
def test_a_trainee_with_an_account_who_did_not_agree_to_e_mail_gets_it_on_their_pages_only(
    course, django_capture_on_commit_callbacks, mailoutbox
):
    enrolment: Enrolment = course["enrolment"]
    Person.objects.filter(pk=enrolment.person_id).update(email_allowed=False)
    user = _account(enrolment.person)

    _scan("2026-06-10", django_capture_on_commit_callbacks)

    assert Notification.objects.filter(
        recipient=user, key__startswith="reminder:training.final_overdue"
    ).exists()
    assert _to_trainee(mailoutbox, OVERDUE_LINE) == []


@pytest.mark.django_db
def test_a_trainee_without_an_account_still_gets_the_e_mail_without_a_link(
    course, django_capture_on_commit_callbacks, mailoutbox
):
    _scan("2026-06-10", django_capture_on_commit_callbacks)

    emails = _to_trainee(mailoutbox, OVERDUE_LINE)
    assert [m.to for m in emails] == [["ada.home@example.org"]]
    assert "/my/" not in emails[0].body


@pytest.mark.django_db
def test_the_draft_reminder_reaches_the_trainees_account(
    course, django_capture_on_commit_callbacks, mailoutbox
):
    enrolment: Enrolment = course["enrolment"]
    user = _account(enrolment.person)
    CohortTraining.objects.filter(cohort=course["cohort"]).update(final_due=date(2026, 9, 1))

    _scan("2026-06-10", django_capture_on_commit_callbacks)

    line = "We have not yet received a draft of your portfolio, which was expected by 1 June 2026."
    assert Notification.objects.get(recipient=user).title == line
    assert [m.to for m in _to_trainee(mailoutbox, line)] == [["ada@example.org"]]


# The resubmission deadline


def _referred(course: dict[str, Any], decided_on: date) -> Enrolment:
    enrolment: Enrolment = course["enrolment"]
    submission = submit(enrolment, by=course["facilitator"], submitted_on=decided_on - 7 * DAY)
    mark(submission, course["facilitator"], "referral", on=decided_on)
    mark(submission, course["second"], "referral", on=decided_on)
    submission.refresh_from_db()
    assert submission.resubmission_due == decided_on + 28 * DAY
    return enrolment


def _recipients(kind: str) -> set[tuple[str, int]]:
    return {
        ("user", r.recipient_user_id) if r.recipient_user_id else ("person", r.recipient_person_id)
        for r in Reminder.objects.filter(kind=kind)
    }


RESUBMISSION_RULES = [
    # kind, days before (+) or after (-) the deadline it first fires, the day before it does not
    ("training.resubmission_due_week", 7, 8),
    ("training.resubmission_due_tomorrow", 1, 2),
    ("training.resubmission_overdue", -1, 0),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "fires", "quiet"), RESUBMISSION_RULES)
def test_the_resubmission_deadline_is_reminded_to_the_trainee_and_staff(course, kind, fires, quiet):
    enrolment = _referred(course, decided_on=date(2026, 6, 1))
    due = date(2026, 6, 29)
    user = _account(enrolment.person)

    reminders_run_group(group="training", today=due - quiet * DAY)
    assert _recipients(kind) == set()
    reminders_run_group(group="training", today=due - fires * DAY)

    assert _recipients(kind) == {
        ("user", course["facilitator"].pk),
        ("user", course["lead"].pk),
        ("person", enrolment.person_id),
    }
    assert Notification.objects.filter(recipient=user, key__startswith=f"reminder:{kind}").exists()


@pytest.mark.django_db
def test_the_resubmission_reminder_says_the_date_in_plain_words(
    course, django_capture_on_commit_callbacks, mailoutbox
):
    enrolment = _referred(course, decided_on=date(2026, 6, 1))
    _account(enrolment.person)

    _scan("2026-06-28", django_capture_on_commit_callbacks)

    line = "A reminder that your resubmitted portfolio is due tomorrow, 29 June 2026."
    assert [m.to for m in _to_trainee(mailoutbox, line)] == [["ada@example.org"]]


@pytest.mark.django_db
def test_a_resubmission_that_came_in_is_not_reminded(course):
    enrolment = _referred(course, decided_on=date(2026, 6, 1))
    submit(enrolment, by=course["facilitator"], submitted_on=date(2026, 6, 20))

    reminders_run_group(group="training", today=date(2026, 6, 30))

    assert _recipients("training.resubmission_overdue") == set()


@pytest.mark.django_db
def test_the_scan_costs_the_same_queries_for_trainees_with_accounts_one_or_many(course):
    _account(course["enrolment"].person)

    def queries(today: date) -> int:
        with CaptureQueriesContext(connection) as context:
            reminders_run_group(group="training", today=today)
        return len(context)

    one = queries(date(2026, 6, 10))
    for n in range(6):
        other = enrol(course["cohort"], email_allowed=bool(n % 2), email=f"t{n}@example.org")
        _account(other.person, email=f"trainee{n}@example.org")
    many = queries(date(2026, 6, 11))

    assert many == one
