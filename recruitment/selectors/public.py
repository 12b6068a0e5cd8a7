"""Recruitment's public reads (the application pages, with no user and so no
role check), and what an applicant gave online that their record does not
hold yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from peerprog.core.models import Programme
from recruitment.models import Application, Cohort

# The public application pages: no user, so no role check. They name only
# what a programme publishes (its name, its cohorts taking applications).


def programme_for_slug(*, slug: str) -> Programme:
    """The programme at this public address, or 404."""
    return get_object_or_404(Programme, slug=slug)


def cohorts_open_for_applications(*, programme: Programme, today: date) -> QuerySet[Cohort]:
    """The programme's cohorts taking applications today: recruiting, and
    today within their application window. One query."""
    return Cohort.objects.filter(
        programme=programme,
        status=Cohort.Status.RECRUITING,
        applications_open__lte=today,
        applications_close__gte=today,
    ).order_by("applications_close", "training_start", "name")


def cohort_for_public(*, slug: str, pk: Any) -> Cohort:
    """A cohort of the programme at this public address (open or not), or
    404: one query, with its programme."""
    return get_object_or_404(
        Cohort.objects.select_related("programme"), pk=pk, programme__slug=slug
    )


# The labels of the details an applicant gives online.
DETAIL_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "preferred_name": "Preferred name",
    "date_of_birth": "Date of birth",
    "email": "E-mail address",
    "phone": "Phone",
    "address": "Address",
    "email_allowed": "Agrees to e-mail",
    "hard_copy_letters": "Wants letters on paper",
}


@dataclass(frozen=True)
class DetailDifference:
    label: str
    on_record: str
    given: str


def _shown(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name == "date_of_birth" and value:
        value = date.fromisoformat(value) if isinstance(value, str) else value
        return f"{value.day} {value:%B %Y}"
    return str(value) if value not in (None, "") else "Not given"


def details_differences(*, application: Application) -> list[DetailDifference]:
    """What the applicant gave online that is still not what their record
    holds, field by field (no query: the person is already loaded)."""
    person = application.person
    differences: list[DetailDifference] = []
    for name, given in (application.details_given or {}).items():
        if name not in DETAIL_LABELS:
            continue
        current = getattr(person, name)
        current_text = _shown(name, current)
        given_text = _shown(name, given)
        if current_text != given_text:
            differences.append(DetailDifference(DETAIL_LABELS[name], current_text, given_text))
    return differences
