"""What an export is and how it is written: the specs that apps register,
and the safe CSV and XLSX writer, in bounded memory.

An app describes an export once, as an ``ExportSpec``: who may export it,
its columns, and one function that gives the rows for a user and the list's
filters (a QuerySet for big lists, so that it can be counted and read in
chunks). The filters reach it as a ``QueryDict``, as a list page reads its
query string: a filter with several values (the cohorts ticked) keeps them
all. Apps register their specs in their own ``exports.py``, imported
from ``AppConfig.ready`` so that the Celery worker knows them too. The
kernel imports no app.

This is the piece that both ``exports.serve`` (a file sent straight away)
and ``export_files`` (a file prepared by a Celery task) write with, so it
imports neither of them nor the tasks.

Every cell goes through ``export_cells`` (no text a spreadsheet would run
as a formula, in both formats); XLSX files are written by ``export_xlsx``
(XlsxWriter in constant-memory mode).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, BinaryIO

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import urlencode

from peerprog.core.access import can_read_sensitive, has_role
from peerprog.core.export_cells import FORMULA_STARTS, SUSPECT_START, safe_cell, text_cell
from peerprog.core.export_xlsx import write_xlsx

if TYPE_CHECKING:
    from peerprog.core.models import User

__all__ = ["FORMULA_STARTS", "SUSPECT_START", "safe_cell"]

logger = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("csv", "xlsx")
# Query-string names that are not filters of the list.
NOT_FILTERS = frozenset({"format", "page"})
CHUNK_SIZE = 2000
PROGRESS_EVERY = 2000


# Specs ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column: its header and the cell value of a row.

    A ``sensitive`` column is left out unless the exporting user may read
    special-category facts; with ``redacted`` it is kept for them, with that
    value instead (a reason's label unless it reveals health, say).
    """

    header: str
    value: Callable[[Any], Any]
    sensitive: bool = False
    redacted: Callable[[Any], Any] | None = None


# An export's filters as they are kept with its record and handed to a
# background export: each name's values, in order. Lists, not a QueryDict,
# so that they are JSON-safe.
FilterParams = dict[str, list[str]]
FilterWords = Callable[["User", QueryDict], Sequence[tuple[str, str]]]


@dataclass(frozen=True)
class ExportSpec:
    """One export: ``rows(user, params)`` gives the rows already scoped to the
    user's programme and filtered by ``params`` (the list page's query
    string without ``format`` and ``page``, as an immutable ``QueryDict``:
    ``params.get(name)`` for one value, ``params.getlist(name)`` for all).

    ``describe`` turns the params into (label, value) pairs in plain words
    for the export log, e.g. ``("Cohort", "Spring 2026")``; without it the
    parameter names are shown as they are.
    """

    key: str
    title: str
    roles: tuple[str, ...]
    columns: Sequence[Column]
    rows: Callable[[User, QueryDict], Iterable[Any]]
    sensitive_reader: Callable[[User], bool] | None = None
    describe: FilterWords | None = None
    # The app's export URL, so the export log can offer the whole list.
    url_name: str = ""

    def reads_sensitive(self, user: User) -> bool:
        reader = self.sensitive_reader or can_read_sensitive
        return bool(reader(user))

    def columns_for(self, user: User) -> list[Column]:
        """The columns this user's file has."""
        if self.reads_sensitive(user):
            return list(self.columns)
        return [
            column if not column.sensitive else Column(column.header, column.redacted)
            for column in self.columns
            if not column.sensitive or column.redacted is not None
        ]

    def may_export(self, user: User) -> bool:
        return has_role(user, *self.roles)


_registry: dict[str, ExportSpec] = {}


def register(spec: ExportSpec) -> ExportSpec:
    """Make an export known by its key. Registering the same key again
    replaces it (apps are set up once; tests may re-register)."""
    spec = replace(spec, roles=tuple(str(role) for role in spec.roles), columns=tuple(spec.columns))
    _registry[spec.key] = spec
    return spec


def get_spec(key: str) -> ExportSpec:
    try:
        return _registry[key]
    except KeyError:
        raise LookupError(f"No export is registered as {key!r}.") from None


def registered() -> list[ExportSpec]:
    return sorted(_registry.values(), key=lambda spec: spec.title)


def filter_params(query: QueryDict) -> FilterParams:
    """The list's filters from a query string, every value of each: not the
    format or the page, and not empty fields."""
    params: FilterParams = {}
    for name, values in query.lists():
        kept = [str(value) for value in values if str(value).strip() != ""]
        if name not in NOT_FILTERS and kept:
            params[str(name)] = kept
    return params


def filter_query(params: Mapping[str, Sequence[str] | str]) -> QueryDict:
    """Kept filters as the ``QueryDict`` an export's ``rows`` reads. A plain
    string counts as one value: records kept before a filter could have
    several values hold strings."""
    pairs = [
        (name, value)
        for name, values in params.items()
        for value in ([values] if isinstance(values, str) else values)
    ]
    return QueryDict(urlencode(pairs))


