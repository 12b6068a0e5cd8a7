"""The equality-monitoring summary hides small counts so no one can be
identified, and the reports' filters keep to the user's own programme."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core.equality import EthnicCategory, Sex, answer_from_text
from peerprog.core.models import SensitiveFacts, User
from peerprog.dashboard import selectors
from peerprog.dashboard.selectors.equality import FEWER, NOT_SHOWN
from tests.core.factories import ServiceFactory
from tests.deployment.factories import AppointmentFactory, PeerPostFactory
from tests.training.factories import CohortFactory, enrol
from training.models import Enrolment

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _trainees(cohort, sexes: dict[str, int], **answers: str) -> list[Enrolment]:
    enrolments = []
    for sex, count in sexes.items():
        for _ in range(count):
            enrolment = enrol(cohort)
            SensitiveFacts.objects.create(person=enrolment.person, sex=sex, **answers)
            enrolments.append(enrolment)
    return enrolments


def test_counts_under_five_show_as_fewer_than_five_and_cannot_be_worked_out(world):
    cohort = CohortFactory(programme=world.programme, name="Equality cohort")
    _trainees(cohort, {Sex.FEMALE: 9, Sex.MALE: 6, Sex.PREFER_NOT_TO_SAY: 2})
    scope = selectors.report_scope(user=world.users["lead"], cohorts=[cohort])

    table = selectors.equality_summary(scope=scope, characteristic="sex").tables[0]
    trained = {group: cells[1] for group, cells in table.rows()}

    assert trained["Prefer not to say"] == FEWER
    # With one count hidden, the next smallest is hidden too, so the hidden
    # one cannot be worked out from the 17 trainees the funnel shows.
    assert trained["Male"] == NOT_SHOWN
    assert trained["Female"] == "9"
    # Nobody has completed yet: 0 is under 5 as well.
    assert {cells[2] for _, cells in table.rows()} == {FEWER}


def test_the_page_never_names_anyone_or_shows_a_small_count(world):
    cohort = CohortFactory(programme=world.programme, name="Equality cohort")
    enrolments = _trainees(cohort, {Sex.FEMALE: 6, Sex.MALE: 1})
    lonely = enrolments[-1].person

    response = _client(world.users["admin"]).get(
        reverse("dashboard:equality"), {"cohort": cohort.pk, "characteristic": "sex"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Male" in page
    assert FEWER in page
    assert lonely.last_name not in page
    assert ">1<" not in page


def test_groups_are_the_codes_in_the_code_lists_order_with_not_recorded_last(world):
    cohort = CohortFactory(programme=world.programme, name="Equality cohort")
    _trainees(cohort, {Sex.FEMALE: 6}, ethnic_group=EthnicCategory.WHITE_BRITISH)
    _trainees(cohort, {Sex.MALE: 5}, ethnic_group=EthnicCategory.BLACK_AFRICAN)
    _trainees(cohort, {Sex.MALE: 5}, ethnic_group=EthnicCategory.NOT_KNOWN)
    _trainees(cohort, {Sex.MALE: 5}, ethnic_group=EthnicCategory.ASIAN_INDIAN)
    enrol(cohort)  # no answers at all
    scope = selectors.report_scope(user=world.users["lead"], cohorts=[cohort])

    table = selectors.equality_summary(scope=scope, characteristic="ethnic_group").tables[0]

    assert [(group, cells[1]) for group, cells in table.rows()] == [
        ("White: British", "6"),
        ("Asian or Asian British: Indian", "5"),
        ("Black or Black British: African", "5"),
        ("Not recorded", "6"),
    ]


def test_old_answers_typed_differently_are_one_group_once_coded(world):
    cohort = CohortFactory(programme=world.programme, name="Equality cohort")
    typed = ["White British", "white british", "White - British", "WHITE: BRITISH", "A"]
    for text in typed:
        person = enrol(cohort).person
        code = answer_from_text(EthnicCategory, text)
        SensitiveFacts.objects.create(person=person, ethnic_group=code)
    scope = selectors.report_scope(user=world.users["lead"], cohorts=[cohort])

    table = selectors.equality_summary(scope=scope, characteristic="ethnic_group").tables[0]

    assert [(group, cells[1]) for group, cells in table.rows()] == [("White: British", "5")]


def test_disability_groups_by_the_disclosure(world):
    cohort = CohortFactory(programme=world.programme, name="Equality cohort")
    _trainees(cohort, {Sex.FEMALE: 5}, disability=SensitiveFacts.Disclosure.NO)
    _trainees(cohort, {Sex.FEMALE: 5}, disability=SensitiveFacts.Disclosure.NOT_ASKED)
    scope = selectors.report_scope(user=world.users["lead"], cohorts=[cohort])

    table = selectors.equality_summary(scope=scope, characteristic="disability").tables[0]

    assert [(group, cells[1]) for group, cells in table.rows()] == [
        ("No disability", "5"),
        ("Not recorded", "5"),
    ]


def test_equality_summary_is_for_leads_and_admins_only(world):
    for persona, expected in (("lead", 200), ("admin", 200), ("hr", 403), ("mentor", 403)):
        response = _client(world.users[persona]).get(reverse("dashboard:equality"))
        assert response.status_code == expected, persona


def test_a_cohort_of_another_programme_in_the_filter_is_ignored(world):
    ours = CohortFactory(programme=world.programme, name="Our cohort")
    theirs = CohortFactory(programme=world.other_programme, name="Their cohort")
    _trainees(theirs, {Sex.FEMALE: 7})

    response = _client(world.users["lead"]).get(
        reverse("dashboard:programme"), {"cohort": [ours.pk, theirs.pk]}
    )

    assert response.status_code == 200
    scope = response.context["scope"]
    assert [cohort.name for cohort in scope.cohorts] == ["Our cohort"]
    assert response.context["dashboard"].total_funnel.steps[1].count == 0
    assert "Their cohort" not in response.content.decode()


def test_another_programmes_people_are_never_counted(world):
    theirs = CohortFactory(programme=world.other_programme, name="Their cohort")
    _trainees(theirs, {Sex.FEMALE: 7})

    response = _client(world.users["lead"]).get(reverse("dashboard:training-programme"))

    names = [column.label for column in response.context["table"].columns]
    assert "Their cohort" not in names
    ours = Enrolment.objects.filter(cohort__programme=world.programme).count()
    assert response.context["table"].total.attended == ours


def test_the_service_filter_counts_only_those_who_started_there(world):
    today = timezone.localdate()
    cohort = CohortFactory(programme=world.programme, name="Graduates")
    willow = ServiceFactory(programme=world.programme, name="Willow report ward")
    cedar = ServiceFactory(programme=world.programme, name="Cedar report ward")
    for enrolment, service in zip(
        _trainees(cohort, {Sex.FEMALE: 3}), [willow, willow, cedar], strict=True
    ):
        enrolment.status = Enrolment.Status.COMPLETED
        enrolment.passed_on = today - timedelta(days=100)
        enrolment.save()
        AppointmentFactory(
            person=enrolment.person,
            post=PeerPostFactory(service=service, status="filled"),
            start_date=today - timedelta(days=50),
        )
    client = _client(world.users["lead"])

    everyone = client.get(reverse("dashboard:employment-retention"), {"cohort": cohort.pk})
    willow_only = client.get(
        reverse("dashboard:employment-retention"), {"cohort": cohort.pk, "service": willow.pk}
    )

    assert everyone.context["table"].total.employed == 3
    assert willow_only.context["table"].total.employed == 2
    assert willow_only.context["table"].total.eligible == 3


def test_the_date_range_keeps_cohorts_that_started_within_it(world):
    today = timezone.localdate()
    CohortFactory(programme=world.programme, name="Old", training_start=today - timedelta(800))
    CohortFactory(programme=world.programme, name="New", training_start=today - timedelta(30))

    response = _client(world.users["admin"]).get(
        reverse("dashboard:training-programme"),
        {"date_from": (today - timedelta(days=100)).isoformat()},
    )

    names = [column.label for column in response.context["table"].columns]
    assert "New" in names
    assert "Old" not in names


def test_dates_the_wrong_way_round_are_explained(world):
    response = _client(world.users["lead"]).get(
        reverse("dashboard:programme"), {"date_from": "2026-03-01", "date_to": "2026-01-01"}
    )

    assert response.status_code == 200
    assert "The second date must be on or after the first." in response.content.decode()
