"""The audit trail as people read it: one page of entries, newest first.

Each entry names the record by what it is about, the person's name and the
kind of record in plain words ("Sam Smith: sensitive facts"), or for a
record about no one person its kind and name ("Cohort: Spring 2026"). A
creation is one line, "Created"; a change lists the fields that changed;
for special-category records only the names of the fields, never a value.

The filters (person, kind of record, who made the change, dates) are a
django-filter ``FilterSet`` applied to every history table alike: each
table's rows are first given the same names for what is filtered on
(``audit_person``, ``history_user``, ``history_date``), then the tables are
joined in one UNION. A page costs the same queries however long the trail:
the UNION (with the names of the authors and of the people the records are
about) and one query for each kind of record on the page.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import django_filters
from django.db import connection, models
from django.db.models import F, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from peerprog.core.audit import AuditedModel, registered, registered_entry
from peerprog.core.kept_queries import kept_statement
from peerprog.core.models import Person, User
from peerprog.core.prepared import fetch_prepared, fetch_prepared_named
from peerprog.core.report_changes import read_unless_changed
from peerprog.core.widgets import KeptSelect, PlainChoices

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
HIDDEN = "(hidden)"
NO_USER = "Unknown (no signed-in user)"


def _kind_choices() -> list[tuple[str, str]]:
    return [(entry.key, entry.display) for entry in registered()]


class AuditFilter(django_filters.FilterSet):
    """The audit trail's filters. ``kind`` chooses which history tables are
    read; the others filter every table's rows alike."""

    person = django_filters.CharFilter(label="Person's name", method="filter_person")
    kind = django_filters.ChoiceFilter(
        label="Kind of record",
        method="filter_kind",
        empty_label="All records",
        widget=KeptSelect,
    )
    actor = django_filters.ChoiceFilter(
        label="Changed by",
        field_name="history_user",
        empty_label="Anyone",
        widget=KeptSelect,
    )
    since = django_filters.DateFilter(
        label="From", field_name="history_date", lookup_expr="date__gte"
    )
    until = django_filters.DateFilter(
        label="To", field_name="history_date", lookup_expr="date__lte"
    )

    def __init__(self, *args: Any, programme_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, queryset=Person.objects.none(), **kwargs)
        self.programme_id = programme_id
        self.filters["kind"].extra["choices"] = PlainChoices(_kind_choices)
        self.filters["actor"].extra["choices"] = PlainChoices(self.actor_choices)
        for name, form_field in self.form.fields.items():
            form_field.widget.attrs["class"] = (
                "form-select" if name in {"kind", "actor"} else "form-control"
            )
            if name in {"since", "until"}:
                form_field.widget.input_type = "date"
                form_field.help_text = "For example 3 March 2026"

    def actor_choices(self) -> list[tuple[str, str]]:
        """The programme's accounts (and the system's), by name: read as
        plain values, as there may be hundreds. The question is built once
        per programme (``kept_statement``) and asked again only after the
        accounts have changed (``read_unless_changed``)."""
        programme_id = self.programme_id

        def build() -> tuple[str, Any]:
            actors = User.objects.order_by("full_name", "email")
            if programme_id is not None:
                actors = actors.filter(Q(programme_id=programme_id) | Q(is_system=True))
            return actors.values_list("pk", "full_name", "email").query.sql_with_params()

        def read() -> list[tuple[str, str]]:
            with connection.cursor() as cursor:
                cursor.execute(*kept_statement("audit_actors", programme_id, build))
                rows = cursor.fetchall()
            return [(str(pk), full_name or email) for pk, full_name, email in rows]

        return read_unless_changed("audit_actors", programme_id, read)

    def filter_person(self, queryset: models.QuerySet[Any], name: str, value: str) -> Any:
        people = Person.objects.all()
        if self.programme_id is not None:
            people = people.filter(programme_id=self.programme_id)
        for word in value.split()[:5]:
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_name__icontains=word)
            )
        return queryset.filter(audit_person__in=people.values("pk"))

    def filter_kind(self, queryset: models.QuerySet[Any], name: str, value: str) -> Any:
        # The kind chooses the tables (``kinds``); it does not filter rows.
        return queryset

    def kinds(self) -> list[AuditedModel]:
        kind = self.form.cleaned_data.get("kind") if self.is_bound else ""
        entries = registered()
        return [entry for entry in entries if entry.key == kind] if kind else entries

    @property
    def query_string(self) -> str:
        """The filters as chosen, to carry into the links between pages."""
        if not self.is_bound:
            return ""
        data = self.data.copy()
        data.pop("page", None)
        return data.urlencode()


