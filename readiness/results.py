"""The arithmetic of a survey round's results, from sent responses only.

For each question: the share giving each answer to "is this happening
here?" among those who answered it, and the mean importance (1 not at all
to 4 extremely) with the number answering. Comparisons split the same
figures by stakeholder group, setting or organisation type. Any group of
fewer than five respondents is never shown: it reads "fewer than 5", so
nobody's answers can be picked out.

Each figure comes from a handful of grouped queries whatever the number of
respondents: answers are counted in the database, by question, group and
answer, and the shares and means worked out here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count

from peerprog.core.models import Organisation
from readiness.models import (
    Happening,
    RespondentSetting,
    RoundQuestion,
    StakeholderGroup,
    SurveyAnswer,
    SurveyRespondent,
    SurveyRound,
)

MINIMUM_GROUP = 5
SUPPRESSED = "fewer than 5"
TOP_GAPS = 10

ORGANISATION_TYPES = {
    Organisation.Kind.NHS_TRUST: "NHS",
    Organisation.Kind.VOLUNTARY: "Voluntary sector",
    Organisation.Kind.PARTNERSHIP: "Partnership",
    Organisation.Kind.OTHER: "Other",
    "": "Organisation not given",
}

# What each comparison groups by: the respondent's field and the groups' names.
DIMENSIONS: dict[str, tuple[str, str, dict[str, str]]] = {
    "group": ("Stakeholder group", "stakeholder_group", dict(StakeholderGroup.choices)),
    "setting": ("Setting", "setting", dict(RespondentSetting.choices)),
    "organisation": ("Organisation type", "organisation__kind", ORGANISATION_TYPES),
}


@dataclass
class Tally:
    """The answers to one question from one set of respondents."""

    counts: dict[str, int] = field(default_factory=dict)
    importance_sum: int = 0
    importance_n: int = 0

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    def add(self, happening: str, importance: int | None, n: int) -> None:
        if happening:
            self.counts[happening] = self.counts.get(happening, 0) + n
        if importance is not None:
            self.importance_sum += importance * n
            self.importance_n += n

    def percent(self, answer: str) -> float | None:
        if not self.answered:
            return None
        return 100 * self.counts.get(answer, 0) / self.answered

    @property
    def percents(self) -> list[tuple[str, str, float | None]]:
        return [(value, label, self.percent(value)) for value, label in Happening.choices]

    @property
    def mean_importance(self) -> float | None:
        if not self.importance_n:
            return None
        return self.importance_sum / self.importance_n

    @property
    def happening_score(self) -> float | None:
        """How far it is in place, 0 to 1, among those who said yes, partly
        or no: yes counts 1, partly a half."""
        yes = self.counts.get(Happening.YES, 0)
        partly = self.counts.get(Happening.PARTLY, 0)
        no = self.counts.get(Happening.NO, 0)
        if not yes + partly + no:
            return None
        return (yes + partly / 2) / (yes + partly + no)

    @property
    def gap(self) -> float | None:
        """Mean importance times the share not in place: high when it
        matters and is not happening."""
        if self.mean_importance is None or self.happening_score is None:
            return None
        return self.mean_importance * (1 - self.happening_score)

    @property
    def suppressed(self) -> bool:
        return self.answered < MINIMUM_GROUP


@dataclass
class ItemResult:
    question: RoundQuestion
    tally: Tally


@dataclass
class GroupColumn:
    key: str
    label: str
    respondents: int

    @property
    def suppressed(self) -> bool:
        return self.respondents < MINIMUM_GROUP


@dataclass
class Comparison:
    dimension: str
    title: str
    columns: list[GroupColumn]
    rows: list[tuple[RoundQuestion, list[Tally | None]]]


@dataclass
class ChangeRow:
    question: RoundQuestion
    now: Tally
    before: Tally | None

    @property
    def yes_change(self) -> float | None:
        if self.before is None or self.before.suppressed or self.now.suppressed:
            return None
        now, before = self.now.percent(Happening.YES), self.before.percent(Happening.YES)
        return None if now is None or before is None else now - before

    @property
    def importance_change(self) -> float | None:
        if self.before is None or self.before.suppressed or self.now.suppressed:
            return None
        now, before = self.now.mean_importance, self.before.mean_importance
        return None if now is None or before is None else now - before


@dataclass
class RoundResults:
    survey_round: SurveyRound
    respondents: int
    items: list[ItemResult]

    @property
    def suppressed(self) -> bool:
        return self.respondents < MINIMUM_GROUP

    @property
    def gaps(self) -> list[ItemResult]:
        """The items that matter most and happen least, worst first."""
        scored = [
            item for item in self.items if not item.tally.suppressed and item.tally.gap is not None
        ]
        scored.sort(key=lambda item: (-(item.tally.gap or 0), item.question.number))
        return scored[:TOP_GAPS]


def _sent(survey_round: SurveyRound) -> Iterable[SurveyAnswer]:
    return SurveyAnswer.objects.filter(
        respondent__round=survey_round, respondent__status=SurveyRespondent.Status.SUBMITTED
    )


def _questions(survey_round: SurveyRound) -> list[RoundQuestion]:
    return list(
        RoundQuestion.objects.filter(round=survey_round)
        .select_related("item_version")
        .order_by("number")
    )


def round_results(*, survey_round: SurveyRound) -> RoundResults:
    """Every question's shares and mean importance, over all sent responses."""
    questions = _questions(survey_round)
    tallies: dict[int, Tally] = defaultdict(Tally)
    rows = (
        _sent(survey_round)
        .values("question_id", "happening", "importance")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        tallies[row["question_id"]].add(row["happening"], row["importance"], row["n"])
    respondents = SurveyRespondent.objects.filter(
        round=survey_round, status=SurveyRespondent.Status.SUBMITTED
    ).count()
    return RoundResults(
        survey_round=survey_round,
        respondents=respondents,
        items=[ItemResult(question, tallies[question.pk]) for question in questions],
    )


def comparison(*, survey_round: SurveyRound, dimension: str) -> Comparison:
    """The questions' figures split by one dimension (``group``, ``setting``
    or ``organisation``). A group with fewer than five respondents shows no
    figures (its cells are None)."""
    title, path, labels = DIMENSIONS[dimension]
    questions = _questions(survey_round)
    sizes: dict[str, int] = defaultdict(int)
    for key, n in (
        SurveyRespondent.objects.filter(
            round=survey_round, status=SurveyRespondent.Status.SUBMITTED
        )
        .values(path)
        .annotate(n=Count("pk"))
        .order_by()
        .values_list(path, "n")
    ):
        sizes[key or ""] += n
    # Every named group is shown, even with nobody in it; "not given" only
    # when someone gave no answer to it.
    columns = [
        GroupColumn(key, label, sizes.get(key, 0))
        for key, label in labels.items()
        if key or sizes.get(key, 0)
    ]
    tallies: dict[tuple[int, str], Tally] = defaultdict(Tally)
    rows = (
        _sent(survey_round)
        .values("question_id", f"respondent__{path}", "happening", "importance")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        key = row[f"respondent__{path}"] or ""
        tallies[(row["question_id"], key)].add(row["happening"], row["importance"], row["n"])
    return Comparison(
        dimension=dimension,
        title=title,
        columns=columns,
        rows=[
            (
                question,
                [
                    None
                    if column.suppressed or tallies[(question.pk, column.key)].suppressed
                    else tallies[(question.pk, column.key)]
                    for column in columns
                ],
            )
            for question in questions
        ],
    )


def change_between(*, survey_round: SurveyRound, earlier: SurveyRound) -> list[ChangeRow]:
    """Two rounds of the same instrument side by side, item by item (an
    item reworded between them is still the same item)."""
    now = round_results(survey_round=survey_round)
    before = round_results(survey_round=earlier)
    # A round of fewer than five has no item answered by five or more, so
    # its tallies all read as suppressed.
    before_by_item = {item.question.item_id: item.tally for item in before.items}
    return [
        ChangeRow(
            question=item.question,
            now=item.tally,
            before=before_by_item.get(item.question.item_id),
        )
        for item in now.items
    ]


def export_rows(results: RoundResults) -> Iterable[list[object]]:
    """One row per question, for CSV and XLSX. Suppressed figures read
    "fewer than 5"."""
    for item in results.items:
        tally = item.tally
        row: list[object] = [
            item.question.number,
            item.question.domain_title,
            item.question.item_version.wording,
            item.question.item_version.number,
        ]
        if results.suppressed or tally.suppressed:
            row += [SUPPRESSED] * (len(Happening.choices) + 4)
        else:
            row += [tally.answered]
            row += [round(tally.percent(value) or 0.0, 1) for value, _ in Happening.choices]
            mean = tally.mean_importance
            gap = tally.gap
            row += [
                round(mean, 2) if mean is not None else "",
                tally.importance_n,
                round(gap, 2) if gap is not None else "",
            ]
        yield row


EXPORT_HEADERS = [
    "Number",
    "Domain",
    "Item",
    "Wording version",
    "Answered 'happening here?'",
    *[f"% {label}" for _, label in Happening.choices],
    "Mean importance (1 to 4)",
    "Answered importance",
    "Gap score",
]
