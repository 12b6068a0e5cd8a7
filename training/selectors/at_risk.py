"""The at-risk list as its page reads it: who breaks which rule from one
query over the rules' UNION, their names in the list's order from a second,
and one page's attendance counted by a third.

Each rule is worked out once. Asking the database for every rule as a
column and again as the filter would work each out twice, and the
attendance rule groups every open trainee's marks.

Building the UNION in the ORM costs more than running it, yet its text
depends only on the programme and the day: it is built once for each and
run live on every view, so who is at risk is always current.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.utils import timezone

from peerprog.core.access import require_role
from peerprog.core.models import Person, Role, User
from training.models import Attendance, CourseSession, Enrolment
from training.selectors.kept import kept_rows
from training.selectors.progress import AT_RISK_RULES


@dataclass(frozen=True)
class AtRisk:
    """One trainee at risk: their enrolment, name, cohort and the labels
    of the rules they break, in the rules' order."""

    pk: int
    name: str
    cohort: str
    reasons: list[str]


@dataclass(frozen=True)
class AtRiskRow:
    """One trainee at risk as the list shows them."""

    pk: int
    name: str
    cohort: str
    attended: int
    counted: int
    reasons: list[str]


def _union(programme_id: int, today: date) -> QuerySet:
    """The rules' UNION for the programme on ``today``: one row per rule an
    enrolment breaks, with the enrolment's person and cohort."""
    base = Enrolment.objects.filter(cohort__programme=programme_id)
    first, *others = (
        rule.select(enrolments=base, today=today)
        .order_by()
        .annotate(rule=Value(index, output_field=IntegerField()))
        .values_list("pk", "rule", "person_id", "cohort__training_start", "cohort__name")
        for index, rule in enumerate(AT_RISK_RULES)
    )
    return first.union(*others, all=True)


def at_risk_trainees(*, user: User, today: date | None = None) -> list[AtRisk]:
    """Each of the programme's enrolments breaking any at-risk rule, by
    cohort start, surname, first name, with the rules it breaks. Two
    queries: the rules' UNION, then the people's names in the database's
    order of names."""
    require_role(user, Role.PROGRAMME_LEAD)
    today = today or timezone.localdate()
    found: dict[int, tuple[int, date, str, set[int]]] = {}
    for pk, rule, person_id, start, cohort in kept_rows(
        name="at_risk",
        key=(user.programme_id, today),
        build=lambda: _union(user.programme_id, today),
    ):
        found.setdefault(pk, (person_id, start, cohort, set()))[3].add(rule)
    if not found:
        return []
    # Names are ranked as the database orders them; people of the same
    # name share a rank, so the enrolment decides between them.
    rank: dict[int, int] = {}
    names: dict[int, str] = {}
    previous = None
    for person_id, first, preferred, last in (
        Person.objects.filter(pk__in={person_id for person_id, *_ in found.values()})
        .order_by("last_name", "first_name")
        .values_list("pk", "first_name", "preferred_name", "last_name")
    ):
        if (last, first) != previous:
            previous = (last, first)
            position = len(rank)
        rank[person_id] = position
        names[person_id] = Person.name_shown(first, preferred, last)
    order = sorted(found, key=lambda pk: (found[pk][1], rank[found[pk][0]], pk))
    return [
        AtRisk(
            pk=pk,
            name=names[found[pk][0]],
            cohort=found[pk][2],
            reasons=[AT_RISK_RULES[i].label for i in sorted(found[pk][3])],
        )
        for pk in order
    ]


def at_risk_page_rows(*, trainees: list[AtRisk]) -> list[AtRiskRow]:
    """One page of ``at_risk_trainees``, each with its attendance as
    ``with_progress`` counts it. One query, over that page's marks only."""
    counts = {
        pk: (attended, counted)
        for pk, attended, counted in Attendance.objects.filter(
            enrolment_id__in=[trainee.pk for trainee in trainees],
            session__status=CourseSession.Status.SCHEDULED,
        )
        .order_by()
        .values_list("enrolment_id")
        .annotate(
            attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED)),
            counted=Count("pk", filter=~Q(status=Attendance.Status.AUTHORISED)),
        )
    }
    return [
        AtRiskRow(
            pk=trainee.pk,
            name=trainee.name,
            cohort=trainee.cohort,
            attended=counts.get(trainee.pk, (0, 0))[0],
            counted=counts.get(trainee.pk, (0, 0))[1],
            reasons=trainee.reasons,
        )
        for trainee in trainees
    ]
