"""The dashboard's stored figures: each cohort's counts as of their last
refresh, so the programme dashboard reads a few rows however many people
the programme has. Only ``dashboard_figures_refresh`` writes them."""

from __future__ import annotations

from django.db import models


class CohortFigures(models.Model):
    """One cohort's dashboard figures, computed from live records at
    ``refreshed_on``/``refreshed_at``: counts of no one person (the peer
    workers are kept as anonymous spells so that retention can be counted
    for any service and set of cohorts)."""

    programme = models.ForeignKey(
        "core.Programme", on_delete=models.CASCADE, related_name="cohort_figures"
    )
    cohort = models.ForeignKey(
        "recruitment.Cohort", on_delete=models.CASCADE, related_name="dashboard_figures"
    )
    refreshed_at = models.DateTimeField()
    # The day the figures were counted for (``today`` of the rules that
    # depend on the date: retention milestones, mentoring on track).
    counted_on = models.DateField()
    figures = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "cohort"], name="dashboard_figures_one_per_cohort"
            )
        ]

    def __str__(self) -> str:
        return f"Figures of cohort {self.cohort_id} at {self.refreshed_at:%Y-%m-%d %H:%M}"


class ProgrammeFigures(models.Model):
    """The programme dashboard as drawn for the whole programme (no
    filter), from its cohorts' stored figures at the same refresh: the
    tables' rows and the charts' numbers already added up, so the
    unfiltered page reads one row. Kept with the cohorts' stamps it was
    drawn from; any other stamp and the page adds up the cohorts' rows."""

    programme = models.OneToOneField(
        "core.Programme", on_delete=models.CASCADE, related_name="dashboard_page"
    )
    # The cohorts drawn, as the refresh left their figures: how many, the
    # sum of their ids, the first and last refresh.
    cohorts = models.PositiveIntegerField()
    cohort_ids = models.BigIntegerField()
    first_refreshed_at = models.DateTimeField()
    last_refreshed_at = models.DateTimeField()
    page = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Dashboard page of programme {self.programme_id}"
