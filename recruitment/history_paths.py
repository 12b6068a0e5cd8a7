"""An application's way through the stages as the history workbook writes
it: the day it reached each stage on its way to where it is now.

The Applications sheet has a date column per stage. The path on record is
read from the timeline (a move back drops the stages after it, so only the
way to the current stage counts, each stage at the last day it was
reached); the path in a row is checked against the allowed moves and
against itself before anything is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from recruitment.models import Application, ApplicationMove
from recruitment.services import ALLOWED_MOVES

Stage = Application.Stage
ORDER = {stage: index for index, stage in enumerate(Stage.values)}
OUTCOMES = (Stage.ACCEPTED, Stage.UNSUCCESSFUL, Stage.WITHDRAWN, Stage.DEFERRED)
ENDINGS = (Stage.UNSUCCESSFUL, Stage.WITHDRAWN, Stage.DEFERRED)

# (stage, field key, header) of the date columns, in pipeline order.
STAGE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    (Stage.SHORTLISTED, "shortlisted_on", "Shortlisted on"),
    (Stage.INVITED, "invited_on", "Invited on"),
    (Stage.OFFERED, "offered_on", "Offered on"),
    (Stage.ACCEPTED, "accepted_on", "Accepted on"),
    (Stage.UNSUCCESSFUL, "unsuccessful_on", "Unsuccessful on"),
    (Stage.WITHDRAWN, "withdrawn_on", "Withdrawn on"),
    (Stage.DEFERRED, "deferred_on", "Deferred on"),
)
HEADER = {stage: header for stage, _, header in STAGE_COLUMNS}
HEADER[Stage.RECEIVED] = "Received on"

Path = dict[str, date]


def label(stage: str) -> str:
    return str(Stage(stage).label).lower()


def long_date(day: date) -> str:
    return f"{day:%-d %B %Y}"


def recorded_path(moves: Iterable[ApplicationMove]) -> Path:
    """The day each stage was reached on the way to the current one."""
    path: Path = {}
    for move in moves:
        if move.to_stage == Stage.RECEIVED:
            path = {}
            continue
        path = {stage: day for stage, day in path.items() if ORDER[stage] < ORDER[move.to_stage]}
        path[move.to_stage] = timezone.localdate(move.at)
    return path


def application_path(application: Application) -> Path:
    """The path on record of an application (its moves prefetched or not).
    One whose current stage has no move on its timeline (recorded before
    every move was) counts it from the day its stage last changed."""
    path = recorded_path(application.moves.all())
    if application.stage != Stage.RECEIVED and application.stage not in path:
        path[application.stage] = timezone.localdate(application.stage_changed_at)
    return path


def in_order(path: Path) -> list[tuple[str, date]]:
    return sorted(path.items(), key=lambda item: (ORDER[item[0]], item[1]))


def final_stage(path: Path) -> str:
    steps = in_order(path)
    return steps[-1][0] if steps else Stage.RECEIVED


def path_problems(path: Path, *, received_on: date, today: date) -> list[tuple[str, str]]:
    """What is wrong with a row's stage dates, as (column, message)."""
    problems: list[tuple[str, str]] = []
    if received_on > today:
        problems.append(("Received on", "An application cannot be received in the future."))
    for stage, day in in_order(path):
        if day > today:
            problems.append((HEADER[stage], "This date is in the future."))
        elif day < received_on:
            problems.append(
                (
                    HEADER[stage],
                    f"This is before the application was received ({long_date(received_on)}).",
                )
            )
    endings = [stage for stage in ENDINGS if stage in path]
    if Stage.ACCEPTED in path and endings:
        problems.append(
            (
                HEADER[endings[0]],
                "An accepted application has no other outcome. Leave this empty, or remove "
                "the date in “Accepted on”.",
            )
        )
        return problems
    if len(endings) > 1:
        problems.append(
            (
                HEADER[endings[1]],
                f"An application has one outcome, but this row also has “{HEADER[endings[0]]}”. "
                "Keep one of them.",
            )
        )
        return problems
    previous = Stage.RECEIVED
    previous_day = received_on
    for stage, day in in_order(path):
        if day < previous_day:
            problems.append(
                (
                    HEADER[stage],
                    f"This is before “{HEADER[previous]}” ({long_date(previous_day)}): a stage "
                    "cannot be reached before the one it follows.",
                )
            )
            break
        previous, previous_day = stage, day
    return problems


def step_problem(stage_now: str, steps: list[str]) -> tuple[str, str] | None:
    """Why the moves still to make, from the stage the application is at,
    are not allowed (by the allowed-moves map), as (column, message)."""
    previous = stage_now
    for stage in steps:
        if stage not in ALLOWED_MOVES[previous]:
            return (
                HEADER[stage],
                f"An application cannot go from {label(previous)} straight to "
                f"{label(stage)}. Give the date of each stage in between.",
            )
        previous = stage
    return None


def difference(recorded: Path, wanted: Path, *, stage_now: str) -> tuple[str, str] | None:
    """Why a row cannot be loaded onto an application on record, when the
    row does not carry on from where the application is: (column, message)."""
    for stage, day in in_order(recorded):
        if stage not in wanted:
            return (
                "Stage",
                f"peerprog has this application {label(stage_now)} (since "
                f"{long_date(recorded.get(stage_now, day))}), and "
                f"{label(stage)} on {long_date(day)}; the row has no date in "
                f"“{HEADER[stage]}”. A workbook only adds the stages that came later: it "
                "never moves an application back. Give the dates peerprog has, or change "
                "the application on its page.",
            )
        if wanted[stage] != day:
            return (
                HEADER[stage],
                f"peerprog has this application {label(stage)} on {long_date(day)}, not "
                f"{long_date(wanted[stage])}. A workbook does not change the day of a stage "
                "already recorded.",
            )
    return None
