"""Peer worker activity in a browser: a peer worker records last week's
activity on a phone-sized screen, starting from the week before's
pattern, has a note with an NHS number refused, and saves; the programme
lead then finds the month's report and sees the week in it. Every page is
checked with axe."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from deployment.models import ActivityTopic, ActivityWeek
from deployment.services.activity import (
    LineValues,
    activity_topics_ensure_defaults,
    activity_week_save,
)
from peerprog.core.dates import monday_of
from peerprog.core.models import Role
from tests.browser.support import check_accessible, follow_menu, sign_in
from tests.core.factories import UserFactory
from tests.supervision.factories import employed

PASSWORD = "a-long-test-password"  # UserFactory's
PHONE = {"width": 390, "height": 844}


def _go(page: Page, action: Any) -> None:
    with page.expect_navigation():
        action()
    check_accessible(page)


def test_a_peer_worker_records_a_week_on_a_phone_and_the_lead_sees_the_month(
    page: Page, live_server: Any, new_context: Any, programme: Any
) -> None:
    lena = employed(programme, first_name="Lena", last_name="Ward")
    appointment = lena.appointments.get()
    account = UserFactory(programme=programme, email="lena.ward@example.org", full_name="Lena Ward")
    lena.user = account
    lena.save(update_fields=["user"])
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD], full_name="Priya Shah")
    activity_topics_ensure_defaults(programme=programme)
    last_week = monday_of(timezone.localdate()) - timedelta(days=7)
    # The week before last, as the pattern the page starts from.
    activity_week_save(
        appointment=appointment,
        by=account,
        week_starting=last_week - timedelta(days=7),
        lines=[LineValues("one_to_one", "ward", 5, 200)],
        topics=[ActivityTopic.objects.get(programme=programme, name="Hope and recovery")],
        note="",
    )

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, account.email, PASSWORD)
    check_accessible(page)
    main = page.locator("main")
    _go(page, lambda: main.get_by_role("link", name="Record my week's activity").click())

    # Last week starts from the week before: five one-to-one contacts.
    expect(page.get_by_text("Started from the week of")).to_be_visible()
    expect(page.get_by_label("Contacts").first).to_have_value("5")
    expect(page.get_by_text("Never identify a patient.")).to_be_visible()
    # The whole form fits the phone's width: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_label("Contacts").first.fill("7")
    line_2 = page.get_by_role("group", name="Line 2")
    line_2.get_by_label("Kind of contact").select_option(label="Group")
    line_2.get_by_label("Setting").select_option(label="Recovery college")
    line_2.get_by_label("Contacts").fill("1")
    line_2.get_by_label("Minutes").fill("90")
    page.get_by_label("Daily living").check()
    note = page.get_by_label("Anything else about the week (optional)")
    note.fill("Helped 943 476 5919 with benefits forms")
    _go(page, lambda: page.get_by_role("button", name="Save the week").click())
    expect(page.get_by_text("looks like an NHS number")).to_be_visible()
    assert not ActivityWeek.objects.filter(week_starting=last_week).exists()

    note.fill("Helped with benefits forms at the drop-in.")
    _go(page, lambda: page.get_by_role("button", name="Save the week").click())
    expect(page.get_by_text(f"Your week of {last_week:%-d %B %Y} is saved.")).to_be_visible()
    week = ActivityWeek.objects.get(appointment=appointment, week_starting=last_week)
    assert sorted(week.lines.values_list("contacts", "minutes")) == [(1, 90), (7, 200)]

    # The lead finds the report for last week's month and sees Lena's week.
    staff = new_context().new_page()
    sign_in(staff, live_server, lead.email, PASSWORD)
    check_accessible(staff)
    follow_menu(staff, "Reports", "Peer worker activity")
    check_accessible(staff)
    staff.get_by_label("Month", exact=True).select_option(value=f"{last_week:%Y-%m}")
    _go(staff, lambda: staff.get_by_role("button", name="Show").click())
    in_month = sum(
        line.contacts
        for saved in ActivityWeek.objects.filter(
            appointment=appointment,
            week_starting__year=last_week.year,
            week_starting__month=last_week.month,
        )
        for line in saved.lines.all()
    )
    row = staff.locator("#activity-workers").get_by_role("row", name="Lena Ward")
    expect(row.locator("td").nth(2)).to_have_text(str(in_month))
    expect(staff.locator("#activity-services")).to_contain_text(appointment.post.service.name)
    expect(staff.locator("canvas[data-chart='chart-activity-data']")).to_be_visible()
