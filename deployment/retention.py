"""The arithmetic of retention: calendar months, each person's continuous
spell in peer posts, milestones and the survival curve.

Pure functions over dates, so the rules can be tested on their own and the
selectors only gather the rows.

The rules, in words:

* A person's first day is the start date of their first peer appointment.
* Their spell runs while they hold any peer post in the programme. A
  transfer (the new post starting on or the day after the last day of the
  old) continues it; a gap ends it.
* A milestone of N months falls on the first day plus N calendar months. A
  start on 29 February, or on the 31st, lands on the last day of a shorter
  month (29 February 2024 + 12 months is 28 February 2025).
* A person is retained at a milestone when the milestone has been reached
  (it is today or earlier) and they still held a peer post on that day: their
  last day in post is on or after it, or they have none yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from functools import lru_cache

from peerprog.core.dates import add_months

MILESTONES = (6, 12, 24)
DAYS_PER_MONTH = 365.25 / 12


@lru_cache(maxsize=16384)
def milestone_day(first_day: date, months: int) -> date:
    """The day a milestone of ``months`` falls on for a spell starting on
    ``first_day`` (remembered: many people share a first day)."""
    return add_months(first_day, months)


class Milestone(Enum):
    RETAINED = "retained"
    NOT_RETAINED = "not_retained"
    NOT_YET = "not_yet"


@dataclass(frozen=True)
class Spell:
    """A person's first continuous spell in peer posts."""

    first_day: date
    last_day: date | None  # None: still in post

    def in_post_on(self, day: date) -> bool:
        return self.first_day <= day and (self.last_day is None or self.last_day >= day)

    def milestone(self, months: int, today: date) -> Milestone:
        due = milestone_day(self.first_day, months)
        if due > today:
            return Milestone.NOT_YET
        return Milestone.RETAINED if self.in_post_on(due) else Milestone.NOT_RETAINED


def first_spell(periods: Iterable[tuple[date, date | None]]) -> Spell | None:
    """Join (start, last day) periods into the first continuous spell.

    A period that starts on or before the day after the previous one ended
    continues the spell (a transfer); a later one starts a new spell, which
    retention does not count.
    """
    ordered = sorted(periods, key=lambda period: period[0])
    if not ordered:
        return None
    first_day, last_day = ordered[0]
    for start, end in ordered[1:]:
        if last_day is None:
            break
        if start <= last_day + timedelta(days=1):
            last_day = None if end is None else max(last_day, end)
        else:
            break
    return Spell(first_day=first_day, last_day=last_day)


def tally(first_day: date, last_day: date | None, today: date) -> tuple[bool, ...]:
    """What a spell adds to a row, as ``RetentionRow.add`` counts it: still
    in post, then reached and retained at each milestone. A row's people
    share few distinct tallies, so a row counts them rather than its
    people one by one."""
    marks = [last_day is None or last_day >= today]
    for months in MILESTONES:
        due = milestone_day(first_day, months)
        reached = due <= today
        marks.append(reached)
        marks.append(reached and (last_day is None or last_day >= due))
    return tuple(marks)


