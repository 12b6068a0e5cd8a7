"""Data-map declaration of the dashboard's stored figures."""

from __future__ import annotations

from peerprog.core.privacy.datamap import holds_none


def register() -> None:
    from peerprog.dashboard.models import CohortFigures

    holds_none(
        CohortFigures,
        note="Counts per cohort, and peer workers' spells in post with no name or "
        "record of who they are; mentors by account number only.",
    )
