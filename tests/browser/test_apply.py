"""An applicant applies online on a phone-sized screen, without the app's
scripts, and the programme lead then finds the application on the board."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from playwright.sync_api import expect

from peerprog.core.models import Role
from tests.browser.support import block_scripts, check_accessible, sign_in
from tests.core.factories import ProgrammeFactory, UserFactory
from tests.recruitment.apply_support import open_cohort

PASSWORD = "a-long-test-password"
PHONE = {"width": 390, "height": 844}


def test_an_applicant_applies_on_a_phone_and_the_lead_sees_it_on_the_board(
    new_context: Any, live_server: Any
) -> None:
    programme = ProgrammeFactory(name="Northshire Peer Programme")
    lead = UserFactory(
        email="lead@example.org",
        full_name="Priya Shah",
        programme=programme,
        roles=[Role.PROGRAMME_LEAD],
    )
    cohort = open_cohort(programme, name="Spring intake")

    applicant = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    block_scripts(applicant)
    page = applicant.new_page()
    page.goto(live_server.url + reverse("apply:index", args=[programme.slug]))
    check_accessible(page)
    expect(page.get_by_role("heading", name="Apply to Northshire Peer Programme")).to_be_visible()
    page.get_by_role("link", name="Apply for Spring intake").click()
    check_accessible(page)
    expect(page.get_by_role("heading", name="Apply for Spring intake")).to_be_visible()
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Sent without a statement first: the page says what is wrong.
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("E-mail address (optional)").fill("nadia.okafor@example.org")
    page.get_by_label("By e-mail").check()
    page.get_by_label("Where did you hear about the programme?").select_option(label="Flyer")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my application").click()
    check_accessible(page)
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()

    page.get_by_label("Why would you like to train as a peer worker?").fill(
        "I have been through the crisis team myself and want to help others."
    )
    page.get_by_label("Do you need anything to make the information event").fill(
        "Breaks every hour, please."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Send my application").click()
    check_accessible(page)
    expect(
        page.get_by_role("heading", name="Thank you: your application has been sent")
    ).to_be_visible()

    # The optional equality questions, then back to the confirmation.
    page.get_by_role("link", name="Answer the optional questions").click()
    check_accessible(page)
    page.get_by_role("group", name="How old are you?").get_by_label("25 to 34").check()
    page.get_by_role("group", name="What is your ethnic group?").get_by_label(
        "Prefer not to say"
    ).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    check_accessible(page)
    expect(page.get_by_text("Thank you: your answers have been sent.")).to_be_visible()
    expect(page.get_by_role("link", name="Answer the optional questions")).to_have_count(0)

    staff = new_context()
    lead_page = staff.new_page()
    sign_in(lead_page, live_server, lead.email, PASSWORD)
    check_accessible(lead_page)
    lead_page.goto(live_server.url + reverse("recruitment:board", args=[cohort.pk]))
    check_accessible(lead_page)
    received = lead_page.get_by_role("region", name="Received")
    card = received.get_by_role("listitem").filter(has_text="Nadia Okafor")
    expect(card).to_be_visible()
    expect(card.get_by_text("Applied online")).to_be_visible()
    card.get_by_role("link", name="Nadia Okafor").click()
    check_accessible(lead_page)
    expect(lead_page.get_by_text("Applied online")).to_be_visible()
