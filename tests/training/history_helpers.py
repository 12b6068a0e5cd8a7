"""Building a programme's past cohort through recruitment's own services,
and Trainees sheets, for the tests of training's history sheet."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from peerprog.core.models import Programme, User
from peerprog.core.workbook import get_sheet, load_book
from recruitment.models import Application, Cohort
from recruitment.services.applications import application_create_with_person
from recruitment.services.cohorts import cohort_create
from recruitment.services.moves import application_move


def moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def past_cohort(*, programme: Programme, by: User, start: date, name: str) -> Cohort:
    return cohort_create(
        programme=programme,
        by=by,
        name=name,
        applications_open=start - timedelta(weeks=10),
        applications_close=start - timedelta(weeks=4),
        training_start=start,
        capacity=20,
    )


def accepted(*, cohort: Cohort, by: User, accepted_on: date, **person: Any) -> Application:
    """An application received, shortlisted, offered and accepted on past
    days, as the Applications sheet would load it."""
    received = cohort.applications_open + timedelta(days=3)
    application = application_create_with_person(
        cohort=cohort,
        by=by,
        person_values=person,
        application_values={"received_on": received},
    )
    for stage, day in (
        (Application.Stage.SHORTLISTED, received + timedelta(days=7)),
        (Application.Stage.OFFERED, received + timedelta(days=14)),
        (Application.Stage.ACCEPTED, accepted_on),
    ):
        application = application_move(
            application=application, to_stage=stage, by=by, at=moment(day)
        )
    return application


def trainees_sheet(rows: list[dict[str, Any]]) -> bytes:
    """A workbook with a Trainees sheet: the sheet's headers, then the rows
    (by field key; dates as dates)."""
    sheet = get_sheet("enrolments")
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet.title
    worksheet.append([f.header for f in sheet.fields])
    for values in rows:
        worksheet.append([values.get(f.key) for f in sheet.fields])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def load_trainees(content: bytes, *, programme: Programme, by: User, write: bool = True):
    return load_book(
        content=content,
        file_format="xlsx",
        programme=programme,
        by=by,
        write=write,
        only="enrolments",
    )
