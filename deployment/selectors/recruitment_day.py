"""Who may be a candidate for paid posts, vacancies and their candidates,
the recruitment day with its panels and interviews, the letters that follow
it, and the reserve list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from deployment.models import (
    Candidate,
    Interview,
    Panel,
    PanelMember,
    RecruitmentDay,
    ReserveEntry,
    Vacancy,
)
from deployment.selectors.common import READERS, WRITERS
from peerprog.core.access import (
    can_read_adjustment_notes,
    get_in_programme_or_404,
    require_role,
    scoped,
)
from peerprog.core.models import Letter, Person, ReasonableAdjustment, User
from training.models import Enrolment
from training.selectors import eligible_from as _training_eligible_from
from training.selectors import eligible_people as _training_eligible_people
from training.selectors import is_eligible_for_posts as _training_is_eligible

# Eligibility -------------------------------------------------------------


def candidate_eligibility(*, person: Person, on: date | None = None) -> tuple[bool, str]:
    """Whether the person may be a candidate for a paid peer post on ``on``
    (today), and if not, why, in words HR can act on.

    Only people whose training enrolment passed are eligible, from the date
    of the pass. Training decides that (``training.selectors``); this is the
    one place deployment asks. The reason names the state of the person's
    course, never a health-related reason for leaving it.
    """
    on = on or timezone.localdate()
    if _training_is_eligible(person=person, on=on):
        return True, ""
    name = person.display_name
    passed_from = _training_eligible_from(person=person)
    if passed_from is not None and passed_from > on:
        return False, (
            f"{name} passed the training course on {passed_from:%-d %B %Y} and can be a "
            "candidate for paid posts from that day."
        )
    states = set(Enrolment.objects.filter(person=person).values_list("status", flat=True))
    if Enrolment.Status.REFERRED in states:
        why = "their portfolio was referred and the resubmission has not passed yet"
    elif Enrolment.Status.ACTIVE in states:
        why = "they are still on the training course"
    elif Enrolment.Status.NOT_COMPLETED in states:
        why = "they did not complete the training course"
    else:
        why = "they have not been on the training course"
    return False, (
        f"{name} cannot be a candidate for paid peer worker posts: {why}. Only people whose "
        "portfolio passed are eligible, from the date of the pass."
    )


def eligible_from(*, person: Person) -> date | None:
    """The first day the person could take a paid peer post: the day their
    portfolio passed, or ``None`` when it has not."""
    return _training_eligible_from(person=person)


def eligible_people(*, user: User) -> QuerySet[Person]:
    """People of the user's programme who may be put forward for posts."""
    require_role(user, *WRITERS)
    if user.programme is None:
        return Person.objects.none()
    return _training_eligible_people(programme=user.programme).order_by(
        "last_name", "first_name", "pk"
    )


# Vacancies ----------------------------------------------------------------


def vacancy_list(*, user: User, status: str = "") -> QuerySet[Vacancy]:
    require_role(user, *READERS)
    vacancies = (
        scoped(Vacancy.objects.all(), user)
        .select_related("post__service")
        .annotate(candidate_count=Count("candidates"))
        .order_by("status", "closing_date", "pk")
    )
    if status in Vacancy.Status.values:
        vacancies = vacancies.filter(status=status)
    return vacancies


def get_vacancy_for_user(*, user: User, pk: Any) -> Vacancy:
    require_role(user, *READERS)
    queryset = Vacancy.objects.select_related("post__service", "created_by").prefetch_related(
        Prefetch(
            "candidates",
            queryset=Candidate.objects.select_related("person", "interview__day").order_by(
                "person__last_name", "person__first_name", "pk"
            ),
        )
    )
    return get_in_programme_or_404(queryset, user, pk)


def candidate_choices(*, user: User, vacancy: Vacancy) -> tuple[list[Person], list[Person]]:
    """People who could be put forward for the vacancy: those who passed
    the training course first, then everyone else in the programme (whom
    the service refuses, with the reason). Existing candidates are left out."""
    require_role(user, *WRITERS)
    already = set(vacancy.candidates.values_list("person_id", flat=True))
    eligible = [person for person in eligible_people(user=user) if person.pk not in already]
    skip = already | {person.pk for person in eligible}
    others = list(
        scoped(Person.objects.exclude(pk__in=skip), user)
        .only("pk", "first_name", "last_name", "preferred_name")
        .order_by("last_name", "first_name", "pk")
    )
    return eligible, others


def get_candidate_for_user(*, user: User, pk: Any) -> Candidate:
    require_role(user, *READERS)
    return get_in_programme_or_404(
        Candidate.objects.select_related("person", "vacancy"), user, pk, "vacancy__programme"
    )


# The recruitment day ------------------------------------------------------


def recruitment_day_list(*, user: User) -> QuerySet[RecruitmentDay]:
    require_role(user, *READERS)
    return (
        scoped(RecruitmentDay.objects.all(), user)
        .annotate(
            interview_count=Count("interviews", distinct=True),
            panel_count=Count("panels", distinct=True),
            decided_count=Count(
                "interviews", filter=~Q(interviews__outcome="pending"), distinct=True
            ),
        )
        .order_by("-date", "pk")
    )


