"""Reads behind training's pages, each scoped to the user's programme and,
for assessors, to the portfolios given to them. Objects outside the scope
are 404s, so a guessed address reveals nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from peerprog.core.access import (
    get_in_programme_or_404,
    has_role,
    require_role,
    scoped,
)
from peerprog.core.models import Role, User
from recruitment.models import Cohort
from training.models import (
    Assessment,
    Attendance,
    CohortTraining,
    CourseSession,
    Enrolment,
    NonCompletionReason,
    PortfolioDraft,
    PortfolioSubmission,
    Rubric,
    RubricCriterion,
    Tutorial,
)
from training.selectors.common import can_read_health_reasons
from training.selectors.progress import (
    AT_RISK_RULES,
    at_risk_columns,
    attach_attendance,
    with_progress,
)
from training.selectors.timeline import enrolment_timeline

LEAD = Role.PROGRAMME_LEAD
COURSE_STAFF = (Role.PROGRAMME_LEAD, Role.FACILITATOR)
COHORT_READERS = (Role.PROGRAMME_LEAD, Role.FACILITATOR, Role.ADMIN)
OUTCOME_READERS = (Role.PROGRAMME_LEAD, Role.HR, Role.ADMIN)
Category = NonCompletionReason.Category
HEALTH_OR_PERSONAL = "Left: health issues or personal factors"
# Each reporting category's label, looked up by value.
_CATEGORY_LABELS = dict(Category.choices)


def reason_label(*, enrolment: Enrolment, user: User) -> str:
    reason = enrolment.non_completion_reason
    if reason is None:
        return ""
    if reason.reveals_health and not can_read_health_reasons(user=user):
        return "Left the programme (reason seen by leads and HR only)"
    return reason.label


def category_label(*, category: str, user: User) -> str:
    if category in NonCompletionReason.HEALTH_CATEGORIES and not can_read_health_reasons(user=user):
        return HEALTH_OR_PERSONAL
    return _CATEGORY_LABELS.get(category, category)


# Cohorts, sessions and trainees


def cohort_list(*, user: User) -> QuerySet[Cohort]:
    """The programme's cohorts with their training outcomes, in one query."""
    require_role(user, LEAD, Role.HR, Role.FACILITATOR, Role.ADMIN)
    status = "enrolments__status"
    category = "enrolments__non_completion_reason__category"
    return (
        scoped(Cohort.objects.all(), user)
        .select_related("training")
        .annotate(
            trainees=Count("enrolments"),
            active=Count("enrolments", filter=Q(**{f"{status}__in": Enrolment.OPEN})),
            completed=Count("enrolments", filter=Q(**{status: Enrolment.Status.COMPLETED})),
            not_completed=Count("enrolments", filter=Q(**{status: Enrolment.Status.NOT_COMPLETED})),
            portfolio_not_completed=Count(
                "enrolments",
                filter=Q(**{f"{category}__in": NonCompletionReason.PORTFOLIO_CATEGORIES}),
            ),
            left=Count(
                "enrolments",
                filter=Q(**{status: Enrolment.Status.NOT_COMPLETED})
                & ~Q(**{f"{category}__in": NonCompletionReason.PORTFOLIO_CATEGORIES}),
            ),
        )
        .order_by("training_start", "name")
    )


def non_completion_breakdown(
    *, user: User, cohorts: Iterable[Cohort] | None = None, cohort: Cohort | None = None
) -> list[tuple[str, int]]:
    """Non-completions by the study's reporting category, in one query.

    For readers who may not see health-related reasons, health issues and
    personal factors are counted together, as the study itself reports them.
    """
    queryset = scoped(Enrolment.objects.all(), user, "cohort__programme").filter(
        status=Enrolment.Status.NOT_COMPLETED
    )
    if cohort is not None:
        queryset = queryset.filter(cohort=cohort)
    elif cohorts is not None:
        queryset = queryset.filter(cohort__in=[c.pk for c in cohorts])
    rows = (
        queryset.values("non_completion_reason__category")
        .annotate(n=Count("pk"))
        .order_by("non_completion_reason__category")
    )
    totals: dict[str, int] = {}
    for row in rows:
        label = category_label(category=row["non_completion_reason__category"], user=user)
        totals[label] = totals.get(label, 0) + row["n"]
    order = [category_label(category=c, user=user) for c in Category.values]
    return sorted(totals.items(), key=lambda item: order.index(item[0]))


