"""Deployment's pages: what each role sees, what they can do from them, and
fixed query counts on every list."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deployment import selectors
from deployment.models import (
    Absence,
    AbsenceHealth,
    Appointment,
    Candidate,
    Interview,
    LeavingReason,
    Post,
    PostConversion,
    PreEmploymentCheck,
    RecruitmentDay,
    ReserveEntry,
    Vacancy,
)
from deployment.models.posts import PostRole
from peerprog.core.models import Letter, Person
from tests.core.factories import AdjustmentFactory, PersonFactory, ServiceFactory
from tests.core.once_helpers import FormClient
from tests.deployment.factories import (
    AbsenceFactory,
    AppointmentFactory,
    CandidateFactory,
    InterviewFactory,
    LeavingReasonFactory,
    PeerPostFactory,
    PostFactory,
    RecruitmentDayFactory,
    months_ago,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = FormClient()
    client.force_login(user)
    return client


@pytest.fixture
def service(programme):
    return ServiceFactory(programme=programme, name="Willow Ward rehab")


# The posts page ------------------------------------------------------------


def test_the_posts_page_filters_by_service_role_and_status(hr, service, programme):
    PostFactory(service=service, position_number="WANTED-1")
    PostFactory(service=service, position_number="FILLED-1", status=Post.Status.FILLED)
    PeerPostFactory(service=service, position_number="PEER-1")
    PostFactory(service=ServiceFactory(programme=programme), position_number="ELSEWHERE-1")

    response = client_for(hr).get(
        reverse("deployment:posts"),
        {"service": service.pk, "role": PostRole.HCA, "status": Post.Status.VACANT},
    )

    body = response.content.decode()
    assert "WANTED-1" in body
    assert "FILLED-1" not in body
    assert "PEER-1" not in body
    assert "ELSEWHERE-1" not in body


def test_the_posts_page_answers_htmx_with_the_results_only(hr):
    response = client_for(hr).get(reverse("deployment:posts"), HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "<html" not in body


def test_hr_converts_a_vacant_post_from_its_page(hr, service):
    post = PostFactory(service=service, position_number="HCA-100")

    response = client_for(hr).post(
        reverse("deployment:post-convert", args=[post.pk]),
        {"to_role": "lxp", "to_band": "3", "to_wte": "", "to_job_title": "", "reason": "Wave 1"},
    )

    conversion = PostConversion.objects.get(original=post)
    assert response.status_code == 302
    assert response["Location"] == reverse("deployment:post-detail", args=[conversion.new_post.pk])


def test_converting_a_filled_post_shows_why_it_was_refused(hr, service):
    post = PostFactory(service=service, position_number="HCA-101", status=Post.Status.FILLED)

    response = client_for(hr).post(
        reverse("deployment:post-convert", args=[post.pk]),
        {"to_role": "lxp", "to_band": "3", "reason": "Wave 1"},
    )

    assert response.status_code == 200
    assert "Post HCA-101 is filled: only a vacant post can be converted." in (
        response.content.decode()
    )


def test_bulk_conversion_lists_the_ticked_posts_before_converting(hr, service):
    posts = PostFactory.create_batch(2, service=service)

    response = client_for(hr).get(
        reverse("deployment:posts-convert"), {"posts": [p.pk for p in posts]}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert all(post.position_number in body for post in posts)


def test_bulk_conversion_through_the_page_is_all_or_none(hr, service):
    vacant = PostFactory(service=service)
    frozen = PostFactory(service=service, position_number="FROZEN-1", status=Post.Status.FROZEN)

    response = client_for(hr).post(
        reverse("deployment:posts-convert"),
        {"posts": [vacant.pk, frozen.pk], "to_role": "lxp", "to_band": "3", "reason": "Wave 2"},
    )

    assert response.status_code == 200
    assert "No posts were converted." in response.content.decode()
    vacant.refresh_from_db()
    assert vacant.status == Post.Status.VACANT


def test_bulk_conversion_ignores_posts_of_another_programme(hr, world):
    foreign = world.objects["other_deployment_post"]

    response = client_for(hr).get(reverse("deployment:posts-convert"), {"posts": [foreign.pk]})

    assert response.status_code == 302
    assert not PostConversion.objects.filter(original=foreign).exists()


# The recruitment day -------------------------------------------------------


def test_organisers_see_the_practical_note_never_the_request(hr, world):
    interview = world.objects["interview"]
    AdjustmentFactory(
        person=interview.candidate.person,
        request="Panic attacks in the mornings",
        practical_note="Interview after 11:00",
    )

    body = (
        client_for(hr)
        .get(reverse("deployment:day-detail", args=[interview.day_id]))
        .content.decode()
    )

    assert "Interview after 11:00" in body
    assert "Panic attacks" not in body


def test_admins_do_not_see_adjustments_or_panel_notes(admin_user, world):
    interview = world.objects["interview"]
    AdjustmentFactory(person=interview.candidate.person, practical_note="Interview after 11:00")
    Interview.objects.filter(pk=interview.pk).update(notes="Talked about a hard year")

    body = (
        client_for(admin_user)
        .get(reverse("deployment:day-detail", args=[interview.day_id]))
        .content.decode()
    )

    assert "Interview after 11:00" not in body
    assert "hard year" not in body


def test_a_lead_records_a_recruitment_day_decision(lead, world):
    interview = world.objects["interview"]

    response = client_for(lead).post(
        reverse("deployment:interview-outcome", args=[interview.pk]),
        {"outcome": "reserve", "notes": "", "reserve_months": "12"},
    )

    assert response.status_code == 302
    assert ReserveEntry.objects.filter(interview=interview).exists()


def test_an_ineligible_person_is_refused_as_a_candidate_with_the_reason(hr, world):
    vacancy = world.objects["vacancy"]
    person = PersonFactory(programme=world.programme, first_name="Nina", last_name="Novak")

    response = client_for(hr).post(
        reverse("deployment:candidate-add", args=[vacancy.pk]), {"person": person.pk}
    )

    assert response.status_code == 200
    assert not Candidate.objects.filter(vacancy=vacancy, person=person).exists()
    assert "Nina Novak cannot be a candidate" in response.content.decode()


def test_a_person_of_another_programme_cannot_be_put_forward(hr, world):
    vacancy = world.objects["vacancy"]

    response = client_for(hr).post(
        reverse("deployment:candidate-add", args=[vacancy.pk]), {"person": world.other_person.pk}
    )

    assert response.status_code == 200
    assert not Candidate.objects.filter(person=world.other_person).exists()


# Appointments --------------------------------------------------------------


@pytest.fixture
def sick(world):
    absence = world.objects["absence"]
    Absence.objects.filter(pk=absence.pk).update(kind=Absence.Kind.SICKNESS)
    AbsenceHealth.objects.create(absence=absence, category=AbsenceHealth.Category.MENTAL_HEALTH)
    return absence


def test_hr_see_the_health_category_of_a_sickness_absence(hr, sick):
    body = (
        client_for(hr)
        .get(reverse("deployment:appointment-detail", args=[sick.appointment_id]))
        .content.decode()
    )

    assert "Mental health" in body


def test_admins_see_a_sickness_absence_without_its_health_category(admin_user, sick):
    body = (
        client_for(admin_user)
        .get(reverse("deployment:appointment-detail", args=[sick.appointment_id]))
        .content.decode()
    )

    assert "Sickness" in body
    assert "Mental health" not in body


def test_admins_do_not_see_a_leaving_reason_that_reveals_health(admin_user, hr, world):
    appointment = world.objects["appointment"]
    reason = LeavingReasonFactory(
        programme=world.programme, label="Ill health", category="ill_health", reveals_health=True
    )
    Appointment.objects.filter(pk=appointment.pk).update(
        status=Appointment.Status.LEFT, ended_on=timezone.localdate(), leaving_reason=reason
    )
    url = reverse("deployment:appointment-detail", args=[appointment.pk])

    assert "Ill health" not in client_for(admin_user).get(url).content.decode()
    assert "Ill health" in client_for(hr).get(url).content.decode()


def test_confirming_a_start_with_checks_outstanding_shows_which(hr, service):
    appointment = AppointmentFactory(
        post=PeerPostFactory(service=service, status=Post.Status.FILLED),
        status=Appointment.Status.OFFERED,
        start_date=None,
        checks="requested",
    )

    response = client_for(hr).post(
        reverse("deployment:appointment-start", args=[appointment.pk]),
        {"start_date": "2026-02-02", "override_reason": ""},
    )

    assert response.status_code == 200
    assert "these checks are outstanding: DBS check" in response.content.decode()


def test_hr_record_a_leaver_and_the_post_reopens(hr, world):
    appointment = world.objects["appointment"]
    client = client_for(hr)
    form = client.get(reverse("deployment:appointment-leave", args=[appointment.pk]))
    reason = LeavingReason.objects.filter(programme=world.programme, is_archived=False).first()

    response = client.post(
        reverse("deployment:appointment-leave", args=[appointment.pk]),
        {"last_day": timezone.localdate().isoformat(), "reason": reason.pk},
    )

    assert form.status_code == 200
    assert response.status_code == 302
    appointment.post.refresh_from_db()
    assert appointment.post.status == Post.Status.VACANT


# Selectors for the supervision app ----------------------------------------


def test_supervision_gets_the_current_appointments_of_the_people_it_names(world):
    appointment = world.objects["appointment"]
    supervisor = world.users["supervisor"]
    foreign = world.objects["other_appointment"]

    found = selectors.appointments_for_people(
        user=supervisor, people=[appointment.person, foreign.person_id]
    )

    assert found == [appointment]


# Retention -----------------------------------------------------------------


def test_the_retention_page_shows_seven_in_post_for_24_months(lead, programme):
    services = ServiceFactory.create_batch(7, programme=programme)
    for service in services:
        AppointmentFactory(
            post=PeerPostFactory(service=service, status=Post.Status.FILLED),
            start_date=months_ago(25),
        )

    report = selectors.retention_report(user=lead)
    response = client_for(lead).get(reverse("deployment:retention"))

    assert report.overall.percent(24) == 100
    # The world's own appointment started 90 days ago and is not counted
    # at 24 months.
    assert report.overall.reached[24] == 7
    body = response.content.decode()
    assert "100% <span" in body
    assert 'data-kind="curve"' in body and 'role="img"' in body


def test_retention_is_counted_per_training_cohort(lead, programme):
    from tests.deployment.factories import graduate
    from tests.training.factories import CohortFactory

    spring = CohortFactory(programme=programme, name="Spring intake", training_start=months_ago(32))
    autumn = CohortFactory(programme=programme, name="Autumn intake", training_start=months_ago(20))
    service = ServiceFactory(programme=programme)
    for cohort, start in (
        (spring, months_ago(26)),
        (spring, months_ago(26)),
        (autumn, months_ago(14)),
    ):
        AppointmentFactory(
            post=PeerPostFactory(service=service, status=Post.Status.FILLED),
            person=graduate(programme, cohort=cohort, passed_on=start - timedelta(days=30)),
            start_date=start,
        )

    report = selectors.retention_report(user=lead)

    rows = {cohort.row.label: cohort.row for cohort in report.cohorts}
    assert rows["Spring intake"].appointed == 2
    assert rows["Spring intake"].percent(24) == 100
    assert rows["Autumn intake"].appointed == 1
    assert rows["Autumn intake"].percent(12) == 100
    assert rows["Autumn intake"].percent(24) is None


def test_the_retention_page_draws_a_cohorts_curve_only_when_it_is_chosen(lead, programme):
    from tests.deployment.factories import graduate
    from tests.training.factories import CohortFactory

    spring = CohortFactory(programme=programme, name="Spring intake", training_start=months_ago(32))
    autumn = CohortFactory(programme=programme, name="Autumn intake", training_start=months_ago(20))
    service = ServiceFactory(programme=programme)
    for cohort in (spring, autumn):
        AppointmentFactory(
            post=PeerPostFactory(service=service, status=Post.Status.FILLED),
            person=graduate(programme, cohort=cohort, passed_on=months_ago(15)),
            start_date=months_ago(14),
        )
    client = client_for(lead)

    opened = client.get(reverse("deployment:retention")).content.decode()
    chosen = client.get(reverse("deployment:retention"), {"cohort": autumn.pk}).content.decode()

    # Both cohorts are in the table either way; the page opens on the curve
    # of everyone and adds a cohort's own when it is chosen.
    assert "Spring intake" in opened and "Autumn intake" in opened
    assert '<figcaption class="h5">All peer workers</figcaption>' in opened
    assert opened.count('data-kind="curve"') == 1
    assert chosen.count('data-kind="curve"') == 2
    assert '<figcaption class="h5">Autumn intake</figcaption>' in chosen
    assert '<figcaption class="h5">Spring intake</figcaption>' not in chosen


def test_a_transfer_is_not_a_leaver_in_retention(lead, hr, programme):
    from deployment import services as deployment_services

    service = ServiceFactory(programme=programme)
    first = AppointmentFactory(
        post=PeerPostFactory(service=service, status=Post.Status.FILLED),
        start_date=months_ago(30),
    )
    deployment_services.appointment_transfer(
        appointment=first,
        to_post=PeerPostFactory(service=service, role=PostRole.LEAD_LXP),
        first_day=months_ago(10),
        by=hr,
    )

    report = selectors.retention_report(user=lead)

    row = next(row for row in report.services if row.label == service.name)
    assert row.appointed == 1
    assert row.retained == {6: 1, 12: 1, 24: 1}


# Fixed query counts ------------------------------------------------------


def _bulk_world(programme, hr, size: int, tag: str) -> None:
    """``size`` rows behind every list, written in bulk (no history needed)."""
    service = ServiceFactory(programme=programme)
    posts = Post.objects.bulk_create(
        Post(
            programme=programme,
            service=service,
            position_number=f"{tag}-{i:04d}",
            job_title="Lived Experience Practitioner",
            role=PostRole.LXP,
            band="3",
            wte=Decimal("0.60"),
            status=Post.Status.FILLED,
        )
        for i in range(size)
    )
    people = Person.objects.bulk_create(
        Person(programme=programme, first_name=f"Peer{i}", last_name=tag) for i in range(size)
    )
    start = timezone.localdate() - timedelta(days=800)
    appointments = Appointment.objects.bulk_create(
        Appointment(
            programme=programme,
            person=person,
            post=post,
            status=Appointment.Status.IN_POST,
            start_date=start,
            hours_per_week=Decimal("22.5"),
            created_by=hr,
        )
        for person, post in zip(people, posts, strict=True)
    )
    PreEmploymentCheck.objects.bulk_create(
        PreEmploymentCheck(appointment=a, kind=kind, status="cleared", completed_on=start)
        for a in appointments
        for kind in PreEmploymentCheck.Kind.values
    )
    Absence.objects.bulk_create(
        Absence(appointment=a, kind="annual_leave", starts_on=start, recorded_by=hr)
        for a in appointments
    )
    vacancies = Vacancy.objects.bulk_create(
        Vacancy(
            programme=programme,
            post=post,
            advert_reference=f"AD-{post.pk}",
            closing_date=date(2030, 1, 1),
            opened_on=date(2024, 1, 1),
            status=Vacancy.Status.CLOSED,
            created_by=hr,
        )
        for post in posts
    )
    Candidate.objects.bulk_create(
        Candidate(vacancy=vacancy, person=person, added_by=hr)
        for vacancy, person in zip(vacancies, people, strict=True)
    )
    RecruitmentDay.objects.bulk_create(
        RecruitmentDay(programme=programme, date=date(2024, 1, 1), venue="Hall", created_by=hr)
        for _ in range(size)
    )
    ReserveEntry.objects.bulk_create(
        ReserveEntry(
            programme=programme,
            person=person,
            placed_on=timezone.localdate() - timedelta(days=10),
            stands_until=timezone.localdate() + timedelta(days=300),
        )
        for person in people
    )
    LeavingReason.objects.bulk_create(
        LeavingReason(programme=programme, label=f"Reason {tag} {i}", category="other")
        for i in range(size)
    )
    Letter.objects.bulk_create(
        Letter(
            programme=programme,
            person=person,
            kind="deployment.not_appointed",
            key=f"deployment.bulk:{tag}:{person.pk}",
            subject="Your application",
            body="Thank you.",
            channel=Letter.Channel.POST,
            status=Letter.Status.TO_POST,
            created_by=hr,
        )
        for person in people
    )


# (page, query string, queries): the count includes the session (read, and
# written back at most once a minute), the user, their roles and the
# navigation's unread notifications. Each is the first view after a change.
LIST_PAGES = [
    # The version of the record of writes, then the posts' count and the
    # services, kept until a post or service changes.
    ("deployment:posts", {}, 8),
    ("deployment:posts", {"status": "filled", "role": "lxp"}, 8),
    ("deployment:vacancies", {"status": "all"}, 6),
    ("deployment:days", {}, 6),
    ("deployment:reserve", {"show": "all"}, 6),
    # The version of the record of writes, then the count, kept until an
    # appointment changes.
    ("deployment:appointments", {}, 7),
    ("deployment:appointments", {"status": "all"}, 7),
    ("deployment:leaving-reasons", {}, 5),
    ("deployment:letters", {}, 6),
    # The retention page reads its stored figures; its first view after a
    # change counts them again (the version of the record of writes, the
    # people, their cohorts, the trend from the snapshots, the trend
    # filter's cohorts and services) and stores them.
    ("deployment:retention", {}, 12),
]


def _queries(client: Client, url_name: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(("url_name", "params", "queries"), LIST_PAGES)
def test_every_list_costs_the_same_queries_at_10_and_500_rows(
    url_name, params, queries, hr, programme, django_assert_num_queries
):
    client = client_for(hr)
    # Once first, so that no start-up cost of the process is counted.
    client.get(reverse(url_name), params)
    _bulk_world(programme, hr, 10, "SMALL")
    assert _queries(client, url_name, params) == queries

    _bulk_world(programme, hr, 490, "LARGE")
    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name), params)

    assert response.status_code == 200


def test_the_recruitment_day_page_costs_the_same_queries_however_many_interviews(
    hr, programme, django_assert_num_queries
):
    day = RecruitmentDayFactory(programme=programme)
    client = client_for(hr)

    def add(count: int) -> None:
        for i in range(count):
            interview = InterviewFactory(day=day, starts_at=f"{9 + i // 60:02d}:{i % 60:02d}")
            AdjustmentFactory(person=interview.candidate.person)

    add(3)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("deployment:day-detail", args=[day.pk]))
    add(20)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("deployment:day-detail", args=[day.pk]))


def test_the_appointment_page_costs_the_same_queries_however_many_absences(
    hr, world, django_assert_num_queries
):
    appointment = world.objects["appointment"]
    client = client_for(hr)
    url = reverse("deployment:appointment-detail", args=[appointment.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    reserve = world.objects["reserve_entry"]
    for i in range(15):
        AbsenceFactory(
            appointment=appointment,
            kind=Absence.Kind.SICKNESS,
            starts_on=appointment.start_date + timedelta(days=20 + 3 * i),
            ends_on=appointment.start_date + timedelta(days=21 + 3 * i),
            cover=Absence.Cover.RESERVE,
            cover_reserve=reserve,
        )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_vacancy_page_costs_the_same_queries_however_many_candidates(
    hr, world, django_assert_num_queries
):
    vacancy = world.objects["vacancy"]
    client = client_for(hr)
    url = reverse("deployment:vacancy-detail", args=[vacancy.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    CandidateFactory.create_batch(20, vacancy=vacancy)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
