"""What the tests of deployment's history sheets share: a workbook built
from rows, a fresh programme with a person eligible for paid posts made
through the journey's own services, and counts of records and their
history rows to show that a load wrote nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from deployment.models import (
    Absence,
    Appointment,
    Candidate,
    Interview,
    Post,
    PostConversion,
    PreEmploymentCheck,
    RecruitmentDay,
    ReserveEntry,
    Vacancy,
)
from peerprog.core.models import OutboxEmail, Person, Programme, Reminder, Role, Service, User
from peerprog.core.workbook import load_book
from tests.core.factories import ProgrammeFactory, ServiceFactory, UserFactory

MODELS = (
    Post,
    PostConversion,
    Vacancy,
    Candidate,
    Interview,
    RecruitmentDay,
    ReserveEntry,
    Appointment,
    PreEmploymentCheck,
    Absence,
)


def workbook(sheets: dict[str, list[dict[str, Any]]]) -> bytes:
    """An .xlsx file with a sheet per title, its header the union of the
    rows' keys in order."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        headers: list[str] = []
        for row in rows:
            headers += [key for key in row if key not in headers]
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(header) for header in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def load(
    sheets: dict[str, list[dict[str, Any]]], *, programme: Programme, by: User, write: bool = True
):
    return load_book(
        content=workbook(sheets),
        file_format="xlsx",
        programme=programme,
        by=by,
        write=write,
    )


def counts() -> dict[str, int]:
    """Every deployment record and history row, and the messages queued."""
    found: dict[str, int] = {}
    for model in MODELS:
        found[model.__name__] = model.objects.count()
        found[f"{model.__name__} history"] = model.history.model.objects.count()
    found["outbox"] = OutboxEmail.objects.count()
    found["reminders"] = Reminder.objects.count()
    return found


def actions(report) -> list[str]:
    return [row.action for row in report.rows]


def export(sheets, *, programme: Programme, by: User) -> dict[str, list[dict[str, Any]]]:
    """The programme's rows on the given sheets, as the export writes them,
    keyed by header."""
    from peerprog.core.workbook import Book, cell

    book = Book(programme=programme, by=by, write=False)
    return {
        sheet.title: [
            {field.header: cell(values.get(field.key)) for field in sheet.fields}
            for values in sheet.dump(book)
        ]
        for sheet in sheets
    }


@dataclass
class Fresh:
    programme: Programme
    lead: User
    hr: User
    service: Service
    person: Person
    passed_on: date


def ago(**kwargs: int) -> date:
    return timezone.localdate() - timedelta(**kwargs)


def fresh_programme(
    *, passed_on: date, email: str = "sam.jones@example.org", name: str = "Imported programme"
) -> Fresh:
    """A new programme with a lead, HR and a service, and one person who
    applied to a cohort, was accepted, enrolled and passed their portfolio
    on ``passed_on``."""
    from recruitment.models import Application
    from tests.recruitment.factories import ApplicationFactory
    from tests.training.factories import CohortFactory, accept
    from training.models import Enrolment
    from training.services.enrolment import enrolment_move

    programme = ProgrammeFactory(name=name)
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    hr = UserFactory(programme=programme, roles=[Role.HR])
    service = ServiceFactory(programme=programme, name="Cedar Ward")
    cohort = CohortFactory(
        programme=programme, name="Cohort 1", training_start=passed_on - timedelta(weeks=16)
    )
    person = Person.objects.create(
        programme=programme, first_name="Sam", last_name="Jones", email=email
    )
    application = ApplicationFactory(cohort=cohort, person=person)
    accept(application)
    assert Application.objects.get(pk=application.pk).stage == Application.Stage.ACCEPTED
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(application=application)
        enrolment_move(enrolment=enrolment, to=Enrolment.Status.COMPLETED, passed_on=passed_on)
    return Fresh(programme, lead, hr, service, person, passed_on)