def cohort_for_user(*, user: User, pk: Any, roles: tuple[str, ...] = COHORT_READERS) -> Cohort:
    require_role(user, *roles)
    return get_in_programme_or_404(Cohort.objects.select_related("programme"), user, pk)


def cohort_training_for(*, cohort: Cohort) -> CohortTraining:
    """The cohort's training settings. A cohort whose settings were never
    saved gets the defaults they would be created with, unsaved: opening a
    page writes nothing. They are created by the first write that needs
    them (the settings form, an enrolment). Settings read with the cohort
    (``cohort_with_training``) are not read again."""
    if Cohort.training.is_cached(cohort):
        training = Cohort.training.related.get_cached_value(cohort)
    else:
        training = (
            CohortTraining.objects.select_related("facilitator", "second_assessor", "rubric")
            .filter(cohort=cohort)
            .first()
        )
    if training is not None:
        return training
    draft_due, final_due = CohortTraining.default_dates(cohort)
    rubric = Rubric.objects.filter(programme_id=cohort.programme_id).order_by("is_archived", "pk")
    return CohortTraining(
        cohort=cohort, draft_due=draft_due, final_due=final_due, rubric=rubric.first()
    )


def cohort_sessions(*, cohort: Cohort) -> QuerySet[CourseSession]:
    return (
        CourseSession.objects.filter(cohort=cohort)
        .select_related("facilitator")
        .prefetch_related("co_facilitators")
        .annotate(marked=Count("register"))
        .order_by("date", "starts_at", "pk")
    )


def session_for_user(*, user: User, pk: Any, roles: tuple[str, ...] = (LEAD,)) -> CourseSession:
    require_role(user, *roles)
    return get_in_programme_or_404(
        CourseSession.objects.select_related("cohort", "facilitator"),
        user,
        pk,
        field="cohort__programme",
    )


