"""Recruitment-day outcome letters (appoint, reserve list, not appointed),
worded by the kernel's letter tool from a fixed set of safe placeholders.

A letter says what was decided and nothing else: never the panel's notes,
never anything about health or adjustments."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from deployment.models import Interview, ReserveEntry
from deployment.services.common import DeploymentError
from peerprog.core import letters
from peerprog.core.models import Letter, User

_COMMON = ("preferred_name", "full_name", "programme_name", "interview_date", "today", "signed_by")

LETTER_KINDS = [
    letters.LetterKind(
        key="deployment.appoint",
        label="Offer of a peer worker post",
        placeholders=(*_COMMON, "job_title", "service_name"),
        default_subject="Your offer of a post: {{ job_title }}",
        default_body=(
            "{{ today }}\n\nDear {{ preferred_name }},\n\n"
            "Thank you for coming to the recruitment day on {{ interview_date }}. As we told "
            "you by phone, we are delighted to offer you the post of {{ job_title }} with "
            "{{ service_name }}.\n\n"
            "The offer depends on the usual pre-employment checks: a DBS check, occupational "
            "health, references and right to work. We will be in touch about each of them, "
            "and to agree your start date. If anything would help you start well, tell us "
            "and we will talk it through with you.\n\n"
            "With best wishes,\n\n{{ signed_by }}\n{{ programme_name }}"
        ),
    ),
    letters.LetterKind(
        key="deployment.reserve",
        label="Placed on the reserve list",
        placeholders=(*_COMMON, "job_title", "reserve_until"),
        default_subject="The {{ programme_name }} reserve list",
        default_body=(
            "{{ today }}\n\nDear {{ preferred_name }},\n\n"
            "Thank you for coming to the recruitment day on {{ interview_date }}. As we told "
            "you by phone, we could not offer you a post this time, but the panel would like "
            "to place you on our reserve list until {{ reserve_until }}. If a post becomes "
            "free, or a peer worker is away for a long time, we may contact you to offer you "
            "the work.\n\n"
            "With best wishes,\n\n{{ signed_by }}\n{{ programme_name }}"
        ),
    ),
    letters.LetterKind(
        key="deployment.not_appointed",
        label="Not appointed this time",
        placeholders=(*_COMMON, "job_title"),
        default_subject="Your application for {{ job_title }}",
        default_body=(
            "{{ today }}\n\nDear {{ preferred_name }},\n\n"
            "Thank you for coming to the recruitment day on {{ interview_date }} and for the "
            "time you gave us. As we told you by phone, we are not able to offer you the post "
            "this time.\n\n"
            "We would be glad to offer you feedback from the panel, and you are very welcome "
            "to apply for future posts in the programme.\n\n"
            "With best wishes,\n\n{{ signed_by }}\n{{ programme_name }}"
        ),
    ),
]

LETTER_FOR_OUTCOME = {
    Interview.Outcome.APPOINT: "deployment.appoint",
    Interview.Outcome.RESERVE: "deployment.reserve",
    Interview.Outcome.NOT_APPOINTED: "deployment.not_appointed",
}


def letter_kind_for(*, interview: Interview) -> str | None:
    return LETTER_FOR_OUTCOME.get(interview.outcome)


def letter_values(*, interview: Interview, by: User) -> dict[str, str]:
    """The only facts an outcome letter may carry, as plain strings."""
    person = interview.candidate.person
    post = interview.candidate.vacancy.post
    entry = ReserveEntry.objects.filter(interview=interview).first()
    return {
        "preferred_name": person.preferred_name or person.first_name,
        "full_name": person.legal_name,
        "programme_name": person.programme.name,
        "interview_date": date_format(interview.day.date),
        "job_title": post.job_title,
        "service_name": post.service.name,
        "reserve_until": date_format(entry.stands_until) if entry else "",
        "today": date_format(timezone.localdate()),
        "signed_by": by.full_name,
    }


def letter_key(*, interview: Interview, kind: str) -> str:
    return f"deployment.interview:{interview.pk}:{kind}"


@transaction.atomic
def interview_letter_issue(*, interview: Interview, by: User) -> Letter:
    """Issue the outcome letter for the panel's decision: e-mailed where the
    person agreed to e-mail, otherwise put on the list to print and post.
    Each decision's letter is issued once."""
    interview = Interview.objects.select_related(
        "day", "candidate__person__programme", "candidate__vacancy__post__service"
    ).get(pk=interview.pk)
    kind = letter_kind_for(interview=interview)
    if kind is None:
        raise DeploymentError("Record the panel's decision before issuing a letter.")
    return letters.letter_issue(
        person=interview.candidate.person,
        kind=kind,
        key=letter_key(interview=interview, kind=kind),
        values=letter_values(interview=interview, by=by),
        by=by,
    )
