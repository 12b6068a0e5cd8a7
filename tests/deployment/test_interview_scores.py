"""Interviews scored against the person specification by the panel's chair,
panel totals and rankings, and lived experience on panels."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deployment.models import Interview, InterviewScore
from deployment.selectors import interview_scores as score_selectors
from deployment.services import DeploymentError
from deployment.services import interview_scores as score_services
from tests.core.factories import UserFactory
from tests.core.once_helpers import FormClient
from tests.deployment.scoring_world import scored_day

pytestmark = pytest.mark.django_db

NO_LIVED_EXPERIENCE = "No one on Panel A is recorded as bringing lived experience"


def client_for(user) -> FormClient:
    client = FormClient()
    client.force_login(user)
    return client


def grid(world, *values):
    """Scores in reading order: criterion by criterion, member by member."""
    cells = [(m.pk, c.pk) for c in world["criteria"] for m in world["members"]]
    return dict(zip(cells, values, strict=True))


def test_the_panel_total_adds_every_members_score_for_every_criterion(programme, hr):
    world = scored_day(programme, hr, members=2, criteria=3)
    interview = world["interviews"][0]

    score_services.interview_scores_record(
        interview=interview, scores=grid(world, 3, 4, 2, 2, 1, 0), by=hr
    )
    sheet = score_selectors.score_sheet(user=hr, interview=interview)

    assert sheet.total == 12
    assert sheet.max_total == 24
    assert sheet.member_totals == {world["members"][0].pk: 6, world["members"][1].pk: 6}
    assert sheet.is_complete


def test_hr_sees_the_total_after_saving_scores_on_the_page(programme, hr):
    world = scored_day(programme, hr, members=2, criteria=2)
    interview = world["interviews"][0]
    data = {f"score_{m}_{c}": str(v) for (m, c), v in grid(world, 4, 3, 2, 1).items()}

    response = client_for(hr).post(
        reverse("deployment:interview-scores", args=[interview.pk]), data, follow=True
    )

    assert "Panel total: <strong>10</strong> of 16" in response.content.decode()
    assert InterviewScore.objects.filter(interview=interview, entered_by=hr).count() == 4


def test_a_cell_left_empty_is_not_scored_and_the_sheet_says_it_is_incomplete(programme, hr):
    world = scored_day(programme, hr, members=2, criteria=1)
    interview = world["interviews"][0]

    score_services.interview_scores_record(interview=interview, scores=grid(world, 2, None), by=hr)
    page = client_for(hr).get(reverse("deployment:interview-scores", args=[interview.pk]))

    assert "Panel total: <strong>2</strong> of 8 (not every score is entered yet)" in (
        page.content.decode()
    )


def test_a_score_off_the_scale_is_refused(programme, hr):
    world = scored_day(programme, hr, members=1, criteria=1)

    with pytest.raises(DeploymentError, match="from 0 to 4"):
        score_services.interview_scores_record(
            interview=world["interviews"][0], scores=grid(world, 5), by=hr
        )


def test_a_lead_who_does_not_chair_the_panel_cannot_enter_its_scores(programme, hr, lead):
    world = scored_day(programme, hr, members=1, criteria=1)

    with pytest.raises(DeploymentError, match="Only the panel's chair, or HR"):
        score_services.interview_scores_record(
            interview=world["interviews"][0], scores=grid(world, 2), by=lead
        )


def test_the_lead_who_chairs_the_panel_enters_scores_for_members_without_accounts(
    programme, hr, lead
):
    world = scored_day(programme, hr, members=2, criteria=1)
    score_services.panel_scoring_set(panel=world["panel"], chair=lead, lived_experience=[], by=hr)

    score_services.interview_scores_record(
        interview=world["interviews"][0], scores=grid(world, 2, 3), by=lead
    )

    assert set(InterviewScore.objects.values_list("entered_by", flat=True)) == {lead.pk}


def test_the_chair_must_be_hr_or_a_lead_of_the_programme(programme, hr):
    world = scored_day(programme, hr)
    mentor = UserFactory(programme=programme, roles=["Mentor"])

    with pytest.raises(DeploymentError, match="HR officer or a programme lead"):
        score_services.panel_scoring_set(
            panel=world["panel"], chair=mentor, lived_experience=[], by=hr
        )


def test_scores_cannot_change_once_the_decision_is_recorded(programme, hr):
    world = scored_day(programme, hr, members=1, criteria=1)
    interview = world["interviews"][0]
    Interview.objects.filter(pk=interview.pk).update(outcome=Interview.Outcome.NOT_APPOINTED)

    with pytest.raises(DeploymentError, match="can no longer change"):
        score_services.interview_scores_record(interview=interview, scores=grid(world, 1), by=hr)


def test_candidates_are_ranked_by_panel_total_and_equal_totals_share_a_rank(programme, hr):
    world = scored_day(programme, hr, members=1, criteria=2, candidates=4)
    for interview, values in zip(
        world["interviews"], ((1, 1), (4, 3), (3, 4), (0, 0)), strict=True
    ):
        score_services.interview_scores_record(
            interview=interview, scores=grid(world, *values), by=hr
        )

    (ranking,) = score_selectors.day_scores(user=hr, day=world["day"]).rankings

    assert [(row.rank, row.total) for row in ranking.rows] == [
        ("1=", 7),
        ("1=", 7),
        ("3", 2),
        ("4", 0),
    ]


def test_a_panel_without_lived_experience_warns_hr_and_one_with_it_does_not(programme, hr):
    world = scored_day(programme, hr, members=2, criteria=1)
    client = client_for(hr)
    url = reverse("deployment:interview-scores", args=[world["interviews"][0].pk])
    assert NO_LIVED_EXPERIENCE in client.get(url).content.decode()

    client.post(
        reverse("deployment:panel-scoring", args=[world["panel"].pk]),
        {"chair": hr.pk, "lived_experience": [world["members"][1].pk]},
    )

    assert NO_LIVED_EXPERIENCE not in client.get(url).content.decode()


def test_leads_see_who_brings_lived_experience(programme, hr, lead):
    world = scored_day(programme, hr, members=2, criteria=1)
    score_services.panel_scoring_set(
        panel=world["panel"], chair=None, lived_experience=[world["members"][1].pk], by=hr
    )

    page = client_for(lead).get(reverse("deployment:day-scores", args=[world["day"].pk]))

    assert "Panel A: 2 members, includes someone with lived experience" in page.content.decode()


def test_admins_get_only_a_count_of_panels_with_lived_experience(programme, hr, admin_user):
    world = scored_day(programme, hr, members=2, criteria=1)
    score_services.panel_scoring_set(
        panel=world["panel"], chair=None, lived_experience=[world["members"][1].pk], by=hr
    )

    page = (
        client_for(admin_user)
        .get(reverse("deployment:day-scores", args=[world["day"].pk]))
        .content.decode()
    )

    assert "1 of 1 panel includes someone with lived experience" in page
    assert "Panel A: 2 members</li>" in page
    assert "includes someone with lived experience</li>" not in page


def test_the_panel_page_with_lived_experience_is_refused_to_leads_and_admins(
    programme, hr, lead, admin_user
):
    world = scored_day(programme, hr)
    url = reverse("deployment:panel-scoring", args=[world["panel"].pk])

    assert client_for(lead).get(url).status_code == 403
    assert client_for(admin_user).get(url).status_code == 403


def test_the_score_sheet_costs_the_same_queries_however_many_members_and_criteria(
    programme, hr, django_assert_num_queries
):
    small = scored_day(programme, hr, members=1, criteria=1)
    large = scored_day(programme, hr, members=5, criteria=8)
    for world, count in ((small, 1), (large, 40)):
        score_services.interview_scores_record(
            interview=world["interviews"][0], scores=grid(world, *([2] * count)), by=hr
        )
    client = client_for(hr)
    with CaptureQueriesContext(connection) as measured:
        client.get(reverse("deployment:interview-scores", args=[small["interviews"][0].pk]))

    with django_assert_num_queries(len(measured.captured_queries)):
        response = client.get(
            reverse("deployment:interview-scores", args=[large["interviews"][0].pk])
        )

    assert "Panel total: <strong>80</strong> of 160" in response.content.decode()


def test_the_days_scores_cost_the_same_queries_however_many_interviews(
    programme, hr, django_assert_num_queries
):
    small = scored_day(programme, hr, candidates=1)
    large = scored_day(programme, hr, candidates=12)
    client = client_for(hr)
    with CaptureQueriesContext(connection) as measured:
        client.get(reverse("deployment:day-scores", args=[small["day"].pk]))

    with django_assert_num_queries(len(measured.captured_queries)):
        assert (
            client.get(reverse("deployment:day-scores", args=[large["day"].pk])).status_code == 200
        )


def test_the_audit_trail_records_lived_experience_without_saying_whose(programme, hr, admin_user):
    world = scored_day(programme, hr, members=2, criteria=1)
    score_services.panel_scoring_set(
        panel=world["panel"], chair=None, lived_experience=[world["members"][1].pk], by=hr
    )

    page = client_for(admin_user).get(
        reverse("core:audit"), {"kind": "deployment.panelmemberlivedexperience"}
    )

    content = page.content.decode()
    assert (
        "Panel member&#x27;s lived experience" in content
        or "Panel member's lived experience" in content
    )
    assert "Member 2" not in content
