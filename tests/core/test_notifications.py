"""Notifications: stored once per key, counted in the navigation, marked as
read one by one (with or without htmx) or all at once, by their recipient."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from peerprog.core.models import Notification, User
from peerprog.core.services import notify
from tests.conftest import World
from tests.core.factories import NotificationFactory


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_notify_stores_a_reminder_once_per_key(lead: User) -> None:
    first = notify(recipient=lead, key="meeting-due:7", title="A mentor meeting is due")
    again = notify(recipient=lead, key="meeting-due:7", title="A mentor meeting is due")

    assert first is not None
    assert again is None
    assert Notification.objects.filter(recipient=lead, key="meeting-due:7").count() == 1


def test_the_same_key_may_reach_two_people(lead: User, hr: User) -> None:
    notify(recipient=lead, key="cohort-opens:1", title="Applications open")
    notify(recipient=hr, key="cohort-opens:1", title="Applications open")

    assert Notification.objects.filter(key="cohort-opens:1").count() == 2


def test_the_database_refuses_a_second_notification_with_the_same_key(lead: User) -> None:
    Notification.objects.create(recipient=lead, key="once", title="First")

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=lead, key="once", title="Second")


def test_an_emailed_notification_is_sent_after_the_commit_once(
    lead: User, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=lead, key="portfolio-due", title="Portfolios are due", email=True
        )
        assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=lead, key="portfolio-due", title="Portfolios are due", email=True)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [lead.email]
    assert mailoutbox[0].subject == "[peerprog] Portfolios are due"
    assert notification is not None
    notification.refresh_from_db()
    assert notification.email is not None
    assert notification.email.state == "accepted"


def test_no_email_goes_to_a_switched_off_account(
    lead: User, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    lead.is_active = False
    lead.save()

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=lead, key="k", title="Hello", email=True)

    assert mailoutbox == []


def test_the_unread_count_shows_in_the_navigation(world: World, lead: User) -> None:
    NotificationFactory(recipient=lead)
    NotificationFactory(recipient=lead, read_at="2026-03-03T10:00:00Z")

    page = signed_in(lead).get(reverse("core:home")).content.decode()

    assert '2<span class="visually-hidden"> unread</span>' in page


def test_marking_one_notification_read_with_a_plain_form(world: World, lead: User) -> None:
    notification = world.objects["notification"]

    response = signed_in(lead).post(
        reverse("core:notification-read", kwargs={"pk": notification.pk})
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("core:notifications")
    notification.refresh_from_db()
    assert notification.is_read


def test_marking_one_notification_read_with_htmx_returns_its_fragment(
    world: World, lead: User
) -> None:
    notification = world.objects["notification"]

    response = signed_in(lead).post(
        reverse("core:notification-read", kwargs={"pk": notification.pk}), HTTP_HX_REQUEST="true"
    )

    fragment = response.content.decode()
    assert response.status_code == 200
    assert fragment.lstrip().startswith('<li class="list-group-item')
    assert f'id="notification-{notification.pk}"' in fragment
    assert "Check in with Ada" in fragment
    assert "Mark as read" not in fragment
    assert "<html" not in fragment
    notification.refresh_from_db()
    assert notification.is_read


def test_marking_all_read_leaves_other_peoples_notifications_alone(
    world: World, lead: User, hr: User
) -> None:
    NotificationFactory(recipient=lead)
    someone_elses = NotificationFactory(recipient=hr)

    response = signed_in(lead).post(reverse("core:notifications-read-all"), follow=True)

    assert "2 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=lead, read_at=None).exists()
    someone_elses.refresh_from_db()
    assert not someone_elses.is_read


def test_another_users_notification_is_not_found(world: World, hr: User) -> None:
    notification = world.objects["notification"]

    response = signed_in(hr).post(reverse("core:notification-read", kwargs={"pk": notification.pk}))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_the_list_shows_only_the_users_own_notifications(
    world: World, lead: User, hr: User
) -> None:
    NotificationFactory(recipient=hr, title="For HR only")

    page = signed_in(lead).get(reverse("core:notifications")).content.decode()

    assert "Check in with Ada" in page
    assert "For HR only" not in page
