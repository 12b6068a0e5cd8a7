"""The optional equality step after applying online: reached from the
confirmation page, tied to the application through the browser's session
(never an id in the address), and never changing an answer on record."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from peerprog.core.models import Programme, SensitiveFacts
from recruitment.models import Application, Cohort
from tests.core.factories import PersonFactory
from tests.core.once_helpers import FormClient
from tests.recruitment.apply_support import apply_data, open_cohort
from tests.recruitment.factories import ApplicationFactory

ANSWERS = {
    "ethnic_group": "Z",
    "sex": "",
    "gender_identity": "",
    "sexual_orientation": "",
    "religion_or_belief": "",
    "age_band": "25-34",
    "disability": "yes",
}


def equality_url(cohort: Cohort) -> str:
    return reverse("apply:equality", args=[cohort.programme.slug, cohort.pk])


def sent_url(cohort: Cohort) -> str:
    return reverse("apply:sent", args=[cohort.programme.slug, cohort.pk])


def applied(cohort: Cohort, **changes: Any) -> FormClient:
    browser = FormClient()
    form = reverse("apply:form", args=[cohort.programme.slug, cohort.pk])
    assert browser.post(form, apply_data(**changes)).status_code == 302
    return browser


def test_the_confirmation_page_leads_to_the_optional_questions(programme: Programme) -> None:
    cohort = open_cohort(programme)
    browser = applied(cohort)
    page = browser.get(sent_url(cohort)).content.decode()
    assert "Answer the optional questions" in page
    assert f'href="{equality_url(cohort)}"' in page
    application = Application.objects.get(cohort=cohort)
    assert str(application.pk) not in equality_url(cohort).replace(str(cohort.pk), "")


def test_the_answers_are_kept_as_coded_special_category_facts(programme: Programme) -> None:
    cohort = open_cohort(programme)
    browser = applied(cohort)
    page = browser.get(equality_url(cohort)).content.decode()
    assert "What is your ethnic group?" in page and "Prefer not to say" in page
    response = browser.post(equality_url(cohort), ANSWERS)
    assert response.status_code == 302
    assert response["Location"] == sent_url(cohort)
    facts = SensitiveFacts.objects.get(person__applications__cohort=cohort)
    assert (facts.ethnic_group, facts.age_band, facts.disability) == ("Z", "25-34", "yes")
    assert facts.sex == "X"  # not answered: not known
    assert facts.history.get().history_user is None


def test_the_questions_are_answered_once_per_application(programme: Programme) -> None:
    cohort = open_cohort(programme)
    browser = applied(cohort)
    browser.post(equality_url(cohort), ANSWERS)
    assert "Answer the optional questions" not in browser.get(sent_url(cohort)).content.decode()
    again = browser.get(equality_url(cohort))
    assert again.status_code == 403
    assert "There is nothing to add answers to" in again.content.decode()


def test_a_browser_that_sent_no_application_cannot_answer(programme: Programme) -> None:
    cohort = open_cohort(programme)
    ApplicationFactory(cohort=cohort)
    browser = FormClient()
    assert browser.get(equality_url(cohort)).status_code == 403
    browser.post(equality_url(cohort), ANSWERS)
    assert not SensitiveFacts.objects.exists()


def test_the_session_of_one_cohort_does_not_open_another(programme: Programme) -> None:
    cohort = open_cohort(programme)
    other = open_cohort(programme, name="Other intake")
    browser = applied(cohort)
    assert browser.get(equality_url(other)).status_code == 403


def test_someone_who_had_already_applied_sees_the_questions_and_nothing_is_stored(
    programme: Programme,
) -> None:
    cohort = open_cohort(programme)
    person = PersonFactory(programme=programme, email="nadia.okafor@example.org")
    ApplicationFactory(cohort=cohort, person=person)
    browser = applied(cohort)
    assert browser.get(equality_url(cohort)).status_code == 200
    assert browser.post(equality_url(cohort), ANSWERS).status_code == 302
    assert not SensitiveFacts.objects.filter(person=person).exists()


def test_answers_on_record_are_never_changed_from_the_public_form(programme: Programme) -> None:
    cohort = open_cohort(programme)
    person = PersonFactory(
        programme=programme,
        first_name="Nadia",
        last_name="Okafor",
        date_of_birth=date(1990, 3, 21),
        email="n.okafor@example.net",
    )
    SensitiveFacts.objects.create(person=person, ethnic_group="A", disability="no")
    browser = applied(cohort, date_of_birth="1990-03-21")
    browser.post(equality_url(cohort), ANSWERS)
    facts = SensitiveFacts.objects.get(person=person)
    assert (facts.ethnic_group, facts.disability) == ("A", "no")
    assert facts.age_band == "25-34"


@pytest.mark.parametrize("count", [1, 30])
def test_the_questions_cost_the_same_queries_at_any_size(
    programme: Programme, count: int, django_assert_num_queries: Any
) -> None:
    cohort = open_cohort(programme)
    for _ in range(count):
        ApplicationFactory(cohort=cohort)
    browser = applied(cohort)
    with django_assert_num_queries(2):
        assert browser.get(equality_url(cohort)).status_code == 200
    with django_assert_num_queries(2):
        assert browser.get(sent_url(cohort)).status_code == 200
