"""The trainee's own enrolment for their portfolio page, with its cohort
and the cohort's training settings (the deadlines, whether the assessors
are chosen), in the one query that checks it is theirs. Its SQL is kept
and prepared once per connection (``kept.own_rows``); what the trainee may
read of their drafts and portfolio is training's ``trainee_portfolio``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from peerprog.core.models import User
from recruitment.models import Cohort
from selfservice.kept import own_rows
from training.models import CohortTraining, Enrolment

COLUMNS = (
    "status",
    "cohort_id",
    "cohort__name",
    "cohort__programme_id",
    "cohort__training_start",
    "cohort__training_end",
    "cohort__training__id",
    "cohort__training__draft_due",
    "cohort__training__final_due",
    "cohort__training__facilitator_id",
    "cohort__training__second_assessor_id",
)


def _enrolment(*, user: int, pk: int) -> QuerySet[Any]:
    return Enrolment.objects.filter(
        pk=pk, person__user_id=user, person__user__is_active=True
    ).values_list(*COLUMNS)


def own_portfolio_enrolment(*, user: User, pk: Any) -> Enrolment:
    """The account's own enrolment ``pk``; 404 for anyone else's. A cohort
    whose training settings were never saved is left for
    ``cohort_training_for`` to give the defaults."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such record of yours.") from None
    rows = own_rows(name="portfolio", build=_enrolment, user=user.pk, pk=pk)
    if not rows:
        raise Http404("No such record of yours.")
    (
        status,
        cohort_id,
        name,
        programme_id,
        training_start,
        training_end,
        training_id,
        draft_due,
        final_due,
        facilitator_id,
        second_assessor_id,
    ) = rows[0]
    cohort = Cohort(
        pk=cohort_id,
        name=name,
        programme_id=programme_id,
        training_start=training_start,
        training_end=training_end,
    )
    if training_id is not None:
        cohort.training = CohortTraining(
            pk=training_id,
            draft_due=draft_due,
            final_due=final_due,
            facilitator_id=facilitator_id,
            second_assessor_id=second_assessor_id,
        )
    return Enrolment(pk=pk, status=status, cohort=cohort)
