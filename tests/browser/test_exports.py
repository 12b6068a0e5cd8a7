"""A lead downloads a long list: the export is prepared in the background,
the progress page (a polite live region polled with htmx) says so, and then
offers the file; the admin reads who exported what in the export log."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from peerprog.core.models import ExportRecord, Role
from tests.browser.support import check_accessible, sign_in
from tests.core.factories import ProgrammeFactory, UserFactory
from tests.recruitment.factories import ApplicationFactory, CohortFactory

PASSWORD = "a-long-test-password"


def test_a_long_export_waits_on_a_progress_page_then_offers_the_file(
    page: Page, live_server: Any, settings: Any
) -> None:
    settings.EXPORT_BACKGROUND_ROWS = 2
    programme = ProgrammeFactory(name="Browser export programme")
    lead = UserFactory(
        programme=programme,
        roles=[Role.PROGRAMME_LEAD],
        email="lead.export@example.org",
        full_name="Lena Lead",
    )
    admin = UserFactory(programme=programme, roles=[Role.ADMIN], email="admin.export@example.org")
    cohort = CohortFactory(programme=programme, name="Spring")
    for _ in range(3):
        ApplicationFactory(cohort=cohort)
    # A running export of the lead's: the page polls until it is finished.
    running = ExportRecord.objects.create(
        user=lead,
        programme=programme,
        key="recruitment.applications",
        title="Applications",
        file_format="csv",
        status=ExportRecord.Status.RUNNING,
        rows=2000,
        rows_expected=30000,
    )

    sign_in(page, live_server, lead.email, PASSWORD)
    check_accessible(page)
    page.goto(f"{live_server.url}/exports/{running.pk}/")
    check_accessible(page)
    status = page.get_by_role("status")
    expect(status).to_contain_text("2,000 of 30,000 rows")
    ExportRecord.objects.filter(pk=running.pk).update(
        status=ExportRecord.Status.FAILED, finished_at=timezone.now()
    )
    expect(status).to_contain_text("could not be prepared", timeout=10_000)
    check_accessible(page)

    page.goto(f"{live_server.url}/recruitment/applications/")
    check_accessible(page)
    page.get_by_role("link", name="Download Excel").click()
    expect(page.get_by_role("heading", name="Applications: Excel (XLSX) file")).to_be_visible()
    check_accessible(page)
    expect(page.get_by_role("status")).to_contain_text("Your file is ready.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download applications").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.context.clear_cookies()
    sign_in(page, live_server, admin.email, PASSWORD)
    check_accessible(page)
    page.get_by_role("link", name="Exports").first.click()
    check_accessible(page)
    expect(page.get_by_role("table")).to_contain_text("Lena Lead")
    expect(page.get_by_role("table")).to_contain_text("Excel (XLSX)")
