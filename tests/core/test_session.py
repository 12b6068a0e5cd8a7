"""Sessions end after 30 minutes without a request, and every request moves
the end back (an idle timeout, for shared ward computers)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core.models import User


def session_of(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def close_to(moment: datetime, expected: datetime) -> bool:
    return abs(moment - expected) < timedelta(seconds=30)


def test_the_session_lasts_thirty_minutes_from_the_last_request(lead: User) -> None:
    client = Client()
    client.force_login(lead)

    response = client.get(reverse("core:home"))

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert close_to(session_of(client).expire_date, timezone.now() + timedelta(minutes=30))


def test_each_request_moves_the_end_of_the_session_back(lead: User) -> None:
    client = Client()
    client.force_login(lead)
    client.get(reverse("core:home"))
    Session.objects.filter(pk=session_of(client).pk).update(
        expire_date=timezone.now() + timedelta(minutes=2)
    )

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert close_to(session_of(client).expire_date, timezone.now() + timedelta(minutes=30))


def test_the_session_cookie_ends_with_the_browser(lead: User) -> None:
    client = Client()
    client.force_login(lead)

    cookie = client.get(reverse("core:home")).cookies[settings.SESSION_COOKIE_NAME]

    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert cookie["httponly"]


def test_after_thirty_idle_minutes_the_user_must_sign_in_again(lead: User) -> None:
    client = Client()
    client.force_login(lead)
    Session.objects.filter(pk=session_of(client).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    response = client.get(reverse("core:people"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
