"""The equality-monitoring summary: for one characteristic at a time, how
many people of each group reached each stage (applied, trained, completed,
employed, retained), per cohort and in total.

Groups are the codes of peerprog.core.equality, so answers group by what
they mean, never by how they were typed; "Not known" (and no answer at all)
is "Not recorded", shown last.

Only counts leave this module, never a person. So that no one can be
identified:

* a count under 5 (0 included) is shown as "fewer than 5";
* in a column where that leaves exactly one cell hidden, the next smallest
  is hidden too ("not shown"), so the hidden one cannot be worked out from
  the stage's total;
* a total is hidden when any cohort's count behind it is hidden, so it
  cannot be worked out from the other cohorts' counts.

Five queries whatever the number of cohorts or people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import TextChoices

from deployment.retention import Milestone
from peerprog.core.access import scoped
from peerprog.core.equality import CODES
from peerprog.core.models import SensitiveFacts
from peerprog.dashboard.selectors.scope import ReportScope, peer_workers
from recruitment.models import Application
from training.models import Enrolment

SMALLEST_SHOWN = 5
RETAINED_MONTHS = 12
NOT_RECORDED = "Not recorded"
FEWER = "fewer than 5"
NOT_SHOWN = "not shown"

CHARACTERISTICS: dict[str, str] = {
    "sex": "Sex",
    "gender_identity": "Gender same as sex registered at birth",
    "ethnic_group": "Ethnic group",
    "age_band": "Age band",
    "disability": "Disability",
    "sexual_orientation": "Sexual orientation",
    "religion_or_belief": "Religion or belief",
}
DEFAULT_CHARACTERISTIC = "sex"

STAGES: list[tuple[str, str]] = [
    ("applied", "Applied"),
    ("trained", "Trained"),
    ("completed", "Completed"),
    ("employed", "Employed"),
    ("retained", f"In post at {RETAINED_MONTHS} months"),
]


@dataclass
class Cell:
    count: int
    hidden: str = ""

    @property
    def shown(self) -> str:
        return self.hidden or str(self.count)


@dataclass
class EqualityTable:
    label: str
    groups: list[str]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, list[str]]]:
        return [
            (group, [self.cells[(group, stage)].shown for stage, _ in STAGES])
            for group in self.groups
        ]


@dataclass
class EqualitySummary:
    characteristic: str
    label: str
    tables: list[EqualityTable]
    total: EqualityTable

    @property
    def stages(self) -> list[str]:
        return [label for _, label in STAGES]


def _code_list(characteristic: str) -> type[TextChoices]:
    if characteristic == "disability":
        return SensitiveFacts.Disclosure
    return CODES[characteristic]


def _groups_in_order(characteristic: str) -> list[str]:
    """Every group label of the characteristic, in the code list's order,
    "Not recorded" last."""
    codes = _code_list(characteristic)
    labels = [_group_label(characteristic, value) for value in codes.values]
    return [label for label in labels if label != NOT_RECORDED] + [NOT_RECORDED]


def _group_label(characteristic: str, value: str) -> str:
    codes = _code_list(characteristic)
    if value not in codes.values or value in (
        SensitiveFacts.Disclosure.NOT_ASKED,
        getattr(codes, "NOT_KNOWN", None),
    ):
        return NOT_RECORDED
    return str(codes(value).label)


def _suppress_columns(table: EqualityTable) -> None:
    for stage, _ in STAGES:
        cells = [table.cells[(group, stage)] for group in table.groups]
        hidden = [cell for cell in cells if cell.hidden]
        shown = sorted((cell for cell in cells if not cell.hidden), key=lambda cell: cell.count)
        if len(hidden) == 1 and shown:
            shown[0].hidden = NOT_SHOWN


def equality_summary(*, scope: ReportScope, characteristic: str) -> EqualitySummary:
    """Counts of each group of ``characteristic`` at each stage, per cohort
    of the scope and in total, with small counts hidden."""
    if characteristic not in CHARACTERISTICS:
        characteristic = DEFAULT_CHARACTERISTIC
    ids = scope.cohort_ids
    reached: dict[str, dict[int, set[int]]] = {stage: defaultdict(set) for stage, _ in STAGES}
    applications = Application.objects.filter(cohort__in=ids).values_list("cohort_id", "person_id")
    for cohort_id, person_id in applications.order_by():
        reached["applied"][cohort_id].add(person_id)
    enrolments = Enrolment.objects.filter(cohort__in=ids).values_list(
        "cohort_id", "person_id", "status"
    )
    for cohort_id, person_id, status in enrolments.order_by():
        reached["trained"][cohort_id].add(person_id)
        if status == Enrolment.Status.COMPLETED:
            reached["completed"][cohort_id].add(person_id)
    for worker in peer_workers(scope=scope):
        if worker.cohort_id not in ids:
            continue
        reached["employed"][worker.cohort_id].add(worker.person_id)
        if worker.spell.milestone(RETAINED_MONTHS, scope.today) is Milestone.RETAINED:
            reached["retained"][worker.cohort_id].add(worker.person_id)

    people = set().union(*reached["applied"].values()) if reached["applied"] else set()
    facts = dict(
        scoped(SensitiveFacts.objects.all(), scope.user, "person__programme")
        .filter(person__in=people)
        .values_list("person_id", characteristic)
        .order_by()
    )
    group_of = {person: _group_label(characteristic, facts.get(person, "")) for person in people}
    present = set(group_of.values())
    groups = [group for group in _groups_in_order(characteristic) if group in present]

    def build(label: str, cohort_ids: list[int]) -> EqualityTable:
        table = EqualityTable(label=label, groups=groups)
        for stage, _ in STAGES:
            # People, not applications: someone deferred to a later cohort
            # counts once in the total.
            counts: dict[str, int] = defaultdict(int)
            everyone = set().union(*(reached[stage].get(c, set()) for c in cohort_ids))
            for person in everyone:
                counts[group_of.get(person, NOT_RECORDED)] += 1
            for group in groups:
                count = counts.get(group, 0)
                table.cells[(group, stage)] = Cell(count, FEWER if count < SMALLEST_SHOWN else "")
        return table

    tables = [build(cohort.name, [cohort.pk]) for cohort in scope.cohorts]
    for table in tables:
        _suppress_columns(table)
    total = build("All cohorts chosen", ids)
    for key, cell in total.cells.items():
        if not cell.hidden and any(table.cells[key].hidden for table in tables):
            cell.hidden = NOT_SHOWN
    _suppress_columns(total)
    return EqualitySummary(
        characteristic=characteristic,
        label=CHARACTERISTICS[characteristic],
        tables=tables,
        total=total,
    )
