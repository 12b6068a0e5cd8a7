"""HR converts a vacant HCA post, runs a recruitment day and appoints a
graduate, in the browser, every page checked with axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from deployment.models import Appointment, Post
from tests.browser.support import check_accessible, sign_in
from tests.core.factories import (
    AdjustmentFactory,
    PersonFactory,
    ProgrammeFactory,
    ServiceFactory,
    UserFactory,
)
from tests.deployment.factories import PostFactory, graduate

PASSWORD = "a-long-test-password"


def go(page: Page, name: str, *, role: str = "link", exact: bool = False) -> None:
    page.get_by_role(role, name=name, exact=exact).first.click()
    page.wait_for_load_state("load")
    check_accessible(page)


def test_hr_converts_a_post_runs_a_recruitment_day_and_appoints_a_graduate(
    page: Page, live_server
) -> None:
    programme = ProgrammeFactory(name="Browser LXP programme")
    willow = ServiceFactory(programme=programme, name="Willow Ward")
    hr = UserFactory(programme=programme, roles=["HR"], email="hr.browser@example.org")
    PostFactory(service=willow, position_number="HCA-4101", job_title="Health Care Assistant")
    grace = graduate(programme, first_name="Grace", last_name="Adebayo")
    PersonFactory(programme=programme, first_name="Nina", last_name="Novak")
    AdjustmentFactory(
        person=grace,
        request="Medication makes mornings hard",
        practical_note="Interview after 11:00",
    )

    sign_in(page, live_server, hr.email, PASSWORD)
    check_accessible(page)

    # The posts page: filter to vacant HCA posts, then convert one.
    go(page, "Posts")
    # The filters as a plain address (htmx applies them as they change).
    page.goto(live_server.url + "/deployment/posts/?role=hca&status=vacant")
    check_accessible(page)
    expect(page.get_by_label("Role")).to_have_value("hca")
    expect(page.get_by_role("link", name="HCA-4101")).to_be_visible()
    go(page, "HCA-4101")
    go(page, "Convert this post")
    page.get_by_label("Convert into").select_option(label="Peer worker (LXP)")
    page.get_by_label("Reason for the conversion").fill("Peer worker programme, wave 1")
    go(page, "Convert", role="button")
    expect(page.get_by_text("has been converted into a Peer worker (LXP) post")).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile("Lived Experience Practitioner"))
    ).to_be_visible()
    original = Post.objects.get(position_number="HCA-4101", status=Post.Status.CONVERTED)
    assert original.role == "hca"

    # Advertise the new post.
    go(page, "Advertise")
    page.get_by_label("Advert reference").fill("NHSJOBS-123456")
    page.get_by_label("Closing date").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    go(page, "Advertise", role="button")
    expect(page.get_by_role("heading", name="Vacancy NHSJOBS-123456")).to_be_visible()

    # Only people who passed the training can be candidates: Nina, still
    # without a pass, is refused with the reason; Grace, a graduate, is added.
    go(page, "Add a candidate")
    page.get_by_label("Person").select_option(label="Nina Novak")
    go(page, "Add as a candidate", role="button")
    expect(page.get_by_text("Nina Novak cannot be a candidate")).to_be_visible()
    page.get_by_label("Person").select_option(label="Grace Adebayo")
    go(page, "Add as a candidate", role="button")
    expect(page.get_by_text("Grace Adebayo is a candidate for this vacancy")).to_be_visible()
    page.get_by_label("New status for Grace Adebayo").select_option(label="Shortlisted")
    go(page, "Save status for Grace Adebayo", role="button")
    expect(page.get_by_role("cell", name="Shortlisted", exact=True)).to_be_visible()

    # Plan the recruitment day: a panel with a representative, and a slot.
    page.goto(live_server.url + "/deployment/recruitment-days/")
    check_accessible(page)
    go(page, "Plan a recruitment day")
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Venue").fill("Northshire Hospital education centre")
    go(page, "Plan the day", role="button")
    go(page, "Add a panel")
    page.get_by_label("Name").fill("Panel A")
    go(page, "Add the panel", role="button")
    go(page, "Add a representative to Panel A")
    page.get_by_label("Name").fill("Sam Patel")
    page.get_by_label("Job title").fill("Ward manager")
    page.get_by_label("Service").select_option(label="Willow Ward")
    go(page, "Add to the panel", role="button")
    expect(page.get_by_text("Sam Patel, Ward manager (Willow Ward)")).to_be_visible()
    go(page, "Give an interview slot")
    page.get_by_label("Candidate").select_option(index=1)
    page.get_by_label("Starts at").fill("11:30")
    page.get_by_label("Panel").select_option(label="Panel A")
    go(page, "Give the slot", role="button")
    # Organisers see the practical note, never the request behind it.
    expect(page.get_by_role("cell", name="Interview after 11:00")).to_be_visible()
    expect(page.get_by_text("Medication")).to_have_count(0)

    # The panel appoints her.
    go(page, "Record the decision for Grace Adebayo")
    page.get_by_label("Appoint", exact=True).check()
    page.get_by_label("Panel's notes").fill("Warm, clear about boundaries.")
    go(page, "Record the decision", role="button")
    # She finished the course within the year and joins an acute ward, so
    # HR is asked to pair her with an experienced peer worker.
    expect(page.get_by_role("heading", name="Pairing Grace Adebayo")).to_be_visible()
    go(page, "Back to the appointment")
    expect(page.get_by_role("heading", name="Grace Adebayo")).to_be_visible()
    expect(page.get_by_text("Offered, checks under way")).to_be_visible()

    # The start date waits for the checks; HR clears them and confirms it.
    for check in ("DBS check", "Occupational health", "References", "Right to work"):
        go(page, f"Update {check}")
        page.get_by_label("Status").select_option(label="Cleared")
        page.get_by_label("Requested on").fill(timezone.localdate().isoformat())
        page.get_by_label("Completed on").fill(timezone.localdate().isoformat())
        go(page, "Save", role="button")
    go(page, "Confirm the start date")
    expect(page.get_by_text("All four pre-employment checks are cleared.")).to_be_visible()
    page.get_by_label("First day in post").fill(
        (timezone.localdate() + timedelta(days=28)).isoformat()
    )
    go(page, "Confirm the start date", role="button")
    expect(page.get_by_text("start date is confirmed")).to_be_visible()

    appointment = Appointment.objects.get(person=grace)
    assert appointment.status == Appointment.Status.IN_POST
    assert appointment.post.converted_from == original
    assert appointment.post.status == Post.Status.FILLED
