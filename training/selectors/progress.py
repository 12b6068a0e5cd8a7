"""Training progress counted in SQL: each trainee's attendance, drafts,
tutorials, submissions and marks in, and the at-risk rules over them.

The reminders and the lead's list ask who is at risk; each rule is written
once, here. What the mentor's page and deployment read of these figures (a
mentee's progress, eligibility for paid posts) is in
``training/selectors/progress_readers.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from peerprog.core.prepared import fetch_prepared_named
from training.models import (
    Assessment,
    Attendance,
    CourseSession,
    Enrolment,
    PortfolioDraft,
    PortfolioSubmission,
    Tutorial,
)


def _count(queryset: QuerySet, link: str = "enrolment") -> Coalesce:
    counted = (
        queryset.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


_HELD = Q(session__status=CourseSession.Status.SCHEDULED)


def with_progress(*, enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotate each enrolment with its attendance and portfolio counts, in
    the same single query whatever the number of trainees.

    Attendance rate: sessions attended (present or late) out of the sessions
    whose register has a mark for the trainee, not counting authorised
    absences or cancelled sessions.
    """
    latest = PortfolioSubmission.objects.filter(enrolment=OuterRef("pk")).order_by("-attempt")
    return enrolments.annotate(
        attended=_count(Attendance.objects.filter(_HELD, status__in=Attendance.ATTENDED)),
        counted=_count(
            Attendance.objects.filter(_HELD).exclude(status=Attendance.Status.AUTHORISED)
        ),
        draft_count=_count(PortfolioDraft.objects.all()),
        tutorial_count=_count(Tutorial.objects.all()),
        first_draft_on=Subquery(
            PortfolioDraft.objects.filter(enrolment=OuterRef("pk"))
            .order_by("received_on")
            .values("received_on")[:1]
        ),
        final_on=Subquery(
            PortfolioSubmission.objects.filter(enrolment=OuterRef("pk"), attempt=1).values(
                "submitted_on"
            )[:1]
        ),
        final_late=Subquery(
            PortfolioSubmission.objects.filter(enrolment=OuterRef("pk"), attempt=1).values(
                "is_late"
            )[:1]
        ),
        latest_attempt=Subquery(latest.values("attempt")[:1]),
        latest_status=Subquery(latest.values("status")[:1]),
        latest_outcome=Subquery(latest.values("outcome")[:1]),
        resubmission_due=Subquery(
            PortfolioSubmission.objects.filter(enrolment=OuterRef("pk"), attempt=1).values(
                "resubmission_due"
            )[:1]
        ),
        marks_in=_count(
            Assessment.objects.filter(
                marked_at__isnull=False,
                submission__status=PortfolioSubmission.Status.AWAITING_MARKS,
            ),
            link="submission__enrolment",
        ),
    )


def _attendance_by_enrolment() -> QuerySet:
    """Attendance grouped by enrolment: ``attended`` and ``counted`` as
    ``with_progress`` defines them, one row per enrolment with a mark."""
    return (
        Attendance.objects.filter(_HELD)
        .order_by()
        .values("enrolment_id")
        .annotate(
            attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED)),
            counted=Count("pk", filter=~Q(status=Attendance.Status.AUTHORISED)),
        )
    )


def attach_attendance(*, enrolments: list[Enrolment]) -> list[Enrolment]:
    """Set ``attended`` and ``counted`` on each enrolment from one grouped
    query, whatever the number of trainees."""
    ids = [enrolment.pk for enrolment in enrolments]
    figures = {
        row["enrolment_id"]: row for row in _attendance_by_enrolment().filter(enrolment_id__in=ids)
    }
    for enrolment in enrolments:
        row = figures.get(enrolment.pk, {})
        enrolment.attended = row.get("attended", 0)
        enrolment.counted = row.get("counted", 0)
    return enrolments