def get_recruitment_day_for_user(*, user: User, pk: Any) -> RecruitmentDay:
    """A recruitment day with its panels and interviews. Organisers (HR and
    leads) get each candidate's adjustments' practical notes, never the
    requests behind them."""
    require_role(user, *READERS)
    person_prefetches: list[Any] = []
    if can_read_adjustment_notes(user):
        person_prefetches.append(
            Prefetch(
                "candidate__person__adjustments",
                queryset=ReasonableAdjustment.objects.filter(is_active=True)
                .only("pk", "person_id", "practical_note", "kind", "is_active")
                .order_by("pk"),
                to_attr="active_adjustments",
            )
        )
    queryset = RecruitmentDay.objects.select_related("created_by").prefetch_related(
        Prefetch(
            "panels",
            queryset=Panel.objects.prefetch_related(
                Prefetch("members", queryset=PanelMember.objects.select_related("service"))
            ),
        ),
        Prefetch(
            "interviews",
            queryset=Interview.objects.select_related(
                "panel",
                "candidate__person",
                "candidate__vacancy__post__service",
                "decided_by",
                "appointment",
                "reserve_entry",
            ).prefetch_related(*person_prefetches),
        ),
    )
    return get_in_programme_or_404(queryset, user, pk)


def schedulable_candidates(*, user: User) -> QuerySet[Candidate]:
    """Shortlisted candidates without an interview slot yet."""
    require_role(user, *READERS)
    return (
        scoped(Candidate.objects.all(), user, "vacancy__programme")
        .filter(status=Candidate.Status.SHORTLISTED, interview__isnull=True)
        .select_related("person", "vacancy__post")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def panels_of_day(*, day: RecruitmentDay) -> QuerySet[Panel]:
    return Panel.objects.filter(day=day).order_by("name", "pk")


def get_panel_for_user(*, user: User, pk: Any) -> Panel:
    require_role(user, *READERS)
    return get_in_programme_or_404(Panel.objects.select_related("day"), user, pk, "day__programme")


def get_interview_for_user(*, user: User, pk: Any) -> Interview:
    require_role(user, *READERS)
    return get_in_programme_or_404(
        Interview.objects.select_related("day", "candidate__person", "candidate__vacancy__post"),
        user,
        pk,
        "day__programme",
    )


def letters_for_interviews(*, interviews: Iterable[Interview]) -> dict[int, Letter]:
    """The outcome letter issued for each interview, in one query."""
    keys = {
        f"deployment.interview:{interview.pk}:{kind}": interview.pk
        for interview in interviews
        for kind in ("deployment.appoint", "deployment.reserve", "deployment.not_appointed")
    }
    if not keys:
        return {}
    return {
        keys[letter.key]: letter
        for letter in Letter.objects.filter(key__in=list(keys)).order_by("created_at")
    }


def letters_to_post(*, user: User) -> QuerySet[Letter]:
    require_role(user, *READERS)
    return (
        scoped(Letter.objects.filter(kind__startswith="deployment."), user)
        .select_related("person", "created_by", "email")
        .order_by("status", "-created_at", "-pk")
    )


def get_letter_for_user(*, user: User, pk: Any) -> Letter:
    require_role(user, *READERS)
    return get_in_programme_or_404(
        Letter.objects.filter(kind__startswith="deployment.").select_related(
            "person", "created_by", "email"
        ),
        user,
        pk,
    )


# The reserve list ---------------------------------------------------------


def reserve_list(*, user: User, include_past: bool = False) -> QuerySet[ReserveEntry]:
    require_role(user, *READERS)
    entries = (
        scoped(ReserveEntry.objects.all(), user)
        .select_related(
            "person", "interview__day", "interview__candidate__vacancy__post", "appointment"
        )
        .annotate(cover_count=Count("covered_absences"))
        .order_by("status", "stands_until", "pk")
    )
    if not include_past:
        entries = entries.filter(
            status=ReserveEntry.Status.STANDING, stands_until__gte=timezone.localdate()
        )
    return entries


def standing_reserves(*, user: User, on: date | None = None) -> QuerySet[ReserveEntry]:
    require_role(user, *READERS)
    day = on or timezone.localdate()
    return (
        scoped(ReserveEntry.objects.select_related("person"), user)
        .filter(status=ReserveEntry.Status.STANDING, placed_on__lte=day, stands_until__gte=day)
        .order_by("person__last_name", "person__first_name", "pk")
    )


def cover_reserves(*, user: User) -> QuerySet[ReserveEntry]:
    """Reserves who may be named as cover: every entry not ended by an
    appointment or removal, whatever its period, since cover for an absence in
    the past may name an entry that has lapsed since (the save checks the entry
    stood on the absence's first day)."""
    require_role(user, *READERS)
    return (
        scoped(ReserveEntry.objects.select_related("person"), user)
        .filter(status=ReserveEntry.Status.STANDING)
        .order_by("person__last_name", "person__first_name", "-stands_until", "pk")
    )


def get_reserve_entry_for_user(*, user: User, pk: Any) -> ReserveEntry:
    require_role(user, *READERS)
    return get_in_programme_or_404(ReserveEntry.objects.select_related("person"), user, pk)
