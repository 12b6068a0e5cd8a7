"""Cohorts (planning, changing, closing) and their information events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from peerprog.core.models import Programme, User
from recruitment.models import Application, Cohort, InformationEvent
from recruitment.services.moves import OPEN_STAGES, RecruitmentError
from recruitment.services.reasons import reasons_ensure_defaults

TRAINING_WEEKS = 12


def default_training_end(*, training_start: date) -> date:
    return training_start + timedelta(weeks=TRAINING_WEEKS)


@transaction.atomic
def cohort_create(
    *,
    programme: Programme,
    by: User,
    name: str,
    applications_open: date,
    applications_close: date,
    training_start: date,
    capacity: int,
    training_end: date | None = None,
    status: str = Cohort.Status.PLANNING,
) -> Cohort:
    """Plan a new intake. Training ends 12 weeks after it starts unless
    another end is given. Makes sure the programme has its reason lists."""
    reasons_ensure_defaults(programme=programme)
    cohort = Cohort(
        programme=programme,
        name=name.strip(),
        applications_open=applications_open,
        applications_close=applications_close,
        training_start=training_start,
        training_end=training_end or default_training_end(training_start=training_start),
        capacity=capacity,
        status=status,
    )
    cohort.full_clean()
    cohort.save()
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, by: User, **values: Any) -> Cohort:
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if values.get("status") == Cohort.Status.CLOSED and cohort.status != Cohort.Status.CLOSED:
        _check_can_close(cohort)
    for name, value in values.items():
        setattr(cohort, name, value)
    if not cohort.training_end and cohort.training_start:
        cohort.training_end = default_training_end(training_start=cohort.training_start)
    cohort.full_clean()
    cohort.save()
    return cohort


def _check_can_close(cohort: Cohort) -> None:
    still_open = Application.objects.filter(cohort=cohort, stage__in=OPEN_STAGES).count()
    if still_open:
        raise RecruitmentError(
            f"{still_open} application{'s are' if still_open != 1 else ' is'} still open in "
            f"{cohort.name}. Move {'them' if still_open != 1 else 'it'} to an outcome "
            "before closing the cohort."
        )


@transaction.atomic
def cohort_close(*, cohort: Cohort, by: User) -> Cohort:
    """Close a cohort once every application has an outcome."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status == Cohort.Status.CLOSED:
        raise RecruitmentError(f"{cohort.name} is already closed.")
    _check_can_close(cohort)
    cohort.status = Cohort.Status.CLOSED
    cohort.full_clean()
    cohort.save()
    return cohort


@transaction.atomic
def event_create(*, cohort: Cohort, by: User, **values: Any) -> InformationEvent:
    attendees = values.pop("attendees", None)
    event = InformationEvent(cohort=cohort, **values)
    event.full_clean()
    event.save()
    if attendees is not None:
        _set_attendees(event, attendees)
    return event


@transaction.atomic
def event_update(*, event: InformationEvent, by: User, **values: Any) -> InformationEvent:
    attendees = values.pop("attendees", None)
    event = InformationEvent.objects.select_for_update().get(pk=event.pk)
    for name, value in values.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    if attendees is not None:
        _set_attendees(event, attendees)
    return event


def _set_attendees(event: InformationEvent, attendees: Iterable[Application]) -> None:
    attendees = list(attendees)
    if any(a.cohort_id != event.cohort_id for a in attendees):
        raise RecruitmentError("Only applicants to this cohort can be recorded as attending.")
    event.attendees.set(attendees)
