"""The mentor's, the supervisor's and the lead's lists cost the same number
of queries for 10 people as for 200: nothing is looked up row by row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.dashboard.models import CohortFigures
from peerprog.dashboard.services import dashboard_figures_refresh
from supervision.models import (
    CohortMentoring,
    MentorAssignment,
    MentorMeeting,
    SupervisionAssignment,
    SupervisionAttendance,
    SupervisionSession,
    WellbeingPlan,
)
from supervision.selectors import listed, mentee_cards
from tests.supervision.factories import employed, lead_of, mentor, supervisor
from tests.training.factories import enrol, past_session
from training import services as training_services

pytestmark = pytest.mark.django_db

SIZES = [10, 200]


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-mentees")
def busy(request, cohort, course_lead, programme):
    """One mentor with N mentees (a register filled in, meetings logged for
    most), and a few other mentors with a trainee each."""
    size = request.param
    grace = mentor(programme, "Grace Okafor", capacity=10)
    others = [mentor(programme, f"Mentor {n}") for n in range(3)]
    trainees = [enrol(cohort) for _ in range(size)]
    session = past_session(cohort, days_ago=14)
    training_services.attendance_record(
        session=session,
        marks={t.pk: ("present" if i % 4 else "absent") for i, t in enumerate(trainees)},
        by=course_lead,
    )
    # Written directly: the services are tested elsewhere, and going through
    # them 200 times would only slow the test down.
    start = cohort.training_start
    assignments = MentorAssignment.objects.bulk_create(
        MentorAssignment(
            enrolment=t,
            mentor=others[i % 3] if i < 3 else grace,
            started_on=start,
            assigned_by=course_lead,
        )
        for i, t in enumerate(trainees)
    )
    MentorMeeting.objects.bulk_create(
        MentorMeeting(
            assignment=a,
            held_on=start + timedelta(days=7 * n),
            minutes=45,
            recorded_by=a.mentor,
            next_meeting_on=start + timedelta(days=7 * n + 14),
        )
        for i, a in enumerate(assignments)
        for n in range(i % 4)
    )
    return {"mentor": grace, "lead": lead_of(programme), "cohort": cohort, "size": size}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    # Warm the session and the user's roles so only the page is counted. Not
    # on the home page: a lead's home stores the cohorts' figures when there
    # are none, and these tests count the pages without them first.
    client.get(reverse("core:about"))
    return client


def test_the_mentors_page_takes_a_fixed_number_of_queries(busy, django_assert_num_queries):
    client = _client(busy["mentor"])
    with django_assert_num_queries(MY_MENTEES):
        response = client.get(reverse("supervision:my-mentees"))
    assert len(response.context["cards"]) == busy["size"] - 3


def _card(card) -> tuple:
    enrolment = card.enrolment
    return (
        card.assignment.pk,
        enrolment.pk,
        enrolment.person.display_name,
        enrolment.cohort.name,
        card.mentoring,
        card.progress,
        card.last_contact_on,
        card.next_meeting_on,
    )


@pytest.mark.skipif(
    not mentee_cards.in_one_statement(), reason="the single statement is PostgreSQL's"
)
def test_the_mentors_page_is_the_same_through_the_orm(busy, monkeypatch):
    """On PostgreSQL one statement reads the mentor's mentees; the embedded
    demo's SQLite reads the same through the ORM."""
    client = _client(busy["mentor"])
    one_statement = client.get(reverse("supervision:my-mentees"))
    monkeypatch.setattr(mentee_cards, "in_one_statement", lambda: False)
    through_orm = client.get(reverse("supervision:my-mentees"))

    cards = [_card(card) for card in one_statement.context["cards"]]
    assert cards == [_card(card) for card in through_orm.context["cards"]]
    assert len({card[4].state for card in cards}) > 1
    assert one_statement.content == through_orm.content.replace(
        through_orm.context["csrf_token"].encode(), one_statement.context["csrf_token"].encode()
    )


def test_the_cohort_summary_takes_a_fixed_number_of_queries(busy, django_assert_num_queries):
    client = _client(busy["lead"])
    with django_assert_num_queries(COHORT_SUMMARY):
        response = client.get(reverse("supervision:cohort", args=[busy["cohort"].pk]))
    assert len(response.context["summary"].rows) == min(busy["size"], 50)
    assert response.context["summary"].trainees == busy["size"]
    assert response.context["summary"].mentors == 4


def test_the_cohorts_filtered_last_page_takes_the_same_number_of_queries(
    busy, django_assert_num_queries
):
    client = _client(busy["lead"])
    url = reverse("supervision:cohort", args=[busy["cohort"].pk])
    for query in ("?page=99", "?show=behind&page=99"):
        with django_assert_num_queries(COHORT_SUMMARY):
            response = client.get(url + query)
        # Half the trainees have had fewer than the two meetings expected
        # eight weeks into the course.
        assert response.context["summary"].rows


