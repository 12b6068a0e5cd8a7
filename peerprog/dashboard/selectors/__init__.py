"""The programme's reports, read across every app: the dashboard, the LXP
study's two tables and the equality-monitoring summary. Each takes a
``ReportScope`` (``report_scope(user=..., cohorts=..., ...)``), which keeps
every figure to the user's programme."""

from __future__ import annotations

from peerprog.dashboard.selectors.employment_counts import employment_counts
from peerprog.dashboard.selectors.equality import (
    CHARACTERISTICS,
    DEFAULT_CHARACTERISTIC,
    equality_summary,
)
from peerprog.dashboard.selectors.programme import Dashboard, programme_dashboard
from peerprog.dashboard.selectors.scope import (
    READERS,
    CohortRow,
    ReportScope,
    programme_cohort_rows,
    programme_cohorts,
    programme_service_rows,
    programme_services,
    report_scope,
)
from peerprog.dashboard.selectors.stored import stored_dashboard
from peerprog.dashboard.selectors.study import (
    EmploymentTable,
    TrainingTable,
    employment_table,
    training_table,
)

__all__ = [
    "CHARACTERISTICS",
    "DEFAULT_CHARACTERISTIC",
    "READERS",
    "CohortRow",
    "Dashboard",
    "EmploymentTable",
    "ReportScope",
    "TrainingTable",
    "employment_counts",
    "employment_table",
    "equality_summary",
    "programme_cohort_rows",
    "programme_cohorts",
    "programme_dashboard",
    "programme_service_rows",
    "programme_services",
    "report_scope",
    "stored_dashboard",
    "training_table",
]
