"""The study tables' groupings: each reason for not completing sits under its
own group (portfolio or left the programme) on the dashboard, the training
table and its export; mentors with more than one trainee are counted at once
(in one cohort) and over all cohorts, as two labelled figures."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from peerprog.dashboard import selectors
from tests.supervision.factories import assign, lead_of, mentor
from tests.training.factories import CohortFactory, enrol
from training import services as training_services
from training.models import NonCompletionReason

pytestmark = pytest.mark.django_db

Category = NonCompletionReason.Category


@pytest.fixture
def cohorts(world):
    programme = world.programme
    spring = CohortFactory(
        programme=programme,
        name="Spring",
        training_start=date(2025, 3, 3),
        training_end=date(2025, 5, 26),
    )
    autumn = CohortFactory(
        programme=programme,
        name="Autumn",
        training_start=date(2025, 9, 1),
        training_end=date(2025, 11, 24),
    )
    grace = mentor(programme, "Grace Okafor", capacity=5)
    daniel = mentor(programme, "Daniel Hughes", capacity=5)
    by = lead_of(programme)
    assign(enrol(spring), grace, by=by, on=spring.training_start)
    unsubmitted = enrol(autumn)
    left = enrol(autumn)
    assign(unsubmitted, grace, by=by, on=autumn.training_start)
    assign(left, daniel, by=by, on=autumn.training_start)
    assign(enrol(autumn), daniel, by=by, on=autumn.training_start)
    reasons = {
        r.category: r
        for r in training_services.non_completion_reasons_ensure_defaults(programme=programme)
    }
    training_services.enrolment_close(
        enrolment=unsubmitted,
        reason=reasons[Category.PORTFOLIO_NOT_SUBMITTED],
        ended_on=date(2025, 12, 15),
        by=by,
    )
    training_services.enrolment_close(
        enrolment=left,
        reason=reasons[Category.LEFT_FURTHER_STUDY],
        ended_on=date(2025, 10, 6),
        by=by,
    )
    return spring, autumn


def _filter(cohorts):
    return {"cohort": [cohort.pk for cohort in cohorts]}


def test_mentors_with_several_trainees_at_once_and_over_all_cohorts(world, cohorts):
    scope = selectors.report_scope(user=world.users["lead"], cohorts=list(cohorts))
    table = selectors.training_table(scope=scope)

    autumn = next(c for c in table.columns if c.label == "Autumn")
    assert autumn.mentors_with_several == 1
    # Grace had one trainee in each cohort: more than one over all cohorts,
    # never more than one at once.
    assert table.total.mentors_with_several == 1
    assert table.total.mentors_with_several_overall == 2


def test_the_training_page_labels_both_mentor_figures(client, world, cohorts):
    client.force_login(world.users["lead"])
    response = client.get(reverse("dashboard:training-programme"), _filter(cohorts))

    rows = {row.label: row.cells for row in response.context["rows"]}
    assert rows["Mentors with more than one trainee at once (in one cohort)"][-1] == 1
    assert rows["Mentors with more than one trainee over all cohorts"][-1] == 2


def test_the_training_page_nests_each_reason_under_its_own_group(client, world, cohorts):
    client.force_login(world.users["lead"])
    response = client.get(reverse("dashboard:training-programme"), _filter(cohorts))

    labels = [row.label for row in response.context["rows"]]
    portfolio = labels.index("Portfolio incomplete or not submitted")
    left = labels.index("Left the programme")
    assert portfolio < labels.index("Portfolio not submitted") < left
    assert left < labels.index("Left: further study")


def test_the_dashboard_nests_each_reason_under_its_own_group(client, world, cohorts):
    client.force_login(world.users["lead"])
    html = client.get(reverse("dashboard:programme"), _filter(cohorts)).content.decode()

    table = html[html.index('id="reasons-heading"') :]
    table = table[: table.index("</table>")]
    order = [
        table.index(">Portfolio incomplete or not submitted<"),
        table.index(">Portfolio not submitted<"),
        table.index(">Left the programme<"),
        table.index(">Left: further study<"),
    ]
    assert order == sorted(order)
    assert html.count("Mentors with more than one trainee at once (in one cohort)") == 1
    assert html.count("Mentors with more than one trainee over all cohorts") == 1


def test_the_training_export_groups_its_columns(client, world, cohorts):
    client.force_login(world.users["lead"])
    response = client.get(
        reverse("dashboard:training-programme-export"), {**_filter(cohorts), "format": "csv"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]

    assert header.index("Portfolio incomplete or not submitted") < header.index(
        "Portfolio incomplete"
    )
    assert header.index("Portfolio not submitted") < header.index("Left the programme")
    total = dict(zip(header, rows[-1], strict=True))
    assert total["Portfolio incomplete or not submitted"] == "1"
    assert total["Mentors with more than one trainee at once (in one cohort)"] == "1"
    assert total["Mentors with more than one trainee over all cohorts"] == "2"
