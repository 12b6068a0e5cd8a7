"""A lead makes a survey link, a respondent answers it on a phone-sized
screen (saving, coming back, sending), and the lead sees the results with a
small group suppressed; the service's page shows its preparation workshop.
Every page is checked with axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.support import check_accessible, sign_in
from tests.core.factories import ProgrammeFactory, ServiceFactory, UserFactory
from tests.readiness.factories import (
    respondent,
    small_instrument,
    survey_round,
    workshop,
)

PASSWORD = "a-long-test-password"
PHONE = {"width": 390, "height": 844}


def go(page: Page, name: str, *, role: str = "link") -> None:
    page.get_by_role(role, name=name).first.click()
    page.wait_for_load_state("load")
    check_accessible(page)


def test_a_respondent_answers_on_a_phone_and_the_lead_sees_the_results(
    page: Page, live_server, new_context
) -> None:
    programme = ProgrammeFactory(name="Browser survey programme")
    lead = UserFactory(
        programme=programme, roles=["Programme lead"], email="lead.survey@example.org"
    )
    willow = ServiceFactory(programme=programme, name="Willow Ward")
    workshop(willow, lead, delivered_by="Sam Rivers and Priya Shah", attendance={"nurse": 8})
    the_round = survey_round(
        programme, lead, title="Spring survey", instrument=small_instrument(programme, lead)
    )
    # Five service users have answered already; two commissioners too few to show.
    for _ in range(5):
        respondent(the_round, group="service_user", setting="community")
    for _ in range(2):
        respondent(the_round, group="commissioner", setting="other", answers=[("no", 4)])

    sign_in(page, live_server, lead.email, PASSWORD)
    check_accessible(page)
    go(page, "Team readiness")
    go(page, "Willow Ward")
    expect(page.get_by_text("Sam Rivers and Priya Shah")).to_be_visible()
    go(page, "Back to team readiness")
    go(page, "Conditions survey")
    go(page, "Spring survey")
    page.get_by_label("How many links").fill("1")
    go(page, "Make the links", role="button")
    link = page.get_by_label("The links, one a line").input_value().strip()
    assert "/readiness/survey/" in link

    # The respondent, on a phone, with no account.
    phone = new_context(viewport=PHONE).new_page()
    phone.goto(link)
    check_accessible(phone)
    expect(phone.get_by_role("heading", name="Spring survey")).to_be_visible()
    # The token left the address bar on the first visit.
    assert phone.url == live_server.url + "/readiness/survey/answer/"
    phone.get_by_label("Peer worker", exact=True).check()
    phone.get_by_label("Which setting do you work in, or use?").select_option(
        label="Acute inpatient"
    )
    first = phone.get_by_role("group", name=re.compile(r"^1\. Condition 1"))
    first.get_by_role("group", name="Is this happening here?").get_by_label(
        "Partly", exact=True
    ).check()
    phone.get_by_role("button", name="Save and come back later").click()
    phone.wait_for_load_state("load")
    check_accessible(phone)
    expect(phone.get_by_text("Your answers are saved")).to_be_visible()

    # Coming back with the same link finds the saved answers.
    phone.goto(link)
    check_accessible(phone)
    first = phone.get_by_role("group", name=re.compile(r"^1\. Condition 1"))
    expect(
        first.get_by_role("group", name="Is this happening here?").get_by_label(
            "Partly", exact=True
        )
    ).to_be_checked()
    # Sending with a question left out is refused, nothing lost.
    phone.get_by_role("button", name="Send my answers").click()
    phone.wait_for_load_state("load")
    check_accessible(phone)
    expect(phone.get_by_role("alert")).to_contain_text("nothing was sent")
    first = phone.get_by_role("group", name=re.compile(r"^1\. Condition 1"))
    first.get_by_role("group", name="How important is this to you?").get_by_label(
        "4 Extremely", exact=True
    ).check()
    second = phone.get_by_role("group", name=re.compile(r"^2\. Condition 2"))
    second.get_by_role("group", name="Is this happening here?").get_by_label(
        "No", exact=True
    ).check()
    second.get_by_role("group", name="How important is this to you?").get_by_label(
        "3 Very", exact=True
    ).check()
    # The page fits the phone's width: nothing scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_role("button", name="Send my answers").click()
    phone.wait_for_load_state("load")
    check_accessible(phone)
    expect(
        phone.get_by_role("heading", name=re.compile("your answers have been sent"))
    ).to_be_visible()
    phone.goto(link)
    check_accessible(phone)
    expect(phone.get_by_text("already been used")).to_be_visible()

    # The lead sees the results: six answers, commissioners suppressed.
    page.goto(live_server.url + f"/readiness/surveys/rounds/{the_round.pk}/")
    check_accessible(page)
    go(page, "See the results")
    expect(page.get_by_text("From 8 responses sent")).to_be_visible()
    expect(page.get_by_role("heading", name="Gaps to work on")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Commissioner (fewer than 5)")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Is this happening here"))).to_be_visible()
