"""The data protection officer answers a subject access request: finds the
person, starts the request, watches its progress (a polite live region)
and downloads the archive; axe passes on every page."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from peerprog.core.models import Role
from tests.browser.support import check_accessible, follow_menu, sign_in
from tests.core.factories import PersonFactory, ProgrammeFactory, UserFactory
from tests.recruitment.factories import ApplicationFactory, CohortFactory

PASSWORD = "a-long-test-password"


def test_the_officer_runs_a_subject_access_request_and_downloads_it(
    page: Page, live_server: Any
) -> None:
    programme = ProgrammeFactory(name="Browser subject access programme")
    officer = UserFactory(
        programme=programme,
        roles=[Role.DATA_PROTECTION],
        email="dpo.browser@example.org",
        full_name="Dana Officer",
    )
    person = PersonFactory(programme=programme, first_name="Priya", last_name="Applicant")
    ApplicationFactory(cohort=CohortFactory(programme=programme), person=person)

    sign_in(page, live_server, officer.email, PASSWORD)
    check_accessible(page)
    follow_menu(page, "Data protection", "Subject access requests")
    expect(page.get_by_role("heading", name="Subject access requests")).to_be_visible()
    check_accessible(page)
    page.get_by_role("link", name="Start a subject access request").click()
    check_accessible(page)
    page.get_by_label("Name or e-mail address").fill("priya")
    page.get_by_role("button", name="Search").click()
    check_accessible(page)
    page.get_by_role("link", name="Priya Applicant").click()
    check_accessible(page)
    page.get_by_label("Reference").fill("SAR-2026-01")
    page.get_by_role("button", name="Start the subject access request").click()
    expect(
        page.get_by_role("heading", name="Subject access request: Priya Applicant")
    ).to_be_visible()
    status = page.get_by_role("status").filter(has_text="archive")
    expect(status).to_contain_text("The archive is ready.", timeout=15_000)
    check_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the archive (zip)").click()
    path = Path(download.value.path())
    bundle = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    assert "kinds/applications.json" in bundle.namelist()
    assert "Priya Applicant" in bundle.read("report.html").decode()

    follow_menu(page, "Data protection", "Subject access requests")
    expect(page.get_by_role("table")).to_contain_text("SAR-2026-01")
    check_accessible(page)