def test_the_mentoring_overview_takes_a_fixed_number_of_queries(busy, django_assert_num_queries):
    client = _client(busy["lead"])
    with django_assert_num_queries(OVERVIEW):
        response = client.get(reverse("supervision:mentoring"))
    (summary,) = response.context["summaries"]
    assert summary.mentors == 4
    assert summary.without_mentor == 0
    assert sum(summary.states.values()) == busy["size"]


def _live_figures(client, cohort) -> tuple:
    summary = client.get(reverse("supervision:cohort", args=[cohort.pk])).context["summary"]
    return (
        summary.states,
        summary.mentors,
        summary.mentors_with_several,
        summary.without_mentor,
        summary.as_of,
    )


def test_stored_figures_spare_counting_every_trainee(busy, django_assert_num_queries):
    """Once the programme's figures are stored, the lead's mentoring pages
    read them rather than counting every trainee: fewer queries, the same
    figures, and their age on the page."""
    client = _client(busy["lead"])
    cohort = busy["cohort"]
    *live, as_of = _live_figures(client, cohort)
    assert as_of is None
    dashboard_figures_refresh(programme=cohort.programme)

    with django_assert_num_queries(COHORT_SUMMARY_STORED):
        response = client.get(reverse("supervision:cohort", args=[cohort.pk]))
    summary = response.context["summary"]
    assert [
        summary.states,
        summary.mentors,
        summary.mentors_with_several,
        summary.without_mentor,
    ] == live
    assert summary.as_of is not None
    assert b"Figures as of" in response.content
    assert len(summary.rows) == min(busy["size"], 50)
    assert response.context["page"].paginator.count == busy["size"]

    with django_assert_num_queries(OVERVIEW_STORED):
        response = client.get(reverse("supervision:mentoring"))
    (overview,) = response.context["summaries"]
    assert overview.states == summary.states
    assert overview.as_of == summary.as_of
    assert b"Figures as of" in response.content


def test_stored_figures_of_another_minimum_or_day_are_counted_again(busy):
    client = _client(busy["lead"])
    cohort = busy["cohort"]
    dashboard_figures_refresh(programme=cohort.programme)
    CohortFigures.objects.filter(cohort=cohort).update(
        counted_on=timezone.localdate() - timedelta(days=1)
    )
    assert _live_figures(client, cohort)[-1] is None

    dashboard_figures_refresh(programme=cohort.programme)
    CohortMentoring.objects.update_or_create(cohort=cohort, defaults={"minimum_meetings": 1})
    states, *_, as_of = _live_figures(client, cohort)
    assert as_of is None
    # With a minimum of one, everyone who had a meeting has met it.
    assert states["met"] == sum(1 for i in range(busy["size"]) if i % 4)


def test_the_mentor_list_takes_a_fixed_number_of_queries(busy, django_assert_num_queries):
    client = _client(busy["lead"])
    with django_assert_num_queries(MENTOR_LIST):
        response = client.get(reverse("supervision:mentors"))
    assert len(response.context["mentors"]) == 4


def test_the_assignment_page_takes_a_fixed_number_of_queries(busy, django_assert_num_queries):
    trainee = busy["cohort"].enrolments.order_by("pk").first()
    client = _client(busy["lead"])
    with django_assert_num_queries(ASSIGN_PAGE):
        response = client.get(reverse("supervision:mentor-assign", args=[trainee.pk]))
    assert response.status_code == 200


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-supervisees")
def supervising(request, course_lead, programme):
    """One supervisor with N peer workers in post, most with sessions (some
    in groups) and wellbeing plans; a few supervised by someone else."""
    size = request.param
    sam = supervisor(programme, "Sam Rivers")
    kim = supervisor(programme, "Kim Other")
    workers = [employed(programme) for _ in range(size)]
    today = timezone.localdate()
    SupervisionAssignment.objects.bulk_create(
        SupervisionAssignment(
            person=w,
            supervisor=kim if i < 2 else sam,
            cover_supervisor=kim if i >= 2 and i % 5 == 0 else None,
            frequency_days=28,
            started_on=today - timedelta(days=90),
            assigned_by=course_lead,
        )
        for i, w in enumerate(workers)
    )
    for start in range(2, size, 4):
        group = SupervisionSession.objects.create(
            programme=programme,
            kind="group",
            held_on=today - timedelta(days=start % 40),
            minutes=90,
            keeping_well=True,
            led_by=sam,
        )
        SupervisionAttendance.objects.bulk_create(
            SupervisionAttendance(session=group, person=w) for w in workers[start : start + 3]
        )
    WellbeingPlan.objects.bulk_create(
        WellbeingPlan(
            person=w,
            keeping_well="Breaks outside.",
            agreed_on=today - timedelta(days=30),
            review_due=today + timedelta(days=30),
            updated_by=sam,
        )
        for w in workers[::2]
    )
    return {"supervisor": sam, "cover": kim, "lead": lead_of(programme), "size": size}


