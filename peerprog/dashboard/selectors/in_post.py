"""The dashboard's figures of the first months in post and of the
recruitment days: the induction checklists and mandatory training of the
peer workers in post today, and how many interviews were scored and how
many panels included someone with lived experience of mental distress.

Who on a panel brings lived experience is special-category data about
them: the dashboard counts panels, it never names a member or a panel.
Each figure is a fixed number of queries whatever the number of people,
panels or interviews.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from deployment.models import InductionItem, Interview, Panel
from deployment.selectors.induction import overdue_items_q
from deployment.selectors.training_records import EXPIRY_NOTICE_DAYS, training_compliance
from peerprog.core.access import scoped
from peerprog.core.kept_queries import counted_row
from peerprog.core.models import Programme
from peerprog.dashboard.selectors.scope import ReportScope, percent
from peerprog.dashboard.selectors.study import EmploymentTable


@dataclass(frozen=True)
class InductionFigures:
    """Of the peer workers in post today: whose checklist is all done, not
    all done (and of those, with an item overdue), and who has none."""

    in_post: int
    complete: int
    in_progress: int
    overdue: int

    @property
    def without_checklist(self) -> int:
        return self.in_post - self.complete - self.in_progress


@dataclass(frozen=True)
class TrainingFigures:
    """Of the peer workers in post today, against the mandatory courses:
    all in date, and of those some expiring soon; the rest have a course
    expired or not done."""

    in_post: int
    courses: int
    compliant: int
    expiring: int
    notice_days: int = EXPIRY_NOTICE_DAYS

    @property
    def not_compliant(self) -> int:
        return self.in_post - self.compliant

    @property
    def rate(self) -> int | None:
        return percent(part=self.compliant, whole=self.in_post) if self.courses else None


@dataclass(frozen=True)
class InterviewFigures:
    """Recruitment days' interviews and panels: never who sat on a panel."""

    interviews: int
    scored: int
    panels: int
    panels_with_lived_experience: int

    @property
    def lived_experience_rate(self) -> int | None:
        return percent(part=self.panels_with_lived_experience, whole=self.panels)


def _in_post_today(employment: EmploymentTable) -> dict[int, int]:
    """Each person in post today (of the cohorts and service chosen) and
    their latest appointment."""
    return {w.person_id: w.latest.pk for w in employment.total.workers if w.in_post_today}


def induction_figures(*, scope: ReportScope, employment: EmploymentTable) -> InductionFigures:
    """The checklists of the latest appointment of each peer worker in post
    today. One query."""
    in_post = _in_post_today(employment)
    rows = (
        InductionItem.objects.filter(appointment_id__in=in_post.values())
        .values("appointment_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(done_on__isnull=False)),
            overdue=Count("pk", filter=overdue_items_q(today=scope.today)),
        )
        .order_by()
    )
    complete = in_progress = overdue = 0
    for row in rows:
        if row["done"] == row["total"]:
            complete += 1
        else:
            in_progress += 1
            overdue += row["overdue"] > 0
    return InductionFigures(
        in_post=len(in_post), complete=complete, in_progress=in_progress, overdue=overdue
    )


def training_figures(*, scope: ReportScope, employment: EmploymentTable) -> TrainingFigures:
    """Mandatory training of each peer worker in post today, by deployment's
    rules (``training_compliance``). Three queries."""
    in_post = _in_post_today(employment)
    compliance = training_compliance(user=scope.user, today=scope.today)
    people = [row for row in compliance.people if row.person.pk in in_post]
    return TrainingFigures(
        in_post=len(in_post),
        courses=len(compliance.courses),
        compliant=sum(1 for row in people if row.compliant),
        expiring=sum(1 for row in people if row.compliant and row.expiring),
    )


def _interviews(scope: ReportScope) -> QuerySet[Interview]:
    """The programme's interviews on recruitment days within the dates
    chosen, for posts in the service chosen."""
    interviews = scoped(Interview.objects.all(), scope.user, "day__programme")
    if scope.date_from:
        interviews = interviews.filter(day__date__gte=scope.date_from)
    if scope.date_to:
        interviews = interviews.filter(day__date__lte=scope.date_to)
    if scope.service is not None:
        interviews = interviews.filter(candidate__vacancy__post__service=scope.service)
    return interviews


def _panels(scope: ReportScope, interviews: QuerySet[Interview]) -> QuerySet[Panel]:
    """The programme's panels on recruitment days within the dates chosen;
    with a service chosen, those that interviewed for its posts (panels sit
    for a day, not a service)."""
    panels = scoped(Panel.objects.all(), scope.user, "day__programme")
    if scope.date_from:
        panels = panels.filter(day__date__gte=scope.date_from)
    if scope.date_to:
        panels = panels.filter(day__date__lte=scope.date_to)
    if scope.service is not None:
        panels = panels.filter(Exists(interviews.filter(panel=OuterRef("pk"))))
    return panels


def _counted(queryset: QuerySet, aggregate: Count) -> Coalesce:
    """One count over ``queryset`` (rows of one programme), as a column of
    another query."""
    rows = queryset.order_by().values("day__programme").annotate(n=aggregate).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def interview_counts(*, scope: ReportScope) -> dict[str, Coalesce]:
    """The interviews held and scored, the panels sat and those with someone
    with lived experience, as columns of another query (in this order)."""
    interviews = _interviews(scope)
    panels = _panels(scope, interviews)
    return {
        "interviews": _counted(interviews, Count("pk", distinct=True)),
        "scored": _counted(interviews, Count("pk", filter=Q(scores__isnull=False), distinct=True)),
        "panels": _counted(panels, Count("pk", distinct=True)),
        "with_lived": _counted(
            panels,
            Count("pk", filter=Q(members__lived_experience__isnull=False), distinct=True),
        ),
    }


def interview_scope_key(*, scope: ReportScope) -> tuple[object, ...]:
    """Everything ``interview_counts`` reads from outside the database."""
    return (
        scope.user.programme_id,
        scope.date_from,
        scope.date_to,
        scope.service.pk if scope.service is not None else None,
    )


def interview_figures(*, scope: ReportScope) -> InterviewFigures:
    """How many interviews were held and how many have scores; how many
    panels sat and how many of them included someone with lived
    experience. One query, its SQL built once per programme and filter."""
    programme_id = scope.user.programme_id
    if programme_id is None:
        return InterviewFigures(interviews=0, scored=0, panels=0, panels_with_lived_experience=0)
    row = counted_row(
        "interview_figures",
        interview_scope_key(scope=scope),
        lambda: (
            Programme.objects.filter(pk=programme_id)
            .order_by()
            .values_list(*interview_counts(scope=scope).values())
        ),
    ) or (0, 0, 0, 0)
    return InterviewFigures(*row)
