"""Mentoring in a browser: on a phone-sized screen a mentor logs three
meetings with a trainee who is behind, and the lead sees the trainee turn
compliant."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.support import check_accessible, sign_in
from tests.core.factories import PersonFactory
from tests.demo_once import seed_demo_once
from tests.supervision.factories import assign
from tests.training.factories import ApplicationFactory, CohortFactory, accept
from training.models import Enrolment

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _go(page: Page, action: Any) -> None:
    """Follow a link or submit a form, then check the new page with axe."""
    with page.expect_navigation():
        action()
    check_accessible(page)


def test_a_mentor_logs_three_meetings_on_a_phone_and_the_lead_sees_the_minimum_met(
    page: Page, live_server: Any, new_context: Any
) -> None:
    ctx = seed_demo_once()
    today = timezone.localdate()
    cohort = CohortFactory(
        programme=ctx.programme,
        name="Spring cohort",
        training_start=today - timedelta(weeks=7),
        training_end=today + timedelta(weeks=5),
    )
    ada = PersonFactory(programme=ctx.programme, first_name="Ada", last_name="Okoro")
    accept(ApplicationFactory(cohort=cohort, person=ada))
    enrolment = Enrolment.objects.get(person=ada)
    grace = ctx.users["mentor"]
    assign(enrolment, grace, by=ctx.users["lead"], on=cohort.training_start)

    # The lead sees that Ada is behind for week seven of the course.
    sign_in(page, live_server, ctx.users["lead"].email, ctx.password)
    check_accessible(page)
    _go(page, lambda: page.get_by_role("link", name="Mentoring", exact=True).first.click())
    _go(page, lambda: page.get_by_role("link", name="Spring cohort").click())
    expect(page.get_by_role("row").filter(has_text="Ada Okoro")).to_contain_text(
        "Behind for this point in the course"
    )

    # The mentor, on a phone, logs three meetings from her own page.
    phone = new_context(**PHONE).new_page()
    sign_in(phone, live_server, grace.email, ctx.password)
    check_accessible(phone)
    _go(phone, lambda: phone.locator("main").get_by_role("link", name="My mentees").click())
    meetings = [
        (today - timedelta(weeks=6), "45"),
        (today - timedelta(weeks=3), "60"),
        (today, "30"),
    ]
    for number, (day, minutes) in enumerate(meetings, start=1):
        _go(phone, lambda: phone.get_by_role("link", name="Log a meeting with Ada Okoro").click())
        phone.get_by_label("Date of the meeting").fill(day.isoformat())
        phone.get_by_label("Length in minutes").fill(minutes)
        if number == 2:
            phone.get_by_label("Phone or video").check()
        phone.get_by_label("Notes").fill(f"Meeting {number}: talked about the course.")
        _go(phone, lambda: phone.get_by_role("button", name="Log the meeting").click())
        expect(phone.get_by_text("Your meeting with Ada Okoro is logged.")).to_be_visible()
        card = phone.get_by_role("region", name="Ada Okoro")
        expect(card).to_contain_text(f"{number} of 3 meetings")
    expect(card).to_contain_text("Minimum met")
    # The page fits the narrow screen: nothing scrolls sideways.
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390

    # The lead reloads the cohort and sees Ada has met the minimum.
    page.reload()
    check_accessible(page)
    expect(page.get_by_role("row").filter(has_text="Ada Okoro")).to_contain_text("Minimum met")
    _go(page, lambda: page.get_by_role("link", name="Ada Okoro", exact=True).click())
    expect(page.get_by_text("Meeting 2: talked about the course.")).to_be_visible()
