"""The data map page and its CSV, built from the declarations alone (see
``datamap``): every field of every model holding personal data, what it
holds, who reads it, how long it is kept, on what lawful basis, and what
erasure does to it."""

from __future__ import annotations

import csv
from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from peerprog.core import navigation
from peerprog.core.access import role_required
from peerprog.core.models import Role
from peerprog.core.privacy.datamap import Category, FieldEntry, map_entries, personal_declarations

READERS = (Role.DATA_PROTECTION, Role.ADMIN)
HEADERS = (
    "Record",
    "Table",
    "Field",
    "Category",
    "Who may read it",
    "Retention rule",
    "Lawful basis",
    "On erasure",
)


def _field_label(entry: FieldEntry) -> str:
    field = entry.model._meta.get_field(entry.name)
    return str(getattr(field, "verbose_name", entry.name))


def _row(entry: FieldEntry) -> tuple[str, ...]:
    return (
        entry.verbose_model,
        entry.model_label,
        _field_label(entry),
        str(entry.category),
        "; ".join(entry.readers),
        entry.retention,
        entry.basis,
        str(entry.anon) if entry.category != Category.NONE else "",
    )


@role_required(*READERS)
def data_map(request: HttpRequest) -> HttpResponse:
    """Every model holding personal data, field by field."""
    entries = map_entries()
    notes = {d.model._meta.label: d.note for d in personal_declarations()}
    models = [
        (label, notes.get(label, ""), [_row(entry) for entry in rows])
        for label, rows in groupby(entries, key=lambda entry: entry.model_label)
    ]
    special = sum(1 for entry in entries if entry.category == Category.SPECIAL)
    return render(
        request,
        "core/privacy/data_map.html",
        {"models": models, "fields": len(entries), "special": special, "headers": HEADERS},
    )


@role_required(*READERS)
def data_map_csv(request: HttpRequest) -> HttpResponse:
    """The same map as a CSV, for the data protection impact assessment."""
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="peerprog-data-map-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(HEADERS)
    writer.writerows(_row(entry) for entry in map_entries())
    return response


def register_pages() -> None:
    navigation.add(
        "Data map",
        "core:data-map",
        roles=READERS,
        description="What personal data peerprog holds, who reads it, and why.",
        order=34,
        group="dataprotection",
    )
