"""The lead's supervision and mentoring overviews show a page of rows at a
time, with figures counted over everyone, and paging links that keep the
list's filter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peerprog.dashboard.services import dashboard_figures_refresh
from supervision import selectors
from supervision.models import CohortMentoring
from supervision.selectors import cohort_rows, listed
from tests.supervision.factories import (
    assign,
    employed,
    lead_of,
    leave,
    log_meeting,
    mentor,
    record_session,
    supervise,
    supervisor,
)
from tests.training.factories import CohortFactory, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(programme):
    """55 peer workers in post, named so the 51st in order is Worker 50; the
    first three have no supervisor."""
    sam = supervisor(programme, "Sam Rivers")
    started = timezone.localdate() - timedelta(days=90)
    workers = [
        employed(programme, first_name="Pat", last_name=f"Worker {n:02d}") for n in range(55)
    ]
    for worker in workers[3:]:
        supervise(worker, sam, on=started, frequency_days=28)
    return {"sam": sam, "workers": workers}


def test_the_supervision_overview_shows_fifty_people_a_page(client, crowd, programme):
    client.force_login(lead_of(programme))

    first = client.get(reverse("supervision:supervision"))
    second = client.get(reverse("supervision:supervision") + "?page=2")

    assert len(first.context["rows"]) == 50
    assert [row.person.last_name for row in second.context["rows"]] == [
        f"Worker {n}" for n in range(50, 55)
    ]


def test_the_supervision_overviews_figures_count_everyone_in_post(client, crowd, programme):
    client.force_login(lead_of(programme))

    page = client.get(reverse("supervision:supervision") + "?page=2").content.decode()

    # Nobody has had a session in 90 days: the 52 supervised are all overdue.
    assert "52 overdue; 3 without a supervisor." in page
    assert "Showing 51 to 55 of 55." in page


def test_the_paging_links_keep_the_overdue_filter(client, crowd, programme):
    client.force_login(lead_of(programme))

    page = client.get(reverse("supervision:supervision") + "?show=overdue").content.decode()

    assert '<nav aria-label="Pages of peer workers overdue for supervision">' in page
    assert 'href="?show=overdue&amp;page=2"' in page
    assert '<span class="page-link" aria-current="page">Page 1 of 2</span>' in page


def test_the_overdue_list_follows_the_one_overdue_rule(client, programme):
    sam = supervisor(programme, "Sam Rivers")
    today = timezone.localdate()
    long_ago = today - timedelta(days=80)
    never_met = employed(programme, last_name="Never Met")
    supervise(never_met, sam, on=today - timedelta(days=50), frequency_days=14)
    just_started = employed(programme, last_name="Just Started")
    supervise(just_started, sam, on=today - timedelta(days=5), frequency_days=14)
    met_lately = employed(programme, last_name="Met Lately")
    supervise(met_lately, sam, on=long_ago, frequency_days=14)
    record_session(sam, [met_lately], held_on=today - timedelta(days=3))
    met_long_ago = employed(programme, last_name="Met Long Ago")
    supervise(met_long_ago, sam, on=long_ago, frequency_days=14)
    record_session(sam, [met_long_ago], held_on=today - timedelta(days=20))
    employed(programme, last_name="Unsupervised")
    client.force_login(lead_of(programme))

    everyone = client.get(reverse("supervision:supervision")).context["rows"]
    overdue = client.get(reverse("supervision:supervision") + "?show=overdue")

    assert [row.person.last_name for row in overdue.context["rows"]] == [
        "Met Long Ago",
        "Never Met",
    ]
    assert [row.person.last_name for row in everyone if row.overdue] == [
        "Met Long Ago",
        "Never Met",
    ]
    assert overdue.context["overdue"] == 2
    assert overdue.context["unassigned"] == 1


def test_the_supervision_overview_counts_no_one_from_another_programme(
    client, programme, other_programme
):
    employed(programme, last_name="Ours")
    employed(other_programme, last_name="Theirs")
    client.force_login(lead_of(programme))

    response = client.get(reverse("supervision:supervision"))

    assert [row.person.last_name for row in response.context["rows"]] == ["Ours"]
    assert response.context["unassigned"] == 1


def test_the_mentoring_overview_counts_as_the_cohort_summary_does(client, programme):
    today = timezone.localdate()
    cohort = CohortFactory(
        programme=programme,
        training_start=today - timedelta(days=42),
        training_end=today + timedelta(days=42),
    )
    grace = mentor(programme, "Grace Okafor", capacity=5)
    daniel = mentor(programme, "Daniel Hughes")
    met = enrol(cohort, last_name="Met")
    assign(met, grace)
    for days in (35, 21, 7):
        log_meeting(met, grace, today - timedelta(days=days))
    on_track = enrol(cohort, last_name="On Track")
    assign(on_track, grace)
    log_meeting(on_track, grace, today - timedelta(days=7))
    behind = enrol(cohort, last_name="Behind")
    assign(behind, daniel)
    enrol(cohort, last_name="Unmentored")
    leave(enrol(cohort, last_name="Left"))
    lead = lead_of(programme)
    client.force_login(lead)

    (overview,) = client.get(reverse("supervision:mentoring")).context["summaries"]
    summary = selectors.cohort_summary(user=lead, cohort=cohort)

    assert overview.states == summary.states
    assert overview.states == {"met": 1, "on_track": 1, "behind": 2, "ended": 1}
    assert (overview.mentors, overview.mentors_with_several, overview.without_mentor) == (
        summary.mentors,
        summary.mentors_with_several,
        summary.without_mentor,
    )
    assert (overview.mentors, overview.mentors_with_several, overview.without_mentor) == (2, 1, 1)


def test_the_mentoring_overview_shows_fifty_cohorts_a_page(client, programme):
    start = timezone.localdate() - timedelta(days=7)
    for n in range(51):
        cohort = CohortFactory(
            programme=programme,
            name=f"Cohort {n:02d}",
            training_start=start - timedelta(weeks=n),
            training_end=start - timedelta(weeks=n) + timedelta(weeks=12),
        )
        enrol(cohort)
    client.force_login(lead_of(programme))

    first = client.get(reverse("supervision:mentoring"))
    second = client.get(reverse("supervision:mentoring") + "?page=2")

    assert len(first.context["summaries"]) == 50
    assert [s.cohort.name for s in second.context["summaries"]] == ["Cohort 50"]
    assert 'aria-current="page">Page 2 of 2</span>' in second.content.decode()


@pytest.mark.skipif(not listed.in_one_statement(), reason="the single statement is PostgreSQL's")
@pytest.mark.parametrize("query", ["", "?page=2", "?show=overdue", "?show=overdue&page=9"])
def test_the_supervision_overview_is_the_same_through_the_orm(
    client, crowd, programme, monkeypatch, query
):
    """On PostgreSQL one statement reads the page of people; the embedded
    demo's SQLite reads the same rows through the ORM."""
    sam = crowd["sam"]
    today = timezone.localdate()
    # Some met lately, some long ago.
    record_session(sam, crowd["workers"][3:20], held_on=today - timedelta(days=3))
    record_session(sam, crowd["workers"][20:30], held_on=today - timedelta(days=40))
    client.force_login(lead_of(programme))
    url = reverse("supervision:supervision") + query

    one_statement = client.get(url)
    monkeypatch.setattr(listed, "in_one_statement", lambda: False)
    through_orm = client.get(url)

    assert one_statement.context["rows"] == through_orm.context["rows"]
    assert one_statement.context["rows"]
    assert one_statement.content == through_orm.content.replace(
        through_orm.context["csrf_token"].encode(), one_statement.context["csrf_token"].encode()
    )