def test_the_supervisors_page_takes_a_fixed_number_of_queries(
    supervising, django_assert_num_queries
):
    client = _client(supervising["supervisor"])
    with django_assert_num_queries(MY_SUPERVISEES):
        response = client.get(reverse("supervision:my-supervisees"))
    assert len(response.context["rows"]) == supervising["size"] - 2


def _shown(row) -> tuple:
    return (
        row.person.pk,
        row.person.display_name,
        row.assignment.pk,
        row.post,
        row.line_manager,
        row.last_session_on,
        row.next_due_on,
        row.overdue,
        row.is_cover,
        row.plan_review_due,
    )


@pytest.mark.skipif(not listed.in_one_statement(), reason="the single statement is PostgreSQL's")
@pytest.mark.parametrize("who", ["supervisor", "cover"])
def test_the_supervisors_page_is_the_same_through_the_orm(supervising, monkeypatch, who):
    """On PostgreSQL one statement reads the supervisor's supervisees; the
    embedded demo's SQLite reads the same through the ORM."""
    client = _client(supervising[who])
    one_statement = client.get(reverse("supervision:my-supervisees"))
    monkeypatch.setattr(listed, "in_one_statement", lambda: False)
    through_orm = client.get(reverse("supervision:my-supervisees"))

    rows = [_shown(row) for row in one_statement.context["rows"]]
    assert rows == [_shown(row) for row in through_orm.context["rows"]]
    assert rows and any(row[-2] for row in rows) == (who == "cover")
    assert one_statement.content == through_orm.content.replace(
        through_orm.context["csrf_token"].encode(), one_statement.context["csrf_token"].encode()
    )


def test_the_supervision_overview_takes_a_fixed_number_of_queries(
    supervising, django_assert_num_queries
):
    client = _client(supervising["lead"])
    with django_assert_num_queries(SUPERVISION_OVERVIEW):
        response = client.get(reverse("supervision:supervision"))
    assert len(response.context["rows"]) == min(supervising["size"], 50)
    assert response.context["page"].paginator.count == supervising["size"]


def test_the_supervision_overviews_last_page_takes_the_same_number_of_queries(
    supervising, django_assert_num_queries
):
    client = _client(supervising["lead"])
    with django_assert_num_queries(SUPERVISION_OVERVIEW):
        response = client.get(reverse("supervision:supervision") + "?page=99")
    assert response.context["page"].number == response.context["page"].paginator.num_pages


def test_the_overdue_list_takes_the_same_number_of_queries(supervising, django_assert_num_queries):
    client = _client(supervising["lead"])
    with django_assert_num_queries(SUPERVISION_OVERVIEW):
        response = client.get(reverse("supervision:supervision") + "?show=overdue&page=2")
    assert all(row.overdue for row in response.context["rows"])


# Measured once; the same for 10 and for 200 mentees. Each count covers the
# whole request: session, user (read with their programme), roles and the
# navigation as well as the page.
# My mentees: their course, meetings, latest submission and whether a draft
# came in are read with them (one statement on PostgreSQL), their attendance
# in one grouped query.
# The cohort's page: the cohort, its figures (trainees grouped by meetings
# held, and mentors), and a page of its trainees with their mentors.
# With the programme's figures stored, the cohort's page reads them with the
# cohort, and reads a page of its trainees counting the list with it (on
# PostgreSQL); the overview reads them with its page of cohorts.
# The supervisor's page: their supervisees with their supervision, last
# session, plan review and post in one statement (on PostgreSQL; SQLite
# reads their posts on their own).
# The supervision overview: the figures, and a page of people with their
# supervision, last session, plan review and post (on PostgreSQL; SQLite
# reads their posts on their own).
# On PostgreSQL the supervision overview's figures and page and the
# cohort's page of trainees are kept until a table they read changes: a
# page asks once for the version of the record of changes (first views
# here), and the statements themselves are not run again while nothing
# changed.
MY_MENTEES = 6
COHORT_SUMMARY = 9
COHORT_SUMMARY_STORED = 7
OVERVIEW = 8
OVERVIEW_STORED = 6
MENTOR_LIST = 5
ASSIGN_PAGE = 7
MY_SUPERVISEES = 5
SUPERVISION_OVERVIEW = 7
