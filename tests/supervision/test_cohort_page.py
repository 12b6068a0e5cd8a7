"""The lead's page of one cohort's mentoring shows 50 trainees a page, by
surname, with figures counted over the whole cohort, and lists of those
behind or without a mentor whose paging links keep the list."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import MentorAssignment
from supervision.selectors import cohort_rows
from supervision.selectors.compliance import meetings_expected_by
from tests.supervision.factories import lead_of, leave, log_meeting, mentor
from tests.training.factories import CohortFactory, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort_of_55(programme):
    """55 trainees half way through a 12-week course, named so the 51st by
    surname is Trainee 50. Trainees 00 to 02 have no mentor (and 01 left the
    course); Grace mentors the rest. Only Trainee 10 has had a meeting, so
    every other trainee still on the course is behind."""
    today = timezone.localdate()
    cohort = CohortFactory(
        programme=programme,
        training_start=today - timedelta(days=42),
        training_end=today + timedelta(days=42),
    )
    grace = mentor(programme, "Grace Okafor", capacity=60)
    lead = lead_of(programme)
    trainees = [enrol(cohort, first_name="Sam", last_name=f"Trainee {n:02d}") for n in range(55)]
    # Written directly: the assignment service is tested elsewhere.
    MentorAssignment.objects.bulk_create(
        MentorAssignment(
            enrolment=t, mentor=grace, started_on=cohort.training_start, assigned_by=lead
        )
        for t in trainees[3:]
    )
    log_meeting(trainees[10], grace, today - timedelta(days=7))
    leave(trainees[1])
    return {"cohort": cohort, "lead": lead}


def _page(client, cohort, query=""):
    return client.get(reverse("supervision:cohort", args=[cohort.pk]) + query)


def _names(response):
    return [row.enrolment.person.last_name for row in response.context["summary"].rows]


def test_the_cohort_page_shows_fifty_trainees_a_page_by_surname(client, cohort_of_55):
    client.force_login(cohort_of_55["lead"])

    first = _page(client, cohort_of_55["cohort"])
    second = _page(client, cohort_of_55["cohort"], "?page=2")

    assert _names(first) == [f"Trainee {n:02d}" for n in range(50)]
    assert _names(second) == [f"Trainee {n}" for n in range(50, 55)]
    page = second.content.decode()
    assert "Trainees, by surname: 51 to 55 of 55" in page
    assert '<span class="page-link" aria-current="page">Page 2 of 2</span>' in page


def test_the_cohort_figures_count_every_trainee(client, cohort_of_55):
    client.force_login(cohort_of_55["lead"])

    first = _page(client, cohort_of_55["cohort"])
    second = _page(client, cohort_of_55["cohort"], "?page=2")

    summary = second.context["summary"]
    assert summary.trainees == 55
    assert summary.states == {"behind": 53, "on_track": 1, "ended": 1}
    assert (summary.mentors, summary.mentors_with_several, summary.without_mentor) == (1, 1, 2)
    # The figures agree with each row's own state.
    rows = first.context["summary"].rows + summary.rows
    assert Counter(row.mentoring.state for row in rows) == summary.states
    assert sum(1 for row in rows if row.mentor is None) == 3
    assert rows[3].mentor.full_name == "Grace Okafor"


def test_the_behind_list_keeps_its_filter_from_page_to_page(client, cohort_of_55):
    client.force_login(cohort_of_55["lead"])

    first = _page(client, cohort_of_55["cohort"], "?show=behind")
    second = _page(client, cohort_of_55["cohort"], "?show=behind&page=2")

    # Trainee 01 left the course; Trainee 10 is on track.
    assert "Trainee 01" not in _names(first)
    assert "Trainee 10" not in _names(first)
    assert len(_names(first)) == 50
    assert _names(second) == ["Trainee 52", "Trainee 53", "Trainee 54"]
    assert all(row.mentoring.state == "behind" for row in second.context["summary"].rows)
    page = first.content.decode()
    assert '<nav aria-label="Pages of trainees behind">' in page
    assert 'href="?show=behind&amp;page=2"' in page
    assert 'aria-current="page">Behind</a>' in page
    assert "Trainees behind, by surname: 1 to 50 of 53" in page
    assert 'href="?show=behind&amp;page=1"' in second.content.decode()


def test_the_list_of_trainees_without_a_mentor(client, cohort_of_55):
    client.force_login(cohort_of_55["lead"])

    response = _page(client, cohort_of_55["cohort"], "?show=unmentored")

    # Trainee 01 left the course: no mentor is needed.
    assert _names(response) == ["Trainee 00", "Trainee 02"]
    assert response.context["summary"].trainees == 55
    assert "Pages of" not in response.content.decode()


def test_an_empty_list_says_so_and_offers_everyone(client, programme):
    today = timezone.localdate()
    cohort = CohortFactory(
        programme=programme,
        training_start=today + timedelta(days=7),
        training_end=today + timedelta(days=91),
    )
    enrol(cohort)
    client.force_login(lead_of(programme))

    response = _page(client, cohort, "?show=behind&page=3")

    assert response.status_code == 200
    assert response.context["summary"].rows == []
    assert (
        'No trainee in this cohort is behind. <a href="?">Show all the trainees</a>'
        in response.content.decode()
    )
    assert _page(client, cohort, "?show=nonsense").context["show"] == ""


needs_postgresql = pytest.mark.skipif(
    not cohort_rows.in_one_statement(), reason="the single statement is PostgreSQL's"
)


@needs_postgresql
@pytest.mark.parametrize("show", ["", "behind", "unmentored"])
def test_the_single_statement_reads_the_rows_the_orm_reads(cohort_of_55, show):
    """On PostgreSQL one statement reads the page and counts the list; the
    embedded demo's SQLite reads the same rows through the ORM."""
    cohort = cohort_of_55["cohort"]
    expected = meetings_expected_by(
        start=cohort.training_start,
        end=cohort.training_end,
        minimum=3,
        today=timezone.localdate(),
    )
    listed = cohort_rows.listed(cohort=cohort, show=show, expected=expected)
    total = listed.count()
    for offset in (0, 50, 100):
        through_orm = cohort_rows._rows_through_orm(listed, offset=offset)
        rows, counted = cohort_rows._rows_in_one_statement(
            cohort=cohort, show=show, expected=expected, offset=offset
        )
        assert rows == through_orm
        assert counted == (total if rows else None)
    assert total == {"": 55, "behind": 53, "unmentored": 2}[show]


@needs_postgresql
@pytest.mark.parametrize(
    "query", ["", "?page=2", "?page=99", "?show=behind&page=2", "?show=unmentored"]
)
def test_the_page_is_the_same_through_the_orm(client, cohort_of_55, monkeypatch, query):
    client.force_login(cohort_of_55["lead"])
    one_statement = _page(client, cohort_of_55["cohort"], query)
    monkeypatch.setattr(cohort_rows, "in_one_statement", lambda: False)
    through_orm = _page(client, cohort_of_55["cohort"], query)

    assert one_statement.context["summary"].rows == through_orm.context["summary"].rows
    assert one_statement.content == through_orm.content.replace(
        through_orm.context["csrf_token"].encode(), one_statement.context["csrf_token"].encode()
    )
