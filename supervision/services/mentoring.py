"""Every write mentoring makes: mentor profiles, the cohort's minimum,
assigning and reassigning mentors, and the meetings mentors log."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from peerprog.core.access import has_role
from peerprog.core.models import Role, User
from recruitment.models import Cohort
from supervision.models import CohortMentoring, MentorAssignment, MentorMeeting, MentorProfile
from supervision.selectors.mentoring import assignment_warnings
from supervision.services.common import Refused, validated
from training.models import Enrolment


class MentoringRefused(Refused):
    """A mentoring action that cannot go ahead, in plain words."""


class MentorWarnings(Refused):
    """Assigning this mentor needs the lead to accept the warnings first."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__("Read the warnings below, then confirm if you still want this mentor.")
        self.warnings = warnings


# Mentor profiles


@transaction.atomic
def mentor_profile_save(*, mentor: User, by: User, **values: Any) -> MentorProfile:
    """Create or change a mentor's profile. The mentor must be staff of the
    lead's programme holding the Mentor role."""
    if mentor.programme_id != by.programme_id or not has_role(mentor, Role.MENTOR):
        raise MentoringRefused("Only staff of this programme with the Mentor role can mentor.")
    profile = MentorProfile.objects.select_for_update().filter(user=mentor).first()
    if profile is None:
        profile = MentorProfile(user=mentor)
    for name, value in values.items():
        setattr(profile, name, value)
    if profile.service_id and profile.service.programme_id != mentor.programme_id:
        raise MentoringRefused("Choose a service of this programme.")
    validated(instance=profile)
    profile.save()
    return profile


# The cohort's minimum


def cohort_mentoring_ensure(*, cohort: Cohort) -> CohortMentoring:
    """The cohort's mentoring settings, created with the defaults if missing
    (safe when two requests do it at once)."""
    existing = CohortMentoring.objects.filter(cohort=cohort).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return CohortMentoring.objects.create(cohort=cohort)
    except IntegrityError:
        return CohortMentoring.objects.get(cohort=cohort)


@transaction.atomic
def cohort_mentoring_update(*, cohort: Cohort, by: User, minimum_meetings: int) -> CohortMentoring:
    settings = cohort_mentoring_ensure(cohort=cohort)
    settings = CohortMentoring.objects.select_for_update().get(pk=settings.pk)
    settings.minimum_meetings = minimum_meetings
    validated(instance=settings)
    settings.save()
    return settings


# Assigning mentors


def _check_mentor(mentor: User, enrolment: Enrolment) -> None:
    if (
        mentor.programme_id != enrolment.cohort.programme_id
        or not mentor.is_active
        or not has_role(mentor, Role.MENTOR)
    ):
        raise MentoringRefused("Choose a mentor of this programme who can sign in.")


@transaction.atomic
def mentor_assign(
    *,
    enrolment: Enrolment,
    mentor: User,
    by: User,
    accept_warnings: bool = False,
    reason: str = "",
    on: date | None = None,
) -> MentorAssignment:
    """Give the trainee this mentor from ``on`` (today).

    Warnings (over capacity, no preparatory training, the person's line
    manager) refuse with ``MentorWarnings`` unless ``accept_warnings``; the
    accepted warnings are kept on the assignment. A trainee who has a mentor
    is reassigned: the current assignment ends the same day with ``reason``
    and stays as history. A trainee who left the course gets no mentor.
    ``on`` is the day the mentoring started: never in the future, never
    before the current mentoring started, nor before a meeting logged in it.
    """
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise MentoringRefused(
            "A mentoring cannot start in the future: record it on the day it starts."
        )
    # One assignment at a time per trainee: lock the enrolment.
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("cohort", "person")
        .get(pk=enrolment.pk)
    )
    # A mentoring that started before the trainee left is history to
    # record; from the day they left, they get no mentor.
    if enrolment.status == Enrolment.Status.NOT_COMPLETED and (
        enrolment.ended_on is None or on >= enrolment.ended_on
    ):
        raise MentoringRefused(f"{enrolment.person.display_name} has left the course.")
    _check_mentor(mentor, enrolment)
    current = MentorAssignment.objects.filter(enrolment=enrolment, ended_on__isnull=True).first()
    if current is not None and current.mentor_id == mentor.pk:
        raise MentoringRefused(
            f"{mentor.full_name} is already {enrolment.person.display_name}'s mentor."
        )
    warnings = assignment_warnings(mentor=mentor, enrolment=enrolment)
    if warnings and not accept_warnings:
        raise MentorWarnings(warnings)
    if current is not None:
        if on < current.started_on:
            raise MentoringRefused(
                f"{current.mentor.full_name} has mentored {enrolment.person.display_name} "
                f"since {current.started_on:%-d %B %Y}: the new mentoring cannot start "
                "before that."
            )
        _check_no_meeting_after(current, on)
        current.ended_on = on
        current.end_reason = reason or f"Reassigned to {mentor.full_name}"
        validated(instance=current)
        current.save()
    assignment = MentorAssignment(
        enrolment=enrolment,
        mentor=mentor,
        started_on=on,
        assigned_by=by,
        warnings_accepted="\n".join(warnings),
    )
    validated(instance=assignment, validate_constraints=False)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as clash:
        raise MentoringRefused(
            "Someone else has just given this trainee a mentor. Look again before changing it."
        ) from clash
    return assignment


