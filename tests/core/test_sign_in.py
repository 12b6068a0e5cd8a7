"""Signing in: repeated failures for one account from one address pause
sign-in for that pair only, and the pause lifts after the cool-off."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core.models import User
from tests.conftest import World

PASSWORD = "a-long-test-password"
ADDRESS = "203.0.113.7"
LOCKED = "Sign-in is paused for this account"


def sign_in(client: Client, email: str, password: str, address: str = ADDRESS) -> int:
    response = client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def fail_until_locked(email: str) -> Client:
    client = Client()
    statuses = [
        sign_in(client, email, "not the password") for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    return client


def test_the_right_password_signs_in(lead: User) -> None:
    assert sign_in(Client(), lead.email, PASSWORD) == 302


def test_a_wrong_password_is_explained_in_plain_words(lead: User) -> None:
    response = Client().post(
        reverse("login"), {"username": lead.email, "password": "nope"}, REMOTE_ADDR=ADDRESS
    )

    assert "The e-mail address or password is not right." in response.content.decode()


def test_too_many_failures_pause_sign_in_with_the_locked_out_page(lead: User) -> None:
    client = fail_until_locked(lead.email)

    response = client.post(
        reverse("login"), {"username": lead.email, "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_same_account_can_still_sign_in_from_another_address(lead: User) -> None:
    fail_until_locked(lead.email)

    assert sign_in(Client(), lead.email, PASSWORD, address="198.51.100.20") == 302


def test_another_account_can_still_sign_in_from_the_same_address(world: World) -> None:
    fail_until_locked(world.users["lead"].email)

    assert sign_in(Client(), world.users["hr"].email, PASSWORD) == 302


def test_the_pause_lifts_after_the_cool_off(lead: User) -> None:
    fail_until_locked(lead.email)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )

    assert sign_in(Client(), lead.email, PASSWORD) == 302


def test_the_pause_holds_until_the_cool_off_is_over(lead: User) -> None:
    fail_until_locked(lead.email)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    )

    assert sign_in(Client(), lead.email, PASSWORD) == 429


def test_signing_in_records_the_time_without_an_empty_audit_entry(lead: User) -> None:
    entries_before = lead.history.count()

    assert sign_in(Client(), lead.email, PASSWORD) == 302

    lead.refresh_from_db()
    assert lead.last_login is not None
    assert lead.history.count() == entries_before