@dataclass
class AuditEntry:
    when: datetime
    who: str
    action: str
    record: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    sensitive: bool = False


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    number: int
    has_more: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def rows_html(self) -> SafeString:
        """The page's rows, written from one pattern rather than by the
        template cell by cell (``core/_audit_entries.html`` draws the rest).
        Every value is escaped here; a sensitive record's values are never
        written, only its fields' names."""
        rows = []
        for entry in self.entries:
            changes = ""
            if entry.changes:
                if entry.sensitive:
                    items = [
                        f"<li>{escape(capfirst(label))} changed (value hidden)</li>"
                        for label, _, _ in entry.changes
                    ]
                else:
                    items = [
                        f"<li>{escape(capfirst(label))}: {escape(old)} \u2192 {escape(new)}</li>"
                        for label, old, new in entry.changes
                    ]
                changes = ':\n<ul class="list-unstyled mb-0 small">\n{}\n</ul>'.format(
                    "\n".join(items)
                )
            rows.append(
                _ENTRY_ROW.format(
                    when=escape(_when(entry.when)),
                    record=escape(entry.record),
                    action=escape(entry.action),
                    changes=changes,
                    who=escape(entry.who),
                )
            )
        # Every value is escaped above; the rest is our own markup.
        return mark_safe("".join(rows))  # noqa: S308


def _when(value: datetime) -> str:
    """``value`` in the local time as ``date_format`` writes it with
    "j F Y, H:i" (the day, the month's name, the year, the time), without
    looking the format up for each of a page's entries."""
    local = timezone.template_localtime(value)
    return f"{local.day} {MONTHS[local.month]} {local.year}, {local.hour:02d}:{local.minute:02d}"


_ENTRY_ROW = """<tr>
<td class="text-nowrap">{when}</td>
<td>{record}</td>
<td>
{action}{changes}
</td>
<td>{who}</td>
</tr>
"""


def _rows(entry: AuditedModel, programme_id: int | None) -> models.QuerySet[Any]:
    """One history table's rows, with the names every table shares."""
    queryset = entry.history.order_by()
    if programme_id is not None:
        queryset = queryset.filter(**{entry.programme_path: programme_id})
    person: Any = (
        F(entry.person_path)
        if entry.person_path
        # Typed, for the page's join on the person when only such tables
        # are read.
        else Cast(Value(None), output_field=models.IntegerField())
    )
    name: Any = (
        Cast(entry.name_field, output_field=models.CharField())
        if entry.name_field
        else Value("", output_field=models.CharField())
    )
    return queryset.annotate(
        audit_person=person,
        audit_name=name,
        audit_kind=Value(entry.key, output_field=models.CharField()),
    )


