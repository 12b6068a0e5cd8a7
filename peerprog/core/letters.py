"""Letters to people in the programme: editable wording, safe placeholders.

A kind of letter (an offer of a training place, say) is registered by the app
that sends it, with a fixed list of placeholders and a default wording. A
programme may reword the letter (``LetterTemplate``); the wording may use only
the kind's placeholders, written ``{{ preferred_name }}``.

Rendering is sandboxed by construction: the template is not a Django or
Jinja template and never sees an object. The sending app hands over a plain
dictionary of strings, one per placeholder, and the renderer substitutes
those strings and nothing else. A template cannot reach a person's other
attributes, their sensitive facts or anything else, because nothing else is
there to reach. Unknown placeholders are refused when the template is saved.

Issuing a letter stores exactly what was sent. A person who agreed to e-mail
gets it by e-mail (queued after the commit, by id); for everyone else it is
marked to be printed and posted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from peerprog.core.models import Letter, LetterTemplate, Person, Programme, User
from peerprog.core.outbox import services as outbox
from peerprog.core.services import DomainError

PLACEHOLDER = re.compile(r"{{\s*([^{}]*?)\s*}}")

# Every placeholder any letter may use, and what it means. Apps pick from
# these; none of them can carry health, disability or other special-category
# facts.
PLACEHOLDERS: dict[str, str] = {
    "preferred_name": "The name the person likes to be called",
    "full_name": "The person's full name",
    "programme_name": "The programme's name",
    "cohort_name": "The cohort's name",
    "training_start": "The date training starts",
    "training_end": "The date training ends",
    "reason": "The reason, phrased kindly",
    "later_cohort_name": "The later cohort's name",
    "later_training_start": "The date the later cohort's training starts",
    "job_title": "The job title of the post",
    "service_name": "The service or team the post is in",
    "interview_date": "The date of the recruitment day",
    "reserve_until": "The date a reserve-list place stands until",
    "today": "Today's date",
    "signed_by": "The name of the person sending the letter",
}


class LetterError(DomainError):
    """A letter that cannot be issued, in plain words."""


@dataclass(frozen=True)
class LetterKind:
    key: str
    label: str
    placeholders: tuple[str, ...]
    default_subject: str
    default_body: str


_kinds: dict[str, LetterKind] = {}


def register_kind(kind: LetterKind) -> None:
    unknown = set(kind.placeholders) - set(PLACEHOLDERS)
    if unknown:
        raise ValueError(f"Unknown placeholders for {kind.key}: {sorted(unknown)}")
    _kinds[kind.key] = kind


def kinds() -> list[LetterKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.label)


def kind_keys() -> set[str]:
    return set(_kinds)


def get_kind(key: str) -> LetterKind:
    try:
        return _kinds[key]
    except KeyError:
        raise LetterError("There is no such kind of letter.") from None


def placeholders_in(text: str) -> list[str]:
    return [match.group(1) for match in PLACEHOLDER.finditer(text)]


def check_text(text: str, kind: LetterKind) -> None:
    """Refuse any placeholder the kind does not allow, naming it."""
    allowed = set(kind.placeholders)
    wrong = [name for name in placeholders_in(text) if name not in allowed]
    if wrong:
        names = ", ".join(f"{{{{ {name} }}}}" for name in dict.fromkeys(wrong))
        usable = ", ".join(f"{{{{ {name} }}}}" for name in kind.placeholders)
        raise ValidationError(
            f"{names} cannot be used in this letter. You can use: {usable}.",
            code="placeholder",
        )


def render_text(text: str, values: Mapping[str, str]) -> str:
    """Substitute each placeholder with its string value; anything else,
    including a placeholder without a value, is left out."""

    def substitute(match: re.Match[str]) -> str:
        value = values.get(match.group(1), "")
        return value if isinstance(value, str) else ""

    return PLACEHOLDER.sub(substitute, text)


@dataclass(frozen=True)
class RenderedLetter:
    subject: str
    body: str


def template_for(*, programme: Programme, kind: str) -> LetterTemplate:
    """The programme's wording of the kind, or the default (unsaved)."""
    letter_kind = get_kind(kind)
    template = LetterTemplate.objects.filter(programme=programme, kind=kind).first()
    if template is None:
        template = LetterTemplate(
            programme=programme,
            kind=kind,
            subject=letter_kind.default_subject,
            body=letter_kind.default_body,
        )
    return template


