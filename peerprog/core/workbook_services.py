"""The first sheet of a programme workbook (``peerprog.core.workbook``): the
services and teams that host peer workers, which the posts and appointments
of later sheets name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from peerprog.core.models import Organisation, Service
from peerprog.core.services import service_create, service_update
from peerprog.core.workbook import NEW, UNCHANGED, UPDATE, Book, Field, Sheet, register_sheet
from peerprog.core.workbook_rows import SheetRow

FIELDS = (
    Field("name", "Service", "The service or team, as posts name it.", True, "Willow Ward"),
    Field(
        "setting",
        "Setting",
        "Acute inpatient, Rehabilitation inpatient, Community or BME-specific.",
        True,
        "Acute inpatient",
    ),
    Field("site", "Site", "Where it is, if useful.", example="Riverside Hospital"),
    Field(
        "organisation",
        "Organisation",
        "The organisation it belongs to: the programme's lead organisation or a partner. "
        "Leave empty for the lead organisation.",
        example="",
    ),
    Field("active", "Active", "Yes, or No for a service that has closed.", example="Yes"),
)


def _organisations(book: Book) -> dict[str, Organisation]:
    def find() -> dict[str, Organisation]:
        programme = book.programme
        found = {programme.lead_organisation.name.lower(): programme.lead_organisation}
        for organisation in programme.partner_organisations.all():
            found[organisation.name.lower()] = organisation
        return found

    return book.lookup("organisations", "all", find)


def load(book: Book, row: SheetRow) -> None:
    name = row.text("name", required=True, max_length=200)
    setting = row.choice("setting", Service.Setting.choices, required=True)
    site = row.text("site", max_length=200)
    active = row.yes_no("active", default=True)
    organisation_name = row.text("organisation")
    organisation = book.programme.lead_organisation
    if organisation_name:
        organisation = _organisations(book).get(organisation_name.lower())
        if organisation is None:
            row.error(
                "Organisation",
                f"“{organisation_name}” is not the programme's lead organisation or one of "
                "its partners.",
            )
    if row.errors:
        return
    values = {"setting": setting, "site": site, "is_active": active, "organisation": organisation}
    service = Service.objects.filter(programme=book.programme, name__iexact=name).first()
    if service is None:
        service = service_create(programme=book.programme, by=book.by, name=name, **values)
        row.action = NEW
    elif any(getattr(service, key) != value for key, value in values.items()):
        service = service_update(service=service, by=book.by, **values)
        row.action = UPDATE
    else:
        row.action = UNCHANGED
    row.match = str(service.pk)
    book.remember("service", name.lower(), service)


def dump(book: Book) -> Iterable[dict[str, Any]]:
    lead = book.programme.lead_organisation_id
    services = Service.objects.filter(programme=book.programme).select_related("organisation")
    for service in services.order_by("name"):
        yield {
            "name": service.name,
            "setting": service.get_setting_display(),
            "site": service.site,
            "organisation": "" if service.organisation_id == lead else service.organisation.name,
            "active": service.is_active,
        }


def register() -> None:
    register_sheet(
        Sheet(
            key="services",
            title="Services",
            order=5,
            fields=FIELDS,
            load=load,
            dump=dump,
            help="One row per service or team that hosts peer workers.",
            shown=("name",),
        )
    )
