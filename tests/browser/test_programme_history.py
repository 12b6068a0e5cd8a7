"""A programme that ran two cohorts before peerprog comes in from one
workbook: a lead of a new, empty programme uploads the seeded demo's two
study cohorts, exported as a programme workbook; a real Celery worker
prepares the preview and then the import; the programme's reports then show
the study's figures."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from peerprog.core.models import Organisation, Programme, Role, User
from peerprog.core.workbook_export import book_export
from recruitment.models import Application, Cohort
from tests.browser.support import check_accessible, sign_in
from tests.core.factories import UserFactory
from tests.demo_once import seed_demo_once
from tests.workers import Workers
from training.models import Enrolment

pytestmark = pytest.mark.worker

PASSWORD = "a-long-test-password"
WAIT = 180_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def study_workbook() -> tuple[bytes, Programme]:
    ctx = seed_demo_once()
    study = Cohort.objects.filter(programme=ctx.programme, name__in=("Cohort 1", "Cohort 2"))
    content = book_export(
        programme=ctx.programme, by=ctx.users["lead"], cohort_ids=[c.pk for c in study]
    )
    # A staff account belongs to one programme, and the demo's are still
    # here: the moved programme's staff have addresses of their own.
    staff = {
        email.lower()
        for email in User.objects.filter(programme=ctx.programme).values_list("email", flat=True)
    }
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.lower() in staff:
                    cell.value = cell.value.replace("@", "+moved@")
    out = io.BytesIO()
    book.save(out)
    programme = Programme.objects.create(
        name="Moved peer programme", lead_organisation=ctx.programme.lead_organisation
    )
    programme.partner_organisations.set(
        Organisation.objects.filter(pk__in=ctx.programme.partner_organisations.all())
    )
    # The course's staff are set up before the history comes in (mentors
    # and supervisors come with the workbook).
    for user in User.objects.filter(
        programme=ctx.programme, groups__name__in=[Role.FACILITATOR, Role.ASSESSOR]
    ).distinct():
        UserFactory(
            email=user.email.replace("@", "+moved@"),
            full_name=user.full_name,
            programme=programme,
            roles=[group.name for group in user.groups.all()],
        )
    return out.getvalue(), programme


def test_a_programme_with_two_finished_cohorts_comes_in_from_one_workbook(
    page: Page, live_server: Any, settings: Any, workers: Workers
) -> None:
    settings.IMPORT_INLINE_BYTES = 0
    content, programme = study_workbook()
    lead = UserFactory(
        programme=programme, roles=[Role.PROGRAMME_LEAD], email="lead.moved@example.org"
    )

    sign_in(page, live_server, lead.email, PASSWORD)
    check_accessible(page)
    page.goto(live_server.url + reverse("core:programme"))
    check_accessible(page)
    page.get_by_role("link", name="Bring in your programme's history").click()
    check_accessible(page)
    page.locator("input[type=file]").set_input_files(
        {"name": "programme.xlsx", "mimeType": XLSX, "buffer": content}
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("status")).to_contain_text("Checking the file")
    check_accessible(page)

    workers.start()
    import_button = page.get_by_role("button", name="Import")
    expect(import_button).to_be_visible(timeout=WAIT)
    check_accessible(page)
    expect(page.get_by_role("table")).to_contain_text("Applications, row 2")
    assert not Application.objects.filter(cohort__programme=programme).exists()

    # The worker stops for a moment: the import waits on its progress page.
    workers.kill_all()
    import_button.click()
    expect(page.get_by_role("status")).to_contain_text("Importing")
    check_accessible(page)
    workers.start()
    expect(page.get_by_text(re.compile(r"^Imported \d+ rows: \d+ new"))).to_be_visible(timeout=WAIT)
    check_accessible(page)
    assert Application.objects.filter(cohort__programme=programme).count() == 38
    assert Enrolment.objects.filter(cohort__programme=programme).count() == 28

    page.goto(live_server.url + reverse("dashboard:programme"))
    check_accessible(page)
    expect(page.get_by_role("main")).to_contain_text("38")
