"""The conditions survey's results export, registered with the kernel's export
framework."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import QueryDict

from peerprog.core import exports
from peerprog.core.exports import Column, ExportSpec
from peerprog.core.models import User
from readiness import results, selectors

SURVEY_RESULTS = "deployment.survey-results"


def survey_result_rows(user: User, params: QueryDict) -> Iterable[Any]:
    """One row per question of the round named by ``round``: figures only,
    with any group of fewer than five shown as "fewer than 5"."""
    survey_round = selectors.get_round_for_user(user=user, pk=params.get("round", ""))
    return list(results.export_rows(results.round_results(survey_round=survey_round)))


def describe_survey_results(user: User, params: QueryDict) -> list[tuple[str, str]]:
    survey_round = selectors.get_round_for_user(user=user, pk=params.get("round", ""))
    return [("Survey round", survey_round.title)]


def _cell(index: int) -> Any:
    return lambda row: row[index]


def register() -> None:
    exports.register(
        ExportSpec(
            key=SURVEY_RESULTS,
            title="Conditions survey results",
            roles=selectors.RESULT_READERS,
            columns=[
                Column(header, _cell(index)) for index, header in enumerate(results.EXPORT_HEADERS)
            ],
            rows=survey_result_rows,
            describe=describe_survey_results,
        )
    )
