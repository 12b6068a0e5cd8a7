"""HR scores an interview against the person specification for a panel of
two, sees the panel total and the warning that no one on the panel brings
lived experience, then records who does: every page checked with axe-core."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.support import check_accessible, sign_in
from tests.core.factories import ProgrammeFactory, UserFactory
from tests.deployment.scoring_world import scored_day

PASSWORD = "a-long-test-password"
WARNING = "No one on Panel A is recorded as bringing lived experience of mental distress"


def go(page: Page, name: str, *, role: str = "link", exact: bool = False) -> None:
    page.get_by_role(role, name=name, exact=exact).first.click()
    page.wait_for_load_state("load")
    check_accessible(page)


def test_hr_scores_an_interview_with_a_panel_of_two(page: Page, live_server) -> None:
    programme = ProgrammeFactory(name="Scoring programme")
    hr = UserFactory(
        programme=programme, roles=["HR"], email="hr.scores@example.org", full_name="Hana Reid"
    )
    world = scored_day(programme, hr, members=2, criteria=2)
    candidate = world["interviews"][0].candidate.person

    sign_in(page, live_server, hr.email, PASSWORD)
    check_accessible(page)
    page.goto(live_server.url + reverse("deployment:day-detail", args=[world["day"].pk]))
    check_accessible(page)
    go(page, "Scores and rankings")
    expect(page.get_by_text(WARNING)).to_be_visible()
    go(page, candidate.display_name)
    expect(page.get_by_text(WARNING)).to_be_visible()

    for (member, criterion), value in (
        (("Member 1", "Criterion 1"), "4"),
        (("Member 2", "Criterion 1"), "3"),
        (("Member 1", "Criterion 2"), "2"),
        (("Member 2", "Criterion 2"), "4"),
    ):
        page.get_by_label(f"{member}: {criterion}", exact=True).select_option(value)
    go(page, "Save the scores", role="button")

    expect(page.get_by_text("have been saved")).to_be_visible()
    expect(page.locator("#panel-total")).to_have_text("Panel total: 13 of 16")
    expect(page.get_by_text(WARNING)).to_be_visible()

    # Record the chair and that the second member brings lived experience.
    go(page, "Chair and members of Panel A")
    page.get_by_label("Chair").select_option(label="Hana Reid")
    page.get_by_label("Member 2").check()
    go(page, "Save the panel", role="button")
    expect(page.get_by_text("1 of 1 panel includes someone with lived experience")).to_be_visible()
    expect(page.get_by_text(WARNING)).to_have_count(0)
    row = page.get_by_role("row").filter(has_text=candidate.display_name)
    expect(row).to_contain_text("13 of 16")
    expect(row.get_by_role("cell").first).to_have_text("1")
