"""A lead loads applications from a file: the preview is prepared by a real
Celery worker while the progress page (a polite live region polled with
htmx) says so; a row error is put right by uploading a corrected file, for
the same cohort; the import runs in the background too, and lands on the
cohort's board."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from peerprog.core.models import Role
from recruitment.models import Application
from tests.browser.support import check_accessible, sign_in
from tests.core.factories import ProgrammeFactory, UserFactory
from tests.recruitment.factories import CohortFactory
from tests.workers import Workers

pytestmark = pytest.mark.worker

PASSWORD = "a-long-test-password"
WAIT = 60_000
HEADER = "First name,Last name,E-mail,Date of birth,Agrees to e-mail\n"
BAD = HEADER + "Mina,Rahman,mina.rahman@example.org,02/05/1988,yes\nAsh,Green,,14/07/1992,yes\n"
GOOD = HEADER + "Mina,Rahman,mina.rahman@example.org,02/05/1988,yes\nAsh,Green,,14/07/1992,no\n"


def choose_file(page: Page, name: str, text: str) -> None:
    page.get_by_label("File to load").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )


def test_a_file_is_previewed_corrected_and_imported_in_the_background(
    page: Page, live_server: Any, settings: Any, workers: Workers
) -> None:
    settings.IMPORT_INLINE_BYTES = 0
    programme = ProgrammeFactory(name="Browser import programme")
    lead = UserFactory(
        programme=programme, roles=[Role.PROGRAMME_LEAD], email="lead.import@example.org"
    )
    CohortFactory(programme=programme, name="Autumn intake")
    cohort = CohortFactory(programme=programme, name="Spring intake")

    sign_in(page, live_server, lead.email, PASSWORD)
    check_accessible(page)
    page.goto(live_server.url + reverse("recruitment:import-upload"))
    check_accessible(page)
    page.get_by_label("Cohort the applications are for").select_option(label="Spring intake")
    choose_file(page, "applications.csv", BAD)
    page.get_by_role("button", name="Upload and preview").click()

    # No worker yet: the page says the file is waiting to be checked.
    status = page.get_by_role("status")
    expect(status).to_contain_text("Checking the file")
    check_accessible(page)
    workers.start()
    problems = page.get_by_role("alert").filter(has_text="Nothing can be imported")
    expect(problems).to_contain_text("In row 3, column “Agrees to e-mail”", timeout=WAIT)
    check_accessible(page)
    assert not page.get_by_role("button", name="Import 2 rows").is_visible()

    page.get_by_role("link", name="Upload a corrected file").click()
    check_accessible(page)
    expect(page.get_by_label("Cohort the applications are for")).to_have_value(str(cohort.pk))
    choose_file(page, "applications-corrected.csv", GOOD)
    page.get_by_role("button", name="Upload and preview").click()
    check_accessible(page)
    import_button = page.get_by_role("button", name="Import 2 rows")
    expect(import_button).to_be_visible(timeout=WAIT)
    check_accessible(page)
    expect(page.get_by_role("table")).to_contain_text("mina.rahman@example.org")

    # The worker stops for a moment: the import waits on its progress page.
    workers.kill_all()
    import_button.click()
    expect(status).to_contain_text("Importing")
    check_accessible(page)
    workers.start()
    expect(page.get_by_text("Imported 2 rows: 2 new, 0 updated, 0 unchanged.")).to_be_visible(
        timeout=WAIT
    )
    check_accessible(page)
    assert page.url.endswith(reverse("recruitment:board", args=[cohort.pk]))
    assert set(
        Application.objects.filter(cohort=cohort).values_list("person__last_name", flat=True)
    ) == {"Rahman", "Green"}
