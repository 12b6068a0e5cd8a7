"""Applications sent online by the applicants themselves, and the lead's
decision on the details an applicant already on record gave.

The public form never changes a person's record. An applicant is matched to
the programme's people by the import's rules (``person_match``: e-mail
ignoring case, else full name and date of birth). Someone new gets a record
made from what they gave; someone already on record keeps their record as
it is, and what they gave that differs is kept on the application
(``details_given``) for the lead to use or ignore. Someone who has already
applied to the cohort gets no second application.

Whatever happened, the applicant sees the same page. The confirmation
e-mail says which it was, with one care: it tells of a record or an earlier
application only when it goes to the address on that record, so that
typing someone's name and date of birth with one's own address reveals
nothing about them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peerprog.core.equality import CODES, EQUALITY_FIELDS
from peerprog.core.models import Person, ReasonableAdjustment, SensitiveFacts, User
from peerprog.core.outbox.services import outbox_add
from peerprog.core.services import equality_record
from recruitment.models import Application, Cohort
from recruitment.services.applications import application_create, person_match
from recruitment.services.moves import RecruitmentError

# The details the public form asks for and a lead may take onto a record.
ONLINE_PERSON_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "email_allowed",
    "hard_copy_letters",
)

NAME_FIELDS = ("first_name", "last_name", "preferred_name")

# What organisers may read about an adjustment asked for online. The
# applicant's own words may describe health, so they stay in the request,
# which only leads and HR read; the lead rewrites this note.
ADJUSTMENT_NOTE = "Asked for adjustments for the information event and interview"

CLOSED_MESSAGE = (
    "Applications to {cohort} are not open at the moment, so your application was not sent."
)


class Outcome:
    """What happened to an application sent online."""

    NEW = "new"  # a new person and their application
    KNOWN = "known"  # a new application on an existing person's record
    ALREADY = "already"  # they had already applied to this cohort: nothing new


@dataclass(frozen=True)
class OnlineResult:
    outcome: str
    # The new application, or None when they had already applied.
    application: Application | None
    # Which confirmation e-mail was queued ("" when no address was given).
    email_wording: str


def cohort_is_open(*, cohort: Cohort, today: date | None = None) -> bool:
    """Whether the cohort takes applications today: it is recruiting and
    today is within its application window (both days included)."""
    today = today or timezone.localdate()
    return (
        cohort.status == Cohort.Status.RECRUITING
        and cohort.applications_open <= today <= cohort.applications_close
    )


def _given(values: dict[str, Any]) -> dict[str, Any]:
    """The values the applicant gave, in JSON-safe form (blank ones left out,
    since a blank is not a change the lead could use)."""
    given: dict[str, Any] = {}
    for name in ONLINE_PERSON_FIELDS:
        value = values.get(name)
        if value in (None, "", False):
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, str):
            value = value.strip()
            if name == "email":
                value = value.lower()
        given[name] = value
    return given


def _differences(person: Person, given: dict[str, Any]) -> dict[str, Any]:
    """The given values that are not what the record holds."""
    differences: dict[str, Any] = {}
    for name, value in given.items():
        current = getattr(person, name)
        if isinstance(current, date):
            current = current.isoformat()
        elif isinstance(current, str):
            current = current.strip()
            if name == "email":
                current = current.lower()
        if name in NAME_FIELDS and isinstance(current, str):
            # A name typed in other capitals on a phone is the same name.
            if current.casefold() != value.casefold():
                differences[name] = value
        elif current != value:
            differences[name] = value
    return differences


def _confirm_by_email(
    *,
    to: str,
    wording: str,
    cohort: Cohort,
    person: Person,
    first_name: str,
    application: Application | None,
) -> None:
    # The key is unique per submission: each one is its own confirmation
    # (the throttle limits how many one address can be sent).
    reference = application.pk if application is not None else "none"
    outbox_add(
        key=f"recruitment.online-application:{cohort.pk}:{reference}:{secrets.token_hex(8)}",
        kind="recruitment.online_application",
        to=to,
        template="online_application",
        context={
            "wording": wording,
            "first_name": first_name,
            "cohort": cohort,
            "programme": cohort.programme,
        },
        person_id=person.pk,
    )


@transaction.atomic
def application_submit_online(
    *,
    cohort: Cohort,
    person_values: dict[str, Any],
    source: str,
    statement: str,
    adjustments: str = "",
    today: date | None = None,
) -> OnlineResult:
    """Receive an application sent on the public form, all or nothing.

    Refused (nothing written) unless the cohort is recruiting and today is in
    its application window. A new person gets a record from what they gave;
    a person already on record (by e-mail, else name and date of birth) keeps
    their record unchanged, and the details they gave that differ are kept
    on the application for the lead; a person who has already applied to
    the cohort gets no second application and nothing is stored. A new
    application arrives "online" at the received stage, with no staff user
    on its timeline, and an adjustment request (the applicant's words, with
    a neutral practical note) when they asked for one.

    When they gave an e-mail address, a confirmation goes through the
    outbox to that address saying which case it was. Giving an address for
    this confirmation is taken as agreeing to this one reply; whether the
    programme writes to them by e-mail afterwards follows their answer to
    "how should we contact you" (``email_allowed``).
    """
    cohort = (
        Cohort.objects.select_for_update(of=("self",)).select_related("programme").get(pk=cohort.pk)
    )
    if not cohort_is_open(cohort=cohort, today=today):
        raise RecruitmentError(CLOSED_MESSAGE.format(cohort=cohort.name))
    given = _given(person_values)
    email = given.get("email", "")
    person = person_match(
        programme=cohort.programme,
        email=email,
        first_name=given.get("first_name", ""),
        last_name=given.get("last_name", ""),
        date_of_birth=person_values.get("date_of_birth"),
    )
    application: Application | None = None
    if person is None:
        outcome = Outcome.NEW
        person = Person(programme=cohort.programme)
        for name in ONLINE_PERSON_FIELDS:
            value = person_values.get(name)
            if value is not None:
                setattr(person, name, value.strip() if isinstance(value, str) else value)
        try:
            person.full_clean()
        except ValidationError as error:
            raise RecruitmentError(" ".join(error.messages)) from error
        person.save()
    elif Application.objects.filter(cohort=cohort, person=person).exists():
        outcome = Outcome.ALREADY
    else:
        outcome = Outcome.KNOWN

    if outcome != Outcome.ALREADY:
        application = application_create(
            cohort=cohort,
            person=person,
            by=None,
            source=source,
            statement=statement.strip(),
            arrived=Application.Arrival.ONLINE,
            details_given=_differences(person, given) if outcome == Outcome.KNOWN else None,
        )
        if adjustments.strip():
            adjustment = ReasonableAdjustment(
                person=person,
                kind=ReasonableAdjustment.Kind.OTHER,
                request=adjustments.strip(),
                practical_note=ADJUSTMENT_NOTE,
            )
            adjustment.full_clean()
            adjustment.save()

    wording = ""
    if email:
        # Only the record's own address is told of the record or of an
        # earlier application.
        wording = outcome if person.email.lower() == email else Outcome.NEW
        _confirm_by_email(
            to=email,
            wording=wording,
            cohort=cohort,
            person=person,
            first_name=given.get("preferred_name") or given.get("first_name", ""),
            application=application,
        )
    return OnlineResult(outcome=outcome, application=application, email_wording=wording)


@transaction.atomic
def application_details_use(*, application: Application, by: User) -> Application:
    """Take the details the applicant gave online onto their record.

    Only the details that differ are changed; the record's history keeps
    who changed them and when, and the application's kept details are
    cleared. Refused when there is nothing to use, or when the record would
    break a rule (an e-mail address someone else in the programme has).
    """
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=application.pk)
    )
    if not application.details_given:
        raise RecruitmentError("There are no details from the applicant to use.")
    person = Person.objects.select_for_update().get(pk=application.person_id)
    for name, value in application.details_given.items():
        if name not in ONLINE_PERSON_FIELDS:
            continue
        if name == "date_of_birth":
            value = date.fromisoformat(value)
        setattr(person, name, value)
    try:
        person.full_clean()
    except ValidationError as error:
        raise RecruitmentError(
            "The details could not be used: " + " ".join(error.messages)
        ) from error
    person.save()
    application.details_given = {}
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def application_details_ignore(*, application: Application, by: User) -> Application:
    """Leave the record as it is and forget the details the applicant gave
    online (the application's history keeps that they were ignored)."""
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if not application.details_given:
        raise RecruitmentError("There are no details from the applicant to ignore.")
    application.details_given = {}
    application.full_clean()
    application.save()
    return application


def _unanswered() -> dict[str, str]:
    unanswered = {name: str(codes.NOT_KNOWN) for name, codes in CODES.items()}  # type: ignore[attr-defined]
    unanswered["disability"] = SensitiveFacts.Disclosure.NOT_ASKED.value
    return unanswered


@transaction.atomic
def application_equality_record(*, application_id: int, answers: dict[str, str]) -> int:
    """Record the optional equality-monitoring answers given after an
    application sent online, as the applicant's special-category facts.

    Like the rest of the public form, it never changes what is on record:
    only questions the record has no answer to are filled in (for a new
    applicant, that is all of them), and questions left unanswered are not
    written. Gives the number of answers recorded.
    """
    application = Application.objects.select_related("person").get(pk=application_id)
    person = application.person
    unanswered = _unanswered()
    facts = SensitiveFacts.objects.select_for_update().filter(person=person).first()
    values = {
        name: value
        for name, value in answers.items()
        if name in EQUALITY_FIELDS
        and value != unanswered[name]
        and (facts is None or getattr(facts, name) == unanswered[name])
    }
    if values:
        equality_record(person=person, by=None, **values)
    return len(values)
