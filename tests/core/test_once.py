"""One-time form tokens (``peerprog.core.once``): a create form is safe to
submit twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core import once
from peerprog.core.models import FormToken, ReasonableAdjustment, Role
from tests.conftest import World
from tests.core.factories import PersonFactory, ProgrammeFactory, UserFactory
from tests.core.once_helpers import (
    Sample,
    post_concurrently,
    session_cookie,
    tampered,
    token_in,
    with_token,
)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def adjustment_form(**values: str) -> dict[str, str]:
    return {
        "kind": ReasonableAdjustment.Kind.TIMING,
        "request": "Breaks every hour because of medication.",
        "practical_note": "A break every hour.",
        "is_active": "on",
        **values,
    }


def test_twenty_identical_posts_at_once_add_one_adjustment(
    transactional_db: None, live_server: Any
) -> None:
    """The reported fault: twenty identical posts of the reasonable
    adjustment form, sent at the same moment, added twenty adjustments."""
    programme = ProgrammeFactory()
    hr = UserFactory(programme=programme, roles=[Role.HR])
    person = PersonFactory(programme=programme)
    url = reverse("core:adjustment-create", args=[person.pk])
    sample = once_sample_for(url)

    answers = post_concurrently(live_server.url, sample, session_cookie(hr))

    assert ReasonableAdjustment.objects.filter(person=person).count() == 1
    assert [a.status for a in answers] == [302] * 20
    assert {a.location for a in answers} == {reverse("core:person-detail", args=[person.pk])}


def once_sample_for(url: str) -> Any:
    return Sample(user="hr", url=url, data=adjustment_form(), model=ReasonableAdjustment)


def test_showing_a_form_writes_nothing(world: World) -> None:
    url = reverse("core:adjustment-create", args=[world.person.pk])

    page = signed_in(world.users["hr"]).get(url)

    assert page.status_code == 200
    assert token_in(page.content.decode())
    assert not FormToken.objects.exists()


def test_the_form_keeps_its_button_beside_the_token(world: World) -> None:
    url = reverse("core:adjustment-create", args=[world.person.pk])

    html = signed_in(world.users["hr"]).get(url).content.decode()

    assert token_in(html)
    assert 'type="submit"' in html and 'value="Save"' in html


def test_the_same_post_twice_adds_one_adjustment_and_says_it_was_saved(world: World) -> None:
    hr = world.users["hr"]
    client = signed_in(hr)
    url = reverse("core:adjustment-create", args=[world.person.pk])
    data = with_token(hr, url, adjustment_form(practical_note="Large print."))

    first = client.post(url, data)
    second = client.post(url, data)

    assert ReasonableAdjustment.objects.filter(practical_note="Large print.").count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert "This was already saved." in [str(m) for m in get_messages(second.wsgi_request)]
    assert FormToken.objects.get().result_url == first["Location"]


def test_a_changed_token_is_refused_with_a_message_and_a_new_token(world: World) -> None:
    hr = world.users["hr"]
    url = reverse("core:adjustment-create", args=[world.person.pk])
    data = with_token(hr, url, adjustment_form(practical_note="Large print."))
    data[once.FIELD] = tampered(data[once.FIELD])

    response = signed_in(hr).post(url, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "could not be checked" in html
    assert "Large print." in html  # the form is shown as it was filled in
    assert token_in(html) != data[once.FIELD]
    assert not ReasonableAdjustment.objects.filter(practical_note="Large print.").exists()
    assert not FormToken.objects.exists()


def test_a_post_without_a_token_is_refused_with_a_message(world: World) -> None:
    hr = world.users["hr"]
    url = reverse("core:adjustment-create", args=[world.person.pk])

    response = signed_in(hr).post(url, adjustment_form(practical_note="Large print."))

    assert response.status_code == 200
    assert "could not be checked" in response.content.decode()
    assert not ReasonableAdjustment.objects.filter(practical_note="Large print.").exists()


def test_an_expired_token_is_refused(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    hr = world.users["hr"]
    url = reverse("core:adjustment-create", args=[world.person.pk])
    data = with_token(hr, url, adjustment_form(practical_note="Large print."))
    monkeypatch.setattr(once, "MAX_AGE", timedelta(seconds=-1))

    response = signed_in(hr).post(url, data)

    assert response.status_code == 200
    assert not ReasonableAdjustment.objects.filter(practical_note="Large print.").exists()


def test_a_form_with_errors_does_not_use_up_its_token(world: World) -> None:
    hr = world.users["hr"]
    client = signed_in(hr)
    url = reverse("core:adjustment-create", args=[world.person.pk])
    data = with_token(hr, url, adjustment_form(practical_note=""))

    with_errors = client.post(url, data)
    corrected = client.post(url, {**data, "practical_note": "Large print."})

    assert with_errors.status_code == 200
    assert "This field is required." in with_errors.content.decode()
    assert corrected.status_code == 302
    assert ReasonableAdjustment.objects.filter(practical_note="Large print.").count() == 1


def test_a_token_shown_to_one_user_cannot_be_used_by_another(world: World) -> None:
    url = reverse("core:adjustment-create", args=[world.person.pk])
    data = with_token(world.users["hr"], url, adjustment_form(practical_note="Large print."))

    response = signed_in(world.users["lead"]).post(url, data)

    assert response.status_code == 200
    assert "could not be checked" in response.content.decode()
    assert not ReasonableAdjustment.objects.filter(practical_note="Large print.").exists()


def test_a_token_for_one_page_cannot_be_used_on_another(world: World) -> None:
    hr = world.users["hr"]
    other = PersonFactory(programme=world.programme)
    shown = reverse("core:adjustment-create", args=[world.person.pk])
    data = with_token(hr, shown, adjustment_form(practical_note="Large print."))

    response = signed_in(hr).post(reverse("core:adjustment-create", args=[other.pk]), data)

    assert response.status_code == 200
    assert not ReasonableAdjustment.objects.filter(practical_note="Large print.").exists()


def test_tokens_of_forms_posted_over_thirty_days_ago_are_purged(db: None) -> None:
    old = FormToken.objects.create(key="old", path="/", created_at=timezone.now() - timedelta(31))
    recent = FormToken.objects.create(key="recent", path="/")

    assert once.tokens_purge() == 1

    assert list(FormToken.objects.all()) == [recent]
    assert not FormToken.objects.filter(pk=old.pk).exists()


def test_the_purge_runs_every_day(db: None) -> None:
    from django_celery_beat.models import PeriodicTask

    from peerprog.celery import app

    task = PeriodicTask.objects.get(name="Forms: delete old one-time tokens")
    assert task.task == "peerprog.core.once.tasks.form_tokens_purge"
    assert (task.interval.every, task.interval.period) == (1, "days")
    assert task.task in app.tasks
