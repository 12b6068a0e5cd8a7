"""Reads for mentoring, each scoped to the user: leads see their programme,
a mentor only the trainees they mentor now. Anything outside that scope is a
404, so a guessed address reveals nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from deployment.selectors import line_managed_people
from peerprog.core.access import get_in_programme_or_404, has_role, require_role, scoped
from peerprog.core.models import Role, User
from recruitment.models import Cohort
from supervision.models import (
    DEFAULT_MINIMUM_MEETINGS,
    CohortMentoring,
    MentorAssignment,
    MentorMeeting,
    MentorProfile,
)
from supervision.selectors.compliance import (
    MentoringState,
    mentoring_annotations,
    mentoring_state,
    with_mentoring,
)
from training.models import Enrolment
from training.selectors import (
    TraineeProgress,
    progress_for_enrolments,
)

LEAD = Role.PROGRAMME_LEAD
MENTOR = Role.MENTOR

_ACTIVE_LOAD = Count("mentor_assignments", filter=Q(mentor_assignments__ended_on__isnull=True))


def is_lead(*, user: User) -> bool:
    return has_role(user, LEAD)


# Mentors, for the lead


def mentors_in_programme(*, user: User) -> QuerySet[User]:
    """Staff of the programme who hold the Mentor role, with their profile
    and how many trainees each mentors now, in one query."""
    require_role(user, LEAD)
    return (
        scoped(User.objects.filter(groups__name=MENTOR, is_system=False), user)
        .select_related("mentor_profile", "mentor_profile__service")
        .annotate(load=_ACTIVE_LOAD)
        .order_by("-is_active", "full_name", "pk")
    )


def mentor_for_lead(*, user: User, pk: Any) -> User:
    require_role(user, LEAD)
    queryset = User.objects.filter(groups__name=MENTOR, is_system=False).select_related(
        "mentor_profile"
    )
    return get_in_programme_or_404(queryset, user, pk)


def profile_of(*, mentor: User) -> MentorProfile | None:
    try:
        return mentor.mentor_profile
    except MentorProfile.DoesNotExist:
        return None


def mentor_choices(*, user: User) -> list[User]:
    """Mentors a lead may pick for a trainee: signed-in-able staff with the
    Mentor role, each with ``load`` (trainees now)."""
    return list(mentors_in_programme(user=user).filter(is_active=True))


def active_load(*, mentor: User) -> int:
    load = getattr(mentor, "load", None)
    if load is None:
        load = MentorAssignment.objects.filter(mentor=mentor, ended_on__isnull=True).count()
    return load


def assignment_warnings(*, mentor: User, enrolment: Enrolment) -> list[str]:
    """What the lead should know before giving this trainee this mentor.
    Warnings do not forbid; the lead reads them and decides."""
    name = mentor.full_name
    warnings: list[str] = []
    profile = profile_of(mentor=mentor)
    load = active_load(mentor=mentor)
    capacity = profile.capacity if profile else 1
    if profile is None:
        warnings.append(
            f"{name} has no mentor profile yet: their background and preparatory "
            "training are not recorded."
        )
    else:
        if not profile.is_active:
            warnings.append(f"{name} is marked as not taking trainees at the moment.")
        if profile.preparatory_training_on is None:
            warnings.append(f"{name} has not attended the preparatory training for mentors.")
    if load >= capacity:
        warnings.append(
            f"{name} already mentors {load} trainee{'s' if load != 1 else ''} and can take "
            f"{capacity}: this would put them over capacity."
        )
    warnings.extend(_line_manager_warnings(mentor=mentor, enrolment=enrolment))
    return warnings


def _line_manager_warnings(*, mentor: User, enrolment: Enrolment) -> list[str]:
    """A mentor who line-manages the person (where deployment records a line
    manager) is warned about: mentoring is not line management."""
    people = line_managed_people(user=mentor, manager=mentor)
    if people.filter(pk=enrolment.person_id).exists():
        return [f"{mentor.full_name} is {enrolment.person.display_name}'s line manager."]
    return []


# Cohorts and trainees


def cohort_for_lead(*, user: User, pk: Any) -> Cohort:
    require_role(user, LEAD)
    return get_in_programme_or_404(Cohort.objects.select_related("mentoring"), user, pk)


def minimum_meetings(*, cohort: Cohort) -> int:
    try:
        return cohort.mentoring.minimum_meetings
    except CohortMentoring.DoesNotExist:
        return DEFAULT_MINIMUM_MEETINGS


# The mentor's own page


@dataclass(frozen=True)
class CardProgress:
    """What the mentor's cards show of a mentee's course: the attendance
    rate and where the portfolio is, in training's words."""

    attendance_rate: int | None
    portfolio_state_label: str


@dataclass
class MenteeCard:
    assignment: MentorAssignment
    enrolment: Enrolment
    progress: TraineeProgress | CardProgress | None
    mentoring: MentoringState
    last_contact_on: date | None
    next_meeting_on: date | None


