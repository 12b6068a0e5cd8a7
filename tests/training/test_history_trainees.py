"""A programme's past trainees brought in from the Trainees sheet of its
history workbook: attendance, portfolio dates and outcomes land on the days
they happened, a pass years ago makes the trainee eligible for paid posts
from that day, loading the same rows again changes nothing, and a bad row
is refused in plain words with nothing written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from deployment.selectors import eligible_from
from peerprog.core.import_reading import ImportRefused
from peerprog.core.models import Person, Role
from peerprog.core.outbox.models import OutboxEmail
from peerprog.core.reminders.models import Reminder
from peerprog.core.workbook import NEW, UNCHANGED, UPDATE
from tests.core.factories import UserFactory
from tests.training.history_helpers import accepted, load_trainees, past_cohort, trainees_sheet
from training import selectors
from training.models import (
    Assessment,
    Attendance,
    CourseSession,
    Enrolment,
    PortfolioDraft,
    PortfolioSubmission,
)
from training.services.portfolio import NO_FILE

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = TODAY - timedelta(days=800)
DRAFT = START + timedelta(weeks=6)
FINAL = START + timedelta(weeks=12)
MARKED = FINAL + timedelta(days=14)


@pytest.fixture
def lead(programme):
    return UserFactory(
        programme=programme,
        roles=[Role.PROGRAMME_LEAD],
        full_name="Priya Lead",
        email="priya.lead@example.org",
    )


@pytest.fixture
def assessors(programme):
    first = UserFactory(
        programme=programme,
        roles=[Role.FACILITATOR, Role.ASSESSOR],
        full_name="Ruth Facilitator",
        email="ruth@example.org",
    )
    second = UserFactory(
        programme=programme,
        roles=[Role.ASSESSOR],
        full_name="Martin Inclusion",
        email="martin@example.org",
    )
    return first, second


@pytest.fixture
def cohort(programme, lead, assessors):
    cohort = past_cohort(programme=programme, by=lead, start=START, name="Spring 2024")
    people = [
        ("Ada", "Ames", "ada@example.org"),
        ("Ben", "Booth", "ben@example.org"),
        ("Cai", "Cole", "cai@example.org"),
        ("Dee", "Dunn", "dee@example.org"),
        ("Eve", "Eden", "eve@example.org"),
    ]
    for first, last, email in people:
        accepted(
            cohort=cohort,
            by=lead,
            accepted_on=START - timedelta(days=14),
            first_name=first,
            last_name=last,
            email=email,
        )
    accepted(
        cohort=cohort,
        by=lead,
        accepted_on=START - timedelta(days=14),
        first_name="Fay",
        last_name="Ford",
        date_of_birth=date(1980, 5, 17),
    )
    return cohort


def _row(email: str, **values) -> dict:
    return {
        "cohort": "Spring 2024",
        "email": email,
        "first_assessor": "ruth@example.org",
        "second_assessor": "martin@example.org",
        **values,
    }


PASSED_ON = MARKED
MODERATED_ON = MARKED + timedelta(days=5)
REFERRED_ON = MARKED
RESUBMITTED_ON = MARKED + timedelta(days=21)
SECOND_DECISION = RESUBMITTED_ON + timedelta(days=10)
FAY_LEFT = START + timedelta(weeks=4)


def _rows() -> list[dict]:
    portfolio = {"sessions_attended": 12, "draft_on": DRAFT, "final_on": FINAL}
    return [
        _row("ada@example.org", **portfolio, outcome="Pass", marked_on=MARKED, passed_on=PASSED_ON),
        _row(
            "BEN@example.org",
            **portfolio,
            outcome="Pass",
            marked_on=MARKED,
            moderated_on=MODERATED_ON,
            passed_on=MODERATED_ON,
        ),
        _row(
            "cai@example.org",
            **portfolio,
            outcome="Pass",
            referred_on=REFERRED_ON,
            resubmitted_on=RESUBMITTED_ON,
            passed_on=SECOND_DECISION,
        ),
        _row(
            "dee@example.org",
            **portfolio,
            outcome="Referral",
            referred_on=REFERRED_ON,
            resubmitted_on=RESUBMITTED_ON,
            reason="Portfolio incomplete",
            left_on=SECOND_DECISION,
        ),
        _row(
            "eve@example.org",
            sessions_attended=9,
            draft_on=DRAFT,
            reason="Portfolio not submitted",
            left_on=FINAL + timedelta(days=28),
        ),
        _row(
            "",
            first_name="Fay",
            last_name="Ford",
            date_of_birth=date(1980, 5, 17),
            sessions_attended=3,
            reason="Left the programme: paid employment elsewhere",
            left_on=FAY_LEFT,
        ),
    ]


def _enrolment(cohort, first_name: str) -> Enrolment:
    return Enrolment.objects.get(cohort=cohort, person__first_name=first_name)


def _counts() -> dict[str, int]:
    models = (Enrolment, Attendance, CourseSession, PortfolioDraft, PortfolioSubmission, Assessment)
    counts = {m.__name__: m.objects.count() for m in models}
    counts.update({f"{m.__name__} history": m.history.count() for m in models})
    counts["outbox"] = OutboxEmail.objects.count()
    counts["reminders"] = Reminder.objects.count()
    return counts


def test_trainees_load_with_their_outcomes_on_the_days_they_happened(cohort, lead, assessors):
    report = load_trainees(trainees_sheet(_rows()), programme=cohort.programme, by=lead)

    assert [row.action for row in report.rows] == [NEW] * 6
    statuses = {e.person.first_name: e.status for e in Enrolment.objects.filter(cohort=cohort)}
    assert statuses == {
        "Ada": Enrolment.Status.COMPLETED,
        "Ben": Enrolment.Status.COMPLETED,
        "Cai": Enrolment.Status.COMPLETED,
        "Dee": Enrolment.Status.NOT_COMPLETED,
        "Eve": Enrolment.Status.NOT_COMPLETED,
        "Fay": Enrolment.Status.NOT_COMPLETED,
    }
    assert _enrolment(cohort, "Ada").passed_on == PASSED_ON
    assert _enrolment(cohort, "Ben").passed_on == MODERATED_ON
    assert _enrolment(cohort, "Cai").passed_on == SECOND_DECISION
    dee = _enrolment(cohort, "Dee")
    assert (dee.non_completion_reason.label, dee.ended_on) == (
        "Portfolio incomplete",
        SECOND_DECISION,
    )
    fay = _enrolment(cohort, "Fay")
    assert fay.ended_on == FAY_LEFT
    first = PortfolioSubmission.objects.get(enrolment__person__first_name="Ada", attempt=1)
    assert (first.submitted_on, first.decided_on, first.is_late) == (FINAL, MARKED, False)
    assert PortfolioDraft.objects.get(enrolment__person__first_name="Eve").received_on == DRAFT


def test_a_pass_two_years_ago_makes_the_trainee_eligible_from_that_day(cohort, lead, assessors):
    load_trainees(trainees_sheet(_rows()), programme=cohort.programme, by=lead)

    people = {p.first_name: p for p in Person.objects.filter(programme=cohort.programme)}
    assert eligible_from(person=people["Ada"]) == PASSED_ON
    assert eligible_from(person=people["Ben"]) == MODERATED_ON
    assert eligible_from(person=people["Cai"]) == SECOND_DECISION
    assert eligible_from(person=people["Dee"]) is None
    assert (TODAY - PASSED_ON).days > 365


def test_the_cohort_shows_the_completed_count_and_the_non_completions(cohort, lead, assessors):
    load_trainees(trainees_sheet(_rows()), programme=cohort.programme, by=lead)

    listed = selectors.cohort_list(user=lead).get(pk=cohort.pk)
    assert (listed.trainees, listed.completed, listed.not_completed) == (6, 3, 3)
    assert (listed.portfolio_not_completed, listed.left) == (2, 1)
    assert selectors.non_completion_breakdown(user=lead, cohort=cohort) == [
        ("Portfolio incomplete", 1),
        ("Portfolio not submitted", 1),
        ("Left: paid employment elsewhere", 1),
    ]


def test_attendance_is_marked_on_the_cohorts_timetable(cohort, lead, assessors):
    load_trainees(trainees_sheet(_rows()), programme=cohort.programme, by=lead)

    sessions = CourseSession.objects.filter(cohort=cohort)
    assert sessions.count() == 14
    progress = selectors.progress_for_enrolments(
        enrolment_ids=[_enrolment(cohort, n).pk for n in ("Ada", "Eve", "Fay")]
    )
    figures = sorted((p.sessions_attended, p.sessions_counted) for p in progress.values())
    # Fay left in week 4: she was on the course for the sessions held by then.
    fay_held = sessions.filter(date__lte=FAY_LEFT).count()
    assert figures == sorted([(12, 14), (9, 14), (3, fay_held)])
    first_three = sessions.order_by("date", "starts_at")[:3]
    assert set(
        Attendance.objects.filter(
            enrolment__person__first_name="Fay", status="present"
        ).values_list("session__date", flat=True)
    ) == {s.date for s in first_three}


def test_loading_the_same_rows_again_changes_nothing(cohort, lead, assessors):
    content = trainees_sheet(_rows())
    load_trainees(content, programme=cohort.programme, by=lead)
    before = _counts()

    report = load_trainees(content, programme=cohort.programme, by=lead)

    assert [row.action for row in report.rows] == [UNCHANGED] * 6
    assert _counts() == before


def test_the_preview_writes_nothing_and_nothing_is_sent(cohort, lead, assessors):
    before = _counts()

    report = load_trainees(
        trainees_sheet(_rows()), programme=cohort.programme, by=lead, write=False
    )

    assert [row.action for row in report.rows] == [NEW] * 6
    assert _counts() == before
    load_trainees(trainees_sheet(_rows()), programme=cohort.programme, by=lead)
    after = _counts()
    assert (after["outbox"], after["reminders"]) == (before["outbox"], before["reminders"])


def _refusal(cohort, lead, rows) -> list[str]:
    before = _counts()
    with pytest.raises(ImportRefused):
        load_trainees(trainees_sheet(rows), programme=cohort.programme, by=lead)
    assert _counts() == before
    report = load_trainees(trainees_sheet(rows), programme=cohort.programme, by=lead, write=False)
    return [str(error) for error in report.errors]


def test_a_mark_before_the_portfolio_was_received_is_refused(cohort, lead, assessors):
    rows = _rows()
    rows[0]["marked_on"] = FINAL - timedelta(days=1)
    rows[0]["passed_on"] = FINAL - timedelta(days=1)

    errors = _refusal(cohort, lead, rows)

    assert any(
        "the Trainees sheet, row 2" in e
        and "Marked on" in e
        and f"is before the final portfolio was received ({FINAL:%-d %B %Y})" in e
        for e in errors
    ), errors


def test_a_resubmission_before_the_referral_is_refused(cohort, lead, assessors):
    rows = _rows()
    rows[2]["resubmitted_on"] = REFERRED_ON - timedelta(days=2)

    errors = _refusal(cohort, lead, rows)

    assert any(
        "row 4" in e and "Resubmitted on" in e and "is before the referral" in e for e in errors
    ), errors


def test_leaving_before_the_cohort_started_is_refused(cohort, lead, assessors):
    rows = _rows()
    rows[5]["left_on"] = START - timedelta(days=3)

    errors = _refusal(cohort, lead, rows)

    assert any(
        "row 7" in e
        and "Left on" in e
        and f"is before the cohort's training started ({START:%-d %B %Y})" in e
        for e in errors
    ), errors


def test_a_pass_in_the_future_or_with_a_leaving_day_is_refused(cohort, lead, assessors):
    rows = _rows()
    rows[0]["passed_on"] = TODAY + timedelta(days=3)
    rows[1]["left_on"] = MODERATED_ON
    rows[1]["reason"] = "Portfolio incomplete"

    errors = _refusal(cohort, lead, rows)

    assert any("row 2" in e and "Passed on" in e and "is in the future" in e for e in errors)
    assert any("row 3" in e and "completed the course" in e for e in errors), errors


def test_someone_without_a_place_on_the_cohort_is_refused(cohort, lead, assessors):
    rows = [_row("nobody@example.org", sessions_attended=3)]

    errors = _refusal(cohort, lead, rows)

    assert any("E-mail" in e and "no applicant nobody@example.org" in e for e in errors), errors


def test_leaving_before_being_enrolled_is_refused_in_the_import(programme, lead, assessors):
    cohort = past_cohort(programme=programme, by=lead, start=START, name="Spring 2024")
    accepted(
        cohort=cohort,
        by=lead,
        accepted_on=START + timedelta(weeks=3),
        first_name="Gus",
        last_name="Grey",
        email="gus@example.org",
    )
    rows = [
        _row(
            "gus@example.org",
            reason="Left the programme: further study",
            left_on=START + timedelta(weeks=2),
        )
    ]

    errors = _refusal(cohort, lead, rows)

    assert any("Left on" in e and "is before the trainee was enrolled" in e for e in errors), errors


def test_a_portfolio_from_the_history_shows_on_the_trainee_page_without_a_file(
    client, cohort, lead, assessors
):
    load_trainees(trainees_sheet(_rows()), programme=cohort.programme, by=lead)
    ada = _enrolment(cohort, "Ada")
    submission = PortfolioSubmission.objects.get(enrolment=ada, attempt=1)
    client.force_login(lead)

    page = client.get(reverse("training:trainee", args=[ada.pk])).content.decode()
    download = client.get(reverse("training:submission-file", args=[submission.pk]))

    assert escape(NO_FILE) in page
    assert f"{FINAL:%-d %B %Y}" in page or f"{FINAL:%-d %b %Y}" in page
    assert reverse("training:submission-file", args=[submission.pk]) not in page
    assert download.status_code == 404


def test_a_later_row_adds_the_outcome_to_what_is_on_record(cohort, lead, assessors):
    early = [_row("ada@example.org", sessions_attended=12, draft_on=DRAFT, final_on=FINAL)]
    load_trainees(trainees_sheet(early), programme=cohort.programme, by=lead)
    assert _enrolment(cohort, "Ada").status == Enrolment.Status.ACTIVE

    report = load_trainees(trainees_sheet(_rows()[:1]), programme=cohort.programme, by=lead)

    assert [row.action for row in report.rows] == [UPDATE]
    ada = _enrolment(cohort, "Ada")
    assert (ada.status, ada.passed_on) == (Enrolment.Status.COMPLETED, PASSED_ON)
    assert PortfolioSubmission.objects.filter(enrolment=ada).count() == 1


def test_a_row_that_disagrees_with_the_record_is_refused(cohort, lead, assessors):
    load_trainees(trainees_sheet(_rows()), programme=cohort.programme, by=lead)
    rows = _rows()
    rows[0]["sessions_attended"] = 7

    errors = _refusal(cohort, lead, rows)

    assert any(
        "row 2" in e
        and "Sessions attended" in e
        and "The registers already record 12 sessions attended" in e
        for e in errors
    ), errors


def test_only_a_lead_or_hr_may_import_the_non_completion_reason(cohort, lead, assessors):
    facilitator = assessors[0]

    errors = _refusal(cohort, facilitator, _rows()[4:5])

    assert any(
        "Non-completion reason" in e and "Only a programme lead or HR may import" in e
        for e in errors
    ), errors


def test_rows_without_the_reasons_match_the_trainees_who_left(cohort, lead, assessors):
    load_trainees(trainees_sheet(_rows()), programme=cohort.programme, by=lead)
    rows = [{**row, "reason": ""} for row in _rows()]

    report = load_trainees(trainees_sheet(rows), programme=cohort.programme, by=assessors[0])

    assert [row.action for row in report.rows] == [UNCHANGED] * 6