@dataclass
class RetentionRow:
    """Counts for one group of people (a cohort, a service, everyone)."""

    label: str
    appointed: int = 0
    still_in_post: int = 0
    reached: dict[int, int] | None = None
    retained: dict[int, int] | None = None

    def __post_init__(self) -> None:
        self.reached = dict.fromkeys(MILESTONES, 0)
        self.retained = dict.fromkeys(MILESTONES, 0)

    def add(self, spell: Spell, today: date) -> None:
        assert self.reached is not None and self.retained is not None
        self.appointed += 1
        last_day = spell.last_day
        if last_day is None or last_day >= today:
            self.still_in_post += 1
        for months in MILESTONES:
            due = milestone_day(spell.first_day, months)
            if due > today:
                # Later milestones are later still.
                break
            self.reached[months] += 1
            if last_day is None or last_day >= due:
                self.retained[months] += 1

    def add_tally(self, tally: tuple[bool, ...], people: int) -> None:
        """Count ``people`` whose spells share one ``tally`` (see ``tally``)."""
        assert self.reached is not None and self.retained is not None
        self.appointed += people
        if tally[0]:
            self.still_in_post += people
        for index, months in enumerate(MILESTONES):
            if tally[1 + 2 * index]:
                self.reached[months] += people
            if tally[2 + 2 * index]:
                self.retained[months] += people

    def update(self, other: RetentionRow) -> None:
        """Add the counts of another group of people (none in both)."""
        assert self.reached is not None and self.retained is not None
        assert other.reached is not None and other.retained is not None
        self.appointed += other.appointed
        self.still_in_post += other.still_in_post
        for months in MILESTONES:
            self.reached[months] += other.reached[months]
            self.retained[months] += other.retained[months]

    def percent(self, months: int) -> int | None:
        assert self.reached is not None and self.retained is not None
        if not self.reached[months]:
            return None
        return round(100 * self.retained[months] / self.reached[months])

    @property
    def milestones(self) -> list[tuple[int, int, int, int | None]]:
        """(months, reached, retained, percent) per milestone, for templates."""
        assert self.reached is not None and self.retained is not None
        return [(m, self.reached[m], self.retained[m], self.percent(m)) for m in MILESTONES]


@dataclass(frozen=True)
class CurvePoint:
    months: float
    survival: float  # 0..1
    at_risk: int


@dataclass(frozen=True)
class SurvivalCurve:
    """A Kaplan-Meier estimate: leaving is the event, people still in post
    are censored on today."""

    steps: tuple[CurvePoint, ...]
    # When people still in post were censored: each person's time, or each
    # time once for a curve of people counted together
    # (``survival_curve_counted``), or only the latest for a curve read
    # from stored figures (all the chart needs).
    censored_months: tuple[float, ...]
    people: int
    leavers: int

    def survival_at(self, months: float) -> float:
        value = 1.0
        for step in self.steps:
            if step.months <= months:
                value = step.survival
        return value


def observation(spell: Spell, today: date) -> tuple[int, bool] | None:
    """A spell as the survival curve counts it: its days in post up to
    leaving (or up to today, still in post) and whether they left; None
    for a spell not started yet."""
    if spell.first_day > today:
        return None
    left = spell.last_day is not None and spell.last_day < today
    end = spell.last_day if left and spell.last_day else today
    return (end - spell.first_day).days, left


def survival_curve(spells: Iterable[Spell], today: date) -> SurvivalCurve:
    observations = []
    for spell in spells:
        seen = observation(spell, today)
        if seen is not None:
            observations.append(seen)
    return survival_curve_of(observations)


def survival_curve_counted(counts: Iterable[tuple[int, bool, int]]) -> SurvivalCurve:
    """The curve of (days in post, left, people) counts: the same curve as
    ``survival_curve_of`` the observations, each repeated ``people`` times
    (the retention page keeps its people counted so, far fewer than the
    people themselves), with each censored time once."""
    ordered = sorted((days, left, people) for days, left, people in counts if people)
    everyone = sum(people for _, _, people in ordered)
    steps = [CurvePoint(0.0, 1.0, everyone)]
    survival = 1.0
    at_risk = everyone
    index = 0
    while index < len(ordered):
        days = ordered[index][0]
        events = leaving = 0
        while index < len(ordered) and ordered[index][0] == days:
            events += ordered[index][2]
            if ordered[index][1]:
                leaving += ordered[index][2]
            index += 1
        if leaving:
            survival *= 1 - leaving / at_risk
            steps.append(CurvePoint(days / DAYS_PER_MONTH, survival, at_risk))
        at_risk -= events
    return SurvivalCurve(
        steps=tuple(steps),
        censored_months=tuple(days / DAYS_PER_MONTH for days, left, _ in ordered if not left),
        people=everyone,
        leavers=sum(people for _, left, people in ordered if left),
    )


def survival_curve_of(observations: Iterable[tuple[int, bool]]) -> SurvivalCurve:
    """The curve of (days in post, left) observations (``observation``):
    the stored dashboard figures keep these rather than the spells. Each
    observation is one person (``survival_curve_counted``)."""
    return survival_curve_counted((days, left, 1) for days, left in observations)
