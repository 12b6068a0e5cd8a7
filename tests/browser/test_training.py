"""The course in a browser: a facilitator fills a register, records a draft
and writes feedback, records the final portfolio; both assessors mark it;
the lead sees the trainee is eligible to apply for paid posts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.support import check_accessible, follow_menu, sign_in
from tests.core.factories import PersonFactory
from tests.demo_once import seed_demo_once
from tests.training.factories import (
    ApplicationFactory,
    CohortFactory,
    accept,
    past_session,
    pdf_bytes,
    set_assessors,
)
from training.defaults import DEFAULT_CRITERIA
from training.selectors import is_eligible_for_posts


def _pdf(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def _go(page: Page, action: Any) -> None:
    """Follow a link or submit a form, then check the new page with axe."""
    with page.expect_navigation():
        action()
    check_accessible(page)


def _mark(page: Page, trainee: str) -> None:
    """Open the marking queue of the signed-in assessor and mark a pass."""
    follow_menu(page, "Train", "Portfolios to mark")
    check_accessible(page)
    _go(page, lambda: page.get_by_role("link", name=trainee).click())
    for title, _ in DEFAULT_CRITERIA:
        page.get_by_role("group", name=title).get_by_label("Met", exact=True).check()
    page.get_by_role("group", name="Your decision").get_by_label("Pass").check()
    page.get_by_label("Comments for the record").fill("Reflective and safe.")
    _go(page, lambda: page.get_by_role("button", name="Record my mark").click())
    expect(page.get_by_text("Your mark has been recorded.")).to_be_visible()


def test_a_trainee_goes_from_register_to_eligible(page: Page, live_server: Any, new_context):
    ctx = seed_demo_once()
    facilitator, assessor, lead = (ctx.users[k] for k in ("facilitator", "assessor", "lead"))
    cohort = CohortFactory(programme=ctx.programme, name="Spring cohort")
    set_assessors(cohort, facilitator, assessor)
    ada = PersonFactory(programme=ctx.programme, first_name="Ada", last_name="Okoro")
    ben = PersonFactory(programme=ctx.programme, first_name="Ben", last_name="Shaw")
    for person in (ada, ben):
        accept(ApplicationFactory(cohort=cohort, person=person))
    session = past_session(cohort, title="Recovery")

    # The facilitator fills the register for the whole cohort on one screen.
    sign_in(page, live_server, facilitator.email, ctx.password)
    check_accessible(page)
    _go(page, lambda: page.get_by_role("link", name="Training", exact=True).first.click())
    _go(page, lambda: page.get_by_role("link", name="Spring cohort").click())
    _go(
        page,
        lambda: page.get_by_role("link", name=f"Take the register for {session.title}").click(),
    )
    page.get_by_role("group", name="Ada Okoro").get_by_label("Present").check()
    page.get_by_role("group", name="Ben Shaw").get_by_label("Late").check()
    page.get_by_role("button", name="Save the register").click()
    expect(page.get_by_text("The register has been saved.")).to_be_visible()
    check_accessible(page)

    # A draft with feedback, then the final portfolio.
    _go(page, lambda: page.get_by_role("link", name="Back to Spring cohort").click())
    _go(page, lambda: page.get_by_role("link", name="Ada Okoro").click())
    _go(page, lambda: page.get_by_role("link", name="Record a draft").click())
    page.get_by_label("Draft").set_input_files(_pdf("Ada first draft.pdf"))
    _go(page, lambda: page.get_by_role("button", name="Record the draft").click())
    expect(page.get_by_text("The draft has been recorded.")).to_be_visible()
    _go(page, lambda: page.get_by_role("link", name="Write feedback").click())
    page.get_by_label("Feedback").fill("Say more about what recovery means to you.")
    _go(page, lambda: page.get_by_role("button", name="Save the feedback").click())
    expect(page.get_by_text("Say more about what recovery means to you.")).to_be_visible()
    _go(page, lambda: page.get_by_role("link", name="Record the final portfolio").click())
    page.get_by_label("Portfolio").set_input_files(_pdf("Ada final.pdf"))
    _go(page, lambda: page.get_by_role("button", name="Record the portfolio").click())
    expect(page.get_by_text("Waiting for marks: 0 of 2 in.")).to_be_visible()

    # Both assessors mark, each on their own.
    _mark(page, "Ada Okoro")
    assessor_page = new_context().new_page()
    sign_in(assessor_page, live_server, assessor.email, ctx.password)
    check_accessible(assessor_page)
    _mark(assessor_page, "Ada Okoro")

    # The lead sees that Ada may now apply for paid posts.
    assert is_eligible_for_posts(person=ada)
    lead_page = new_context().new_page()
    sign_in(lead_page, live_server, lead.email, ctx.password)
    check_accessible(lead_page)
    _go(lead_page, lambda: lead_page.goto(live_server.url + reverse("training:outcomes")))
    row = lead_page.get_by_role("row", name="Ada Okoro")
    expect(row).to_contain_text("Yes, from")
    expect(lead_page.get_by_role("row", name="Ben Shaw")).to_contain_text("No")

    # The lead's other training pages pass the accessibility checks too.
    for name in ("at-risk", "templates", "rubrics", "reasons", "cohorts"):
        _go(
            lead_page,
            lambda name=name: lead_page.goto(live_server.url + reverse(f"training:{name}")),
        )
    _go(lead_page, lambda: lead_page.get_by_role("link", name="Spring cohort").click())
    expect(lead_page.get_by_role("heading", name="Spring cohort")).to_be_visible()
