"""Applications and the people who make them: adding, matching a person
already on record, correcting details, and the import's row writer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerprog.core.dates import moment_of
from peerprog.core.models import Person, Programme, User
from recruitment.models import Application, ApplicationMove, Cohort
from recruitment.services.moves import RecruitmentError

Stage = Application.Stage


@transaction.atomic
def application_create(
    *,
    cohort: Cohort,
    person: Person,
    by: User | None,
    source: str = Application.Source.OTHER,
    pathway: str = Application.Pathway.NEW_RECRUIT,
    statement: str = "",
    received_on: date | None = None,
    at: datetime | None = None,
    arrived: str = Application.Arrival.BY_HAND,
    details_given: dict[str, Any] | None = None,
    closed_ok: bool = False,
) -> Application:
    """Record a person's application to a cohort, at the received stage.
    ``arrived`` says how it reached the programme (by hand unless told);
    ``by`` is None when the applicant sent it themselves, online.
    ``closed_ok`` records a past application to a cohort that has since
    closed (a programme's history brought in from a workbook): the caller
    takes it on to an outcome in the same transaction. Sends nothing."""
    if person.programme_id != cohort.programme_id:
        raise RecruitmentError("The person and the cohort belong to different programmes.")
    if cohort.status == Cohort.Status.CLOSED and not closed_ok:
        raise RecruitmentError(f"{cohort.name} is closed to new applications.")
    if Application.objects.filter(cohort=cohort, person=person).exists():
        raise RecruitmentError(f"{person.display_name} has already applied to {cohort.name}.")
    if received_on is not None and received_on > timezone.localdate():
        raise RecruitmentError("An application cannot be received in the future.")
    # Received on a past day: the timeline's first step is dated that day.
    at = at or moment_of(received_on) or timezone.now()
    application = Application(
        cohort=cohort,
        person=person,
        source=source,
        arrived=arrived,
        details_given=details_given or {},
        pathway=pathway,
        statement=statement,
        received_on=received_on or timezone.localdate(at),
        stage=Stage.RECEIVED,
        stage_changed_at=at,
    )
    application.full_clean()
    application.save()
    ApplicationMove.objects.create(
        application=application, from_stage="", to_stage=Stage.RECEIVED, by=by, at=at
    )
    return application


def person_match(
    *,
    programme: Programme,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
) -> Person | None:
    """The programme's record of this person, if there is one: by e-mail
    ignoring case, else by full name and date of birth."""
    people = Person.objects.filter(programme=programme)
    email = (email or "").strip()
    if email:
        found = people.filter(email__iexact=email).first()
        if found is not None:
            return found
    if first_name and last_name and date_of_birth:
        return (
            people.filter(
                first_name__iexact=first_name.strip(),
                last_name__iexact=last_name.strip(),
                date_of_birth=date_of_birth,
            )
            .order_by("pk")
            .first()
        )
    return None


@transaction.atomic
def application_create_with_person(
    *,
    cohort: Cohort,
    by: User,
    person_values: dict[str, Any],
    application_values: dict[str, Any],
) -> Application:
    """Add an application, finding the person's existing record (by e-mail,
    or name and date of birth) or creating it."""
    programme = cohort.programme
    person = person_match(
        programme=programme,
        email=person_values.get("email", ""),
        first_name=person_values.get("first_name", ""),
        last_name=person_values.get("last_name", ""),
        date_of_birth=person_values.get("date_of_birth"),
    )
    if person is None:
        person = Person(programme=programme, **person_values)
        person.full_clean()
        person.save()
    return application_create(
        cohort=cohort,
        person=person,
        by=by,
        arrived=Application.Arrival.BY_HAND,
        **application_values,
    )


@transaction.atomic
def application_update(
    *,
    application: Application,
    by: User,
    source: str,
    pathway: str,
    statement: str,
    received_on: date,
) -> Application:
    """Correct an application's details (not its stage: that is a move)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.source = source
    application.pathway = pathway
    application.statement = statement
    application.received_on = received_on
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def application_import_row(
    *,
    cohort: Cohort,
    by: User,
    person: Person | None,
    person_values: dict[str, Any],
    application_values: dict[str, Any],
) -> tuple[Application, bool]:
    """Create or update one imported applicant and their application.

    ``person`` is the matched record (or None for someone new). Values that
    are blank in the file leave what is on record alone. Sends nothing.
    """
    if person is None:
        person = Person(programme=cohort.programme)
    else:
        person = Person.objects.select_for_update().get(pk=person.pk)
    for name, value in person_values.items():
        if value not in ("", None):
            setattr(person, name, value)
    person.full_clean()
    person.save()
    application = Application.objects.filter(cohort=cohort, person=person).first()
    if application is None:
        values = {k: v for k, v in application_values.items() if v not in ("", None)}
        application = application_create(
            cohort=cohort, person=person, by=by, arrived=Application.Arrival.IMPORTED, **values
        )
        return application, True
    application = Application.objects.select_for_update().get(pk=application.pk)
    for name, value in application_values.items():
        if value not in ("", None):
            setattr(application, name, value)
    application.full_clean()
    application.save()
    return application, False
