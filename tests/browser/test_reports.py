"""An admin filters the programme dashboard, opens the study's training
table and downloads it as Excel; the file opens with the study's figures.
Every page is checked with axe-core, charts included."""

from __future__ import annotations

import re

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.support import check_accessible, sign_in
from tests.demo_once import seed_demo_once

PASSWORD = "a-long-demo-password"


def test_admin_filters_the_dashboard_and_downloads_the_training_table(
    page: Page, live_server, tmp_path
) -> None:
    ctx = seed_demo_once(password=PASSWORD)
    admin = ctx.users["admin"]

    sign_in(page, live_server, admin.email, PASSWORD)
    check_accessible(page)

    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Programme dashboard", level=1)).to_be_visible()
    # The charts are drawn from the numbers on the page.
    expect(page.locator("canvas[data-chart='chart-funnel-data']")).to_have_attribute(
        "data-drawn", "true"
    )
    expect(page.locator("canvas[data-chart='chart-retention-data']")).to_have_attribute(
        "data-drawn", "true"
    )
    funnel = page.locator("table#funnel")
    # The study's 38 applications, the eight of the course running now and
    # the nine of the intake taking applications.
    expect(funnel.get_by_role("row", name=re.compile(r"^Applications\b"))).to_contain_text("55")
    check_accessible(page)

    # Only cohort 1.
    page.locator("details.report-filters > summary").click()
    page.get_by_label("Cohort 1").check()
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_load_state("load")
    check_accessible(page)
    expect(funnel.locator("thead")).to_contain_text("Cohort 1")
    expect(funnel.locator("thead")).not_to_contain_text("Cohort 2")
    expect(funnel.get_by_role("row", name=re.compile(r"^Applications\b"))).to_contain_text("18")
    expect(funnel.get_by_role("row", name=re.compile(r"^Trainees\b"))).to_contain_text("12")

    # Both cohorts again, then the study's training table.
    page.get_by_label("Cohort 2").check()
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_load_state("load")
    check_accessible(page)
    page.get_by_role("navigation", name="Reports").get_by_role(
        "link", name="Training programme"
    ).click()
    page.wait_for_load_state("load")
    check_accessible(page)
    table = page.locator("table#training-programme")
    expect(table.get_by_role("row", name="Completion rate")).to_contain_text("36%")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (XLSX) file of training programme").click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    assert path.suffix == ".xlsx"
    sheet = load_workbook(path, read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, *body = rows
    assert header[:5] == [
        "Cohort",
        "Applications",
        "Attended training",
        "Completed",
        "Completion rate (%)",
    ]
    by_cohort = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert list(by_cohort) == ["Cohort 1", "Cohort 2", "Total"]
    assert [by_cohort["Cohort 1"][h] for h in header[1:4]] == [18, 12, 6]
    assert [by_cohort["Cohort 2"][h] for h in header[1:4]] == [20, 16, 4]
    total = by_cohort["Total"]
    assert [total[h] for h in header[1:5]] == [38, 28, 10, 36]
    assert total["Mentors"] == 12