def audit_page(
    *,
    programme_id: int | None,
    filters: AuditFilter | None = None,
    person_id: int | None = None,
    number: int = 1,
    size: int = 50,
) -> AuditPage:
    """One page of audit entries, newest first, narrowed by ``filters`` and,
    for a person's history, to the records about ``person_id``.

    ``programme_id=None`` means every programme (system administrators only).
    Invalid filters give an empty page: the form shows what is wrong.
    """
    if filters is not None and filters.is_bound and not filters.is_valid():
        return AuditPage([], number, has_more=False)
    entries = filters.kinds() if filters is not None else registered()
    if person_id is not None:
        entries = [entry for entry in entries if entry.person_path]
    if not entries:
        return AuditPage([], number, has_more=False)
    offset = (number - 1) * size
    if (filters is not None and filters.is_bound) or person_id is not None:
        sql, params = _union_sql(entries, programme_id, filters, person_id)
        with connection.cursor() as cursor:
            cursor.execute(_page_sql(sql), (*params, size + 1, offset))
            rows = cursor.fetchall()
    else:
        # The whole trail is the same query on every page: planned once per
        # connection (planning the UNION of every table costs more than
        # running it).
        sql, params = _whole_trail_sql(programme_id, tuple(entry.key for entry in entries))
        rows = fetch_prepared(sql=_page_sql(sql), params=params, args=(size + 1, offset))
    has_more = len(rows) > size
    rows = rows[:size]

    changes_by_kind: dict[str, dict[int, list[tuple[str, str, str]]]] = {}
    # One query for each kind of record on the page, whatever the rows'
    # actions, so that a page's cost depends on its kinds, not on its data.
    for kind in {row[6] for row in rows}:
        wanted = {row[0] for row in rows if row[6] == kind}
        entry = registered_entry(kind)
        assert entry is not None
        changes_by_kind[kind] = _changes(entry, wanted)
    page = []
    for row in rows:
        history_id, when, _, action, person, name, kind, full_name, email = row[:9]
        first_name, preferred_name, last_name = row[9:]
        entry = registered_entry(kind)
        assert entry is not None
        # No first name: the person is no longer on record.
        person_name = (
            Person.name_shown(first_name, preferred_name or "", last_name or "")
            if person and first_name is not None
            else None
        )
        page.append(
            AuditEntry(
                when=when,
                who=full_name or email or NO_USER,
                action=ACTIONS.get(action, action),
                record=_record_name(entry, person_name, name),
                changes=changes_by_kind[kind].get(history_id, []) if action == "~" else [],
                sensitive=entry.sensitive,
            )
        )
    return AuditPage(page, number, has_more)


COLUMNS = (
    "history_id",
    "history_date",
    "history_user_id",
    "history_type",
    "audit_person",
    "audit_name",
    "audit_kind",
)


def _union_sql(
    entries: list[AuditedModel],
    programme_id: int | None,
    filters: AuditFilter | None,
    person_id: int | None,
) -> tuple[str, tuple[Any, ...]]:
    """The SQL of every chosen table's rows, filtered, as one UNION."""
    parts = []
    for entry in entries:
        queryset = _rows(entry, programme_id)
        if filters is not None and filters.is_bound:
            queryset = filters.filter_queryset(queryset)
        if person_id is not None:
            queryset = queryset.filter(audit_person=person_id)
        parts.append(queryset.values_list(*COLUMNS))
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    sql, params = union.query.sql_with_params()
    return sql, tuple(params)


def _page_sql(sql: str) -> str:
    """A page of the trail ``sql``, newest first (columns 2 and 1 are
    ``history_date`` and ``history_id``; placeholders for the page's limit
    and offset), with the name of who made each change (columns 8 and 9)
    and of the person the record is about (10 to 12; none when no longer
    on record)."""
    quote = connection.ops.quote_name
    user, person = User._meta, Person._meta
    author = ", ".join(f"author.{quote(user.get_field(f).column)}" for f in ("full_name", "email"))
    about = ", ".join(
        f"about.{quote(person.get_field(f).column)}"
        for f in ("first_name", "preferred_name", "last_name")
    )
    users, people = quote(user.db_table), quote(person.db_table)
    return (
        f"SELECT trail.*, {author}, {about} FROM (SELECT * FROM ({sql}) AS entries"  # noqa: S608
        " ORDER BY 2 DESC, 1 DESC LIMIT %s OFFSET %s) AS trail"
        f" LEFT JOIN {users} author ON author.{quote(user.pk.column)} = trail.history_user_id"
        f" LEFT JOIN {people} about ON about.{quote(person.pk.column)} = trail.audit_person"
        " ORDER BY 2 DESC, 1 DESC"
    )


@functools.lru_cache(maxsize=32)
def _whole_trail_sql(
    programme_id: int | None, kinds: tuple[str, ...]
) -> tuple[str, tuple[Any, ...]]:
    """The unfiltered trail's SQL, built once per programme: building the
    UNION of every history table costs more than running it."""
    entries = [registered_entry(kind) for kind in kinds]
    return _union_sql([entry for entry in entries if entry], programme_id, None, None)


