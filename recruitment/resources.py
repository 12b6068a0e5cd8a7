"""Loading applications in bulk, for the kernel's preview-and-confirm import
flow (``peerprog.core.import_bulk``).

Each row is one applicant to the cohort chosen on the upload page. The
person is matched to the programme's records by e-mail ignoring case, else
by first name, last name and date of birth, so loading the same file again
updates the same people and never duplicates them. A person who appears
twice in one file is an error. Blank cells leave what is on record alone.

Rows are checked a batch at a time: the people and applications a batch
refers to are fetched in a few queries, every row is cleaned and checked in
memory, and a confirmed batch is written with ``bulk_create`` and
``bulk_update``, its history rows in bulk too. Nothing is e-mailed or
queued: the preview only reads, and the import only writes records.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone

from peerprog.core.import_bulk import FieldChecks, Row, plain
from peerprog.core.import_cells import (
    ChoiceWidget,
    EmailWidget,
    FlexibleDateWidget,
    TextWidget,
    YesNoWidget,
    canonical,
)
from peerprog.core.import_writes import bulk_update, copy_create, history_copy
from peerprog.core.imports import (
    NEW,
    UNCHANGED,
    UPDATE,
    Column,
    Importer,
    register,
)
from peerprog.core.models import PERSON_CONTACT_FIELDS, Person, User
from recruitment.models import Application, ApplicationMove, Cohort

# Column names as people write them, mapped to ours.
COLUMNS: dict[str, str] = {
    "first_name": "First name",
    "last_name": "Last name",
    "preferred_name": "Preferred name",
    "email": "E-mail",
    "phone": "Phone",
    "date_of_birth": "Date of birth",
    "address": "Address",
    "email_allowed": "Agrees to e-mail",
    "source": "Source",
    "pathway": "Pathway",
    "received_on": "Received on",
    "statement": "Statement",
}
ALIASES = {
    "forename": "first_name",
    "first names": "first_name",
    "given name": "first_name",
    "surname": "last_name",
    "family name": "last_name",
    "email": "email",
    "email address": "email",
    "e-mail address": "email",
    "dob": "date_of_birth",
    "birth date": "date_of_birth",
    "telephone": "phone",
    "phone number": "phone",
    "mobile": "phone",
    "date received": "received_on",
    "received": "received_on",
    "personal statement": "statement",
    "email allowed": "email_allowed",
    "agrees to email": "email_allowed",
}
PERSON_FIELDS = PERSON_CONTACT_FIELDS
APPLICATION_FIELDS = ("source", "pathway", "received_on", "statement")


WIDGETS = {
    "first_name": TextWidget(100),
    "last_name": TextWidget(100),
    "preferred_name": TextWidget(100),
    "email": EmailWidget(254),
    "phone": TextWidget(40),
    "date_of_birth": FlexibleDateWidget(),
    "address": TextWidget(1000),
    "email_allowed": YesNoWidget(),
    "source": ChoiceWidget(Application.Source.choices, "source"),
    "pathway": ChoiceWidget(Application.Pathway.choices, "pathway"),
    "received_on": FlexibleDateWidget(),
    "statement": TextWidget(10000),
}
# What the model would refuse of the values a file sets (without building
# a form or calling full_clean for every row).
PERSON_CHECKS = FieldChecks(Person, PERSON_FIELDS)
APPLICATION_CHECKS = FieldChecks(Application, APPLICATION_FIELDS)
NameKey = tuple[str, str, date]


class Checked:
    """What a checked row would write."""

    def __init__(
        self,
        person: Person,
        person_new: bool,
        person_changed: bool,
        application: Application,
        application_new: bool,
        application_changed: bool,
    ) -> None:
        self.person = person
        self.person_new = person_new
        self.person_changed = person_changed
        self.application = application
        self.application_new = application_new
        self.application_changed = application_changed


class ApplicationPlan:
    """Applications to one cohort, a batch of rows at a time."""

    def __init__(self, *, user: User, cohort_id: int, **kwargs: Any) -> None:
        self.user = user
        self.cohort = Cohort.objects.select_related("programme").get(
            pk=cohort_id, programme_id=user.programme_id
        )
        self.now = timezone.now()
        self._seen: dict[tuple[Any, ...], int] = {}

    def start(self, headers: list[str]) -> list[str]:
        self._seen = {}
        headers = [canonical(header, columns=COLUMNS, aliases=ALIASES) for header in headers]
        missing = [
            COLUMNS[name] for name in ("first_name", "last_name") if COLUMNS[name] not in headers
        ]
        if missing:
            raise ValueError(
                "The file has no column called "
                + " or ".join(f"“{name}”" for name in missing)
                + ". The first row must hold the column names."
            )
        if self.cohort.status == Cohort.Status.CLOSED:
            raise ValueError(f"{self.cohort.name} is closed to new applications.")
        return headers

    # Checking a batch: three queries, whatever its rows hold.

    def _clean(self, row: Row) -> tuple[dict[str, Any], set[str]]:
        values: dict[str, Any] = {}
        bad: set[str] = set()
        for attribute, widget in WIDGETS.items():
            column = COLUMNS[attribute]
            if column not in row.data:
                values[attribute] = None
                continue
            try:
                values[attribute] = widget.clean(row.data[column])
            except ValueError as error:
                values[attribute] = None
                bad.add(attribute)
                row.error(column, plain(error))
        return values, bad

    def _people(
        self, cleaned: list[dict[str, Any]], *, lock: bool
    ) -> tuple[dict[str, Person], dict[NameKey, Person]]:
        people = Person.objects.filter(programme_id=self.cohort.programme_id).order_by("pk")
        if lock:
            people = people.select_for_update()
        emails = {values["email"] for values in cleaned if values["email"]}
        by_email: dict[str, Person] = {}
        if emails:
            for person in people.annotate(lower_email=Lower("email")).filter(
                lower_email__in=emails
            ):
                by_email.setdefault(person.lower_email, person)
        named = [
            values
            for values in cleaned
            if values["first_name"]
            and values["last_name"]
            and values["date_of_birth"]
            and values["email"] not in by_email
        ]
        by_name: dict[NameKey, Person] = {}
        if named:
            # Only the people whose very name and date of birth the batch
            # holds: matching the names and the dates apart would fetch
            # everyone sharing a surname with one row and a birthday with
            # another.
            keys = {
                (values["first_name"].lower(), values["last_name"].lower(), values["date_of_birth"])
                for values in named
            }
            firsts, lasts, births = (list(column) for column in zip(*keys, strict=True))
            found = people.filter(
                RawSQL(
                    "(LOWER(first_name), LOWER(last_name), date_of_birth) IN "
                    "(SELECT * FROM UNNEST(%s::text[], %s::text[], %s::date[]))",
                    (firsts, lasts, births),
                    output_field=BooleanField(),
                )
            )
            for person in found:
                key = (person.first_name.lower(), person.last_name.lower(), person.date_of_birth)
                by_name.setdefault(key, person)
        return by_email, by_name

    def check(self, rows: list[Row], *, lock: bool) -> None:
        cleaned = []
        for row in rows:
            values, bad = self._clean(row)
            cleaned.append((row, values, bad))
        by_email, by_name = self._people([values for _, values, _ in cleaned], lock=lock)
        matched: list[Person | None] = []
        for _, values, _ in cleaned:
            person = by_email.get(values["email"]) if values["email"] else None
            if (
                person is None
                and values["first_name"]
                and values["last_name"]
                and values["date_of_birth"]
            ):
                person = by_name.get(
                    (
                        values["first_name"].lower(),
                        values["last_name"].lower(),
                        values["date_of_birth"],
                    )
                )
            matched.append(person)
        applications = Application.objects.filter(
            cohort=self.cohort, person_id__in={p.pk for p in matched if p is not None}
        )
        if lock:
            applications = applications.select_for_update()
        by_person = {application.person_id: application for application in applications}
        for (row, values, bad), person in zip(cleaned, matched, strict=True):
            self._check_row(row, values, bad, person, by_person)

    def _key(self, values: dict[str, Any]) -> tuple[Any, ...] | None:
        if values["email"]:
            return ("email", values["email"])
        if values["first_name"] and values["last_name"] and values["date_of_birth"]:
            return (
                "name",
                values["first_name"].lower(),
                values["last_name"].lower(),
                values["date_of_birth"],
            )
        return None

    def _check_row(
        self,
        row: Row,
        values: dict[str, Any],
        bad: set[str],
        person: Person | None,
        by_person: dict[int, Application],
    ) -> None:
        key = self._key(values)
        if key is not None:
            if key in self._seen:
                column = COLUMNS["email"] if key[0] == "email" else COLUMNS["first_name"]
                row.error(
                    column,
                    f"This person is also on row {self._seen[key]}. Keep one row per person.",
                )
            else:
                self._seen[key] = row.number
        elif person is None and not str(row.data.get(COLUMNS["email"]) or "").strip():
            row.error(
                COLUMNS["email"],
                "Give an e-mail address or a date of birth, so that the person is "
                "recognised if the file is loaded again.",
            )
        person_new = person is None
        if person is None:
            person = Person(programme=self.cohort.programme, created_at=self.now)
        before = {name: getattr(person, name) for name in PERSON_FIELDS}
        for name in PERSON_FIELDS:
            if values[name] is not None:
                setattr(person, name, values[name])
        if values["email_allowed"] and not person.email and "email" not in bad:
            row.error(
                COLUMNS["email_allowed"],
                "This says they agree to e-mail, but there is no e-mail address for them. "
                "Add their e-mail address, or put no.",
            )
        PERSON_CHECKS.check(person, row, columns=COLUMNS, skip=bad)
        application = by_person.get(person.pk) if person.pk else None
        application_new = application is None
        if application is None:
            application = Application(
                cohort=self.cohort,
                person=person,
                arrived=Application.Arrival.IMPORTED,
                stage=Application.Stage.RECEIVED,
                stage_changed_at=self.now,
                received_on=timezone.localdate(self.now),
            )
        app_before = {name: getattr(application, name) for name in APPLICATION_FIELDS}
        for name in APPLICATION_FIELDS:
            if values[name] is not None:
                setattr(application, name, values[name])
        APPLICATION_CHECKS.check(application, row, columns=COLUMNS, skip=bad)
        person_changed = any(getattr(person, n) != before[n] for n in PERSON_FIELDS)
        application_changed = any(
            getattr(application, n) != app_before[n] for n in APPLICATION_FIELDS
        )
        if application_new:
            row.action = NEW
            row.match = f"person {person.pk}" if person.pk else ""
        else:
            row.action = UPDATE if person_changed or application_changed else UNCHANGED
            row.match = f"application {application.pk}"
        row.payload = Checked(
            person,
            person_new,
            person_changed and not person_new,
            application,
            application_new,
            application_changed and not application_new,
        )

    # Writing a checked batch: at most nine queries.

    def write(self, rows: list[Row]) -> None:
        checked: list[Checked] = [row.payload for row in rows]
        history = {"by": self.user, "at": self.now}
        new_people = [c.person for c in checked if c.person_new]
        changed_people = [c.person for c in checked if c.person_changed]
        if new_people:
            copy_create(Person, new_people)
            history_copy(Person, [p.pk for p in new_people], created=True, **history)
        if changed_people:
            bulk_update(Person, changed_people, PERSON_FIELDS)
            history_copy(Person, [p.pk for p in changed_people], created=False, **history)
        new_applications = []
        for c in checked:
            if c.application_new:
                c.application.person = c.person
                new_applications.append(c.application)
        changed_applications = [c.application for c in checked if c.application_changed]
        if new_applications:
            copy_create(Application, new_applications)
            history_copy(Application, [a.pk for a in new_applications], created=True, **history)
            copy_create(
                ApplicationMove,
                [
                    ApplicationMove(
                        application=application,
                        from_stage="",
                        to_stage=Application.Stage.RECEIVED,
                        by=self.user,
                        at=self.now,
                    )
                    for application in new_applications
                ],
            )
        if changed_applications:
            bulk_update(Application, changed_applications, APPLICATION_FIELDS)
            history_copy(
                Application, [a.pk for a in changed_applications], created=False, **history
            )


IMPORTER = Importer(
    key="recruitment.applications",
    label="Applications",
    plan=ApplicationPlan,
    columns=(
        Column("First name", "The applicant's first name.", required=True),
        Column("Last name", "The applicant's last name.", required=True),
        Column("Preferred name", "What they like to be called, if different."),
        Column(
            "E-mail",
            "Their e-mail address. Used to recognise people already on record; give this "
            "or a date of birth.",
        ),
        Column("Phone", "A phone number."),
        Column("Date of birth", "Like 21/03/1990. Used to recognise people without e-mail."),
        Column("Address", "For letters by post."),
        Column("Agrees to e-mail", "Yes or no: have they agreed to be contacted by e-mail?"),
        Column(
            "Source",
            "How they heard: " + ", ".join(str(label) for _, label in Application.Source.choices),
        ),
        Column(
            "Pathway",
            "New recruit, or assigned from the existing peer workforce.",
        ),
        Column("Received on", "The date the application arrived, like 21/03/2027."),
        Column("Statement", "Their personal statement (seen by leads and HR only)."),
    ),
    preview_columns=("First name", "Last name", "E-mail", "Source"),
)


def register_importer() -> None:
    register(IMPORTER)
