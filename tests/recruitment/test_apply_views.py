"""Applying online, the pages: the programme's index, the form, the
confirmation, the refusal of a closed window, the honeypot, the throttle
(in the real Redis cache), the size limits, the query counts, and the lead's
side (the board's mark, the details given, use or ignore)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from peerprog.core.models import Person, Programme, ReasonableAdjustment, Role, User
from peerprog.core.outbox.models import OutboxEmail
from recruitment.models import Application, Cohort
from recruitment.views import apply
from recruitment.views.apply import ADDRESS_LIMIT, EMAIL_LIMIT, TOO_MANY
from tests.core.factories import PersonFactory, ProgrammeFactory, UserFactory
from tests.core.once_helpers import FormClient, signed_in
from tests.recruitment.apply_support import apply_data, open_cohort
from tests.recruitment.factories import ApplicationFactory, CohortFactory


def form_url(cohort: Cohort) -> str:
    return reverse("apply:form", args=[cohort.programme.slug, cohort.pk])


def sent_url(cohort: Cohort) -> str:
    return reverse("apply:sent", args=[cohort.programme.slug, cohort.pk])


def written() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Application.objects.count(),
        ReasonableAdjustment.objects.count(),
        OutboxEmail.objects.count(),
    )


def lead_of(programme: Programme) -> User:
    return UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])


# The index.


def test_the_index_lists_only_the_cohorts_taking_applications_today(
    programme: Programme, client: FormClient
) -> None:
    open_cohort(programme, name="Spring intake")
    open_cohort(programme, name="Still planning", status=Cohort.Status.PLANNING)
    CohortFactory(programme=programme, name="Last year's intake")
    open_cohort(ProgrammeFactory(name="Another programme"), name="Elsewhere")
    response = client.get(reverse("apply:index", args=[programme.slug]))
    assert response.status_code == 200
    assert b"Apply for Spring intake" in response.content
    for name in (b"Still planning", b"Last year", b"Elsewhere"):
        assert name not in response.content
    assert response["Cache-Control"] == "no-store"


def test_an_index_with_no_open_cohort_says_so(programme: Programme, client: FormClient) -> None:
    response = client.get(reverse("apply:index", args=[programme.slug]))
    assert b"No course is taking applications at the moment" in response.content


def test_an_unknown_programme_is_not_found(db: Any, client: FormClient) -> None:
    assert client.get(reverse("apply:index", args=["no-such-programme"])).status_code == 404


def test_another_programmes_cohort_is_not_found_under_this_address(
    programme: Programme, client: FormClient
) -> None:
    elsewhere = open_cohort(ProgrammeFactory(name="Another programme"))
    url = reverse("apply:form", args=[programme.slug, elsewhere.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("count", [2, 12])
def test_the_index_costs_the_same_queries_at_any_size(
    programme: Programme, client: FormClient, count: int, django_assert_num_queries: Any
) -> None:
    for n in range(count):
        cohort = open_cohort(programme, name=f"Intake {n}")
        for _ in range(count):
            ApplicationFactory(cohort=cohort)
    with django_assert_num_queries(2):
        response = client.get(reverse("apply:index", args=[programme.slug]))
    assert response.content.count(b"Apply for Intake") == count


# The form.


@pytest.mark.parametrize("count", [1, 30])
def test_the_form_costs_the_same_queries_at_any_size(
    programme: Programme, client: FormClient, count: int, django_assert_num_queries: Any
) -> None:
    cohort = open_cohort(programme)
    for _ in range(count):
        ApplicationFactory(cohort=cohort)
    with django_assert_num_queries(1):
        response = client.get(form_url(cohort))
    assert response.status_code == 200
    with django_assert_num_queries(1):
        assert client.get(sent_url(cohort)).status_code == 200


def test_the_form_asks_in_plain_words_with_labelled_fields_and_no_upload(
    programme: Programme, client: FormClient
) -> None:
    response = client.get(form_url(open_cohort(programme)))
    page = response.content.decode()
    for label in (
        "First name",
        "Last name",
        "E-mail address (optional)",
        "Phone number (optional)",
        "How would you like us to contact you?",
        "Where did you hear about the programme?",
        "Why would you like to train as a peer worker?",
        "Do you need anything to make the information event or interview work for you?",
    ):
        assert label in page
    assert 'type="file"' not in page
    assert "multipart" not in page
    assert 'autocomplete="given-name"' in page
    assert 'type="tel"' in page
    assert response["Cache-Control"] == "no-store"


def _tokens_masked(page: bytes) -> str:
    return re.sub(
        r'name="(csrfmiddlewaretoken|once_token)" value="[^"]*"',
        r'name="\1" value=""',
        re.sub(r'"X-CSRFToken": "[^"]*"', '"X-CSRFToken": ""', page.decode()),
    )


def test_the_empty_form_kept_for_every_visitor_is_the_form_drawn_afresh(
    programme: Programme, client: FormClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = form_url(open_cohort(programme))
    kept = client.get(url).content
    assert "csrfmiddlewaretoken" not in apply.blank_form().before_token
    monkeypatch.setattr(apply, "blank_form", lambda: None)
    drawn = client.get(url).content
    assert _tokens_masked(kept) == _tokens_masked(drawn)
    # The visitor's own CSRF token is in the kept form, as in the one drawn.
    tokens = re.findall(rb'name="csrfmiddlewaretoken" value="([^"]+)"', kept)
    assert len(tokens) == 2


def test_an_applicant_applies_and_sees_the_thanks_page(
    programme: Programme, client: FormClient
) -> None:
    cohort = open_cohort(programme)
    response = client.post(form_url(cohort), apply_data(adjustments="Breaks, please."))
    assert response.status_code == 302
    assert response["Location"] == sent_url(cohort)
    application = Application.objects.get(cohort=cohort)
    assert application.arrived == Application.Arrival.ONLINE
    assert application.person.email_allowed is True
    assert application.person.adjustments.get().request == "Breaks, please."
    thanks = client.get(response["Location"])
    assert b"Thank you: your application has been sent" in thanks.content


def test_the_thanks_page_is_the_same_whether_new_known_or_already_applied(
    programme: Programme,
) -> None:
    cohort = open_cohort(programme)
    PersonFactory(programme=programme, email="known@example.org")
    pages = []
    for email in ("new@example.org", "known@example.org", "known@example.org"):
        visitor = FormClient()
        response = visitor.post(form_url(cohort), apply_data(email=email), follow=True)
        content = response.content.decode()
        # The page's main part: the header carries each browser's own CSRF token.
        pages.append(content[content.index("<main") : content.index("</main>")])
    assert pages[0] == pages[1] == pages[2]
    assert Application.objects.filter(cohort=cohort).count() == 2
    wording = list(OutboxEmail.objects.order_by("pk").values_list("subject", flat=True))
    assert "We have your application" in wording[0]
    assert "We have your application" in wording[1]
    assert "You have already applied" in wording[2]


def test_a_closed_window_is_refused_with_a_clear_page_and_nothing_is_written(
    programme: Programme, client: FormClient
) -> None:
    cohort = open_cohort(programme)
    page = client.get(form_url(cohort))
    Cohort.objects.filter(pk=cohort.pk).update(
        applications_close=timezone.localdate() - timedelta(days=1)
    )
    before = written()
    response = client.post(form_url(cohort), apply_data())
    assert response.status_code == 200
    assert b"are not open" in response.content
    assert b"nothing has been sent" in response.content
    assert written() == before
    assert page.status_code == 200


def test_a_cohort_not_recruiting_shows_the_refusal_page(
    programme: Programme, client: FormClient
) -> None:
    cohort = open_cohort(programme, status=Cohort.Status.IN_TRAINING)
    response = client.get(form_url(cohort))
    assert b"Applications to" in response.content and b"are not open" in response.content
    assert b"Send my application" not in response.content


def test_a_robot_filling_the_hidden_field_sees_the_thanks_page_and_nothing_is_stored(
    programme: Programme, client: FormClient
) -> None:
    cohort = open_cohort(programme)
    before = written()
    response = client.post(form_url(cohort), apply_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == sent_url(cohort)
    assert written() == before


def test_the_hidden_field_is_hidden_from_people_and_screen_readers(
    programme: Programme, client: FormClient
) -> None:
    page = client.get(form_url(open_cohort(programme))).content.decode()
    start = page.index('class="d-none"')
    assert 'aria-hidden="true"' in page[start : start + 60]
    assert page.index('name="website"') > start


@pytest.mark.parametrize(
    ("field", "size"),
    [
        ("first_name", 101),
        ("last_name", 101),
        ("preferred_name", 101),
        ("phone", 41),
        ("address", 501),
        ("statement", 5001),
        ("adjustments", 1001),
        ("website", 201),
    ],
)
def test_every_field_has_a_size_limit(
    programme: Programme, client: FormClient, field: str, size: int
) -> None:
    cohort = open_cohort(programme)
    before = written()
    response = client.post(form_url(cohort), apply_data(**{field: "x" * size}))
    if field == "website":
        # Whatever its size, a filled honeypot is a robot.
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    assert written() == before


def test_an_e_mail_address_longer_than_the_limit_is_refused(
    programme: Programme, client: FormClient
) -> None:
    cohort = open_cohort(programme)
    response = client.post(form_url(cohort), apply_data(email="a" * 250 + "@example.org"))
    assert response.status_code == 200
    assert not Application.objects.filter(cohort=cohort).exists()


def test_agreeing_to_e_mail_needs_an_address(programme: Programme, client: FormClient) -> None:
    cohort = open_cohort(programme)
    response = client.post(form_url(cohort), apply_data(email="", contact_by="email"))
    assert "Give your e-mail address if you would like us to e-mail you." in (
        response.content.decode()
    )
    assert not Application.objects.filter(cohort=cohort).exists()


def test_letters_by_post_need_an_address_and_then_no_e_mail_is_agreed(
    programme: Programme, client: FormClient
) -> None:
    cohort = open_cohort(programme)
    refused = client.post(form_url(cohort), apply_data(contact_by="post"))
    assert "Give your address if you would like letters in the post." in refused.content.decode()
    client.post(form_url(cohort), apply_data(contact_by="post", address="3 Mill Lane"))
    person = Application.objects.get(cohort=cohort).person
    assert (person.email_allowed, person.hard_copy_letters) == (False, True)


# The throttle: the real cache (Redis in the test settings).


def test_the_throttle_counts_in_redis() -> None:
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    assert type(caches["default"]).__name__ == "RedisCache"


def test_too_many_applications_to_one_e_mail_address_are_refused_for_an_hour(
    programme: Programme,
) -> None:
    cohort = open_cohort(programme)
    for n in range(EMAIL_LIMIT):
        other = open_cohort(programme, name=f"Intake {n}")
        assert FormClient().post(form_url(other), apply_data()).status_code == 302
    before = written()
    response = FormClient().post(form_url(cohort), apply_data(email="NADIA.okafor@example.org"))
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert written() == before


def test_too_many_applications_from_one_address_are_refused_for_an_hour(
    programme: Programme,
) -> None:
    cohort = open_cohort(programme)
    for n in range(ADDRESS_LIMIT):
        response = FormClient().post(form_url(cohort), apply_data(email=f"person{n}@example.org"))
        assert response.status_code == 302
    before = written()
    response = FormClient().post(form_url(cohort), apply_data(email="someone.new@example.org"))
    assert response.status_code == 429
    assert "Too many applications from here; try again in an hour" in response.content.decode()
    assert written() == before
    other_address = FormClient(REMOTE_ADDR="203.0.113.9")
    response = other_address.post(form_url(cohort), apply_data(email="someone.new@example.org"))
    assert response.status_code == 302


# The lead's side.


def test_the_board_marks_an_application_sent_online(
    programme: Programme, client: FormClient
) -> None:
    cohort = open_cohort(programme)
    ApplicationFactory(cohort=cohort)  # keyed in by hand
    client.post(form_url(cohort), apply_data())
    lead = signed_in(lead_of(programme))
    board = lead.get(reverse("recruitment:board", args=[cohort.pk])).content.decode()
    assert board.count("Applied online") == 1
    received = board.index('id="column-received"')
    assert board.index("Nadia Okafor") > received
    assert board.index("Applied online") > received


def known_applicant_with_differences(programme: Programme) -> Application:
    cohort = open_cohort(programme)
    PersonFactory(
        programme=programme,
        first_name="Nadia",
        last_name="Okafor",
        date_of_birth=date(1990, 3, 21),
        email="n.okafor@example.net",
        phone="",
    )
    FormClient().post(
        form_url(cohort),
        apply_data(email="nadia.new@example.org", date_of_birth="1990-03-21"),
    )
    return Application.objects.get(cohort=cohort)


def test_the_lead_sees_the_details_given_that_differ_from_the_record(
    programme: Programme,
) -> None:
    application = known_applicant_with_differences(programme)
    lead = signed_in(lead_of(programme))
    page = lead.get(reverse("recruitment:application-detail", args=[application.pk]))
    text = page.content.decode()
    assert "Details given online that differ from the record" in text
    assert "nadia.new@example.org" in text and "n.okafor@example.net" in text
    assert "Use these details" in text and "Ignore them" in text


def test_the_lead_uses_the_details_and_the_change_is_audited(programme: Programme) -> None:
    application = known_applicant_with_differences(programme)
    user = lead_of(programme)
    lead = signed_in(user)
    response = lead.post(reverse("recruitment:application-details-use", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.details_given == {}
    person = Person.objects.get(pk=application.person_id)
    assert (person.email, person.phone) == ("nadia.new@example.org", "07700 900123")
    latest = person.history.order_by("-history_id").first()
    assert latest.history_user == user
    page = lead.get(reverse("recruitment:application-detail", args=[application.pk]))
    assert "Details given online that differ" not in page.content.decode()


def test_the_lead_ignores_the_details_and_the_record_is_unchanged(programme: Programme) -> None:
    application = known_applicant_with_differences(programme)
    user = lead_of(programme)
    response = signed_in(user).post(
        reverse("recruitment:application-details-ignore", args=[application.pk])
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.details_given == {}
    assert application.person.email == "n.okafor@example.net"
    assert application.history.order_by("-history_id").first().history_user == user


def test_hr_sees_the_differences_but_cannot_use_them(programme: Programme) -> None:
    application = known_applicant_with_differences(programme)
    hr = signed_in(UserFactory(programme=programme, roles=[Role.HR]))
    page = hr.get(reverse("recruitment:application-detail", args=[application.pk]))
    assert "Details given online that differ" in page.content.decode()
    assert "Use these details" not in page.content.decode()
    response = hr.post(reverse("recruitment:application-details-use", args=[application.pk]))
    assert response.status_code == 403


def test_the_lead_filters_the_list_by_how_applications_arrived(
    programme: Programme, client: FormClient
) -> None:
    cohort = open_cohort(programme)
    ApplicationFactory(cohort=cohort, person=PersonFactory(programme=programme, last_name="Byhand"))
    client.post(form_url(cohort), apply_data())
    lead = signed_in(lead_of(programme))
    url = reverse("recruitment:application-list") + "?arrived=online"
    page = lead.get(url).content.decode()
    assert "Nadia Okafor" in page and "Byhand" not in page
    assert "Applied online" in page