@pytest.mark.skipif(not cohort_rows.in_one_statement(), reason="the kept SQL is PostgreSQL's")
@pytest.mark.parametrize("stored", [False, True], ids=["counted", "stored"])
def test_the_mentoring_overview_is_the_same_through_the_orm(client, programme, monkeypatch, stored):
    """On PostgreSQL the overview's cohorts are read through kept SQL; the
    embedded demo's SQLite reads the same through the ORM, stored figures
    and minimums included."""
    start = timezone.localdate() - timedelta(days=42)
    grace = mentor(programme, "Grace Okafor", capacity=60)
    for n in range(51):
        cohort = CohortFactory(
            programme=programme,
            name=f"Cohort {n:02d}",
            training_start=start - timedelta(weeks=n),
            training_end=start - timedelta(weeks=n) + timedelta(weeks=12),
        )
        if n % 2:
            CohortMentoring.objects.create(cohort=cohort, minimum_meetings=n % 5 + 1)
        trainee = enrol(cohort)
        if n % 3:
            assign(trainee, grace)
            log_meeting(trainee, grace, start + timedelta(days=n % 7))
    if stored:
        dashboard_figures_refresh(programme=programme)
    client.force_login(lead_of(programme))

    for query in ("", "?page=2"):
        url = reverse("supervision:mentoring") + query
        monkeypatch.setattr(cohort_rows, "in_one_statement", lambda: True)
        kept = client.get(url)
        monkeypatch.setattr(cohort_rows, "in_one_statement", lambda: False)
        through_orm = client.get(url)

        assert kept.context["summaries"]
        assert (kept.context["as_of"] is not None) == stored
        assert [
            (s.cohort.pk, s.minimum, s.states, s.mentors, s.without_mentor, s.as_of)
            for s in kept.context["summaries"]
        ] == [
            (s.cohort.pk, s.minimum, s.states, s.mentors, s.without_mentor, s.as_of)
            for s in through_orm.context["summaries"]
        ]
        assert kept.content == through_orm.content.replace(
            through_orm.context["csrf_token"].encode(), kept.context["csrf_token"].encode()
        )
