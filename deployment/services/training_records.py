"""Every write of training once in post: the programme's editable course
catalogue, and the record of a course a peer worker completed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from deployment.models import Appointment, TrainingCourse, TrainingRecord
from deployment.services.common import DeploymentError, apply, clean_or_refuse
from peerprog.core.dates import add_months
from peerprog.core.models import Person, Programme, User

# (name, months valid): mandatory and role-specific training for peer
# workers in post. The programme rewords, adds and archives courses.
DEFAULT_COURSES = [
    ("ASIST", 36),
    ("safeTALK", 36),
    ("Managing aggression", 12),
    ("Information governance", 12),
    ("Safeguarding", 36),
]


@transaction.atomic
def training_courses_ensure_defaults(*, programme: Programme, by: User) -> int:
    """Give a programme the default course catalogue if it has none yet.
    Returns how many courses were created."""
    if TrainingCourse.objects.filter(programme=programme).exists():
        return 0
    for order, (name, months) in enumerate(DEFAULT_COURSES):
        course = TrainingCourse(
            programme=programme, name=name, valid_for_months=months, order=order
        )
        course.full_clean()
        course.save()
    return len(DEFAULT_COURSES)


def _save_course(course: TrainingCourse) -> TrainingCourse:
    clean_or_refuse(instance=course)
    try:
        with transaction.atomic():
            course.save()
    except IntegrityError as error:
        raise DeploymentError("The catalogue already has a course with this name.") from error
    return course


@transaction.atomic
def training_course_create(*, programme: Programme, by: User, **values: Any) -> TrainingCourse:
    """Add a course to the programme's catalogue."""
    return _save_course(TrainingCourse(programme=programme, **values))


@transaction.atomic
def training_course_update(*, course: TrainingCourse, by: User, **values: Any) -> TrainingCourse:
    """Reword a course, change whether it is mandatory or how long it is
    valid, or archive it. Courses are never deleted: records keep theirs."""
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    apply(instance=course, values=values)
    return _save_course(course)


@transaction.atomic
def training_record_create(
    *,
    person: Person,
    course: TrainingCourse,
    completed_on: date,
    by: User,
    expires_on: date | None = None,
) -> TrainingRecord:
    """Record that a peer worker completed a course. Without an expiry, a
    course valid for a number of months expires that long after completion.
    Refused for someone never appointed in the programme, for an archived
    course, and for a completion date still to come."""
    if course.programme_id != person.programme_id:
        raise DeploymentError("Choose a course of this programme.")
    if course.is_archived:
        raise DeploymentError(f"{course.name} is archived; choose a course still offered.")
    if not Appointment.objects.filter(person=person, programme_id=person.programme_id).exists():
        raise DeploymentError("Training records are kept for peer workers appointed to a post.")
    if completed_on > timezone.localdate():
        raise DeploymentError("The date completed cannot be in the future.")
    if expires_on is None and course.valid_for_months:
        expires_on = add_months(completed_on, course.valid_for_months)
    record = TrainingRecord(
        programme_id=person.programme_id,
        person=person,
        course=course,
        completed_on=completed_on,
        expires_on=expires_on,
        recorded_by=by,
    )
    clean_or_refuse(instance=record)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        raise DeploymentError(
            f"{course.name} is already recorded as completed on {completed_on:%-d %B %Y}."
        ) from error
    return record