def register_enrolments(*, session: CourseSession) -> list[Enrolment]:
    """The trainees who belong on a session's register: everyone whose course
    was open on the day, and anyone already marked."""
    return list(
        Enrolment.objects.filter(cohort_id=session.cohort_id)
        .filter(
            Q(status__in=Enrolment.OPEN)
            | Q(status=Enrolment.Status.COMPLETED)
            | Q(ended_on__gte=session.date)
            | Q(pk__in=Attendance.objects.filter(session=session).values("enrolment_id"))
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def enrolment_for_user(*, user: User, pk: Any, roles: tuple[str, ...] = COURSE_STAFF) -> Enrolment:
    require_role(user, *roles)
    return get_in_programme_or_404(
        Enrolment.objects.select_related(
            "person", "cohort", "non_completion_reason", "cohort__training"
        ),
        user,
        pk,
        field="cohort__programme",
    )


# The trainee page


def visible_assessments(*, user: User, submission: PortfolioSubmission) -> list[Assessment]:
    """The assessments of a submission this user may see.

    Until both assessors have marked, each sees only their own and nobody
    else sees any, leads included. Afterwards the leads and the two
    assessors see both. Uses ``submission.assessments.all()`` (prefetched).
    """
    assessments = list(submission.assessments.all())
    if assessments and all(a.is_marked for a in assessments):
        assessor_ids = {a.assessor_id for a in assessments}
        if has_role(user, LEAD) or user.pk in assessor_ids:
            return assessments
    return [a for a in assessments if a.assessor_id == user.pk]


@dataclass
class SubmissionView:
    submission: PortfolioSubmission
    assessments: list[Assessment]
    marks_in: int
    assessor_names: list[str] = field(default_factory=list)


def trainee_page(*, user: User, enrolment: Enrolment) -> dict[str, Any]:
    """Everything about one trainee's course, in a fixed number of queries."""
    progress = with_progress(enrolments=Enrolment.objects.filter(pk=enrolment.pk)).get()
    drafts = list(
        PortfolioDraft.objects.filter(enrolment=enrolment)
        .select_related("recorded_by", "feedback_by")
        .order_by("received_on", "pk")
    )
    tutorials = list(
        Tutorial.objects.filter(enrolment=enrolment).select_related("held_by").order_by("held_on")
    )
    submissions = list(
        PortfolioSubmission.objects.filter(enrolment=enrolment)
        .select_related("moderated_by", "recorded_by")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("assessor")
                .prefetch_related("marks__criterion")
                .order_by("slot"),
            )
        )
        .order_by("attempt")
    )
    views = []
    for submission in submissions:
        every = list(submission.assessments.all())
        views.append(
            SubmissionView(
                submission=submission,
                assessments=visible_assessments(user=user, submission=submission),
                marks_in=sum(1 for a in every if a.is_marked),
                assessor_names=[str(a.assessor) for a in every],
            )
        )
    sessions = list(
        CourseSession.objects.filter(cohort_id=enrolment.cohort_id).order_by("date", "starts_at")
    )
    marks = dict(Attendance.objects.filter(enrolment=enrolment).values_list("session_id", "status"))
    labels = dict(Attendance.Status.choices)
    attendance = [(s, labels.get(marks.get(s.pk, ""), "")) for s in sessions]
    return {
        "progress": progress,
        "drafts": drafts,
        "tutorials": tutorials,
        "submissions": views,
        "attendance": attendance,
        "timeline": enrolment_timeline(user=user, enrolment=enrolment),
        "reason_label": reason_label(enrolment=enrolment, user=user),
    }


# Files, assessments and moderation


def draft_for_user(*, user: User, pk: Any) -> PortfolioDraft:
    require_role(user, *COURSE_STAFF)
    return get_in_programme_or_404(
        PortfolioDraft.objects.select_related("enrolment__person", "enrolment__cohort"),
        user,
        pk,
        field="enrolment__cohort__programme",
    )


def submission_for_user(*, user: User, pk: Any) -> PortfolioSubmission:
    """A final portfolio: for leads and facilitators, and for the two
    assessors it was given to (404 for any other assessor)."""
    require_role(user, LEAD, Role.FACILITATOR, Role.ASSESSOR)
    queryset = PortfolioSubmission.objects.select_related("enrolment__person", "enrolment__cohort")
    if not has_role(user, *COURSE_STAFF):
        queryset = queryset.filter(assessments__assessor=user)
    return get_in_programme_or_404(queryset, user, pk, field="enrolment__cohort__programme")


def submission_for_lead(*, user: User, pk: Any) -> PortfolioSubmission:
    require_role(user, LEAD)
    return get_in_programme_or_404(
        PortfolioSubmission.objects.select_related(
            "enrolment__person", "enrolment__cohort"
        ).prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("assessor")
                .prefetch_related("marks__criterion")
                .order_by("slot"),
            )
        ),
        user,
        pk,
        field="enrolment__cohort__programme",
    )


def assessment_for_assessor(*, user: User, pk: Any) -> Assessment:
    """The user's own assessment; anybody else's is a 404."""
    require_role(user, Role.ASSESSOR)
    queryset = Assessment.objects.filter(assessor=user).select_related(
        "submission__enrolment__person", "submission__enrolment__cohort"
    )
    return get_in_programme_or_404(
        queryset, user, pk, field="submission__enrolment__cohort__programme"
    )


