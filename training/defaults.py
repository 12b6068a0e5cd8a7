"""The study's defaults that a programme and a cohort start with: the
portfolio rubric, the non-completion reasons and a cohort's training
settings, each created once, idempotently, the first time it is needed.

They sit below both the services and the selectors because a page that
reads a cohort's settings or rubric creates them on first sight, and
selectors import no services.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from peerprog.core.models import Programme
from recruitment.models import Cohort
from training.models import CohortTraining, NonCompletionReason, Rubric, RubricCriterion

DEFAULT_RUBRIC_NAME = "Portfolio criteria"
DEFAULT_CRITERIA: list[tuple[str, str]] = [
    (
        "Reflects on own lived experience and recovery",
        "Uses their own story with purpose, and shows what they learnt from it.",
    ),
    (
        "Understands the peer worker role",
        "Describes mutuality, hope and the difference from clinical roles.",
    ),
    (
        "Shares lived experience safely and keeps boundaries",
        "Chooses what to share and why; knows where the boundaries lie.",
    ),
    (
        "Knows about risk, safety and where to turn",
        "Recognises risk, suicide prevention and how to raise a concern.",
    ),
    (
        "Reflects on each part of the course",
        "Covers the course's themes with examples from sessions and practice.",
    ),
    (
        "Plans their own development and wellbeing at work",
        "Has a realistic plan for keeping well and for continuing to learn.",
    ),
]

Category = NonCompletionReason.Category

# The study's reasons, seeded for every programme. Leads may reword them.
DEFAULT_REASONS: list[tuple[str, str, bool]] = [
    ("Portfolio incomplete", Category.PORTFOLIO_INCOMPLETE, False),
    ("Portfolio not submitted", Category.PORTFOLIO_NOT_SUBMITTED, False),
    ("Left the programme: paid employment elsewhere", Category.LEFT_PAID_EMPLOYMENT, False),
    ("Left the programme: further study", Category.LEFT_FURTHER_STUDY, False),
    ("Left the programme: other volunteering", Category.LEFT_OTHER_VOLUNTEERING, False),
    ("Left the programme: health issues", Category.LEFT_HEALTH, True),
    ("Left the programme: personal factors", Category.LEFT_PERSONAL, True),
]


@transaction.atomic
def rubric_ensure_default(*, programme: Programme) -> Rubric:
    """The programme's first rubric, created with the default criteria if
    the programme has none."""
    rubric = Rubric.objects.filter(programme=programme).order_by("is_archived", "pk").first()
    if rubric is not None:
        return rubric
    rubric = Rubric(programme=programme, name=DEFAULT_RUBRIC_NAME)
    rubric.full_clean()
    rubric.save()
    for order, (title, guidance) in enumerate(DEFAULT_CRITERIA, start=1):
        criterion = RubricCriterion(rubric=rubric, order=order, title=title, guidance=guidance)
        criterion.full_clean()
        criterion.save()
    return rubric


def non_completion_reasons_ensure_defaults(*, programme: Programme) -> list[NonCompletionReason]:
    """Seed the study's reasons for the programme, once per category.

    A category that already has a reason (perhaps reworded by a lead, or
    archived) is left alone, so running this again changes nothing.
    """
    with transaction.atomic():
        existing = set(
            NonCompletionReason.objects.filter(programme=programme).values_list(
                "category", flat=True
            )
        )
        for order, (label, category, reveals_health) in enumerate(DEFAULT_REASONS):
            if category in existing:
                continue
            reason = NonCompletionReason(
                programme=programme,
                label=label,
                category=category,
                reveals_health=reveals_health,
                order=order,
            )
            reason.full_clean()
            reason.save()
    return list(NonCompletionReason.objects.filter(programme=programme))


def cohort_training_ensure(*, cohort: Cohort) -> CohortTraining:
    """The cohort's training settings, created with the defaults if missing:
    draft due half-way, final portfolio two weeks after the course, the
    programme's rubric. Seeds the programme's non-completion reasons too."""
    existing = CohortTraining.objects.filter(cohort=cohort).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        non_completion_reasons_ensure_defaults(programme=cohort.programme)
        draft_due, final_due = CohortTraining.default_dates(cohort)
        training = CohortTraining(
            cohort=cohort,
            draft_due=draft_due,
            final_due=final_due,
            rubric=rubric_ensure_default(programme=cohort.programme),
        )
        training.full_clean(validate_unique=False)
        try:
            # A savepoint: if another request created the settings first,
            # theirs are kept and returned.
            with transaction.atomic():
                training.save()
        except IntegrityError:
            return CohortTraining.objects.get(cohort=cohort)
        return training
