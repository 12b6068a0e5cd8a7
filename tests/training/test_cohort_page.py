"""The cohort's training page shows fifty trainees a page, counts the whole
cohort, and keeps its filter from page to page; the register shows the whole
cohort with each control labelled."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from peerprog.core.models import Role
from tests.core.factories import UserFactory
from tests.training.factories import (
    CohortFactory,
    enrol,
    mark,
    past_session,
    set_assessors,
    submit,
    upload,
)
from tests.training.test_views import client_for
from training import selectors, services
from training.models import Attendance, CoFacilitator, Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_cohort(cohort):
    """51 active trainees, surnames Number 00 to Number 50, and one who
    completed (surname Aaron, first by surname)."""
    for n in range(51):
        enrol(cohort, first_name="Trainee", last_name=f"Number {n:02d}")
    done = enrol(cohort, first_name="Cleo", last_name="Aaron")
    Enrolment.objects.filter(pk=done.pk).update(
        status=Enrolment.Status.COMPLETED, passed_on=timezone.localdate()
    )
    return cohort


def test_the_cohort_page_shows_fifty_trainees_a_page_and_counts_them_all(big_cohort, course_lead):
    client = client_for(course_lead)
    url = reverse("training:cohort-detail", args=[big_cohort.pk])

    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()

    assert "52 trainees in all. Active: 51." in first
    assert "Completed (passed): 1." in first
    assert "52 trainees, 1 to 50 shown" in first
    assert "Cleo Aaron" in first and "Trainee Number 48" in first
    assert "Trainee Number 49" not in first
    assert 'aria-current="page">Page 1 of 2' in first
    assert 'href="?page=2"' in first
    assert "Trainee Number 49" in second and "Trainee Number 50" in second
    assert "Cleo Aaron" not in second
    assert 'aria-current="page">Page 2 of 2' in second
    assert "52 trainees in all." in second


def test_the_cohort_page_filter_by_status_survives_paging(big_cohort, course_lead):
    client = client_for(course_lead)
    url = reverse("training:cohort-detail", args=[big_cohort.pk])

    first = client.get(url + "?status=active").content.decode()
    second = client.get(url + "?status=active&page=2").content.decode()
    completed = client.get(url + "?status=completed").content.decode()

    assert "51 trainees active, 1 to 50 shown" in first
    assert "Cleo Aaron" not in first
    assert 'href="?status=active&amp;page=2"' in first
    assert '<option value="active" selected>Active (51)</option>' in first
    assert "Trainee Number 50" in second
    assert 'href="?status=active&amp;page=1"' in second
    assert "1 trainee completed (passed)" in completed and "Cleo Aaron" in completed
    assert "Trainee Number" not in completed


def test_an_unknown_status_shows_everyone(big_cohort, course_lead):
    url = reverse("training:cohort-detail", args=[big_cohort.pk])

    page = client_for(course_lead).get(url + "?status=nonsense")

    assert page.status_code == 200
    assert "52 trainees, 1 to 50 shown" in page.content.decode()


def test_the_register_labels_every_control_and_checks_the_current_mark(cohort, facilitator):
    ada = enrol(cohort, first_name="Ada", last_name="Okoro")
    ben = enrol(cohort, first_name="Ben", last_name="Shaw", preferred_name="Benny")
    session = past_session(cohort)
    Attendance.objects.create(session=session, enrolment=ada, status="late")

    page = client_for(facilitator).get(reverse("training:register", args=[session.pk]))
    html = page.content.decode()

    assert f'<th scope="row" id="trainee-{ada.pk}">Ada Okoro</th>' in html
    assert f'<fieldset aria-labelledby="trainee-{ben.pk}">' in html
    assert "Attendance of Benny Shaw" in html
    assert (
        f'<input class="form-check-input" type="radio" name="e{ada.pk}" id="id_e{ada.pk}_1"'
        ' value="late" checked>'
    ) in html
    assert f'<label class="form-check-label" for="id_e{ada.pk}_1">Late</label>' in html
    assert html.count(f'name="e{ben.pk}"') == 4
    assert f'name="e{ben.pk}" id="id_e{ben.pk}_0" value="present">' in html


def test_a_register_refused_as_posted_shows_what_was_posted(cohort, facilitator):
    ada = enrol(cohort, first_name="Ada", last_name="Okoro")
    ben = enrol(cohort, first_name="Ben", last_name="Shaw")
    session = past_session(cohort)
    url = reverse("training:register", args=[session.pk])

    page = client_for(facilitator).post(url, {f"e{ada.pk}": "late", f"e{ben.pk}": "sideways"})

    html = page.content.decode()
    assert page.status_code == 200
    assert f'id="id_e{ada.pk}_1" value="late" checked>' in html
    assert f'name="e{ben.pk}"' in html and "sideways" not in html
    assert not Attendance.objects.exists()


def test_each_cohort_page_shows_its_own_trainees_and_registers(cohort, course_lead, programme):
    # The pages of every cohort share their statements (prepared once per
    # database connection): the second cohort read must not show the first's.
    other = CohortFactory(programme=programme, name="Cohort 2")
    ada = enrol(cohort, first_name="Ada", last_name="Okoro")
    enrol(other, first_name="Ben", last_name="Shaw")
    session = past_session(cohort, title="Recovery")
    Attendance.objects.create(session=session, enrolment=ada, status="present")
    past_session(other, title="Hope")
    client = client_for(course_lead)

    first = client.get(reverse("training:cohort-detail", args=[cohort.pk])).content.decode()
    second = client.get(reverse("training:cohort-detail", args=[other.pk])).content.decode()

    assert "Ada Okoro" in first and "Ben Shaw" not in first
    assert "1 marked" in first
    assert "Ben Shaw" in second and "Ada Okoro" not in second
    assert "Hope" in second and "Recovery" not in second
    assert "Take the register" in second


def test_a_page_of_the_cohorts_trainees_is_the_orm_slice(big_cohort):
    for status, start in (("", 0), ("", 50), ("active", 0), ("active", 50), ("completed", 0)):
        shown = selectors.cohort_trainee_rows(
            cohort=big_cohort, status=status, start=start, size=50
        )
        wanted = selectors.cohort_trainees(cohort=big_cohort, status=status)[start : start + 50]
        assert shown == [tuple(row) for row in wanted]


@pytest.fixture
def busy_page(big_cohort, facilitator, second_assessor, course_lead):
    """The big cohort with assessors, a register, a cancelled session with
    co-facilitators, drafts, a tutorial, portfolios (one marked twice and
    referred) and a trainee who did not complete."""
    set_assessors(big_cohort, facilitator, second_assessor)
    trainees = list(big_cohort.enrolments.order_by("pk"))
    session = past_session(big_cohort, days_ago=14, facilitator=facilitator)
    services.attendance_record(
        session=session,
        marks={
            t.pk: ("present", "late", "absent", "authorised")[i % 4]
            for i, t in enumerate(trainees[:40])
        },
        by=facilitator,
    )
    cancelled = past_session(
        big_cohort,
        title="Hope",
        co_facilitators=[("Sam Peer", CoFacilitator.Kind.PEER_WORKER), ("Dr Lee", "professional")],
    )
    services.session_cancel(session=cancelled, reason="Snow", by=course_lead)
    for trainee in trainees[1:4]:
        services.draft_record(enrolment=trainee, upload=upload(), by=facilitator)
        services.tutorial_record(
            enrolment=trainee, held_on=timezone.localdate(), minutes=30, by=facilitator
        )
    for trainee in trainees[4:7]:
        submit(trainee, by=facilitator)
    referred = submit(trainees[7], by=facilitator)
    mark(referred, facilitator, "referral")
    mark(referred, second_assessor, "referral")
    reasons = services.non_completion_reasons_ensure_defaults(programme=big_cohort.programme)
    services.enrolment_close(enrolment=trainees[8], reason=reasons[5], by=course_lead)
    return big_cohort


def test_a_page_of_trainees_with_their_figures_is_the_page_then_its_figures(busy_page):
    for status, start in (("", 0), ("", 50), ("active", 0), ("not_completed", 0)):
        shown = selectors.cohort_trainees_with_progress(
            cohort=busy_page, status=status, start=start, size=50
        )
        rows = selectors.cohort_trainees(cohort=busy_page, status=status)[start : start + 50]
        wanted = selectors.attach_progress(enrolments=selectors.trainees_shown(rows=rows))
        assert [vars(trainee) for trainee in shown] == [vars(trainee) for trainee in wanted]
    first = selectors.cohort_trainees_with_progress(cohort=busy_page, status="", start=0, size=50)
    assert {trainee.counted for trainee in first} == {0, 1}
    assert {trainee.latest_outcome for trainee in first} >= {None, "referral"}


def test_the_cohort_overview_reads_as_its_queries_apart(busy_page, course_lead, facilitator):
    overview = selectors.cohort_overview(user=course_lead, pk=busy_page.pk)
    cohort = selectors.cohort_with_training(user=course_lead, pk=busy_page.pk)

    assert _fields(overview.cohort) == _fields(cohort)
    shown, wanted = overview.cohort.training, cohort.training
    assert _fields(shown) == _fields(wanted)
    assert str(shown.facilitator) == str(wanted.facilitator) == str(facilitator)
    assert str(shown.second_assessor) == str(wanted.second_assessor)
    assert overview.figures == selectors.cohort_figures(user=course_lead, cohort=cohort)
    assert overview.sessions == selectors.cohort_timetable(cohort=cohort)
    cancelled = [session for session in overview.sessions if session.is_cancelled]
    assert cancelled[0].co_facilitators == [
        "Sam Peer (Experienced peer worker)",
        "Dr Lee (Professional)",
    ]
    assert overview.figures.by_status == {
        "active": 49,
        "referred": 1,
        "completed": 1,
        "not_completed": 1,
    }


def test_the_cohort_overview_of_another_programme_is_not_found(busy_page):
    elsewhere = UserFactory(
        programme=CohortFactory(name="Elsewhere").programme, roles=[Role.PROGRAMME_LEAD]
    )

    with pytest.raises(Http404):
        selectors.cohort_overview(user=elsewhere, pk=busy_page.pk)


def _fields(record: Any) -> list[Any]:
    """The values of a record's columns."""
    return [getattr(record, field.attname) for field in record._meta.concrete_fields]