@transaction.atomic
def mentor_assignment_end(
    *, assignment: MentorAssignment, by: User, reason: str, on: date | None = None
) -> MentorAssignment:
    """End a mentoring without a new mentor (the trainee left, say) on
    ``on`` (today): never in the future, never before it started or before
    a meeting logged in it. The assignment and its meetings stay as
    history."""
    assignment = (
        MentorAssignment.objects.select_for_update(of=("self",))
        .select_related("mentor", "enrolment__person")
        .get(pk=assignment.pk)
    )
    if assignment.ended_on is not None:
        raise MentoringRefused("This mentoring has already ended.")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise MentoringRefused(
            "A mentoring cannot end in the future: record it on the day it ends."
        )
    if on < assignment.started_on:
        raise MentoringRefused(
            f"This mentoring started on {assignment.started_on:%-d %B %Y}: "
            "it cannot end before that."
        )
    _check_no_meeting_after(assignment, on)
    assignment.ended_on = on
    assignment.end_reason = reason
    validated(instance=assignment)
    assignment.save()
    return assignment


def _check_no_meeting_after(assignment: MentorAssignment, on: date) -> None:
    """A mentoring cannot end before a meeting logged in it: the meeting
    would fall outside the mentoring it belongs to."""
    last = assignment.meetings.filter(held_on__gt=on).order_by("-held_on").first()
    if last is not None:
        raise MentoringRefused(
            f"{assignment.mentor.full_name} logged a meeting with "
            f"{assignment.enrolment.person.display_name} on {last.held_on:%-d %B %Y}: "
            "the mentoring cannot end before that."
        )


# Meetings


def _check_meeting_dates(
    *,
    assignment: MentorAssignment,
    held_on: date,
    next_meeting_on: date | None,
    today: date,
) -> None:
    """A meeting happened (not in the future), during the course and
    inside the mentoring it is logged in."""
    if held_on > today:
        raise MentoringRefused(
            "A meeting cannot be logged before it happens: the date is in the future."
        )
    start = assignment.enrolment.cohort.training_start
    if held_on < start:
        raise MentoringRefused(
            f"The course started on {start.day} {start:%B %Y}: a meeting cannot be before it."
        )
    if held_on < assignment.started_on:
        raise MentoringRefused(
            f"{assignment.mentor.full_name} has mentored "
            f"{assignment.enrolment.person.display_name} since "
            f"{assignment.started_on:%-d %B %Y}: a meeting cannot be before that."
        )
    if assignment.ended_on is not None and held_on > assignment.ended_on:
        raise MentoringRefused(
            f"This mentoring ended on {assignment.ended_on:%-d %B %Y}: "
            "a meeting cannot be after that."
        )
    if next_meeting_on is not None and next_meeting_on < held_on:
        raise MentoringRefused("The next meeting cannot be before this one.")


@transaction.atomic
def mentor_meeting_log(
    *,
    enrolment: Enrolment,
    by: User,
    form_token: uuid.UUID,
    held_on: date,
    minutes: int,
    kind: str = MentorMeeting.Kind.MEETING,
    mode: str = MentorMeeting.Mode.IN_PERSON,
    notes: str = "",
    next_meeting_on: date | None = None,
    today: date | None = None,
    mentor: User | None = None,
) -> tuple[MentorMeeting, bool]:
    """Log a meeting with a trainee ``by`` their mentor now.

    Refused for a date in the future, before the course or before the
    mentoring started, and for a length
    outside 5 to 480 minutes. The same form sent twice (``form_token``)
    saves one meeting: the second call returns the first meeting and False.

    ``mentor`` is given when a programme lead (``by``) records a meeting
    the mentor held, from the programme's records: the meeting belongs to
    that mentor's mentoring of the trainee on the day it was held, which
    may have ended since.
    """
    today = today or timezone.localdate()
    existing = MentorMeeting.objects.filter(form_token=form_token).first()
    if existing is not None:
        return _repeat(existing, enrolment, by)
    # Lock the mentoring, so that it cannot be ended before this meeting
    # while the meeting is being logged.
    if mentor is not None:
        assignment = _mentoring_on(enrolment=enrolment, mentor=mentor, by=by, held_on=held_on)
    else:
        assignment = (
            MentorAssignment.objects.select_for_update(of=("self",))
            .select_related("enrolment__cohort", "enrolment__person", "mentor")
            .filter(enrolment=enrolment, mentor=by, ended_on__isnull=True)
            .first()
        )
    if assignment is None:
        raise MentoringRefused("Only the trainee's mentor can log their meetings.")
    _check_meeting_dates(
        assignment=assignment,
        held_on=held_on,
        next_meeting_on=next_meeting_on,
        today=today,
    )
    meeting = MentorMeeting(
        assignment=assignment,
        held_on=held_on,
        minutes=minutes,
        kind=kind,
        mode=mode,
        notes=notes.strip(),
        next_meeting_on=next_meeting_on,
        form_token=form_token,
        recorded_by=by,
    )
    validated(instance=meeting, validate_unique=False)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        # The same form arrived twice at once; the other request saved it.
        return _repeat(MentorMeeting.objects.get(form_token=form_token), enrolment, by)
    return meeting, True


