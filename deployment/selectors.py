"""Every non-trivial read of deployment's records, scoped to the user's
programme, with the related rows each page needs loaded up front so that a
list costs the same number of queries however long it is.

Deployment's own pages are for HR (everything), programme leads (read, and
recruitment-day outcomes) and admins (read). Supervisors reach their own
supervisees' appointments through ``appointments_for_people``, which the
supervision app calls after limiting the people to the supervisor's own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from deployment.models import (
    Absence,
    Appointment,
    Candidate,
    Interview,
    LeavingReason,
    Panel,
    PanelMember,
    Post,
    PostConversion,
    PreEmploymentCheck,
    RecruitmentDay,
    ReserveEntry,
    RetentionSnapshot,
    Vacancy,
)
from deployment.models.posts import PEER_ROLES
from deployment.retention import RetentionRow, Spell, SurvivalCurve, first_spell, survival_curve
from peerprog.core.access import (
    can_read_adjustment_notes,
    can_read_sensitive,
    get_in_programme_or_404,
    require_role,
    scoped,
)
from peerprog.core.models import Letter, Person, ReasonableAdjustment, Role, Service, User
from recruitment.models import Cohort
from training.models import Enrolment
from training.selectors import eligible_from as _training_eligible_from
from training.selectors import eligible_people as _training_eligible_people
from training.selectors import is_eligible_for_posts as _training_is_eligible

READERS = (Role.HR, Role.PROGRAMME_LEAD, Role.ADMIN)
WRITERS = (Role.HR,)
OUTCOME_RECORDERS = (Role.HR, Role.PROGRAMME_LEAD)


# Eligibility -------------------------------------------------------------


def candidate_eligibility(person: Person, *, on: date | None = None) -> tuple[bool, str]:
    """Whether the person may be a candidate for a paid peer post on ``on``
    (today), and if not, why, in words HR can act on.

    Only people whose training enrolment passed are eligible, from the date
    of the pass. Training decides that (``training.selectors``); this is the
    one place deployment asks. The reason names the state of the person's
    course, never a health-related reason for leaving it.
    """
    on = on or timezone.localdate()
    if _training_is_eligible(person, on=on):
        return True, ""
    name = person.display_name
    passed_from = _training_eligible_from(person)
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


def eligible_people(*, user: User) -> QuerySet[Person]:
    """People of the user's programme who may be put forward for posts."""
    require_role(user, *WRITERS)
    if user.programme is None:
        return Person.objects.none()
    return _training_eligible_people(user.programme).order_by("last_name", "first_name", "pk")


# Posts --------------------------------------------------------------------

_active_appointments = Prefetch(
    "appointments",
    queryset=Appointment.objects.filter(status__in=Appointment.ACTIVE).select_related("person"),
    to_attr="active_appointments",
)


def post_list(*, user: User) -> QuerySet[Post]:
    """The establishment, with who holds each post and what it was converted
    from or to. Filter it with ``deployment.filters.PostFilter``."""
    require_role(user, *READERS)
    return (
        scoped(Post.objects.all(), user)
        .select_related("service", "converted_from", "converted_to")
        .prefetch_related(_active_appointments)
        .order_by("service__name", "position_number", "pk")
    )


def get_post_for_user(*, user: User, pk: Any) -> Post:
    require_role(user, *READERS)
    queryset = Post.objects.select_related(
        "service", "converted_from", "converted_to"
    ).prefetch_related(_active_appointments)
    return get_in_programme_or_404(queryset, user, pk)


def posts_for_user(*, user: User, pks: Iterable[Any]) -> list[Post]:
    """The posts among ``pks`` in the user's programme (others are ignored)."""
    require_role(user, *READERS)
    clean = [int(pk) for pk in pks if str(pk).isdigit()]
    return list(scoped(Post.objects.select_related("service"), user).filter(pk__in=clean))


def post_conversions(*, post: Post) -> list[PostConversion]:
    """Every conversion of this post, or that created it, newest first."""
    return list(
        PostConversion.objects.filter(Q(original=post) | Q(new_post=post))
        .select_related("converted_by", "undone_by", "original", "new_post")
        .order_by("-converted_at", "-pk")
    )


def post_appointments(*, post: Post) -> list[Appointment]:
    return list(
        post.appointments.select_related("person").order_by("-created_at", "-pk")  # type: ignore[attr-defined]
    )


