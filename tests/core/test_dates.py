"""Pages write dates the UK way, in full: 3 March 2026."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.test import Client
from django.urls import reverse

from peerprog.core.models import User
from tests.core.factories import PersonFactory


def test_a_persons_page_shows_dates_like_3_march_2026(lead: User) -> None:
    person = PersonFactory(
        programme=lead.programme,
        date_of_birth=date(1990, 3, 3),
        created_at=datetime(2026, 3, 3, 9, 30, tzinfo=ZoneInfo("Europe/London")),
    )
    client = Client()
    client.force_login(lead)

    page = client.get(reverse("core:person-detail", kwargs={"pk": person.pk})).content.decode()

    assert "3 March 2026" in page
    assert "3 March 1990" in page
    assert "03/03/2026" not in page
    assert "March 3, 2026" not in page


def test_a_time_just_after_midnight_in_summer_is_shown_on_the_uk_date(lead: User) -> None:
    # 00:30 on 1 July in London (BST) is still 30 June in UTC: the page must
    # use the UK's clock, not the database's.
    person = PersonFactory(
        programme=lead.programme,
        created_at=datetime(2026, 7, 1, 0, 30, tzinfo=ZoneInfo("Europe/London")),
    )
    client = Client()
    client.force_login(lead)

    page = client.get(reverse("core:person-detail", kwargs={"pk": person.pk})).content.decode()

    assert "1 July 2026" in page
    assert "30 June 2026" not in page
