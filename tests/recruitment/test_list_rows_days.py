"""The application list writes each day of receipt as Django's
``date_format`` does, without asking Django for each one."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import translation
from django.utils.formats import date_format

from recruitment.list_rows import _day_shown


def test_every_day_of_two_years_is_shown_as_django_shows_it() -> None:
    shown = _day_shown()
    start = date(2025, 1, 1)
    for offset in range(730):
        day = start + timedelta(days=offset)
        assert shown(day) == date_format(day)


def test_another_language_is_left_to_django() -> None:
    with translation.override("de"):
        shown = _day_shown()
        day = date(2026, 3, 3)
        assert shown(day) == date_format(day)