def _check_lead_records(*, by: User, mentor: User) -> None:
    if not has_role(by, Role.PROGRAMME_LEAD) or by.programme_id != mentor.programme_id:
        raise MentoringRefused("Only a programme lead can record a meeting on a mentor's behalf.")


def _mentoring_on(
    *, enrolment: Enrolment, mentor: User, by: User, held_on: date
) -> MentorAssignment:
    """The mentor's mentoring of the trainee that ``held_on`` falls in,
    locked; else their latest one, whose dates then refuse the meeting in
    plain words."""
    _check_lead_records(by=by, mentor=mentor)
    theirs = (
        MentorAssignment.objects.select_for_update(of=("self",))
        .select_related("enrolment__cohort", "enrolment__person", "mentor")
        .filter(enrolment=enrolment, mentor=mentor)
    )
    during = (
        theirs.filter(started_on__lte=held_on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=held_on))
        .first()
    )
    latest = during or theirs.order_by("-started_on", "-pk").first()
    if latest is None:
        raise MentoringRefused(
            f"{mentor.full_name} has not mentored {enrolment.person.display_name}: "
            "give them this mentor first."
        )
    return latest


def _repeat(existing: MentorMeeting, enrolment: Enrolment, by: User) -> tuple[MentorMeeting, bool]:
    if existing.assignment.enrolment_id != enrolment.pk or existing.recorded_by_id != by.pk:
        raise MentoringRefused("This form has already been used. Open it again to log a meeting.")
    return existing, False


@transaction.atomic
def mentor_meeting_update(
    *,
    meeting: MentorMeeting,
    by: User,
    today: date | None = None,
    mentor: User | None = None,
    **values: Any,
) -> MentorMeeting:
    """Correct a logged meeting. Only the mentor who logged it, while they
    still mentor the trainee; the same date rules as logging it. A
    programme lead (``by``) correcting the programme's records on the
    mentor's behalf names the ``mentor``, whose mentoring may have ended."""
    today = today or timezone.localdate()
    meeting = (
        MentorMeeting.objects.select_for_update()
        .select_related(
            "assignment__enrolment__cohort", "assignment__enrolment__person", "assignment__mentor"
        )
        .get(pk=meeting.pk)
    )
    if mentor is not None:
        _check_lead_records(by=by, mentor=mentor)
        if meeting.assignment.mentor_id != mentor.pk:
            raise MentoringRefused(f"{mentor.full_name} did not hold this meeting.")
    elif meeting.assignment.mentor_id != by.pk or not meeting.assignment.is_active:
        raise MentoringRefused("Only the trainee's mentor can change their meetings.")
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.notes = meeting.notes.strip()
    _check_meeting_dates(
        assignment=meeting.assignment,
        held_on=meeting.held_on,
        next_meeting_on=meeting.next_meeting_on,
        today=today,
    )
    validated(instance=meeting)
    meeting.save()
    return meeting


# The trainee's own part of a meeting


def _meeting_of_trainee(*, meeting: MentorMeeting, by: User) -> MentorMeeting:
    """The meeting, locked, when ``by`` is the account of its trainee and
    their course is still open; refused otherwise."""
    meeting = (
        MentorMeeting.objects.select_for_update(of=("self",))
        .select_related("assignment__enrolment__person")
        .get(pk=meeting.pk)
    )
    enrolment = meeting.assignment.enrolment
    if enrolment.person.user_id is None or enrolment.person.user_id != by.pk:
        raise MentoringRefused("Only the trainee can add their part to a meeting.")
    if not enrolment.is_open:
        raise MentoringRefused("Your course has ended: its meetings can no longer be changed.")
    return meeting


@transaction.atomic
def mentor_meeting_trainee_note(*, meeting: MentorMeeting, by: User, note: str) -> MentorMeeting:
    """Save the trainee's own short note on a meeting (an empty note removes
    it). Only the trainee's own account, while their course is open; the
    mentor's notes are not touched."""
    meeting = _meeting_of_trainee(meeting=meeting, by=by)
    meeting.trainee_note = " ".join(note.split())
    validated(instance=meeting)
    meeting.save()
    return meeting


@transaction.atomic
def mentor_meeting_trainee_confirm(
    *, meeting: MentorMeeting, by: User, now: datetime | None = None
) -> MentorMeeting:
    """The trainee confirms the meeting took place. Confirming twice is
    refused with a message. Whether confirmed or not, the meeting counts
    towards the minimum as the mentor logged it."""
    meeting = _meeting_of_trainee(meeting=meeting, by=by)
    if meeting.trainee_confirmed_at is not None:
        raise MentoringRefused("You have already confirmed this meeting.")
    meeting.trainee_confirmed_at = now or timezone.now()
    validated(instance=meeting)
    meeting.save()
    return meeting