def letter_render(*, programme: Programme, kind: str, values: Mapping[str, str]) -> RenderedLetter:
    letter_kind = get_kind(kind)
    safe_values = {name: str(values.get(name, "")) for name in letter_kind.placeholders}
    template = template_for(programme=programme, kind=kind)
    return RenderedLetter(
        subject=" ".join(render_text(template.subject, safe_values).split()),
        body=render_text(template.body, safe_values).strip() + "\n",
    )


@transaction.atomic
def letter_template_update(
    *, programme: Programme, kind: str, subject: str, body: str, by: User
) -> LetterTemplate:
    """Save the programme's wording of a kind of letter."""
    letter_kind = get_kind(kind)
    check_text(subject, letter_kind)
    check_text(body, letter_kind)
    template = (
        LetterTemplate.objects.select_for_update().filter(programme=programme, kind=kind).first()
    )
    if template is None:
        template = LetterTemplate(programme=programme, kind=kind)
    template.subject = subject
    template.body = body
    template.updated_at = timezone.now()
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def letter_template_reset(*, programme: Programme, kind: str, by: User) -> None:
    """Go back to the default wording."""
    get_kind(kind)
    template = LetterTemplate.objects.filter(programme=programme, kind=kind).first()
    if template is not None:
        template.delete()


@transaction.atomic
def letter_issue(
    *, person: Person, kind: str, key: str, values: Mapping[str, str], by: User
) -> Letter:
    """Word the letter from the programme's template and record it.

    Refused when the same letter (``key``) was already issued. By e-mail when
    the person agreed to e-mail and has an address, otherwise marked to post.
    The e-mail goes to the outbox in the same transaction, keyed by letter.
    """
    programme = person.programme
    if Letter.objects.filter(programme=programme, key=key).exists():
        raise LetterError("This letter has already been issued.")
    rendered = letter_render(programme=programme, kind=kind, values=values)
    by_email = bool(person.email_allowed and person.email and not person.hard_copy_letters)
    letter = Letter(
        programme=programme,
        person=person,
        kind=kind,
        key=key,
        subject=rendered.subject,
        body=rendered.body,
        channel=Letter.Channel.EMAIL if by_email else Letter.Channel.POST,
        status=Letter.Status.EMAIL if by_email else Letter.Status.TO_POST,
        created_by=by,
    )
    letter.full_clean(exclude=["key"])
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError as exc:
        raise LetterError("This letter has already been issued.") from exc
    if by_email:
        email = outbox.outbox_add(
            key=f"letter:{letter.pk}",
            kind="letter",
            to=person.email,
            template="letter",
            context={"subject": letter.subject, "body": letter.body},
            person_id=person.pk,
        )
        # The link to its e-mail is not personal data: no history row.
        Letter.objects.filter(pk=letter.pk).update(email=email)
        letter.email = email
    return letter


@transaction.atomic
def letter_mark_posted(*, letter: Letter, by: User) -> Letter:
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.channel != Letter.Channel.POST:
        raise LetterError("This letter was sent by e-mail, not by post.")
    if letter.status == Letter.Status.POSTED:
        raise LetterError("This letter is already marked as posted.")
    letter.status = Letter.Status.POSTED
    letter.posted_at = timezone.now()
    letter.full_clean()
    letter.save()
    return letter


def issued_message(letter: Letter) -> str:
    """What the person who issued a letter is told: e-mailed, or waiting to be
    printed and posted."""
    if letter.channel == letter.Channel.EMAIL:
        return "The letter is being e-mailed. Its page shows when it was delivered."
    return "The letter is ready to print and post: it is on the letters to post."
