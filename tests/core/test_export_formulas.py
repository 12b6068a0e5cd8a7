"""No export of any list or report lets a value run as a formula.

Every registered export is written, CSV and XLSX, from its own rows and
columns, with every text field those rows carry replaced, row after row,
by each of the characters 0x00 to 0x20 followed by ``=``, ``+``, ``-`` or
``@`` and a formula, then by links and numbers written as words. No XLSX
cell is a formula or a link (openpyxl finds none, and no part of the file
mentions one), no CSV or XLSX cell starts with a formula character, or with
whitespace or a control character, unless neutralised by an apostrophe, and
the links and numbers are there as the text typed.

The rows are read once per export and planted in memory just before the
writer reads each one, so the whole registry is checked in one pass.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from openpyxl import load_workbook

from deployment.models import RetentionSnapshot
from peerprog.core import export_specs, exports
from peerprog.core.exports import ExportSpec
from peerprog.core.models import Service
from supervision.models import MentorAssignment, MentorMeeting
from tests.conftest import World
from tests.training.factories import CohortFactory, enrol

pytestmark = pytest.mark.django_db

FORMULA = 'HYPERLINK("http://example.org/x","y")'
PLANTED = [chr(code) + start + FORMULA for code in range(0x21) for start in "=+-@"]
# Text that XlsxWriter would make into a link, or a number, were its
# conversions on: it must reach the file as the text typed.
AS_TYPED = [
    "https://example.org/a?b=1",
    "http://example.org",
    "mailto:someone@example.org",
    "ftp://example.org/file",
    "external:c:\\temp\\file.xlsx",
    "www.example.org",
    "0123",
    "1e5",
]
# What a spreadsheet could take as the start of a formula.
LIVE = re.compile(r"[\s\x00-\x20\x7f-\x9f]*[=+\-@]")
ROWS_PER_EXPORT = 2


def params_for(spec: ExportSpec, world: World) -> QueryDict:
    if spec.key == "deployment.survey-results":
        return QueryDict(f"round={world.objects['survey_round'].pk}")
    return QueryDict()


def plant(value: Any, text: str, seen: set[int]) -> None:
    """Put ``text`` in every free-text field of ``value`` and of everything
    loaded with it (related rows, prefetched lists, a report's figures)."""
    if id(value) in seen or value is None or isinstance(value, str | int | float):
        return
    seen.add(id(value))
    if isinstance(value, models.Model):
        for field in value._meta.concrete_fields:
            # Choices are labels we wrote, not text anyone typed in.
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                setattr(value, field.attname, text)
        for related in value._state.fields_cache.values():
            plant(related, text, seen)
        for prefetched in getattr(value, "_prefetched_objects_cache", {}).values():
            for item in prefetched:
                plant(item, text, seen)
        for attribute in vars(value).values():
            if isinstance(attribute, list):
                plant(attribute, text, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            current = getattr(value, field.name)
            if isinstance(current, str):
                object.__setattr__(value, field.name, text)
            else:
                plant(current, text, seen)
    elif isinstance(value, dict):
        # A row read as values: every text in it, choice codes too (an
        # export shows an unknown code as it is).
        for key, item in value.items():
            if isinstance(item, str):
                value[key] = text
            else:
                plant(item, text, seen)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                value[index] = text
            else:
                plant(item, text, seen)


def planted_rows(rows: list[Any]) -> Iterator[Any]:
    """The rows again and again, each time with the next planted text; the
    writer reads each row's cells before asking for the next."""
    for text in [*PLANTED, *AS_TYPED]:
        for row in rows:
            plant(row, text, set())
            yield row


def cells_of_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def cells_of_xlsx(content: bytes) -> tuple[list[list[Any]], list[str]]:
    """The cells' values, and the cells that are formulas or links."""
    sheet = load_workbook(io.BytesIO(content)).active
    values = []
    live = []
    for row in sheet.iter_rows():
        values.append([cell.value for cell in row])
        live += [str(cell.coordinate) for cell in row if cell.data_type == "f" or cell.hyperlink]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            # A link is a <hyperlink> element of the sheet with its target
            # in a relationship; text in a cell cannot hold a "<".
            part = archive.read(name)
            if b"<hyperlink" in part or b"relationships/hyperlink" in part:
                live.append(name)
    return values, live


def unsafe(cells: Iterable[list[Any]]) -> list[str]:
    return [
        value
        for row in cells
        for value in row
        if isinstance(value, str) and not value.startswith("'") and LIVE.match(value)
    ]


def text_columns(cells: list[list[Any]]) -> set[int]:
    return {
        index
        for row in cells[1:]
        for index, value in enumerate(row)
        if isinstance(value, str) and FORMULA in value
    }


def add_rows_the_world_lacks(world: World) -> None:
    """A trainee with a mentor and a meeting, and a month's retention
    snapshot: the world has none, and their exports need a row to plant in."""
    lead_user = world.users["lead"]
    cohort = CohortFactory(
        programme=world.programme,
        name="Formula cohort",
        training_start=timezone.localdate() - timedelta(weeks=20),
    )
    assignment = MentorAssignment.objects.create(
        enrolment=enrol(cohort), mentor=world.users["mentor"], assigned_by=world.users["lead"]
    )
    MentorMeeting.objects.create(
        assignment=assignment,
        held_on=timezone.localdate() - timedelta(days=3),
        minutes=45,
        recorded_by=world.users["mentor"],
    )
    figures = {
        field.name: 0
        for field in RetentionSnapshot._meta.concrete_fields
        if isinstance(field, models.PositiveIntegerField)
    }
    RetentionSnapshot.objects.create(
        programme=world.programme,
        month=date(2026, 1, 1),
        cohort=world.objects["cohort"],
        service=Service.objects.filter(programme=world.programme).first(),
        **figures,
    )
    # A week of peer worker activity, for the activity export.
    from deployment.services.activity import LineValues, activity_week_save
    from peerprog.core.dates import monday_of

    activity_week_save(
        appointment=world.objects["appointment"],
        by=lead_user,
        week_starting=monday_of(timezone.localdate()),
        lines=[LineValues("one_to_one", "ward", 2, 60)],
        topics=[],
        note="",
    )
    # A completed course, for the training records export.
    from deployment.models import TrainingCourse
    from deployment.services.training_records import (
        training_courses_ensure_defaults,
        training_record_create,
    )

    training_courses_ensure_defaults(programme=world.programme, by=lead_user)
    appointment = world.objects["appointment"]
    training_record_create(
        person=appointment.person,
        course=TrainingCourse.objects.filter(programme=world.programme).first(),
        completed_on=timezone.localdate() - timedelta(days=30),
        by=lead_user,
    )
    # An induction item not yet done, for the induction checklists' export.
    from deployment.models import InductionItem, InductionOwner

    InductionItem.objects.create(
        appointment=appointment, title="Formula induction item", owner=InductionOwner.HR, due_days=7
    )
    # A read of a person's sensitive facts, for the read log's export.
    from peerprog.core.privacy.read_log import read_log
    from peerprog.core.privacy.read_log_models import ReadKind

    read_log(by=lead_user, kind=ReadKind.SENSITIVE_FACTS, record=world.person, person_attr="pk")


@pytest.fixture(scope="module")
def written(module_world: World, django_db_blocker: Any) -> dict[str, dict[str, Any]]:
    """Every registered export written once in each format, planted."""
    users = module_world.users
    files: dict[str, dict[str, Any]] = {}
    with django_db_blocker.unblock():
        add_rows_the_world_lacks(module_world)
        for spec in exports.registered():
            # The lead where the lead may export it (the read log is the
            # data protection officer's).
            user = users["lead"] if spec.may_export(users["lead"]) else users["dpo"]
            columns = spec.columns_for(user)
            rows = list(spec.rows(user, params_for(spec, module_world)))[:ROWS_PER_EXPORT]
            for row in rows:
                # Reading every cell once loads what the columns follow.
                [column.value(row) for column in columns]
            written_files: dict[str, Any] = {"rows": len(rows)}
            for file_format in ("csv", "xlsx"):
                out = io.BytesIO()
                export_specs.write_rows(spec, columns, planted_rows(rows), file_format, out)
                written_files[file_format] = out.getvalue()
            files[spec.key] = written_files
    return files


def test_every_export_is_checked_with_rows_to_plant_in(
    written: dict[str, dict[str, Any]],
) -> None:
    assert {spec.key for spec in exports.registered()} == set(written)
    assert {key: files["rows"] for key, files in written.items() if not files["rows"]} == {}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_no_export_holds_a_live_formula_or_a_link(
    written: dict[str, dict[str, Any]], file_format: str
) -> None:
    for key, files in written.items():
        if file_format == "csv":
            cells, formulas = cells_of_csv(files["csv"]), []
        else:
            cells, formulas = cells_of_xlsx(files["xlsx"])
        assert formulas == [], key
        assert unsafe(cells) == [], key
        columns = text_columns(cells)
        # Every export carries some text a person typed, and every planted
        # text reached the file in each of its text columns.
        assert columns, key
        for index in columns:
            seen = sum(1 for row in cells[1:] if FORMULA in str(row[index]))
            assert seen >= len(PLANTED), (key, cells[0][index])
        # Links and numbers in words reached it as the text typed.
        typed = {value for row in cells[1:] for value in row} & set(AS_TYPED)
        assert typed == set(AS_TYPED), key


def test_a_control_character_before_a_formula_is_removed_and_the_formula_neutralised() -> None:
    assert exports.safe_cell('\x01=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert exports.safe_cell(" =1+1") == "' =1+1"
    assert exports.safe_cell("\u200b@SUM(A1)") == "'\u200b@SUM(A1)"
    assert exports.safe_cell("Ada\x07") == "Ada"
