"""The LXP study's two tables, computed from the seeded demo, show the
published figures (see the study: 38 applications, 28 trainees, 10
completed (36%), 12 mentors; 10 eligible, 7 employed (70%), 1 Lead LXP and
6 LXP, all 7 in post at 24 months), and agree with the underlying lists."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from deployment import selectors as deployment_selectors
from peerprog.core.models import ExportRecord, User
from peerprog.dashboard import selectors
from peerprog.devtools.demo import OTHER_PROGRAMME_NAME, seed_demo
from recruitment import selectors as recruitment_selectors
from recruitment.models import Cohort
from training import selectors as training_selectors
from training.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for this module (and removed after)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            ctx = seed_demo()
            yield ctx
            transaction.set_rollback(True)


def _columns(table):
    return {column.label: column for column in table.all_columns}


# The demo also has a course running now (for its trainee's own pages); the
# study's figures are those of the two study cohorts, chosen in the filter.
STUDY_COHORTS = ("Cohort 1", "Cohort 2")


def _study(seeded):
    return list(Cohort.objects.filter(programme=seeded.programme, name__in=STUDY_COHORTS))


def _study_filter(seeded):
    return {"cohort": [cohort.pk for cohort in _study(seeded)]}


def _scope(seeded, who="admin"):
    return selectors.report_scope(
        user=seeded.users[who], cohorts=_study(seeded), today=seeded.today
    )


def test_training_table_shows_the_published_training_figures(seeded):
    columns = _columns(selectors.training_table(scope=_scope(seeded)))

    one, two, total = columns["Cohort 1"], columns["Cohort 2"], columns["Total"]
    assert (one.applications, one.attended, one.completed) == (18, 12, 6)
    assert (two.applications, two.attended, two.completed) == (20, 16, 4)
    assert (total.applications, total.attended, total.completed) == (38, 28, 10)
    assert total.completion_rate == 36


def test_training_table_shows_the_published_reasons_for_non_completion(seeded):
    total = selectors.training_table(scope=_scope(seeded)).total

    assert total.not_completed == 18
    assert total.portfolio_not_completed == 10
    assert total.left == 8
    # An admin may not read health reasons: health issues and personal
    # factors are counted together, as the study reported them.
    assert total.reasons["Left: health issues or personal factors"] == 2
    assert "Left: health issues" not in total.reasons
    assert sum(total.reasons.values()) == 18


def test_a_lead_sees_health_and_personal_factors_apart_with_the_same_total(seeded):
    total = selectors.training_table(scope=_scope(seeded, "lead")).total

    assert total.reasons["Left: health issues"] + total.reasons["Left: personal factors"] == 2
    assert sum(total.reasons.values()) == 18


def test_training_table_counts_twelve_mentors_some_with_two_trainees_in_cohort_2(seeded):
    columns = _columns(selectors.training_table(scope=_scope(seeded)))

    assert columns["Total"].mentors == 12
    assert columns["Cohort 1"].mentors == 12
    assert columns["Cohort 1"].mentors_with_several == 0
    assert columns["Cohort 2"].mentors_with_several > 0
    # At once, only cohort 2's mentors had more than one; over both cohorts,
    # every mentor of cohort 2 also had a trainee in cohort 1.
    assert columns["Total"].mentors_with_several == columns["Cohort 2"].mentors_with_several
    assert columns["Total"].mentors_with_several_overall == columns["Cohort 2"].mentors


def test_employment_table_shows_the_published_employment_figures(seeded):
    total = selectors.employment_table(scope=_scope(seeded)).total

    assert total.eligible == 10
    assert total.employed == 7
    assert total.employment_rate == 70
    assert (total.lead_lxp, total.lxp) == (1, 6)
    assert total.part_time + total.full_time == 7
    assert total.part_time > total.full_time  # most part-time
    assert total.services == 7  # in different services
    assert (total.retained_24, total.reached_24, total.retention_rate_24) == (7, 7, 100)


def test_employment_per_cohort_adds_up_to_the_total(seeded):
    table = selectors.employment_table(scope=_scope(seeded))

    assert sum(column.eligible for column in table.columns) == table.total.eligible
    assert sum(column.employed for column in table.columns) == table.total.employed
    assert sum(counts[-1] for _, counts in table.by_service) == 7


def test_the_dashboard_funnel_shows_the_study_in_total(seeded):
    dashboard = selectors.programme_dashboard(scope=_scope(seeded, "lead"))

    steps = {step.label: step for step in dashboard.total_funnel.steps}
    assert steps["Applications"].count == 38
    assert steps["Trainees"].count == 28
    assert (steps["Completed"].count, steps["Completed"].rate) == (10, 36)
    assert steps["Eligible for posts"].count == 10
    assert (steps["Employed"].count, steps["Employed"].rate) == (7, 70)
    assert (steps["In post at 24 months"].count, steps["In post at 24 months"].rate) == (7, 100)
    assert dashboard.mentoring[-1].mentors == 12
    assert dashboard.supervision.in_post == 7
    assert dashboard.snapshots, "the demo's monthly snapshots are on the dashboard"
    assert dashboard.snapshots[-1].in_post == 7


# The numbers agree with the lists behind them


def test_applications_and_trainees_agree_with_recruitments_and_trainings_lists(seeded):
    admin = seeded.users["admin"]
    columns = _columns(selectors.training_table(scope=_scope(seeded)))
    applications = Counter(
        recruitment_selectors.application_list(user=admin).values_list("cohort__name", flat=True)
    )
    outcomes = list(training_selectors.outcome_list(user=admin))
    trainees = Counter(enrolment.cohort.name for enrolment in outcomes)
    completed = Counter(e.cohort.name for e in outcomes if e.status == Enrolment.Status.COMPLETED)

    for name in ("Cohort 1", "Cohort 2"):
        assert columns[name].applications == applications[name]
        assert columns[name].attended == trainees[name]
        assert columns[name].completed == completed[name]


def test_eligible_and_employed_agree_with_trainings_and_deployments_lists(seeded):
    total = selectors.employment_table(scope=_scope(seeded)).total
    eligible = training_selectors.eligible_people(programme=seeded.programme, on=seeded.today)
    in_post = deployment_selectors.appointment_list(user=seeded.users["hr"], status="in_post")

    assert total.eligible == eligible.count()
    assert total.employed == in_post.values("person").distinct().count()
    assert total.lead_lxp == in_post.filter(is_lead_lxp=True).count()


def test_retention_agrees_with_the_retention_page(seeded):
    report = deployment_selectors.retention_report(user=seeded.users["hr"], today=seeded.today)
    total = selectors.employment_table(scope=_scope(seeded)).total
    # The retention page also counts the demo's peer worker who trained
    # outside the programme's cohorts (and left); the study's table counts
    # graduates of its cohorts only.
    by_cohort = {row.row.label: row.row for row in report.cohorts}
    outside = by_cohort.pop("No training cohort on record")
    assert (outside.appointed, outside.still_in_post) == (1, 0)

    assert total.employed == sum(row.appointed for row in by_cohort.values())
    assert total.retained_24 == sum(row.retained[24] for row in by_cohort.values())
    assert total.employed == report.overall.appointed - 1


# The pages and their downloads


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_lead_sees_the_training_table_with_the_published_figures(seeded):
    response = _client(seeded.users["lead"]).get(
        reverse("dashboard:training-programme"), _study_filter(seeded)
    )

    assert response.status_code == 200
    total = response.context["table"].total
    assert (total.applications, total.attended, total.completed) == (38, 28, 10)
    assert "36%" in response.content.decode()


def test_the_training_csv_has_a_row_per_cohort_and_the_total(seeded):
    response = _client(seeded.users["admin"]).get(
        reverse("dashboard:training-programme-export"), {"format": "csv", **_study_filter(seeded)}
    )

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["Cohort"]: row for row in csv.DictReader(io.StringIO(text))}
    assert list(rows) == ["Cohort 1", "Cohort 2", "Total"]
    total = rows["Total"]
    assert (total["Applications"], total["Attended training"], total["Completed"]) == (
        "38",
        "28",
        "10",
    )
    assert total["Completion rate (%)"] == "36"
    assert total["Left: health issues or personal factors"] == "2"
    assert total["Mentors"] == "12"


def test_the_employment_csv_has_the_published_total(seeded):
    response = _client(seeded.users["lead"]).get(
        reverse("dashboard:employment-retention-export"), {"format": "csv"}
    )

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    total = {row["Cohort"]: row for row in csv.DictReader(io.StringIO(text))}["Total"]
    assert total["Eligible"] == "10"
    assert total["Employed"] == "7"
    assert total["Employed (% of eligible)"] == "70"
    assert (total["Lead LXP"], total["LXP"]) == ("1", "6")
    assert total["In post at 24 months"] == "7"
    assert total["In post at 24 months (%)"] == "100"


def test_choosing_a_cohort_shows_only_that_cohort(seeded):
    cohort = Cohort.objects.get(programme=seeded.programme, name="Cohort 2")
    response = _client(seeded.users["lead"]).get(
        reverse("dashboard:training-programme"), {"cohort": cohort.pk}
    )

    table = response.context["table"]
    assert [column.label for column in table.columns] == ["Cohort 2"]
    assert (table.total.applications, table.total.attended, table.total.completed) == (20, 16, 4)


def test_another_programmes_lead_sees_none_of_these_figures(seeded):
    other_lead = User.objects.get(programme__name=OTHER_PROGRAMME_NAME)
    ours = Cohort.objects.get(programme=seeded.programme, name="Cohort 1")

    response = _client(other_lead).get(reverse("dashboard:training-programme"), {"cohort": ours.pk})

    assert response.status_code == 200
    table = response.context["table"]
    assert table.columns == []
    assert table.total.applications == 0
    assert "Cohort 1" not in response.content.decode()


def test_the_training_page_shows_its_measures_in_the_studys_order(seeded):
    response = _client(seeded.users["admin"]).get(
        reverse("dashboard:training-programme"), _study_filter(seeded)
    )

    rows = response.context["rows"]
    labels = [row.label for row in rows]
    assert labels[:7] == [
        "Applications to training",
        "Attended training (trainees)",
        "Completed (portfolio passed)",
        "Completion rate",
        "Still on the course",
        "Did not complete",
        "Portfolio incomplete or not submitted",
    ]
    left = labels.index("Left the programme")
    assert labels[-3:] == [
        "Mentors",
        "Mentors with more than one trainee at once (in one cohort)",
        "Mentors with more than one trainee over all cohorts",
    ]
    portfolio_reasons = {row.label: row.cells[-1] for row in rows[7:left]}
    leaving_reasons = {row.label: row.cells[-1] for row in rows[left + 1 : -3]}
    assert sum(portfolio_reasons.values()) == 10
    assert leaving_reasons["Left: health issues or personal factors"] == 2
    assert sum(leaving_reasons.values()) == 8
    html = response.content.decode()
    assert '<th scope="row" class="ps-4">Left the programme</th>' in html
    assert "<td>36%</td>" in html


def test_the_employment_page_shows_each_figure_with_its_rate(seeded):
    response = _client(seeded.users["lead"]).get(reverse("dashboard:employment-retention"))

    html = response.content.decode()
    assert '<td>7 <span class="text-muted">(70% of eligible)</span></td>' in html
    assert '<td>7 of 7 <span class="text-muted">(100%)</span></td>' in html


def test_the_exports_have_the_studys_columns(seeded):
    client = _client(seeded.users["lead"])

    def header(url_name):
        response = client.get(reverse(url_name), {"format": "csv"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return next(csv.reader(io.StringIO(text)))

    assert header("dashboard:training-programme-export") == [
        "Cohort",
        "Applications",
        "Attended training",
        "Completed",
        "Completion rate (%)",
        "Still on the course",
        "Did not complete",
        "Portfolio incomplete or not submitted",
        "Portfolio incomplete",
        "Portfolio not submitted",
        "Left the programme",
        "Left: paid employment elsewhere",
        "Left: further study",
        "Left: other volunteering",
        "Left: health issues or personal factors",
        "Mentors",
        "Mentors with more than one trainee at once (in one cohort)",
        "Mentors with more than one trainee over all cohorts",
    ]
    assert header("dashboard:employment-retention-export") == [
        "Cohort",
        "Eligible",
        "Employed",
        "Employed (% of eligible)",
        "Lead LXP",
        "LXP",
        "Part-time",
        "Full-time",
        "Services",
        "Still in post",
        "In post for 24 months or more",
        "In post at 24 months",
        "In post at 24 months (%)",
    ]


def test_the_export_link_and_the_export_keep_every_cohort_chosen(seeded):
    one = Cohort.objects.get(programme=seeded.programme, name="Cohort 1")
    two = Cohort.objects.get(programme=seeded.programme, name="Cohort 2")
    client = _client(seeded.users["lead"])
    page = client.get(reverse("dashboard:training-programme"), {"cohort": [one.pk, two.pk]})

    assert page.context["export_query"] == f"cohort={one.pk}&cohort={two.pk}"
    response = client.get(
        reverse("dashboard:training-programme-export"),
        {"cohort": [one.pk, two.pk], "format": "csv"},
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["Cohort"]: row for row in csv.DictReader(io.StringIO(text))}
    assert list(rows) == ["Cohort 1", "Cohort 2", "Total"]
    assert rows["Total"]["Applications"] == "38"
    record = ExportRecord.objects.get(key="dashboard.training-programme")
    assert record.params == {"cohort": [str(one.pk), str(two.pk)]}
    assert record.filters.startswith("Cohorts: ")
    assert set(record.filters.removeprefix("Cohorts: ").split(", ")) == {"Cohort 1", "Cohort 2"}
