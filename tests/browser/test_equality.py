"""A lead records a person's equality monitoring from a paper form on a
phone-sized screen, reads it back in words, and the equality page counts the
coded answers with small counts hidden. Every page passes axe-core."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from peerprog.core.equality import EthnicCategory, Sex
from peerprog.core.models import SensitiveFacts
from tests.browser.support import check_accessible, sign_in
from tests.core.factories import PersonFactory, ProgrammeFactory, UserFactory
from tests.training.factories import CohortFactory, enrol

PASSWORD = "a-long-test-password"


def test_a_lead_records_coded_answers_and_the_equality_page_counts_them(
    page: Page, live_server
) -> None:
    programme = ProgrammeFactory(name="Browser equality programme")
    lead = UserFactory(
        programme=programme, roles=["Programme lead"], email="lead.equality@example.org"
    )
    cohort = CohortFactory(programme=programme, name="Equality cohort")
    for _ in range(6):
        person = enrol(cohort).person
        SensitiveFacts.objects.create(
            person=person, sex=Sex.FEMALE, ethnic_group=EthnicCategory.WHITE_BRITISH
        )
    person = PersonFactory(programme=programme, first_name="Noor", last_name="Hassan")
    page.set_viewport_size({"width": 375, "height": 740})

    sign_in(page, live_server, lead.email, PASSWORD)
    check_accessible(page)
    page.goto(live_server.url + reverse("core:person-sensitive", args=[person.pk]))
    check_accessible(page)
    page.get_by_label("Ethnic group").select_option(label="Asian or Asian British: Pakistani")
    page.locator("select#id_sex").select_option(label="Prefer not to say")
    page.get_by_label("Age band").select_option(label="25 to 34")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    check_accessible(page)
    expect(page.get_by_text("Asian or Asian British: Pakistani")).to_be_visible()
    expect(page.get_by_text("25 to 34")).to_be_visible()

    page.goto(
        live_server.url
        + reverse("dashboard:equality")
        + f"?cohort={cohort.pk}&characteristic=ethnic_group"
    )
    check_accessible(page)
    expect(page.get_by_role("row", name="White: British").first).to_contain_text("6")
    expect(page.get_by_text("Noor")).to_have_count(0)
