"""A trainee's portfolio in a browser: the trainee signs in, hands in a
draft on their portfolio page; the facilitator writes feedback and releases
it; the trainee then reads the feedback on their own page."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.support import check_accessible, sign_in
from tests.core.factories import PersonFactory, UserFactory
from tests.demo_once import seed_demo_once
from tests.training.factories import (
    ApplicationFactory,
    CohortFactory,
    accept,
    pdf_bytes,
    set_assessors,
)
from training.models import PortfolioDraft

PASSWORD = "a-long-test-password"
FEEDBACK = "Say more about what recovery means to you in your placement."


def _go(page: Page, action: Any) -> None:
    """Follow a link or submit a form, then check the new page with axe."""
    with page.expect_navigation():
        action()
    check_accessible(page)


def test_a_trainee_hands_in_a_draft_and_reads_the_released_feedback(
    page: Page, live_server: Any, new_context: Any
) -> None:
    ctx = seed_demo_once()
    facilitator, assessor = ctx.users["facilitator"], ctx.users["assessor"]
    cohort = CohortFactory(programme=ctx.programme, name="Spring cohort")
    set_assessors(cohort, facilitator, assessor)
    account = UserFactory(
        programme=ctx.programme, email="tara@example.org", full_name="Tara Okafor", roles=[]
    )
    tara = PersonFactory(
        programme=ctx.programme,
        first_name="Tara",
        last_name="Okafor",
        email=account.email,
        user=account,
    )
    accept(ApplicationFactory(cohort=cohort, person=tara))

    # The trainee signs in and lands on their own pages.
    sign_in(page, live_server, account.email, PASSWORD)
    check_accessible(page)
    expect(page.get_by_role("heading", name="Welcome, Tara")).to_be_visible()
    _go(page, lambda: page.get_by_role("link", name="My portfolio").first.click())
    expect(page.get_by_role("heading", name="My portfolio")).to_be_visible()
    expect(page.get_by_text("You have not handed in a draft yet.")).to_be_visible()

    # They hand in a draft on the portfolio page itself.
    page.get_by_label("Your draft").set_input_files(
        {"name": "Tara first draft.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    _go(page, lambda: page.get_by_role("button", name="Hand in the draft").click())
    expect(page.get_by_text("Your draft has been handed in.")).to_be_visible()
    expect(page.get_by_role("link", name="Tara first draft.pdf")).to_be_visible()
    expect(page.get_by_text("No feedback for you yet")).to_be_visible()
    draft = PortfolioDraft.objects.get(enrolment__person=tara)
    assert draft.recorded_by == account

    # The facilitator writes feedback; the trainee cannot read it yet.
    staff = new_context().new_page()
    sign_in(staff, live_server, facilitator.email, ctx.password)
    check_accessible(staff)
    _go(staff, lambda: staff.get_by_role("link", name="Training", exact=True).first.click())
    _go(staff, lambda: staff.get_by_role("link", name="Spring cohort").click())
    _go(staff, lambda: staff.get_by_role("link", name="Tara Okafor").click())
    _go(staff, lambda: staff.get_by_role("link", name="Write feedback").click())
    staff.get_by_label("Feedback").fill(FEEDBACK)
    _go(staff, lambda: staff.get_by_role("button", name="Save the feedback").click())
    expect(staff.get_by_text("Not yet released to the trainee")).to_be_visible()

    _go(page, lambda: page.reload())
    expect(page.get_by_text(FEEDBACK)).to_have_count(0)

    # The facilitator releases it, and the trainee reads it.
    _go(
        staff,
        lambda: staff.get_by_role("button", name="Release feedback to the trainee").click(),
    )
    expect(staff.get_by_text("The feedback has been released")).to_be_visible()

    _go(page, lambda: page.reload())
    expect(page.get_by_text(FEEDBACK)).to_be_visible()