def _record_name(entry: AuditedModel, person_name: str | None, name: str) -> str:
    if entry.person_path:
        return f"{person_name or 'A person no longer on record'}: {entry.about}"
    return f"{entry.display}: {name}" if name else entry.display


@dataclass(frozen=True)
class _ChangesQuery:
    """How a kind of record's changes are read: the SQL, and each field's
    label and column (whose converters turn the database's values into the
    field's, as the ORM would)."""

    sql: str
    labels: tuple[str, ...]
    columns: tuple[Any, ...]


@functools.cache
def _changes_query(kind: str, vendor: str) -> _ChangesQuery:
    """A kind's changes query, built once: every history row of the records
    changed, up to the newest change wanted (on PostgreSQL ``%(ids)s``, the
    history ids as one array; on others, ``vendor``, ``{ids}`` twice, a
    placeholder for each history id), in record and date order. Building
    it through the ORM for each kind on each page cost more than running
    it."""
    entry = registered_entry(kind)
    assert entry is not None
    history = entry.history_model
    meta = history._meta
    fields = [
        f
        for f in entry.model._meta.concrete_fields  # type: ignore[attr-defined]
        if f.name not in {"id", "password", "last_login"} and hasattr(history, f.attname)
    ]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    record = quote(meta.get_field("id").column)
    changed_at = quote(meta.get_field("history_date").column)
    row_id = quote(meta.pk.column)
    columns = [quote(meta.get_field(f.attname).column) for f in fields]
    # On PostgreSQL the history ids are one array, so that the statement is
    # the same on every page and can be prepared once per connection.
    wanted = "= ANY(%(ids)s)" if vendor == "postgresql" else "IN ({ids})"
    sql = (
        f"SELECT {', '.join([row_id, record, *columns])} FROM {table}"  # noqa: S608
        f" WHERE {record} IN (SELECT {record} FROM {table} WHERE {row_id} {wanted})"
        f" AND {changed_at} <= (SELECT MAX({changed_at}) FROM {table} WHERE {row_id} {wanted})"
        f" ORDER BY {record}, {changed_at}, {row_id}"
    )
    return _ChangesQuery(
        sql=sql,
        labels=tuple(str(f.verbose_name) for f in fields),
        columns=tuple(meta.get_field(f.attname).get_col(meta.db_table) for f in fields),
    )


def _changes(entry: AuditedModel, history_ids: set[int]) -> dict[int, list[tuple[str, str, str]]]:
    """Field-by-field changes for the given history rows, in one query.

    Each row is compared with the previous history row of the same record.
    """
    query = _changes_query(entry.key, connection.vendor)
    ids = sorted(history_ids)
    if connection.vendor == "postgresql":
        # Planned once per connection (each kind's statement is the same on
        # every page): planning cost more than running it.
        rows = fetch_prepared_named(sql=query.sql, params={"ids": ids})
    else:
        with connection.cursor() as cursor:
            cursor.execute(query.sql.format(ids=", ".join(["%s"] * len(ids))), (*ids, *ids))
            rows = cursor.fetchall()
    converters = [
        (column, connection.ops.get_db_converters(column) + column.get_db_converters(connection))
        for column in query.columns
    ]
    result: dict[int, list[tuple[str, str, str]]] = {}
    previous: dict[int, list[Any]] = {}
    for history_id, record_id, *raw in rows:
        values = []
        for value, (column, convert) in zip(raw, converters, strict=True):
            for converter in convert:
                value = converter(value, column, connection)
            values.append(value)
        before = previous.get(record_id)
        if history_id in history_ids:
            changed = []
            for index, label in enumerate(query.labels):
                old = before[index] if before else None
                new = values[index]
                if before is not None and old == new:
                    continue
                if before is None and new in (None, "", False):
                    continue
                if entry.sensitive:
                    changed.append((label, HIDDEN, HIDDEN))
                else:
                    changed.append((label, _show(old), _show(new)))
            result[history_id] = changed
        previous[record_id] = values
    return result


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."
