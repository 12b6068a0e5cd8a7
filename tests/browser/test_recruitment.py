"""A programme lead runs an intake in the browser: plans a cohort, adds
applications, moves them across the board and sees the figures change."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.support import block_scripts, check_accessible, follow_menu, sign_in
from tests.core.factories import ProgrammeFactory, UserFactory

PASSWORD = "a-long-test-password"


def lead_of_a_new_programme() -> Any:
    programme = ProgrammeFactory(name="Browser test programme")
    return UserFactory(
        email="lead@example.org",
        full_name="Priya Shah",
        programme=programme,
        roles=["Programme lead"],
    )


def figure(page: Page, name: str) -> Any:
    return page.locator(f'[data-figure="{name}"]')


def add_application(page: Page, first: str, last: str, *, another: bool) -> None:
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("E-mail address").fill(f"{first}.{last}@example.org".lower())
    page.get_by_label("Source").select_option(label="Flyer")
    button = "Add and add another" if another else "Add the application"
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    check_accessible(page)


def test_lead_plans_a_cohort_and_moves_applications_across_the_board(
    page: Page, live_server: Any
) -> None:
    lead = lead_of_a_new_programme()
    sign_in(page, live_server, lead.email, PASSWORD)
    check_accessible(page)

    follow_menu(page, "Recruit", "Cohorts")
    expect(page.get_by_role("heading", name="Cohorts", level=1)).to_be_visible()
    check_accessible(page)
    page.get_by_role("link", name="Plan a cohort").click()
    check_accessible(page)
    page.get_by_label("Name").fill("Cohort 3, spring")
    page.get_by_label("Applications open").fill("2027-01-04")
    page.get_by_label("Applications close").fill("2027-02-26")
    page.get_by_label("Training starts").fill("2027-04-05")
    page.get_by_label("Capacity").fill("12")
    page.get_by_label("Status").select_option(label="Recruiting")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Cohort 3, spring", level=1)).to_be_visible()
    expect(page.get_by_text("5 April 2027 to 28 June 2027")).to_be_visible()
    expect(figure(page, "applications")).to_have_text("0")
    check_accessible(page)

    page.get_by_role("link", name="Add an application").click()
    check_accessible(page)
    add_application(page, "Amara", "Okonkwo", another=True)
    add_application(page, "Ben", "Walsh", another=False)

    # The board, after the second application.
    expect(page.get_by_role("heading", name="Board: Cohort 3, spring")).to_be_visible()
    expect(page.locator('[data-count="received"]')).to_have_text("2")

    page.get_by_role("button", name="Shortlist (Amara Okonkwo)").click()
    expect(page.locator('[data-count="shortlisted"]')).to_have_text("1")
    check_accessible(page)
    page.get_by_role("button", name="Offer a place (Amara Okonkwo)").click()
    expect(page.locator('[data-count="offered"]')).to_have_text("1")
    page.get_by_role("button", name="Accepted (Amara Okonkwo)").click()
    expect(page.locator('[data-count="accepted"]')).to_have_text("1")
    page.get_by_role("button", name="Shortlist (Ben Walsh)").click()
    expect(page.locator('[data-count="shortlisted"]')).to_have_text("1")
    expect(page.locator('[data-count="received"]')).to_have_text("0")
    check_accessible(page)

    page.get_by_role("link", name="Back to Cohort 3, spring").click()
    check_accessible(page)
    expect(figure(page, "applications")).to_have_text("2")
    expect(figure(page, "shortlisted")).to_have_text("2")
    expect(figure(page, "offered")).to_have_text("1")
    expect(figure(page, "accepted")).to_have_text("1")
    expect(figure(page, "places-left")).to_have_text("11")


def test_a_card_moves_without_javascript(new_context: Any, live_server: Any) -> None:
    from datetime import date

    from recruitment.services import application_create_with_person, cohort_create

    lead = lead_of_a_new_programme()
    cohort = cohort_create(
        programme=lead.programme,
        by=lead,
        name="Cohort 4",
        applications_open=date(2027, 6, 1),
        applications_close=date(2027, 7, 30),
        training_start=date(2027, 9, 6),
        capacity=10,
    )
    application_create_with_person(
        cohort=cohort,
        by=lead,
        person_values={"first_name": "Kwame", "last_name": "Asante"},
        application_values={},
    )
    context = new_context()
    block_scripts(context)
    page = context.new_page()
    sign_in(page, live_server, lead.email, PASSWORD)
    check_accessible(page)
    page.goto(f"{live_server.url}/recruitment/cohorts/{cohort.pk}/board/")
    check_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Shortlist (Kwame Asante)").click()
    expect(page.get_by_text("Kwame Asante: shortlisted.")).to_be_visible()
    expect(page.locator('[data-count="shortlisted"]')).to_have_text("1")
    check_accessible(page)