def describe_filterset(filterset: Any) -> list[tuple[str, str]]:
    """Plain words for a bound django-filter FilterSet: each filled-in
    field's label and the chosen value as the page shows it."""
    form = filterset.form
    if not form.is_valid():
        return []
    words = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = form.fields[name]
        # Iterated, not tested for truth: choices read when drawn (a callable)
        # have no length.
        field_choices = getattr(field, "choices", None)
        choices = dict(list(field_choices)) if field_choices is not None else {}
        if isinstance(value, list | tuple):
            shown = ", ".join(str(choices.get(item, item)) for item in value)
        elif choices and not hasattr(value, "pk"):
            shown = str(choices.get(value, value))
        elif isinstance(value, bool):
            shown = "Yes" if value else "No"
        elif isinstance(value, date):
            shown = f"{value:%-d %B %Y}"
        else:
            shown = str(value)
        words.append((str(field.label or name.replace("_", " ").capitalize()), shown))
    return words


def filter_words(spec: ExportSpec, user: User, params: QueryDict) -> str:
    if not params:
        return ""
    if spec.describe is not None:
        pairs = spec.describe(user, params)
    else:
        pairs = [
            (name.replace("_", " ").capitalize(), ", ".join(values))
            for name, values in params.lists()
        ]
    return "; ".join(f"{label}: {value}" for label, value in pairs)


# Writing ----------------------------------------------------------------


def _iterate(rows: Iterable[Any]) -> Iterator[Any]:
    if isinstance(rows, QuerySet):
        # Read in chunks (prefetches run per chunk), never the whole list at once.
        return rows.iterator(chunk_size=CHUNK_SIZE)
    return iter(rows)


def row_count(rows: Iterable[Any]) -> int | None:
    if isinstance(rows, QuerySet):
        return rows.count()
    if isinstance(rows, Sequence):
        return len(rows)
    return None


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if char in "\\/?*[]:" else char for char in title)
    # Excel refuses a sheet name that starts or ends with an apostrophe.
    cleaned = cleaned.strip().strip("'").strip()
    return cleaned[:31] or "Export"


def _text_rows(columns: Sequence[Column], rows: Iterable[Any]) -> Iterator[list[str]]:
    """Each row as safe CSV text, header first."""
    zone = timezone.get_current_timezone()
    values = [column.value for column in columns]
    yield [text_cell(column.header) for column in columns]
    for row in _iterate(rows):
        yield [text_cell(value(row), zone) for value in values]


def _cell_rows(columns: Sequence[Column], rows: Iterable[Any]) -> Iterator[list[Any]]:
    """Each row as safe XLSX cells (text, numbers and dates)."""
    zone = timezone.get_current_timezone()
    values = [column.value for column in columns]
    for row in _iterate(rows):
        yield [safe_cell(value(row), zone) for value in values]


def _write_csv(
    columns: Sequence[Column],
    rows: Iterable[Any],
    out: BinaryIO,
    progress: Callable[[int], None] | None,
) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")  # type: ignore[arg-type]
    written = -1
    try:
        writer = csv.writer(text)
        # A byte-order mark, so that spreadsheets read the file as UTF-8.
        text.write("\ufeff")
        for line in _text_rows(columns, rows):
            writer.writerow(line)
            written += 1
            if progress is not None and written and written % PROGRESS_EVERY == 0:
                progress(written)
        text.flush()
    finally:
        text.detach()
    return written


def _write_xlsx(
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Any],
    out: BinaryIO,
    progress: Callable[[int], None] | None,
) -> int:
    header = [text_cell(column.header) for column in columns]
    return write_xlsx(
        _sheet_title(title),
        header,
        _cell_rows(columns, rows),
        out,
        progress,
        progress_every=PROGRESS_EVERY,
    )


def write_rows(
    spec: ExportSpec,
    columns: Sequence[Column],
    rows: Iterable[Any],
    file_format: str,
    out: BinaryIO,
    progress: Callable[[int], None] | None = None,
) -> int:
    if file_format == "xlsx":
        return _write_xlsx(spec.title, columns, rows, out, progress)
    if file_format == "csv":
        return _write_csv(columns, rows, out, progress)
    raise ValueError(f"Unknown export format {file_format!r}.")


def write(
    key: str,
    user: User,
    params: Mapping[str, Sequence[str] | str],
    file_format: str,
    out: BinaryIO,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the whole export to ``out`` with bounded memory; the number of
    rows written. ``params`` are the filters as kept (``filter_params``).
    Special-category columns are left out unless ``user`` may read them.
    The caller has checked the user's role."""
    spec = get_spec(key)
    columns = spec.columns_for(user)
    rows = spec.rows(user, filter_query(params))
    return write_rows(spec, columns, rows, file_format, out, progress)


def csv_lines(columns: Sequence[Column], rows: Iterable[Any]) -> Iterator[str]:
    """The CSV file line by line, for a streaming response."""

    class _Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(_Echo())
    lines = _text_rows(columns, rows)
    yield "\ufeff" + writer.writerow(next(lines))
    for line in lines:
        yield writer.writerow(line)