def my_mentees(*, user: User, today: date | None = None) -> list[MenteeCard]:
    """The trainees this mentor mentors now, with their attendance and where
    their portfolio is (training's own reading: no files, no feedback) and
    their mentoring state. Two queries, whatever the number of mentees."""
    require_role(user, MENTOR)
    today = today or timezone.localdate()
    assignments = list(
        MentorAssignment.objects.filter(
            mentor=user,
            ended_on__isnull=True,
            enrolment__cohort__programme_id=user.programme_id,
        )
        .select_related("enrolment__person", "enrolment__cohort")
        .annotate(**mentoring_annotations(enrolment_ref="enrolment_id"))
        .order_by("enrolment__person__last_name", "enrolment__person__first_name", "pk")
    )
    progress = (
        progress_for_enrolments(enrolment_ids=(a.enrolment_id for a in assignments))
        if assignments
        else {}
    )
    return [
        MenteeCard(
            assignment=a,
            enrolment=a.enrolment,
            progress=progress.get(a.enrolment_id),
            mentoring=mentoring_state(
                annotated=a, cohort=a.enrolment.cohort, status=a.enrolment.status, today=today
            ),
            last_contact_on=a.last_contact_on,
            next_meeting_on=a.next_meeting_on,
        )
        for a in assignments
    ]


def mentee_for_user(*, user: User, pk: Any) -> Enrolment:
    """A trainee's enrolment for their mentoring page: any of the programme
    for a lead; for a mentor only a trainee they mentor now."""
    require_role(user, LEAD, MENTOR)
    queryset = Enrolment.objects.select_related("person", "cohort", "cohort__mentoring")
    if not is_lead(user=user):
        queryset = queryset.filter(
            mentor_assignments__mentor=user, mentor_assignments__ended_on__isnull=True
        )
    return get_in_programme_or_404(queryset, user, pk, field="cohort__programme")


def enrolment_for_lead(*, user: User, pk: Any) -> Enrolment:
    require_role(user, LEAD)
    return get_in_programme_or_404(
        Enrolment.objects.select_related("person", "cohort"), user, pk, field="cohort__programme"
    )


def active_assignment(*, enrolment: Enrolment) -> MentorAssignment | None:
    return (
        MentorAssignment.objects.select_related("mentor")
        .filter(enrolment=enrolment, ended_on__isnull=True)
        .first()
    )


def assignment_history(*, enrolment: Enrolment) -> list[MentorAssignment]:
    return list(
        MentorAssignment.objects.filter(enrolment=enrolment)
        .select_related("mentor", "assigned_by")
        .order_by("-started_on", "-pk")
    )


def assignment_for_lead(*, user: User, pk: Any) -> MentorAssignment:
    require_role(user, LEAD)
    return get_in_programme_or_404(
        MentorAssignment.objects.select_related("enrolment__person", "enrolment__cohort", "mentor"),
        user,
        pk,
        field="enrolment__cohort__programme",
    )


@dataclass
class MenteePage:
    enrolment: Enrolment
    assignment: MentorAssignment | None
    progress: TraineeProgress | None
    mentoring: MentoringState
    meetings: list[MentorMeeting]
    history: list[MentorAssignment]


def mentee_page(*, user: User, enrolment: Enrolment, today: date | None = None) -> MenteePage:
    """Everything the mentoring page of one trainee shows. Notes are read
    only by the lead and by the mentor who wrote them: a mentor never sees
    the notes of the trainee's earlier mentor."""
    today = today or timezone.localdate()
    annotated = with_mentoring(enrolments=Enrolment.objects.filter(pk=enrolment.pk)).get()
    meetings = list(
        MentorMeeting.objects.filter(assignment__enrolment=enrolment)
        .select_related("assignment__mentor")
        .order_by("-held_on", "-pk")
    )
    lead = is_lead(user=user)
    for meeting in meetings:
        meeting.notes_visible = lead or meeting.assignment.mentor_id == user.pk
        meeting.editable = meeting.assignment.mentor_id == user.pk and meeting.assignment.is_active
    return MenteePage(
        enrolment=enrolment,
        assignment=active_assignment(enrolment=enrolment),
        progress=progress_for_enrolments(enrolment_ids=[enrolment.pk]).get(enrolment.pk),
        mentoring=mentoring_state(
            annotated=annotated, cohort=enrolment.cohort, status=enrolment.status, today=today
        ),
        meetings=meetings,
        history=assignment_history(enrolment=enrolment) if lead else [],
    )


def meeting_for_mentor(*, user: User, pk: Any) -> MentorMeeting:
    """A meeting the signed-in mentor logged, while they still mentor the
    trainee; 404 for anyone else's."""
    require_role(user, MENTOR)
    try:
        return MentorMeeting.objects.select_related(
            "assignment__enrolment__person", "assignment__enrolment__cohort"
        ).get(
            pk=pk,
            assignment__mentor=user,
            assignment__ended_on__isnull=True,
            assignment__enrolment__cohort__programme_id=user.programme_id,
        )
    except (MentorMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No such meeting among your mentees.") from None