# The page's figures in one statement: each kind is grouped over the page's
# enrolments only and joined by enrolment id. Written as SQL because
# building five ORM queries cost more than running them. The tables are
# filled in from the models' names; ``page`` is where the page's enrolments
# come from (a row each, ``page.id``) and ``among`` how each kind picks
# their rows by enrolment id.
_PROGRESS_SQL = """
        SELECT page.id, att.attended, att.counted, draft.n, draft.first, tut.n,
               first.submitted_on, first.is_late, first.resubmission_due,
               latest.attempt, latest.status, latest.outcome, marks.n
        FROM {page}
        LEFT JOIN (
            SELECT a.enrolment_id,
                   COUNT(*) FILTER (WHERE a.status = ANY(%(attended)s)) AS attended,
                   COUNT(*) FILTER (WHERE a.status <> %(authorised)s) AS counted
            FROM {attendance} a
            JOIN {session} s ON s.id = a.session_id
            WHERE s.status = %(held)s AND a.enrolment_id {among}
            GROUP BY a.enrolment_id
        ) att ON att.enrolment_id = page.id
        LEFT JOIN (
            SELECT enrolment_id, COUNT(*) AS n, MIN(received_on) AS first
            FROM {draft}
            WHERE enrolment_id {among}
            GROUP BY enrolment_id
        ) draft ON draft.enrolment_id = page.id
        LEFT JOIN (
            SELECT enrolment_id, COUNT(*) AS n
            FROM {tutorial}
            WHERE enrolment_id {among}
            GROUP BY enrolment_id
        ) tut ON tut.enrolment_id = page.id
        LEFT JOIN {submission} first
            ON first.enrolment_id = page.id AND first.attempt = 1
        LEFT JOIN (
            SELECT DISTINCT ON (enrolment_id) enrolment_id, attempt, status, outcome
            FROM {submission}
            WHERE enrolment_id {among}
            ORDER BY enrolment_id, attempt DESC
        ) latest ON latest.enrolment_id = page.id
        LEFT JOIN (
            SELECT sub.enrolment_id, COUNT(*) AS n
            FROM {assessment} mark
            JOIN {submission} sub ON sub.id = mark.submission_id
            WHERE mark.marked_at IS NOT NULL AND sub.status = %(awaiting)s
              AND sub.enrolment_id {among}
            GROUP BY sub.enrolment_id
        ) marks ON marks.enrolment_id = page.id
"""


def progress_sql(
    *, page: str = "unnest(%(ids)s::bigint[]) AS page(id)", among: str = "= ANY(%(ids)s)"
) -> str:
    """The SQL of the page's figures (``attach_progress_at_once``): by
    default for the enrolments of the list ``%(ids)s``; ``page`` and
    ``among`` give them from elsewhere (a ``WITH`` query named ``page``,
    say). Its other values are ``PROGRESS_PARAMS``."""
    return _PROGRESS_SQL.format(
        page=page,
        among=among,
        attendance=Attendance._meta.db_table,
        session=CourseSession._meta.db_table,
        draft=PortfolioDraft._meta.db_table,
        tutorial=Tutorial._meta.db_table,
        submission=PortfolioSubmission._meta.db_table,
        assessment=Assessment._meta.db_table,
    )


def attach_progress_at_once(*, enrolments: list[Enrolment]) -> list[Enrolment]:
    """``attach_progress`` in one query, for the cohort page's fifty
    trainees: the same figures, each kind (attendance, drafts, tutorials,
    submissions, marks in) grouped over these enrolments only and joined
    by enrolment id. Building five ORM queries cost the page more than
    running them. Other databases (the demo's SQLite) take
    ``attach_progress``'s grouped queries."""
    if not enrolments:
        return enrolments
    if connection.vendor != "postgresql":
        return attach_progress(enrolments=enrolments)
    # Prepared once per connection: planning the statement cost more than
    # running it for a page of fifty.
    rows = fetch_prepared_named(
        sql=progress_sql(),
        params={"ids": [enrolment.pk for enrolment in enrolments], **PROGRESS_PARAMS},
    )
    figures = {row[0]: row[1:] for row in rows}
    for enrolment in enrolments:
        set_progress(enrolment=enrolment, figures=figures[enrolment.pk])
    return enrolments


# The values ``progress_sql`` asks with, other than the page's enrolments.
PROGRESS_PARAMS = {
    "attended": list(Attendance.ATTENDED),
    "authorised": Attendance.Status.AUTHORISED.value,
    "held": CourseSession.Status.SCHEDULED.value,
    "awaiting": PortfolioSubmission.Status.AWAITING_MARKS.value,
}