def rubric_criteria_for(*, enrolment: Enrolment) -> list[RubricCriterion]:
    """The current criteria of the rubric the enrolment's cohort is marked
    against (the programme's default rubric when the cohort names none)."""
    training = cohort_training_for(cohort=enrolment.cohort)
    rubric = (
        training.rubric
        or Rubric.objects.filter(programme_id=enrolment.cohort.programme_id)
        .order_by("is_archived", "pk")
        .first()
    )
    if rubric is None:
        return []
    return list(rubric.criteria.filter(is_archived=False).order_by("order", "pk"))


def awaiting_mark(*, assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The assessments still to be marked: the portfolio waits for both
    marks and the trainee is still on the course. The assessor's queue and
    the marking reminders both use this one rule."""
    return assessments.filter(
        marked_at__isnull=True,
        submission__status=PortfolioSubmission.Status.AWAITING_MARKS,
        submission__enrolment__status__in=Enrolment.OPEN,
    )


def assessor_queue(*, user: User) -> QuerySet[Assessment]:
    """Portfolios waiting for this user's mark, oldest first."""
    require_role(user, LEAD, Role.ASSESSOR)
    return (
        awaiting_mark(
            assessments=scoped(
                Assessment.objects.all(), user, "submission__enrolment__cohort__programme"
            )
        )
        .filter(assessor=user)
        .select_related("submission__enrolment__person", "submission__enrolment__cohort")
        .order_by("submission__submitted_on", "pk")
    )


def moderation_queue(*, user: User) -> QuerySet[PortfolioSubmission]:
    require_role(user, LEAD)
    return (
        scoped(PortfolioSubmission.objects.all(), user, "enrolment__cohort__programme")
        .filter(
            status=PortfolioSubmission.Status.IN_MODERATION,
            enrolment__status__in=Enrolment.OPEN,
        )
        .select_related("enrolment__person", "enrolment__cohort")
        .order_by("submitted_on", "pk")
    )


# Lists for the lead, HR and admins


def at_risk_enrolments(*, user: User, today: date | None = None) -> QuerySet[Enrolment]:
    """The programme's enrolments breaking any at-risk rule, in the order
    the list shows them, each with a yes-or-no ``breaks_<key>`` for every
    rule: a single query, so the database pages and counts it."""
    require_role(user, LEAD)
    base = scoped(Enrolment.objects.all(), user, "cohort__programme")
    columns = at_risk_columns(enrolments=base, today=today)
    breaking = Q()
    for name in columns:
        breaking |= Q(**{name: True})
    return (
        base.annotate(**columns)
        .filter(breaking)
        .select_related("person", "cohort")
        .order_by("cohort__training_start", "person__last_name", "person__first_name", "pk")
    )


def at_risk_rows(*, enrolments: list[Enrolment]) -> list[tuple[Enrolment, list[str]]]:
    """The given at-risk enrolments (a page of ``at_risk_enrolments``) with
    their attendance and the rules each breaks: one grouped query for
    attendance, whatever the number of rows."""
    attach_attendance(enrolments=enrolments)
    return [
        (e, [rule.label for rule in AT_RISK_RULES if getattr(e, f"breaks_{rule.key}")])
        for e in enrolments
    ]


def at_risk_list(*, user: User, today: date | None = None) -> list[tuple[Enrolment, list[str]]]:
    """Every open enrolment breaking any at-risk rule, with the rules it
    breaks (the page shows these fifty at a time)."""
    return at_risk_rows(enrolments=list(at_risk_enrolments(user=user, today=today)))


def outcome_list(*, user: User, cohort_id: int | None = None) -> QuerySet[Enrolment]:
    """Every trainee's outcome and whether they may apply for paid posts.
    No portfolio contents or feedback."""
    require_role(user, *OUTCOME_READERS)
    queryset = scoped(Enrolment.objects.all(), user, "cohort__programme").select_related(
        "person", "cohort", "non_completion_reason"
    )
    if cohort_id:
        queryset = queryset.filter(cohort_id=cohort_id)
    return queryset.order_by(
        "cohort__training_start", "cohort__name", "person__last_name", "person__first_name", "pk"
    )
