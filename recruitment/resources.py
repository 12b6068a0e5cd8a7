"""Loading applications in bulk (django-import-export), for the kernel's
preview-and-confirm import flow.

Each row is one applicant to the cohort chosen on the upload page. The
person is matched to the programme's records by e-mail ignoring case, else
by first name, last name and date of birth, so loading the same file again
updates the same people and never duplicates them. A person who appears
twice in one file is an error. Blank cells leave what is on record alone.

The hooks have no side effects outside the database: nothing is e-mailed or
queued, because the preview runs them too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from import_export import fields, instance_loaders, resources, widgets

from peerprog.core.import_cells import (
    ChoiceWidget,
    EmailWidget,
    FlexibleDateWidget,
    TextWidget,
    YesNoWidget,
    canonical,
)
from peerprog.core.imports import (
    Column,
    Importer,
    register,
)
from peerprog.core.models import PERSON_CONTACT_FIELDS, Person, User
from recruitment.models import Application, Cohort
from recruitment.services import application_import_row, person_match

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


class ApplicantRow:
    """One row of the file: the values it gives, and the records it matches."""

    def __init__(self) -> None:
        for name in PERSON_FIELDS + APPLICATION_FIELDS:
            setattr(self, name, None)
        self.person: Person | None = None
        self.application: Application | None = None
        self.pk: int | None = None

    def __str__(self) -> str:
        return " ".join(str(v) for v in (self.first_name, self.last_name) if v)  # type: ignore[attr-defined]

    def __deepcopy__(self, memo: dict[int, Any]) -> ApplicantRow:
        copy = ApplicantRow()
        copy.__dict__.update(self.__dict__)
        return copy


def _field(attribute: str, widget: widgets.Widget) -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=COLUMNS[attribute],
        widget=widget,
        saves_null_values=False,
    )


class ApplicationResource(resources.Resource):
    first_name = _field("first_name", TextWidget(100))
    last_name = _field("last_name", TextWidget(100))
    preferred_name = _field("preferred_name", TextWidget(100))
    email = _field("email", EmailWidget(254))
    phone = _field("phone", TextWidget(40))
    date_of_birth = _field("date_of_birth", FlexibleDateWidget())
    address = _field("address", TextWidget(1000))
    email_allowed = _field("email_allowed", YesNoWidget())
    source = _field("source", ChoiceWidget(Application.Source.choices, "source"))
    pathway = _field("pathway", ChoiceWidget(Application.Pathway.choices, "pathway"))
    received_on = _field("received_on", FlexibleDateWidget())
    statement = _field("statement", TextWidget(10000))

    class Meta:
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        use_transactions = True
        clean_model_instances = False
        # Rows are matched to people by get_or_init_instance, not by an id.
        instance_loader_class = instance_loaders.BaseInstanceLoader

    def __init__(self, *, user: User, cohort_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.cohort = Cohort.objects.select_related("programme").get(
            pk=cohort_id, programme_id=user.programme_id
        )
        self._seen: dict[tuple[Any, ...], int] = {}

    # Reading the file.

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self._seen = {}
        dataset.headers = [
            canonical(header, columns=COLUMNS, aliases=ALIASES) for header in dataset.headers or []
        ]
        missing = [
            COLUMNS[name]
            for name in ("first_name", "last_name")
            if COLUMNS[name] not in dataset.headers
        ]
        if missing:
            raise ValueError(
                "The file has no column called "
                + " or ".join(f"“{name}”" for name in missing)
                + ". The first row must hold the column names."
            )
        if self.cohort.status == Cohort.Status.CLOSED:
            raise ValueError(f"{self.cohort.name} is closed to new applications.")

    def _match_values(self, row: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for attribute in ("email", "first_name", "last_name", "date_of_birth"):
            field = self.fields[attribute]
            try:
                values[attribute] = field.clean(row) if field.column_name in row else None
            except ValueError:
                values[attribute] = None
        return values

    def get_or_init_instance(self, instance_loader: Any, row: dict[str, Any]) -> tuple[Any, bool]:
        values = self._match_values(row)
        instance = ApplicantRow()
        person = person_match(
            programme=self.cohort.programme,
            email=values["email"] or "",
            first_name=values["first_name"] or "",
            last_name=values["last_name"] or "",
            date_of_birth=values["date_of_birth"],
        )
        if person is None:
            return instance, True
        instance.person = person
        for name in PERSON_FIELDS:
            setattr(instance, name, getattr(person, name))
        application = Application.objects.filter(cohort=self.cohort, person=person).first()
        if application is None:
            return instance, True
        instance.application = application
        instance.pk = application.pk
        for name in APPLICATION_FIELDS:
            setattr(instance, name, getattr(application, name))
        return instance, False

    def import_instance(self, instance: ApplicantRow, row: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        values = self._match_values(row)
        key: tuple[Any, ...] | None = None
        if values["email"]:
            key = ("email", values["email"])
        elif values["first_name"] and values["last_name"] and values["date_of_birth"]:
            key = (
                "name",
                values["first_name"].lower(),
                values["last_name"].lower(),
                values["date_of_birth"],
            )
        number = kwargs.get("row_number", 0) + 1
        if key is not None:
            if key in self._seen:
                errors.setdefault("email" if key[0] == "email" else "first_name", []).append(
                    ValidationError(
                        f"This person is also on row {self._seen[key]}. Keep one row per person."
                    )
                )
            else:
                self._seen[key] = number
        elif instance.person is None and not str(row.get(COLUMNS["email"]) or "").strip():
            errors.setdefault("email", []).append(
                ValidationError(
                    "Give an e-mail address or a date of birth, so that the person is "
                    "recognised if the file is loaded again."
                )
            )
        if errors:
            raise ValidationError(errors)

    def validate_instance(
        self,
        instance: ApplicantRow,
        import_validation_errors: dict[str, Any] | None = None,
        validate_unique: bool = True,
    ) -> None:
        """Check the person and the application as the models would, and
        name each problem by the file's column."""
        errors: dict[str, list[str]] = {}
        for attribute, problems in (import_validation_errors or {}).items():
            errors.setdefault(attribute, []).extend(
                message for problem in problems for message in ValidationError(problem).messages
            )
        person = self._person_for(instance)
        try:
            person.full_clean(exclude=list(errors))
        except ValidationError as error:
            for attribute, messages in error.message_dict.items():
                errors.setdefault(attribute, []).extend(messages)
        application = instance.application or Application(cohort=self.cohort)
        for name in APPLICATION_FIELDS:
            value = getattr(instance, name)
            if value is not None:
                setattr(application, name, value)
        try:
            application.full_clean(exclude=[*errors, "person", "cohort"], validate_unique=False)
        except ValidationError as error:
            for attribute, messages in error.message_dict.items():
                errors.setdefault(attribute, []).extend(messages)
        if errors:
            raise ValidationError(
                {
                    COLUMNS.get(attribute, "" if attribute == "__all__" else attribute): messages
                    for attribute, messages in errors.items()
                }
            )

    def _person_for(self, instance: ApplicantRow) -> Person:
        if instance.person is not None:
            person = Person.objects.get(pk=instance.person.pk)
        else:
            person = Person(programme=self.cohort.programme)
        for name in PERSON_FIELDS:
            value = getattr(instance, name)
            if value is not None:
                setattr(person, name, value)
        return person

    def save_instance(
        self, instance: ApplicantRow, is_create: bool, row: dict[str, Any], **kwargs: Any
    ) -> None:
        application, _ = application_import_row(
            cohort=self.cohort,
            by=self.user,
            person=instance.person,
            person_values={name: getattr(instance, name) for name in PERSON_FIELDS},
            application_values={name: getattr(instance, name) for name in APPLICATION_FIELDS},
        )
        instance.application = application
        instance.person = application.person
        instance.pk = application.pk

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        """Nothing to do after the rows: no e-mails, no tasks."""


IMPORTER = Importer(
    key="recruitment.applications",
    label="Applications",
    resource=ApplicationResource,
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
