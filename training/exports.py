"""The training outcomes export: one row per trainee, streamed as CSV.

No portfolio contents, feedback or marks. Reasons that reveal health are
written only for readers allowed to see them. Cells that a spreadsheet
would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from peerprog.core.models import User
from training.selectors import outcome_list, reason_label

COLUMNS = [
    "Cohort",
    "Trainee",
    "Status",
    "Eligible for paid posts",
    "Eligible from",
    "Ended on",
    "Non-completion group",
    "Non-completion reason",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def outcome_rows(*, user: User) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for enrolment in outcome_list(user=user).iterator(chunk_size=500):
        reason = enrolment.non_completion_reason
        row = [
            enrolment.cohort.name,
            enrolment.person.display_name,
            enrolment.get_status_display(),
            "Yes" if enrolment.is_eligible else "No",
            enrolment.passed_on.isoformat() if enrolment.passed_on else "",
            enrolment.ended_on.isoformat() if enrolment.ended_on else "",
            reason.reporting_group if reason else "",
            reason_label(enrolment, user),
        ]
        yield writer.writerow([safe_cell(cell) for cell in row])
