"""The data protection officer reviews the records the retention schedule
has made due (placing a legal hold on one, approving the rest) and searches
the read log, every page passing axe-core."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from peerprog.core.models import ReadLog, RetentionDue, Role
from peerprog.core.privacy.read_log import ReadKind
from peerprog.core.privacy.retention_services import retention_list_due
from recruitment.models import Application
from tests.browser.support import check_accessible, follow_menu, sign_in
from tests.core.factories import PersonFactory, ProgrammeFactory, UserFactory
from tests.recruitment.factories import (
    ApplicationFactory,
    CohortFactory,
    UnsuccessfulReasonFactory,
)

PASSWORD = "a-long-test-password"


def test_the_officer_reviews_due_records_and_searches_the_read_log(
    new_context: Any, live_server: Any
) -> None:
    programme = ProgrammeFactory(name="Northshire Peer Programme")
    officer = UserFactory(
        email="dpo@example.org",
        full_name="Dana Officer",
        programme=programme,
        roles=[Role.DATA_PROTECTION],
    )
    lead = UserFactory(
        email="lead@example.org",
        full_name="Priya Shah",
        programme=programme,
        roles=[Role.PROGRAMME_LEAD],
    )
    cohort = CohortFactory(
        programme=programme,
        name="Spring 2024",
        applications_open=date(2024, 1, 8),
        applications_close=date(2024, 2, 23),
        training_start=date(2024, 4, 8),
        training_end=date(2024, 7, 1),
    )
    reason = UnsuccessfulReasonFactory(programme=programme)
    kept, erased = (
        ApplicationFactory(
            cohort=cohort,
            person=PersonFactory(programme=programme, first_name=first, last_name="Applicant"),
            stage=Application.Stage.UNSUCCESSFUL,
            unsuccessful_reason=reason,
        )
        for first in ("Kit", "Eri")
    )
    retention_list_due(today=timezone.localdate())
    ReadLog.objects.create(
        programme=programme,
        reader=lead,
        person=kept.person,
        kind=ReadKind.APPLICATION_STATEMENT,
        page="recruitment:application-detail",
    )

    page = new_context().new_page()
    sign_in(page, live_server, officer.email, PASSWORD)
    check_accessible(page)
    expect(page.get_by_text("records due under the retention schedule")).to_be_visible()

    follow_menu(page, "Data protection", "Records due")
    check_accessible(page)
    expect(
        page.get_by_role("heading", name="Records due under the retention schedule")
    ).to_be_visible()

    # A legal hold on Kit's application, with the reason.
    with page.expect_navigation():
        page.get_by_role(
            "link", name="Place a legal hold on Unsuccessful application"
        ).first.click()
    check_accessible(page)
    page.get_by_label("Why the record must be kept").fill("A complaint about the decision.")
    with page.expect_navigation():
        page.get_by_role("button", name="Place the legal hold").click()
    check_accessible(page)
    expect(page.get_by_role("cell", name="Under a legal hold")).to_be_visible()
    # The other is chosen and anonymised.
    page.get_by_role("checkbox").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Anonymise the chosen records").click()
    check_accessible(page)
    expect(page.get_by_text("1 record anonymised or deleted under the schedule.")).to_be_visible()
    statuses = dict(RetentionDue.objects.values_list("object_id", "status"))
    assert sorted(statuses.values()) == ["done", "due"]
    assert Application.objects.get(pk=erased.pk).statement == ""
    assert Application.objects.get(pk=kept.pk).statement != ""

    follow_menu(page, "Data protection", "Legal holds")
    check_accessible(page)
    expect(page.get_by_text("A complaint about the decision.")).to_be_visible()

    follow_menu(page, "Data protection", "Retention schedule")
    check_accessible(page)
    expect(page.get_by_role("cell", name="Unsuccessful applications", exact=True)).to_be_visible()

    follow_menu(page, "Data protection", "Read log")
    check_accessible(page)
    page.get_by_label("Whose record (name)").fill("Kit Applicant")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    check_accessible(page)
    expect(page.get_by_role("cell", name="Priya Shah", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Application statement", exact=True)).to_be_visible()

    follow_menu(page, "Data protection", "Data map")
    check_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the data map (CSV)").click()
    assert download.value.suggested_filename.startswith("peerprog-data-map-")

    follow_menu(page, "Admin", "Audit trail")
    check_accessible(page)


def test_an_officer_asks_for_an_erasure_and_a_second_officer_approves_it(
    new_context: Any, live_server: Any
) -> None:
    programme = ProgrammeFactory(name="Northshire Peer Programme")
    asking, approving = (
        UserFactory(
            email=f"{name.split()[0].lower()}@example.org",
            full_name=name,
            programme=programme,
            roles=[Role.DATA_PROTECTION],
        )
        for name in ("Dana Officer", "Sam Second")
    )
    cohort = CohortFactory(programme=programme, name="Spring 2024")
    application = ApplicationFactory(
        cohort=cohort,
        person=PersonFactory(
            programme=programme,
            first_name="Eri",
            last_name="Quillon",
            email="eri.quillon@example.org",
        ),
        statement="I want to use what I learnt in my own recovery.",
    )

    page = new_context().new_page()
    sign_in(page, live_server, asking.email, PASSWORD)
    follow_menu(page, "Data protection", "Erasure requests")
    check_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Ask for an erasure").click()
    check_accessible(page)
    page.get_by_label("Name or e-mail address").fill("Quillon")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    check_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Eri Quillon").click()
    check_accessible(page)
    page.get_by_label("Why is the data to be erased?").fill("Asked by letter on 1 December.")
    with page.expect_navigation():
        page.get_by_role("button", name="Ask for approval").click()
    check_accessible(page)
    expect(page.get_by_text("waiting for a second officer or an admin")).to_be_visible()
    expect(page.get_by_role("button", name="Approve and erase")).to_have_count(0)

    other = new_context().new_page()
    sign_in(other, live_server, approving.email, PASSWORD)
    check_accessible(other)
    expect(other.get_by_text("erasure requests waiting for your approval")).to_be_visible()
    follow_menu(other, "Data protection", "Erasure requests")
    check_accessible(other)
    with other.expect_navigation():
        other.get_by_role("link", name="Eri Quillon").click()
    check_accessible(other)
    expect(other.get_by_role("cell", name="Applications", exact=True)).to_be_visible()
    with other.expect_navigation():
        other.get_by_role("button", name="Approve and erase").click()
    check_accessible(other)
    expect(other.get_by_text("Approved: the person's data has been erased.")).to_be_visible()

    application.refresh_from_db()
    application.person.refresh_from_db()
    assert application.statement == ""
    assert application.person.legal_name == "Erased Erased"
