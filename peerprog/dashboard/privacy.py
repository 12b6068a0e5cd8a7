"""Data-map declaration of the dashboard's stored figures."""

from __future__ import annotations

from peerprog.core.privacy.datamap import holds_none


def register() -> None:
    from peerprog.dashboard.models import CohortFigures, ProgrammeFigures

    holds_none(
        CohortFigures,
        note="Counts per cohort, and peer workers' spells in post with no name or "
        "record of who they are; mentors by account number only.",
    )
    holds_none(
        ProgrammeFigures,
        note="The whole programme's dashboard as drawn from the cohorts' stored counts: "
        "cohort and service names and figures, no person's name or record.",
    )
