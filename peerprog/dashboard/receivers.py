"""Keep the dashboard's stored figures fresh: a write to a record they count
schedules a refresh of its programme (debounced, ``refresh_queue``).

These receivers invalidate a cache and nothing else: the apps they listen to
cannot import the dashboard (it sits above them), so the dashboard listens.
No business logic belongs here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save

from deployment.models import Appointment, InductionItem, TrainingRecord
from peerprog.core import workbook
from peerprog.dashboard import refresh_queue
from recruitment.models import Application, ApplicationMove
from supervision.models import (
    MentorAssignment,
    MentorMeeting,
    SupervisionAssignment,
    SupervisionSession,
)
from training.models import Assessment, Enrolment

# Each model whose records the figures count, and how to reach its programme.
WATCHED: dict[type, Callable[[Any], int | None]] = {
    Application: lambda r: r.cohort.programme_id,
    ApplicationMove: lambda r: r.application.cohort.programme_id,
    Enrolment: lambda r: r.cohort.programme_id,
    Assessment: lambda r: r.submission.enrolment.cohort.programme_id,
    MentorAssignment: lambda r: r.enrolment.cohort.programme_id,
    MentorMeeting: lambda r: r.assignment.enrolment.cohort.programme_id,
    Appointment: lambda r: r.programme_id,
    InductionItem: lambda r: r.appointment.programme_id,
    TrainingRecord: lambda r: r.programme_id,
    SupervisionAssignment: lambda r: r.person.programme_id,
    SupervisionSession: lambda r: r.programme_id,
}


def _changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    try:
        programme_id = WATCHED[sender](instance)
    except ObjectDoesNotExist:
        # Deleted along with what it belonged to; that deletion is heard too.
        return
    refresh_queue.schedule(programme_id)


def _after_workbook(book: workbook.Book) -> None:
    """An imported history refreshes its programme's figures at once, in the
    import's transaction."""
    from peerprog.dashboard.services import dashboard_figures_refresh

    # Within the import's request: the dashboard's page is drawn at the
    # next refresh.
    dashboard_figures_refresh(programme=book.programme, draw_page=False)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"dashboard-{model.__name__}-save")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"dashboard-{model.__name__}-delete"
        )
    workbook.register_after_load(_after_workbook)
