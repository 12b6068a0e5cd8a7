"""A lead invites a trainee from the person's page; the trainee opens the
link in the e-mail, chooses a password, signs in to their own pages and
changes their details, every page passing axe-core."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from peerprog.core.models import Person, Role
from peerprog.core.outbox.models import OutboxEmail
from tests.browser.support import check_accessible, sign_in
from tests.core.factories import PersonFactory, UserFactory
from tests.training.factories import ApplicationFactory, CohortFactory, accept

STAFF_PASSWORD = "a-long-test-password"
NEW_PASSWORD = "my own sound passphrase"


def test_a_lead_invites_a_trainee_who_signs_in_and_changes_their_details(
    page: Page, live_server: Any, new_context: Any
) -> None:
    lead = UserFactory(email="lead.invites@example.org", roles=[Role.PROGRAMME_LEAD])
    programme = lead.programme
    trainee = PersonFactory(
        programme=programme, first_name="Tara", last_name="Trainee", email="tara@example.org"
    )
    accept(ApplicationFactory(cohort=CohortFactory(programme=programme), person=trainee))

    sign_in(page, live_server, lead.email, STAFF_PASSWORD)
    check_accessible(page)
    page.goto(live_server.url + reverse("core:person-detail", args=[trainee.pk]))
    check_accessible(page)
    expect(page.get_by_text("No account yet")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Invite to an account").click()
    check_accessible(page)
    expect(page.get_by_text("The invitation has been sent to Tara Trainee.")).to_be_visible()
    expect(page.get_by_role("button", name="Send the invitation again")).to_be_visible()

    row = OutboxEmail.objects.get(kind="person_invitation", recipient_person=trainee)
    link = re.search(r"(/accounts/password/reset/[^/\s]+/[^/\s]+/)", row.body_text)
    assert link, row.body_text
    path = link.group(1)

    person_context = new_context()
    person_page = person_context.new_page()
    person_page.goto(live_server.url + path)
    check_accessible(person_page)
    expect(person_page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    person_page.get_by_label("New password").first.fill(NEW_PASSWORD)
    person_page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    with person_page.expect_navigation():
        person_page.get_by_role("button", name="Save password").click()
    check_accessible(person_page)
    expect(person_page.get_by_role("heading", name="Your new password is saved")).to_be_visible()

    sign_in(person_page, live_server, "tara@example.org", NEW_PASSWORD)
    expect(person_page).to_have_url(live_server.url + reverse("selfservice:home"))
    check_accessible(person_page)
    expect(person_page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()

    with person_page.expect_navigation():
        person_page.get_by_role("main").get_by_role("link", name="My details").click()
    check_accessible(person_page)
    person_page.get_by_label("Phone number").fill("07700 900789")
    with person_page.expect_navigation():
        person_page.get_by_role("button", name="Save my details").click()
    check_accessible(person_page)
    expect(person_page.get_by_text("Your details have been saved.")).to_be_visible()
    assert Person.objects.get(pk=trainee.pk).phone == "07700 900789"
