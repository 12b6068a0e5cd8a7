"""A peer worker in a browser: signs in with their own account and
password, looks at their job, changes their wellbeing plan in their own
words, and, after their supervisor has opened the plan, sees that read in
the list of who read it. The supervisor sees who changed what."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.support import check_accessible, sign_in
from tests.core.factories import UserFactory
from tests.supervision.factories import employed, supervise, supervisor, write_plan

PASSWORD = "a-long-test-password"  # UserFactory's


def _go(page: Page, action: Any) -> None:
    """Follow a link or submit a form, then check the new page with axe."""
    with page.expect_navigation():
        action()
    check_accessible(page)


def test_a_peer_worker_changes_their_plan_and_sees_their_supervisor_read_it(
    page: Page, live_server: Any, new_context: Any, programme: Any
) -> None:
    sam = supervisor(programme, "Sam Rivers")
    lena = employed(programme, first_name="Lena", last_name="Ward")
    supervise(lena, sam)
    write_plan(lena, sam)
    account = UserFactory(programme=programme, email="lena.ward@example.org", full_name="Lena Ward")
    lena.user = account
    lena.save(update_fields=["user"])

    # Lena signs in and finds her job and her plan from her own pages.
    sign_in(page, live_server, account.email, PASSWORD)
    check_accessible(page)
    expect(page.get_by_role("heading", name="Welcome, Lena")).to_be_visible()
    main = page.locator("main")
    _go(page, lambda: main.get_by_role("link", name=lena.appointments.get().post.job_title).click())
    expect(page.get_by_text("Your DBS check is done.")).to_be_visible()
    _go(page, lambda: main.get_by_role("link", name="My supervision and wellbeing plan").click())
    expect(page.get_by_text("Sam Rivers").first).to_be_visible()
    _go(page, lambda: main.get_by_role("link", name="Read and change my wellbeing plan").click())
    # Sam wrote the plan with her: that is the only read so far.
    expect(page.get_by_role("table")).to_contain_text("Opened to change")
    expect(page.get_by_role("table")).not_to_contain_text("Viewed")

    # She changes the early signs, in her own words.
    _go(page, lambda: main.get_by_role("link", name="Change my plan").click())
    page.get_by_label("Signs that I may be becoming unwell").fill(
        "I stop answering messages and skip lunch."
    )
    _go(page, lambda: page.get_by_role("button", name="Save my plan").click())
    expect(page.get_by_text("Your wellbeing plan is saved.")).to_be_visible()
    expect(page.get_by_text("I stop answering messages and skip lunch.")).to_be_visible()
    expect(page.get_by_text("changed: Signs that I may be becoming unwell")).to_be_visible()

    # Her supervisor opens the plan and sees that Lena changed it.
    staff = new_context().new_page()
    sign_in(staff, live_server, sam.email, PASSWORD)
    check_accessible(staff)
    staff.goto(live_server.url + reverse("supervision:wellbeing-plan", args=[lena.pk]))
    check_accessible(staff)
    expect(staff.get_by_text("I stop answering messages and skip lunch.")).to_be_visible()
    expect(staff.locator("#plan-changes").locator("..")).to_contain_text("Lena Ward")

    # Lena looks again: her supervisor's read is listed.
    page.reload()
    check_accessible(page)
    reads = page.get_by_role("table")
    expect(reads).to_contain_text("Sam Rivers")
    expect(reads).to_contain_text("Viewed")