def set_progress(*, enrolment: Any, figures: Sequence[Any]) -> None:
    """Set on ``enrolment`` the figures of one row of ``progress_sql``
    (without its enrolment id), as ``attach_progress`` sets them."""
    (
        attended,
        counted,
        drafts,
        first_draft_on,
        tutorials,
        final_on,
        final_late,
        resubmission_due,
        latest_attempt,
        latest_status,
        latest_outcome,
        marks_in,
    ) = figures
    enrolment.attended = attended or 0
    enrolment.counted = counted or 0
    enrolment.draft_count = drafts or 0
    enrolment.first_draft_on = first_draft_on
    enrolment.tutorial_count = tutorials or 0
    enrolment.final_on = final_on
    enrolment.final_late = final_late
    enrolment.resubmission_due = resubmission_due
    enrolment.latest_attempt = latest_attempt
    enrolment.latest_status = latest_status
    enrolment.latest_outcome = latest_outcome
    enrolment.marks_in = marks_in or 0


def attach_progress(*, enrolments: list[Enrolment]) -> list[Enrolment]:
    """Set on each enrolment the figures ``with_progress`` annotates, from
    one grouped query per kind of figure (attendance, drafts, tutorials,
    submissions, marks in), joined here by enrolment id. The number of
    queries does not grow with the number of trainees, and no query is
    repeated per trainee as correlated subqueries are."""
    attach_attendance(enrolments=enrolments)
    ids = [enrolment.pk for enrolment in enrolments]
    drafts = {
        row["enrolment_id"]: row
        for row in PortfolioDraft.objects.filter(enrolment_id__in=ids)
        .order_by()
        .values("enrolment_id")
        .annotate(n=Count("pk"), first=Min("received_on"))
    }
    tutorials = dict(
        Tutorial.objects.filter(enrolment_id__in=ids)
        .order_by()
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    # A trainee has at most a first submission and a resubmission, so the
    # rows themselves are few: the first and the latest are picked here.
    first: dict[int, dict] = {}
    latest: dict[int, dict] = {}
    for row in (
        PortfolioSubmission.objects.filter(enrolment_id__in=ids)
        .order_by("enrolment_id", "attempt")
        .values(
            "enrolment_id",
            "attempt",
            "submitted_on",
            "is_late",
            "status",
            "outcome",
            "resubmission_due",
        )
    ):
        if row["attempt"] == 1:
            first[row["enrolment_id"]] = row
        latest[row["enrolment_id"]] = row
    marks_in = dict(
        Assessment.objects.filter(
            marked_at__isnull=False,
            submission__status=PortfolioSubmission.Status.AWAITING_MARKS,
            submission__enrolment_id__in=ids,
        )
        .order_by()
        .values("submission__enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("submission__enrolment_id", "n")
    )
    for enrolment in enrolments:
        pk = enrolment.pk
        draft = drafts.get(pk, {})
        enrolment.draft_count = draft.get("n", 0)
        enrolment.first_draft_on = draft.get("first")
        enrolment.tutorial_count = tutorials.get(pk, 0)
        final = first.get(pk, {})
        enrolment.final_on = final.get("submitted_on")
        enrolment.final_late = final.get("is_late")
        enrolment.resubmission_due = final.get("resubmission_due")
        last = latest.get(pk, {})
        enrolment.latest_attempt = last.get("attempt")
        enrolment.latest_status = last.get("status")
        enrolment.latest_outcome = last.get("outcome")
        enrolment.marks_in = marks_in.get(pk, 0)
    return enrolments


def attendance_rate(*, enrolment: Enrolment) -> int | None:
    """The trainee's attendance rate in whole per cent, or None before any
    register has been filled in. Uses the annotations of ``with_progress``
    when present."""
    attended = getattr(enrolment, "attended", None)
    counted = getattr(enrolment, "counted", None)
    if attended is None or counted is None:
        annotated = with_progress(enrolments=Enrolment.objects.filter(pk=enrolment.pk)).get()
        attended, counted = annotated.attended, annotated.counted
    if not counted:
        return None
    return round(attended * 100 / counted)


# The at-risk rules. Each takes a queryset of enrolments and returns the
# ones at risk on ``today``; the lead's at-risk list and the reminders both
# use them, so a rule is only ever written here.


def at_risk_low_attendance(
    *, enrolments: QuerySet[Enrolment], today: date | None = None
) -> QuerySet[Enrolment]:
    """Open enrolments attending less than the cohort's threshold. The
    attendance is counted in one grouped query over the open enrolments'
    marks, not once per trainee."""
    open_enrolments = enrolments.filter(status__in=Enrolment.OPEN)
    short = (
        _attendance_by_enrolment()
        .filter(enrolment__in=open_enrolments.values("pk"))
        .annotate(threshold=Max("enrolment__cohort__training__attendance_threshold"))
        .alias(attended_x100=F("attended") * 100)
        .filter(counted__gt=0, attended_x100__lt=F("threshold") * F("counted"))
        .values("enrolment_id")
    )
    return open_enrolments.filter(pk__in=short)


def at_risk_no_draft_by_mid_course(
    *, enrolments: QuerySet[Enrolment], today: date | None = None
) -> QuerySet[Enrolment]:
    """Active enrolments with no draft received by the mid-course date."""
    today = today or timezone.localdate()
    return enrolments.filter(
        status=Enrolment.Status.ACTIVE, cohort__training__draft_due__lt=today
    ).exclude(Exists(PortfolioDraft.objects.filter(enrolment=OuterRef("pk"))))


def at_risk_no_final_by_deadline(
    *, enrolments: QuerySet[Enrolment], today: date | None = None
) -> QuerySet[Enrolment]:
    """Active enrolments with no final portfolio after its deadline."""
    today = today or timezone.localdate()
    return enrolments.filter(
        status=Enrolment.Status.ACTIVE, cohort__training__final_due__lt=today
    ).exclude(Exists(PortfolioSubmission.objects.filter(enrolment=OuterRef("pk"))))


def at_risk_referral_pending(
    *, enrolments: QuerySet[Enrolment], today: date | None = None
) -> QuerySet[Enrolment]:
    """Referred enrolments whose resubmission has not come in yet."""
    return enrolments.filter(status=Enrolment.Status.REFERRED).exclude(
        Exists(PortfolioSubmission.objects.filter(enrolment=OuterRef("pk"), attempt=2))
    )


@dataclass(frozen=True)
class AtRiskRule:
    key: str
    label: str
    select: Callable[..., QuerySet[Enrolment]]


AT_RISK_RULES: tuple[AtRiskRule, ...] = (
    AtRiskRule("low_attendance", "Attendance under the threshold", at_risk_low_attendance),
    AtRiskRule("no_draft", "No draft by mid-course", at_risk_no_draft_by_mid_course),
    AtRiskRule("no_final", "No final portfolio by the deadline", at_risk_no_final_by_deadline),
    AtRiskRule("referral_pending", "Referral: resubmission pending", at_risk_referral_pending),
)


def at_risk_reasons(
    *, enrolments: QuerySet[Enrolment], today: date | None = None
) -> dict[int, list[AtRiskRule]]:
    """Enrolment id to the rules it breaks: one query per rule."""
    today = today or timezone.localdate()
    found: dict[int, list[AtRiskRule]] = {}
    for rule in AT_RISK_RULES:
        for pk in rule.select(enrolments=enrolments, today=today).values_list("pk", flat=True):
            found.setdefault(pk, []).append(rule)
    return found


def at_risk_columns(
    *, enrolments: QuerySet[Enrolment], today: date | None = None
) -> dict[str, ExpressionWrapper]:
    """Each rule as a yes-or-no column (``breaks_<key>``) for a query of
    these enrolments: the at-risk list reads who is at risk and why in the
    one query that reads its page."""
    today = today or timezone.localdate()
    return {
        f"breaks_{rule.key}": ExpressionWrapper(
            Q(pk__in=rule.select(enrolments=enrolments, today=today).values("pk")),
            output_field=BooleanField(),
        )
        for rule in AT_RISK_RULES
    }