def post_vacancies(*, post: Post) -> list[Vacancy]:
    return list(post.vacancies.order_by("-opened_on", "-pk"))  # type: ignore[attr-defined]


def get_conversion_for_user(*, user: User, pk: Any) -> PostConversion:
    require_role(user, *READERS)
    return get_in_programme_or_404(
        PostConversion.objects.select_related("original__service", "new_post", "converted_by"),
        user,
        pk,
    )


def vacant_peer_posts(*, user: User) -> QuerySet[Post]:
    require_role(user, *READERS)
    return (
        scoped(Post.objects.select_related("service"), user)
        .filter(role__in=PEER_ROLES, status=Post.Status.VACANT)
        .order_by("service__name", "position_number")
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
        .select_related("person", "created_by")
        .order_by("status", "-created_at", "-pk")
    )


def get_letter_for_user(*, user: User, pk: Any) -> Letter:
    require_role(user, *READERS)
    return get_in_programme_or_404(
        Letter.objects.filter(kind__startswith="deployment.").select_related(
            "person", "created_by"
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


def get_reserve_entry_for_user(*, user: User, pk: Any) -> ReserveEntry:
    require_role(user, *READERS)
    return get_in_programme_or_404(ReserveEntry.objects.select_related("person"), user, pk)


# Appointments -------------------------------------------------------------


def _outstanding_checks() -> Any:
    return Count("checks", filter=~Q(checks__status=PreEmploymentCheck.Status.CLEARED))


def appointment_list(*, user: User, status: str = "active") -> QuerySet[Appointment]:
    require_role(user, *READERS)
    appointments = (
        scoped(Appointment.objects.all(), user)
        .select_related("person", "post__service", "line_manager")
        .annotate(outstanding_checks=_outstanding_checks())
        .annotate(
            absent_now=Exists(
                Absence.objects.filter(
                    appointment=OuterRef("pk"), starts_on__lte=timezone.localdate()
                ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()))
            )
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )
    if status == "active":
        appointments = appointments.filter(status__in=Appointment.ACTIVE)
    elif status in Appointment.Status.values:
        appointments = appointments.filter(status=status)
    return appointments


def get_appointment_for_user(*, user: User, pk: Any) -> Appointment:
    """An appointment with its checks and absences. The health category of
    sickness absences is loaded only for HR and programme leads."""
    require_role(user, *READERS)
    absences = Absence.objects.select_related("cover_reserve__person", "recorded_by")
    if can_read_sensitive(user):
        absences = absences.select_related("health")
    queryset = Appointment.objects.select_related(
        "person",
        "post__service",
        "line_manager",
        "leaving_reason",
        "start_confirmed_by",
        "created_by",
        "transferred_from__post",
        "transferred_to__post",
        "interview__day",
        "reserve_entry",
    ).prefetch_related(
        Prefetch("checks", queryset=PreEmploymentCheck.objects.order_by("kind")),
        Prefetch("absences", queryset=absences.order_by("-starts_on", "-pk")),
    )
    return get_in_programme_or_404(queryset, user, pk)


def get_check_for_user(*, user: User, pk: Any) -> PreEmploymentCheck:
    require_role(user, *READERS)
    return get_in_programme_or_404(
        PreEmploymentCheck.objects.select_related("appointment__person"),
        user,
        pk,
        "appointment__programme",
    )


def get_absence_for_user(*, user: User, pk: Any) -> Absence:
    require_role(user, *READERS)
    queryset = Absence.objects.select_related("appointment__person")
    if can_read_sensitive(user):
        queryset = queryset.select_related("health")
    return get_in_programme_or_404(queryset, user, pk, "appointment__programme")


@dataclass(frozen=True)
class TimelineEvent:
    on: date
    title: str
    detail: str = ""


def appointment_timeline(*, appointment: Appointment, user: User) -> list[TimelineEvent]:
    """The appointment's story, oldest first, from the records already
    loaded by ``get_appointment_for_user``. Health categories and
    health-related leaving reasons appear only for HR and leads."""
    sensitive = can_read_sensitive(user)
    events: list[TimelineEvent] = []
    if appointment.transferred_from_id:
        events.append(
            TimelineEvent(
                appointment.start_date or appointment.created_at.date(),
                "Transferred in",
                f"From post {appointment.transferred_from.post.position_number}",
            )
        )
    else:
        via = "from the reserve list" if appointment.reserve_entry_id else "at the recruitment day"
        events.append(
            TimelineEvent(
                timezone.localtime(appointment.created_at).date(),
                "Offered the post",
                f"Offered {via} by {appointment.created_by}",
            )
        )
    for check in appointment.checks.all():
        if check.requested_on:
            events.append(
                TimelineEvent(check.requested_on, f"{check.get_kind_display()} requested")
            )
        if check.completed_on:
            events.append(
                TimelineEvent(
                    check.completed_on,
                    f"{check.get_kind_display()}: {check.get_status_display().lower()}",
                )
            )
    if appointment.start_date and appointment.status != Appointment.Status.OFFERED:
        detail = f"Confirmed by {appointment.start_confirmed_by or 'HR'}"
        if appointment.start_override_reason:
            detail += " with checks outstanding: " + appointment.start_override_reason
        events.append(TimelineEvent(appointment.start_date, "First day in post", detail))
    for label, on in appointment.induction_items:
        if on:
            events.append(TimelineEvent(on, label))
    for absence in appointment.absences.all():
        title = absence.get_kind_display()
        if sensitive and absence.kind == Absence.Kind.SICKNESS:
            health = getattr(absence, "health", None)
            if health is not None:
                title += f" ({health.get_category_display().lower()})"
        detail = absence.get_cover_display()
        if absence.cover_reserve_id:
            detail += f": {absence.cover_reserve.person.display_name}"
        events.append(TimelineEvent(absence.starts_on, f"Absence began: {title}", detail))
        if absence.ends_on:
            events.append(TimelineEvent(absence.ends_on, "Absence ended"))
    if appointment.ended_on:
        if appointment.status == Appointment.Status.TRANSFERRED:
            to = getattr(appointment, "transferred_to", None)
            detail = f"To post {to.post.position_number}" if to else ""
            events.append(TimelineEvent(appointment.ended_on, "Transferred out", detail))
        else:
            events.append(
                TimelineEvent(
                    appointment.ended_on,
                    "Left",
                    leaving_reason_label(appointment.leaving_reason, user),
                )
            )
    return sorted(events, key=lambda event: event.on)


def leaving_reason_label(reason: LeavingReason | None, user: User) -> str:
    """A leaving reason as this user may see it: health-related reasons are
    hidden from anyone but HR and programme leads."""
    if reason is None:
        return ""
    if reason.reveals_health and not can_read_sensitive(user):
        return "Reason not shown (special-category information)"
    return reason.label


def appointments_for_people(*, user: User, people: Iterable[Person | int]) -> list[Appointment]:
    """Current appointments of the given people, for the supervision app's
    supervisor pages.

    The caller has already limited ``people`` to the user's own supervisees;
    this keeps them to the user's programme. Nothing special-category is
    loaded: no absences' health categories, no leaving reasons.
    """
    ids = [person if isinstance(person, int) else person.pk for person in people]
    return list(
        scoped(Appointment.objects.all(), user)
        .filter(person_id__in=ids, status__in=Appointment.ACTIVE)
        .select_related("person", "post__service", "line_manager")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def line_managed_people(*, user: User, manager: User) -> QuerySet[Person]:
    """People whose active appointment names ``manager`` as line manager
    (so supervision can warn when a supervisor or mentor is also the line
    manager)."""
    return scoped(Person.objects.all(), user).filter(
        appointments__line_manager=manager, appointments__status__in=Appointment.ACTIVE
    )


def leaving_reason_list(*, user: User) -> QuerySet[LeavingReason]:
    require_role(user, *READERS)
    return scoped(LeavingReason.objects.all(), user).order_by("is_archived", "order", "label")


def get_leaving_reason_for_user(*, user: User, pk: Any) -> LeavingReason:
    require_role(user, *READERS)
    return get_in_programme_or_404(LeavingReason.objects.all(), user, pk)


# Retention ----------------------------------------------------------------


@dataclass
class CohortRetention:
    row: RetentionRow
    curve: SurvivalCurve


@dataclass
class RetentionReport:
    today: date
    overall: RetentionRow
    cohorts: list[CohortRetention] = field(default_factory=list)
    services: list[RetentionRow] = field(default_factory=list)


def _cohorts_of(person_ids: set[int]) -> dict[int, tuple[int, str, date]]:
    """Each person's training cohort (id, name, start): the cohort of the
    enrolment that passed, the first if there were several."""
    cohorts: dict[int, tuple[int, str, date]] = {}
    rows = (
        Enrolment.objects.filter(person_id__in=person_ids, status=Enrolment.Status.COMPLETED)
        .order_by("-passed_on", "-pk")
        .values_list("person_id", "cohort_id", "cohort__name", "cohort__training_start")
    )
    for person_id, cohort_id, name, start in rows:
        cohorts[person_id] = (cohort_id, name, start)
    return cohorts


def retention_report(*, user: User, today: date | None = None) -> RetentionReport:
    """Retention per cohort and per service, counted per person from their
    first day in a peer post (see ``deployment.retention`` for the rules).

    A person counts under the service where they started. Two queries
    however many appointments there are.
    """
    require_role(user, *READERS)
    today = today or timezone.localdate()
    rows = (
        scoped(Appointment.objects.all(), user)
        .filter(
            status__in=[
                Appointment.Status.IN_POST,
                Appointment.Status.LEFT,
                Appointment.Status.TRANSFERRED,
            ],
            start_date__isnull=False,
        )
        .order_by("start_date", "pk")
        .values_list("person_id", "start_date", "ended_on", "post__service__name")
    )
    periods: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    first_service: dict[int, str] = {}
    for person_id, start, end, service_name in rows:
        periods[person_id].append((start, end))
        first_service.setdefault(person_id, service_name)
    spells: dict[int, Spell] = {}
    for person_id, person_periods in periods.items():
        spell = first_spell(person_periods)
        # Someone whose first day is still to come is not counted yet.
        if spell is not None and spell.first_day <= today:
            spells[person_id] = spell

    cohorts = _cohorts_of(set(spells))
    report = RetentionReport(today=today, overall=RetentionRow("All peer workers"))
    by_cohort: dict[tuple[date, int, str], list[Spell]] = defaultdict(list)
    by_service: dict[str, RetentionRow] = {}
    for person_id, spell in spells.items():
        report.overall.add(spell, today)
        cohort_id, cohort_name, cohort_start = cohorts.get(
            person_id, (0, "No training cohort on record", date.max)
        )
        by_cohort[(cohort_start, cohort_id, cohort_name)].append(spell)
        service = first_service[person_id]
        by_service.setdefault(service, RetentionRow(service)).add(spell, today)
    for (_, _, name), cohort_spells in sorted(by_cohort.items()):
        row = RetentionRow(name)
        for spell in cohort_spells:
            row.add(spell, today)
        report.cohorts.append(CohortRetention(row=row, curve=survival_curve(cohort_spells, today)))
    report.services = [by_service[name] for name in sorted(by_service)]
    return report


# The monthly trend, from the retention snapshots ---------------------------

TREND_FIGURES = ("appointed", "in_post", "starters", "leavers", "absence_days")
TREND_MONTHS = 24


@dataclass(frozen=True)
class TrendMonth:
    """One month's figures from its snapshots, summed over the cohort and
    service chosen (or all of them)."""

    month: date
    appointed: int
    in_post: int
    starters: int
    leavers: int
    absence_days: int


def retention_trend(
    *,
    user: User,
    cohort: Cohort | None = None,
    service: Service | None = None,
    months: int = TREND_MONTHS,
) -> list[TrendMonth]:
    """The last ``months`` months with a retention snapshot, oldest first,
    for the programme or one cohort or service of it.

    A month that has snapshots for the programme but none for the chosen
    cohort or service counts zero (nobody of theirs had started). One query,
    however many months and snapshots there are.
    """
    require_role(user, *READERS)
    chosen = Q()
    if cohort is not None:
        chosen &= Q(cohort=cohort)
    if service is not None:
        chosen &= Q(service=service)
    figures = {
        name: Coalesce(Sum(name, filter=chosen if chosen else None), 0) for name in TREND_FIGURES
    }
    rows = (
        scoped(RetentionSnapshot.objects.all(), user)
        .values("month")
        .annotate(**figures)
        .order_by("-month")[:months]
    )
    return [TrendMonth(**row) for row in reversed(list(rows))]
