"""Template helpers of the induction checklist."""

from __future__ import annotations

from datetime import date

from django import template

from deployment.models import Appointment, InductionItem
from deployment.selectors.induction import Progress, induction_progress

register = template.Library()


@register.filter
def due_on(item: InductionItem, start_date: date | None) -> date | None:
    """The day an item is due, or None before the start date is known."""
    return item.due_on(start_date)


@register.simple_tag
def progress_of(appointment: Appointment, today: date) -> Progress:
    """Progress of an appointment's checklist, from its prefetched items."""
    return induction_progress(appointment=appointment, today=today)
