"""Outcome letters: offer, unsuccessful (the reason phrased kindly) and
deferral, worded by the kernel's letter tool from a fixed set of safe
placeholders."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from peerprog.core import letters
from peerprog.core.models import Letter, User
from recruitment.models import Application, UnsuccessfulReason
from recruitment.services.moves import RecruitmentError

Stage = Application.Stage


# The unsuccessful reason in a letter is a kind phrase chosen by the reason's
# reporting category, never the lead's own wording of it: that wording is for
# staff, and might say more than a letter should.
KIND_REASONS = {
    UnsuccessfulReason.Category.NOT_READY_FOR_TRAINING: (
        "we feel that now may not be the right time for you to take on a 12-week training programme"
    ),
    UnsuccessfulReason.Category.NEEDS_VOLUNTEERING: (
        "we think a little more volunteering experience would help you get the most "
        "out of the training"
    ),
    UnsuccessfulReason.Category.NOT_ELIGIBLE: (
        "the course is not quite the right fit for your circumstances at the moment"
    ),
    UnsuccessfulReason.Category.COHORT_FULL: "all the places on this course have been filled",
    UnsuccessfulReason.Category.OTHER: "we were not able to offer you a place this time",
}

LETTER_FOR_STAGE = {
    Stage.OFFERED: "recruitment.offer",
    Stage.UNSUCCESSFUL: "recruitment.unsuccessful",
    Stage.DEFERRED: "recruitment.deferral",
}

LETTER_KINDS = [
    letters.LetterKind(
        key="recruitment.offer",
        label="Offer of a training place",
        placeholders=(
            "preferred_name",
            "full_name",
            "programme_name",
            "cohort_name",
            "training_start",
            "training_end",
            "today",
            "signed_by",
        ),
        default_subject="Your place on the {{ programme_name }} training",
        default_body=(
            "{{ today }}\n\nDear {{ preferred_name }},\n\n"
            "Thank you for applying to the {{ programme_name }}. We are delighted to offer "
            "you a place on the training course for {{ cohort_name }}. The course starts on "
            "{{ training_start }} and ends on {{ training_end }}.\n\n"
            "Please let us know whether you would like to accept the place. If you need "
            "anything to be arranged differently so that you can take part, tell us and we "
            "will talk it through with you.\n\n"
            "With best wishes,\n\n{{ signed_by }}\n{{ programme_name }}"
        ),
    ),
    letters.LetterKind(
        key="recruitment.unsuccessful",
        label="Application not successful",
        placeholders=(
            "preferred_name",
            "full_name",
            "programme_name",
            "cohort_name",
            "reason",
            "today",
            "signed_by",
        ),
        default_subject="Your application to the {{ programme_name }}",
        default_body=(
            "{{ today }}\n\nDear {{ preferred_name }},\n\n"
            "Thank you for applying to the {{ programme_name }} and for the time you gave "
            "us. We are sorry that we cannot offer you a place in {{ cohort_name }}: "
            "{{ reason }}.\n\n"
            "This is not the end of the road. You are very welcome to apply for a later "
            "cohort, and we would be glad to talk about ways to get there, such as "
            "volunteering opportunities.\n\n"
            "With best wishes,\n\n{{ signed_by }}\n{{ programme_name }}"
        ),
    ),
    letters.LetterKind(
        key="recruitment.deferral",
        label="Place deferred to a later cohort",
        placeholders=(
            "preferred_name",
            "full_name",
            "programme_name",
            "cohort_name",
            "later_cohort_name",
            "later_training_start",
            "today",
            "signed_by",
        ),
        default_subject="Your application moves to {{ later_cohort_name }}",
        default_body=(
            "{{ today }}\n\nDear {{ preferred_name }},\n\n"
            "As we discussed, your application to {{ cohort_name }} of the "
            "{{ programme_name }} now moves to {{ later_cohort_name }}, whose training starts "
            "on {{ later_training_start }}. You do not need to apply again.\n\n"
            "We look forward to staying in touch until then.\n\n"
            "With best wishes,\n\n{{ signed_by }}\n{{ programme_name }}"
        ),
    ),
]


def letter_kind_for(*, application: Application) -> str | None:
    return LETTER_FOR_STAGE.get(application.stage)


def letter_values(*, application: Application, by: User) -> dict[str, str]:
    """The only facts a recruitment letter may carry, as plain strings."""
    person = application.person
    cohort = application.cohort
    values = {
        "preferred_name": person.preferred_name or person.first_name,
        "full_name": person.legal_name,
        "programme_name": cohort.programme.name,
        "cohort_name": cohort.name,
        "training_start": date_format(cohort.training_start),
        "training_end": date_format(cohort.training_end),
        "today": date_format(timezone.localdate()),
        "signed_by": by.full_name,
        "reason": "",
        "later_cohort_name": "",
        "later_training_start": "",
    }
    if application.stage == Stage.UNSUCCESSFUL and application.unsuccessful_reason:
        values["reason"] = KIND_REASONS.get(
            application.unsuccessful_reason.category, KIND_REASONS["other"]
        )
    if application.stage == Stage.DEFERRED and application.deferred_to_id:
        later = application.deferred_to.cohort
        values["later_cohort_name"] = later.name
        values["later_training_start"] = date_format(later.training_start)
    return values


def letter_key(*, application: Application, kind: str) -> str:
    return f"recruitment.application:{application.pk}:{kind}"


@transaction.atomic
def application_letter_issue(*, application: Application, by: User) -> Letter:
    """Issue the outcome letter for the application's current stage: e-mailed
    where the person agreed to e-mail, otherwise marked for posting."""
    kind = letter_kind_for(application=application)
    if kind is None:
        raise RecruitmentError(
            "There is no outcome letter for this stage. Letters are for offers, "
            "unsuccessful applications and deferrals."
        )
    return letters.letter_issue(
        person=application.person,
        kind=kind,
        key=letter_key(application=application, kind=kind),
        values=letter_values(application=application, by=by),
        by=by,
    )
