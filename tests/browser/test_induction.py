"""HR sees inductions in progress on their home page, ticks items of a
peer worker's checklist and sees the progress; on the demo, HR finds
training in post and the inductions from the main menu. Every page checked
with axe-core."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from deployment import services
from deployment.models import Appointment, Post
from deployment.selectors.induction import inductions_in_progress
from deployment.selectors.training_records import training_expiring
from tests.browser.support import check_accessible, follow_menu, sign_in
from tests.core.factories import PersonFactory, ProgrammeFactory, ServiceFactory, UserFactory
from tests.demo_once import seed_demo_once
from tests.deployment.factories import PeerPostFactory

PASSWORD = "a-long-test-password"
DEMO_PASSWORD = "a-long-demo-password"


def test_hr_ticks_induction_items_and_sees_the_progress(page: Page, live_server) -> None:
    programme = ProgrammeFactory(name="Induction programme")
    willow = ServiceFactory(programme=programme, name="Willow Ward")
    hr = UserFactory(programme=programme, roles=["HR"], email="hr.induction@example.org")
    person = PersonFactory(programme=programme, first_name="Grace", last_name="Adebayo")
    post = PeerPostFactory(service=willow, status=Post.Status.VACANT)
    appointment = services.appointment_create(person=person, post=post, by=hr)
    start = timezone.localdate() - timedelta(days=20)
    for check in appointment.checks.all():
        services.check_update(
            check=check,
            status="cleared",
            requested_on=start - timedelta(days=30),
            completed_on=start - timedelta(days=5),
            by=hr,
        )
    services.appointment_confirm_start(appointment=appointment, start_date=start, by=hr)

    sign_in(page, live_server, hr.email, PASSWORD)
    check_accessible(page)
    page.get_by_role("link", name="Inductions in progress").first.click()
    check_accessible(page)
    page.get_by_role("link", name="Grace Adebayo").click()
    check_accessible(page)
    expect(page.get_by_text("0 of 8 items done")).to_be_visible()
    expect(page.get_by_text("5 overdue")).to_be_visible()
    page.get_by_role("link", name="Update the induction checklist").click()
    check_accessible(page)

    page.get_by_label("Team induction: Done", exact=True).check()
    page.get_by_label("Trust induction: done on", exact=True).fill(
        (timezone.localdate() - timedelta(days=2)).isoformat()
    )
    page.get_by_label("Trust induction: Done", exact=True).check()
    page.get_by_role("button", name="Save the checklist").click()
    check_accessible(page)

    expect(page.get_by_text("The induction checklist has been saved.")).to_be_visible()
    expect(page.get_by_text("2 of 8 items done")).to_be_visible()
    expect(page.get_by_text("3 overdue")).to_be_visible()
    expect(page.get_by_text("Done: Team induction")).to_be_visible()


def test_hr_finds_training_in_post_and_an_induction_from_the_menu_on_the_demo(
    page: Page, live_server
) -> None:
    ctx = seed_demo_once(password=DEMO_PASSWORD)
    hr = ctx.users["hr"]
    today = timezone.localdate()
    [expiring] = training_expiring(today=today, programme_id=ctx.programme.pk)
    expires_on = f"{expiring['expires_on']:%-d %B %Y}"
    inducting = (
        inductions_in_progress(user=hr, today=today)
        .filter(status=Appointment.Status.IN_POST)
        .first()
    )
    assert inducting is not None

    sign_in(page, live_server, hr.email, DEMO_PASSWORD)
    check_accessible(page)
    expect(page.get_by_role("link", name="Training expiring soon")).to_be_visible()

    # Training in post: the person whose course expires soon, and the catalogue.
    follow_menu(page, "Employ", "Training in post")
    check_accessible(page)
    expect(page.get_by_role("heading", name="Training compliance", level=1)).to_be_visible()
    row = page.get_by_role("row", name=expiring["person__last_name"])
    expect(row).to_contain_text("Expires soon")
    expect(row).to_contain_text(expires_on)
    with page.expect_navigation():
        row.get_by_role("link").click()
    check_accessible(page)
    expect(page.get_by_text(f"{expiring['course__name']}: Expires soon")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Back to training compliance").click()
    check_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Course catalogue").click()
    check_accessible(page)
    expect(page.get_by_role("cell", name=expiring["course__name"], exact=True)).to_be_visible()

    # Inductions: the checklist still in progress, and the template.
    follow_menu(page, "Employ", "Inductions")
    check_accessible(page)
    expect(page.get_by_role("heading", name="Inductions in progress", level=1)).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name=inducting.person.display_name).click()
    check_accessible(page)
    expect(page.get_by_text(f"{inducting.done} of {inducting.total} items done")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Update the induction checklist").click()
    check_accessible(page)
    expect(page.get_by_label("Lone-working procedure: Done", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Team induction: Done", exact=True)).to_be_checked()

    follow_menu(page, "Employ", "Inductions")
    check_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Induction template").click()
    check_accessible(page)
    expect(page.get_by_role("heading", name="Induction template", level=1)).to_be_visible()
