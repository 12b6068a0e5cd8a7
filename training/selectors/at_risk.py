"""The at-risk list as its page reads it: who breaks which rule from one
query over the rules' UNION, then one page of rows as plain values with
their attendance counted alongside.

Each rule is worked out once. Asking the database for every rule as a
column and again as the filter would work each out twice, and the
attendance rule groups every open trainee's marks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, Q, Value
from django.utils import timezone

from peerprog.core.access import require_role, scoped
from peerprog.core.models import Person, Role, User
from training.models import Attendance, CourseSession, Enrolment
from training.selectors.progress import AT_RISK_RULES

ORDER = ("cohort__training_start", "person__last_name", "person__first_name", "pk")
HELD = Q(attendances__session__status=CourseSession.Status.SCHEDULED)
ATTENDED = Q(attendances__status__in=Attendance.ATTENDED)
# Every mark but an authorised absence counts towards attendance.
COUNTED = ~Q(attendances__status=Attendance.Status.AUTHORISED)


def at_risk_rules(*, user: User, today: date | None = None) -> dict[int, list[str]]:
    """Each of the programme's enrolments breaking any at-risk rule, with
    the labels of the rules it breaks in the rules' order. One query."""
    require_role(user, Role.PROGRAMME_LEAD)
    today = today or timezone.localdate()
    base = scoped(Enrolment.objects.all(), user, "cohort__programme")
    first, *others = (
        rule.select(enrolments=base, today=today)
        .order_by()
        .annotate(rule=Value(index, output_field=IntegerField()))
        .values_list("pk", "rule")
        for index, rule in enumerate(AT_RISK_RULES)
    )
    broken: dict[int, list[int]] = defaultdict(list)
    for pk, index in first.union(*others, all=True):
        broken[pk].append(index)
    return {pk: [AT_RISK_RULES[i].label for i in sorted(found)] for pk, found in broken.items()}


@dataclass(frozen=True)
class AtRiskRow:
    """One trainee at risk as the list shows them."""

    pk: int
    name: str
    cohort: str
    attended: int
    counted: int
    reasons: list[str]


def at_risk_page_rows(*, rules: dict[int, list[str]], start: int, stop: int) -> list[AtRiskRow]:
    """Rows ``start`` to ``stop`` of the at-risk list (``rules`` from
    ``at_risk_rules``) in the order the list shows them, each with its
    attendance as ``with_progress`` counts it. One query."""
    # The page is cut first, so only its own rows' marks are read.
    page = Enrolment.objects.filter(pk__in=list(rules)).order_by(*ORDER).values("pk")[start:stop]
    rows = (
        Enrolment.objects.filter(pk__in=page)
        .order_by(*ORDER)
        .values_list(
            "pk",
            "person__first_name",
            "person__preferred_name",
            "person__last_name",
            "cohort__name",
        )
        .annotate(
            attended=Count("attendances", filter=HELD & ATTENDED),
            counted=Count("attendances", filter=HELD & COUNTED),
        )
    )
    return [
        AtRiskRow(
            pk=pk,
            name=Person.name_shown(first, preferred, last),
            cohort=cohort,
            attended=attended,
            counted=counted,
            reasons=rules[pk],
        )
        for pk, first, preferred, last, cohort, attended, counted in rows
    ]
