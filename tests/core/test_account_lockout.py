"""Sign-in to one account pauses after repeated failures from any number of
addresses: after 10 failures within an hour, for a minute, then twice as
long after each further failure, up to an hour. The owner is told once; a
colleague is unaffected; after the wait the right password signs in, with
the second factor still to pass."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from peerprog.core.models import Notification, OutboxEmail, User
from tests.conftest import World

PASSWORD = "a-long-test-password"
WRONG = "not-the-password-9f3k"
PAUSED = "Too many attempts to sign in to this account. Try again in {} minute{}."


def address(number: int) -> str:
    return f"198.51.100.{number}"


def sign_in(email: str, password: str, number: int, client: Client | None = None) -> HttpResponse:
    client = client or Client()
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address(number)
    )


def fail_from_ten_addresses(email: str, first: int = 1) -> None:
    for number in range(first, first + 10):
        response = sign_in(email, WRONG, number)
        assert response.status_code == 200, f"attempt from address {number}"


def paused_message(minutes: int) -> str:
    return PAUSED.format(minutes, "" if minutes == 1 else "s")


@pytest.fixture(autouse=True)
def _no_counts_from_other_tests() -> Iterator[None]:
    # The counts live in the cache (this run's own Redis database).
    cache.clear()
    yield
    cache.clear()


def test_ten_failures_from_ten_addresses_pause_the_account_for_a_minute(lead: User) -> None:
    fail_from_ten_addresses(lead.email)
    client = Client()

    response = sign_in(lead.email, PASSWORD, 11, client)

    assert response.status_code == 429
    assert paused_message(1) in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_nine_failures_do_not_pause_the_account(lead: User) -> None:
    for number in range(1, 10):
        sign_in(lead.email, WRONG, number)

    assert sign_in(lead.email, PASSWORD, 10).status_code == 302


def test_after_the_wait_the_next_failure_pauses_it_for_twice_as_long(lead: User) -> None:
    from peerprog.core.lockout import pause_lift

    fail_from_ten_addresses(lead.email)
    assert sign_in(lead.email, PASSWORD, 11).status_code == 429
    pause_lift(username=lead.email)

    assert sign_in(lead.email, WRONG, 12).status_code == 200
    response = sign_in(lead.email, PASSWORD, 13)

    assert response.status_code == 429
    assert paused_message(2) in response.content.decode()


def test_the_wait_doubles_up_to_an_hour() -> None:
    from peerprog.core.lockout import pause_wait

    minutes = [pause_wait(level=level).total_seconds() / 60 for level in range(9)]

    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_after_the_wait_the_right_password_signs_in_without_the_second_factor(
    lead: User,
) -> None:
    from peerprog.core.lockout import pause_lift

    fail_from_ten_addresses(lead.email)
    pause_lift(username=lead.email)
    client = Client()

    assert sign_in(lead.email, PASSWORD, 11, client).status_code == 302
    assert client.session["_auth_user_id"] == str(lead.pk)
    assert "peerprog_second_factor" not in client.session


def test_the_owner_is_told_once_without_addresses_or_passwords(lead: User) -> None:
    from peerprog.core.lockout import pause_lift

    fail_from_ten_addresses(lead.email)
    sign_in(lead.email, PASSWORD, 11)
    pause_lift(username=lead.email)
    sign_in(lead.email, WRONG, 12)
    assert sign_in(lead.email, PASSWORD, 13).status_code == 429

    notices = Notification.objects.filter(recipient=lead, key__startswith="sign-in-paused")
    assert notices.count() == 1
    emails = OutboxEmail.objects.filter(to_address=lead.email)
    assert emails.count() == 1
    text = emails.get().body_text + emails.get().body_html + emails.get().subject
    assert "paused" in text
    assert "198.51.100" not in text
    assert WRONG not in text
    assert PASSWORD not in text


def test_a_colleague_can_still_sign_in_from_the_same_addresses(world: World) -> None:
    fail_from_ten_addresses(world.users["lead"].email)

    for number in range(1, 12):
        assert sign_in(world.users["hr"].email, PASSWORD, number).status_code == 302
    assert not Notification.objects.filter(
        recipient=world.users["hr"], key__startswith="sign-in-paused"
    ).exists()


def test_an_address_that_is_nobodys_pauses_alike(lead: User) -> None:
    fail_from_ten_addresses("nobody@example.org")

    response = sign_in("nobody@example.org", PASSWORD, 11)

    assert response.status_code == 429
    assert paused_message(1) in response.content.decode()
    assert not Notification.objects.filter(key__startswith="sign-in-paused").exists()


def test_a_pause_is_not_lengthened_by_attempts_during_it(lead: User) -> None:
    fail_from_ten_addresses(lead.email)
    for number in range(11, 16):
        assert sign_in(lead.email, WRONG, number).status_code == 429

    response = sign_in(lead.email, PASSWORD, 16)

    assert paused_message(1) in response.content.decode()
