"""A programme's history, moved: the seeded demo's two study cohorts are
exported as a programme workbook and imported into a new, empty programme,
through the same loading as the background import. The new programme's
dashboard, both study tables and the retention page then show the study's
figures: 38 applications, 28 trainees, 10 completed (36%), 10 eligible, 7
employed, 7 of 7 in post at 24 months. Importing the workbook again changes
nothing."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from deployment import selectors as deployment_selectors
from peerprog.core.models import Organisation, PendingImport, Programme, Role, User
from peerprog.core.outbox.models import OutboxEmail
from peerprog.core.workbook import UNCHANGED, load_book
from peerprog.core.workbook_export import book_export
from peerprog.dashboard import selectors
from peerprog.devtools.demo import seed_demo
from recruitment.models import Application, Cohort
from tests.core.factories import UserFactory
from training.models import Enrolment

pytestmark = pytest.mark.django_db

STUDY_COHORTS = ("Cohort 1", "Cohort 2")


def _moved_staff(content: bytes, staff: set[str]) -> bytes:
    """The workbook with the demo staff's e-mail addresses changed: a staff
    account belongs to one programme, and the demo's are still here."""
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.lower() in staff:
                    cell.value = cell.value.replace("@", "+moved@")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def moved(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            ctx = seed_demo()
            study = Cohort.objects.filter(programme=ctx.programme, name__in=STUDY_COHORTS)
            exported = book_export(
                programme=ctx.programme,
                by=ctx.users["lead"],
                cohort_ids=[cohort.pk for cohort in study],
            )
            staff = {
                email.lower()
                for email in User.objects.filter(programme=ctx.programme).values_list(
                    "email", flat=True
                )
            }
            content = _moved_staff(exported, staff)
            programme = Programme.objects.create(
                name="Moved peer programme", lead_organisation=ctx.programme.lead_organisation
            )
            programme.partner_organisations.set(
                Organisation.objects.filter(pk__in=ctx.programme.partner_organisations.all())
            )
            # The programme's course staff are set up before its history
            # comes in (mentors and supervisors come with the workbook).
            for user in User.objects.filter(
                programme=ctx.programme, groups__name__in=[Role.FACILITATOR, Role.ASSESSOR]
            ).distinct():
                UserFactory(
                    email=user.email.replace("@", "+moved@"),
                    full_name=user.full_name,
                    programme=programme,
                    roles=[group.name for group in user.groups.all()],
                )
            lead = UserFactory(
                email="lead@moved.example.org", programme=programme, roles=[Role.PROGRAMME_LEAD]
            )
            admin = UserFactory(
                email="admin@moved.example.org", programme=programme, roles=[Role.ADMIN]
            )
            hr = UserFactory(email="hr@moved.example.org", programme=programme, roles=[Role.HR])
            outbox_before = OutboxEmail.objects.count()
            preview = load_book(
                content=content,
                file_format=PendingImport.Format.XLSX,
                programme=programme,
                by=lead,
                write=False,
            )
            assert preview.ok, "\n".join(str(error) for error in preview.errors[:40])
            report = load_book(
                content=content,
                file_format=PendingImport.Format.XLSX,
                programme=programme,
                by=lead,
                write=True,
            )
            yield SimpleNamespace(
                ctx=ctx,
                today=ctx.today,
                programme=programme,
                lead=lead,
                admin=admin,
                hr=hr,
                content=content,
                report=report,
                outbox_before=outbox_before,
            )
            transaction.set_rollback(True)


def _cohorts(moved):
    return list(Cohort.objects.filter(programme=moved.programme).order_by("name"))


def _scope(moved, user):
    return selectors.report_scope(user=user, cohorts=_cohorts(moved), today=moved.today)


def test_the_workbook_imports_whole_into_the_new_programme(moved):
    assert moved.report.ok, [str(error) for error in moved.report.errors][:20]
    assert [cohort.name for cohort in _cohorts(moved)] == list(STUDY_COHORTS)
    applications = Application.objects.filter(cohort__programme=moved.programme)
    assert applications.count() == 38
    assert applications.values("person").distinct().count() == 36
    assert Enrolment.objects.filter(cohort__programme=moved.programme).count() == 28
    # Nothing was sent about events that happened long ago.
    assert OutboxEmail.objects.count() == moved.outbox_before


def test_the_training_table_shows_the_study_figures(moved):
    table = selectors.training_table(scope=_scope(moved, moved.admin))
    columns = {column.label: column for column in table.all_columns}
    one, two, total = columns["Cohort 1"], columns["Cohort 2"], columns["Total"]
    assert (one.applications, one.attended, one.completed) == (18, 12, 6)
    assert (two.applications, two.attended, two.completed) == (20, 16, 4)
    assert (total.applications, total.attended, total.completed) == (38, 28, 10)
    assert total.completion_rate == 36
    assert (total.not_completed, total.portfolio_not_completed, total.left) == (18, 10, 8)
    assert total.mentors == 12


def test_the_employment_table_shows_the_study_figures(moved):
    total = selectors.employment_table(scope=_scope(moved, moved.admin)).total
    assert (total.eligible, total.employed, total.employment_rate) == (10, 7, 70)
    assert (total.lead_lxp, total.lxp) == (1, 6)
    assert (total.retained_24, total.reached_24, total.retention_rate_24) == (7, 7, 100)


def test_the_dashboard_shows_the_study_in_total(moved):
    dashboard = selectors.programme_dashboard(scope=_scope(moved, moved.lead))
    steps = {step.label: step for step in dashboard.total_funnel.steps}
    assert steps["Applications"].count == 38
    assert steps["Trainees"].count == 28
    assert (steps["Completed"].count, steps["Completed"].rate) == (10, 36)
    assert steps["Eligible for posts"].count == 10
    assert (steps["Employed"].count, steps["Employed"].rate) == (7, 70)
    assert (steps["In post at 24 months"].count, steps["In post at 24 months"].rate) == (7, 100)


def test_the_retention_page_shows_seven_of_seven_at_24_months(moved):
    report = deployment_selectors.retention_report(user=moved.hr, today=moved.today)
    assert report.overall.appointed == 7
    assert (report.overall.reached[24], report.overall.retained[24]) == (7, 7)
    client = Client()
    client.force_login(moved.hr)
    page = client.get(reverse("deployment:retention"))
    assert page.status_code == 200


def test_the_same_workbook_again_changes_nothing(moved):
    again = load_book(
        content=moved.content,
        file_format=PendingImport.Format.XLSX,
        programme=moved.programme,
        by=moved.lead,
        write=True,
    )
    assert again.ok
    changed = [(row.sheet, row.row, row.action) for row in again.rows if row.action != UNCHANGED]
    assert changed == []
