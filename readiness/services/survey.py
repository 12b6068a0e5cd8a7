"""The organisational-conditions survey: its instrument, rounds, respondent
links and answers.

A respondent's link carries a random token; only its SHA-256 hash is
stored, so the database cannot give a link back. A link opens one response
only, may be used to save a draft and come back, stops accepting answers
once the response is sent, and expires at the end of the round's closing
date (or when a lead closes the round).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from peerprog.core.models import Programme, Service, User
from peerprog.core.outbox import services as outbox
from readiness.models import (
    Happening,
    RespondentSetting,
    RoundQuestion,
    StakeholderGroup,
    SurveyAnswer,
    SurveyDomain,
    SurveyInstrument,
    SurveyItem,
    SurveyItemVersion,
    SurveyRespondent,
    SurveyRound,
)
from readiness.services.common import ReadinessError, clean_or_refuse

MAX_LINKS_AT_ONCE = 200

# The default instrument, in our own words, after the conditions the study
# of new peer worker roles in England found to matter.
DEFAULT_INSTRUMENT_NAME = "Conditions for peer worker roles"
DEFAULT_INSTRUMENT = [
    (
        "Recruitment and the role",
        [
            "Peer worker posts are advertised and filled openly, with lived experience "
            "as an essential requirement.",
            "People with lived experience sit on the interview panels for peer worker posts.",
            "There is a written description of what the peer worker role is and is not.",
            "Everyone in the team shares an understanding of what peer workers do.",
        ],
    ),
    (
        "Training and development",
        [
            "Peer workers receive training written for the peer role, not only general induction.",
            "The teams that receive peer workers are trained about the role before "
            "peer workers start.",
            "Peer workers have chances to keep learning and to gain qualifications.",
        ],
    ),
    (
        "Support, supervision and management",
        [
            "Peer workers get regular supervision from someone who understands peer work.",
            "Supervision is kept separate from line management, and both are clear "
            "about their part.",
            "Line managers support peer workers to work in a peer way.",
            "The team welcomes peer workers and includes them in its meetings and decisions.",
            "Peer workers can meet other peer workers for support and reflection.",
            "Peer workers can choose when and how they share their own lived experience.",
        ],
    ),
    (
        "Pay, conditions and progression",
        [
            "Peer workers are paid the same as others doing similar work.",
            "Peer workers have routes to promotion and to more senior peer roles.",
            "Working hours and adjustments are flexible enough for peer workers' needs.",
        ],
    ),
    (
        "Leadership and strategy",
        [
            "Senior managers visibly support peer worker roles.",
            "Peer worker roles are part of the organisation's workforce plans and budgets.",
            "Leadership for peer roles comes from people in the communities the service "
            "works with.",
            "Commissioners understand and fund peer worker roles.",
        ],
    ),
    (
        "Ways of working",
        [
            "Teams are clear how referrals to peer workers will work.",
            "Teams are clear what peer workers record in notes and how.",
            "Policies have been reviewed so that they allow peer workers to work in a peer way.",
            "There are enough peer workers in a team for them not to be on their own.",
            "Peer workers are involved in reviews after serious incidents.",
        ],
    ),
]


class SurveyLinkError(ReadinessError):
    """A survey link that cannot be used, with why: ``unknown``, ``used``,
    ``expired``."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class AnswerError(ReadinessError):
    """Answers that cannot be saved. ``errors`` maps a field name to its
    message, so the form can show each beside its question."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


def token_hash(*, token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# The instrument ---------------------------------------------------------------


@transaction.atomic
def item_add(*, domain: SurveyDomain, wording: str, by: User) -> SurveyItem:
    """Add an item at the end of its domain, with its first version."""
    wording = wording.strip()
    last = domain.items.aggregate(last=Max("order"))["last"]
    item = SurveyItem(domain=domain, wording=wording, version=1, order=(last or 0) + 1)
    clean_or_refuse(instance=item)
    item.save()
    SurveyItemVersion.objects.create(item=item, number=1, wording=wording, created_by=by)
    return item


@transaction.atomic
def item_update(*, item: SurveyItem, wording: str, is_active: bool, by: User) -> SurveyItem:
    """Reword an item (a new version; rounds keep the version they asked)
    or stop asking it in new rounds."""
    item = SurveyItem.objects.select_for_update().get(pk=item.pk)
    wording = wording.strip()
    if wording != item.wording:
        item.version += 1
        item.wording = wording
        SurveyItemVersion.objects.create(
            item=item, number=item.version, wording=wording, created_by=by
        )
    item.is_active = is_active
    clean_or_refuse(instance=item)
    item.save()
    return item


@transaction.atomic
def domain_add(*, instrument: SurveyInstrument, title: str, by: User) -> SurveyDomain:
    last = instrument.domains.aggregate(last=Max("order"))["last"]
    domain = SurveyDomain(instrument=instrument, title=title.strip(), order=(last or 0) + 1)
    clean_or_refuse(instance=domain)
    domain.save()
    return domain


@transaction.atomic
def instrument_create(
    *, programme: Programme, name: str, by: User, description: str = ""
) -> SurveyInstrument:
    instrument = SurveyInstrument(programme=programme, name=name.strip(), description=description)
    clean_or_refuse(instance=instrument)
    instrument.save()
    return instrument


@transaction.atomic
def instrument_ensure_default(*, programme: Programme, by: User) -> SurveyInstrument | None:
    """Give a programme the default instrument if it has no instrument yet.
    Returns the new instrument, or None when the programme had one."""
    if SurveyInstrument.objects.filter(programme=programme).exists():
        return None
    instrument = instrument_create(
        programme=programme,
        name=DEFAULT_INSTRUMENT_NAME,
        description="Is each condition for peer worker roles in place here, and how "
        "important is it? Edit the wording to suit your services.",
        by=by,
    )
    for title, items in DEFAULT_INSTRUMENT:
        domain = domain_add(instrument=instrument, title=title, by=by)
        for wording in items:
            item_add(domain=domain, wording=wording, by=by)
    return instrument


# Rounds -------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    programme: Programme,
    instrument: SurveyInstrument,
    title: str,
    opens_on: object,
    closes_on: object,
    by: User,
    services: Iterable[Service] = (),
) -> SurveyRound:
    """Start a round of the instrument. The items asked, at their current
    wording, are fixed now: later edits do not change this round."""
    if instrument.programme_id != programme.pk:
        raise ReadinessError("Choose an instrument of your programme.")
    services = list(services)
    if any(service.programme_id != programme.pk for service in services):
        raise ReadinessError("Choose services of your programme.")
    survey_round = SurveyRound(
        programme=programme,
        instrument=instrument,
        title=title.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
    )
    clean_or_refuse(instance=survey_round)
    survey_round.save()
    survey_round.services.set(services)
    items = list(
        SurveyItem.objects.filter(domain__instrument=instrument, is_active=True)
        .select_related("domain")
        .order_by("domain__order", "domain__pk", "order", "pk")
    )
    if not items:
        raise ReadinessError("The instrument has no items to ask yet.")
    versions = {
        (version.item_id, version.number): version
        for version in SurveyItemVersion.objects.filter(item__in=items)
    }
    RoundQuestion.objects.bulk_create(
        RoundQuestion(
            round=survey_round,
            item=item,
            item_version=versions[(item.pk, item.version)],
            domain_title=item.domain.title,
            number=number,
        )
        for number, item in enumerate(items, start=1)
    )
    return survey_round


@transaction.atomic
def round_close(*, survey_round: SurveyRound, by: User) -> SurveyRound:
    """Close a round now: its links stop accepting answers."""
    survey_round = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    if survey_round.closed_at is not None:
        raise ReadinessError("This round is already closed.")
    survey_round.closed_at = timezone.now()
    survey_round.save()
    return survey_round


def _check_round_takes_links(survey_round: SurveyRound) -> None:
    if survey_round.closed_at is not None or survey_round.closes_on < timezone.localdate():
        raise ReadinessError("This round has closed: it cannot have new links.")


def _new_respondent(survey_round: SurveyRound, user: User | None = None) -> str:
    token = secrets.token_urlsafe(32)
    SurveyRespondent.objects.create(
        round=survey_round, token_hash=token_hash(token=token), user=user
    )
    return token


@transaction.atomic
def respondent_links_create(*, survey_round: SurveyRound, count: int, by: User) -> list[str]:
    """Make ``count`` anonymous links. The tokens are returned once, to be
    handed out; only their hashes are kept."""
    _check_round_takes_links(survey_round)
    if not 1 <= count <= MAX_LINKS_AT_ONCE:
        raise ReadinessError(f"Make between 1 and {MAX_LINKS_AT_ONCE} links at a time.")
    return [_new_respondent(survey_round) for _ in range(count)]


@transaction.atomic
def respondents_invite_staff(
    *,
    survey_round: SurveyRound,
    users: Iterable[User],
    by: User,
    link_for: Callable[[str], str],
) -> int:
    """Invite members of staff (mentors and supervisors, say): each gets
    their own link by e-mail, through the outbox. Nobody else sees the
    link. A person already invited to the round is not invited twice.
    Returns how many were invited."""
    _check_round_takes_links(survey_round)
    invited = set(
        SurveyRespondent.objects.filter(round=survey_round, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    count = 0
    for user in users:
        if user.programme_id != survey_round.programme_id:
            raise ReadinessError("Invite only staff of your programme.")
        if user.pk in invited:
            continue
        link = link_for(_new_respondent(survey_round, user=user))
        outbox.outbox_add(
            key=f"survey-invitation:{survey_round.pk}:{user.pk}",
            kind="survey_invitation",
            to=user.email,
            template="survey_invitation",
            context={
                "name": user.get_short_name(),
                "title": survey_round.title,
                "link": link,
                "closes": f"{survey_round.closes_on:%-d %B %Y}",
            },
            user_id=user.pk,
        )
        count += 1
    return count


# Answering ------------------------------------------------------------------


def respondent_for_token(*, token: str, for_update: bool = False) -> SurveyRespondent:
    """The respondent whose link this is, if the link can still be used.

    Raises ``SurveyLinkError``: ``unknown`` says nothing about whether other
    links exist; ``used`` and ``expired`` say why this link no longer works.
    """
    return respondent_for_link(
        hashed=token_hash(token=token) if token else "", for_update=for_update
    )


def respondent_for_link(*, hashed: str, for_update: bool = False) -> SurveyRespondent:
    """As ``respondent_for_token``, from the link's hash: what the answer
    pages keep in the respondent's session once the link has been opened,
    so that the token itself leaves the address bar."""
    queryset = SurveyRespondent.objects.select_related("round", "round__programme")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    respondent = queryset.filter(token_hash=hashed).first() if hashed else None
    if respondent is None:
        raise SurveyLinkError(
            "This survey link does not work. Check that you copied all of it.", reason="unknown"
        )
    if respondent.status == SurveyRespondent.Status.SUBMITTED:
        raise SurveyLinkError(
            "This link has already been used: the answers were sent, and cannot be changed.",
            reason="used",
        )
    survey_round = respondent.round
    today = timezone.localdate()
    if survey_round.closed_at is not None or today > survey_round.closes_on:
        raise SurveyLinkError(
            f"This survey closed on {survey_round.closes_on:%-d %B %Y}: the link no longer works.",
            reason="expired",
        )
    if today < survey_round.opens_on:
        raise SurveyLinkError(
            f"This survey opens on {survey_round.opens_on:%-d %B %Y}. Please come back then.",
            reason="not_open",
        )
    return respondent


@dataclass(frozen=True)
class AboutYou:
    stakeholder_group: str = ""
    setting: str = ""
    organisation_id: int | None = None


def _check_about(
    respondent: SurveyRespondent, about: AboutYou, *, submit: bool, errors: dict[str, str]
) -> None:
    if about.stakeholder_group and about.stakeholder_group not in StakeholderGroup.values:
        errors["stakeholder_group"] = "Choose one of the groups listed."
    if about.setting and about.setting not in RespondentSetting.values:
        errors["setting"] = "Choose one of the settings listed."
    if about.organisation_id is not None:
        programme = respondent.round.programme
        allowed = {programme.lead_organisation_id} | set(
            programme.partner_organisations.values_list("pk", flat=True)
        )
        if about.organisation_id not in allowed:
            errors["organisation"] = "Choose one of the organisations listed."
    if submit:
        if not about.stakeholder_group:
            errors.setdefault("stakeholder_group", "Say which group you answer as.")
        if not about.setting:
            errors.setdefault("setting", "Say which setting you work in.")


@transaction.atomic
def response_save(
    *,
    hashed: str,
    about: AboutYou,
    answers: Mapping[int, tuple[str, int | None]],
    submit: bool,
) -> SurveyRespondent:
    """Save a respondent's answers as a draft, or send them.

    ``answers`` maps a question id of the round to (happening, importance);
    either may be empty in a draft. Sending needs both answers for every
    question. Any question id not in the round, or an answer outside the
    scales, refuses the whole save: nothing is written.
    """
    respondent = respondent_for_link(hashed=hashed, for_update=True)
    questions = {
        question.pk: question
        for question in RoundQuestion.objects.filter(round_id=respondent.round_id)
    }
    stray = set(answers) - set(questions)
    if stray:
        raise AnswerError(
            "The form did not match this survey, so nothing was saved. Please open your link again."
        )
    errors: dict[str, str] = {}
    _check_about(respondent, about, submit=submit, errors=errors)
    for question_id, (happening, importance) in answers.items():
        if happening and happening not in Happening.values:
            errors[f"q{question_id}_happening"] = "Choose one of the answers listed."
        if importance is not None and importance not in (1, 2, 3, 4):
            errors[f"q{question_id}_importance"] = "Choose an importance from 1 to 4."
    if submit:
        for question_id, question in questions.items():
            happening, importance = answers.get(question_id, ("", None))
            if not happening:
                errors.setdefault(
                    f"q{question_id}_happening",
                    f"Question {question.number}: say whether this is happening here.",
                )
            if importance is None:
                errors.setdefault(
                    f"q{question_id}_importance",
                    f"Question {question.number}: say how important this is to you.",
                )
    if errors:
        message = (
            "Some answers are missing or not on the scale; nothing was sent. "
            "Check the questions marked below."
            if submit
            else "Some answers are not on the scale; nothing was saved."
        )
        raise AnswerError(message, errors)

    existing = {answer.question_id: answer for answer in respondent.answers.all()}
    for question_id, (happening, importance) in answers.items():
        answer = existing.get(question_id)
        if answer is None:
            if not happening and importance is None:
                continue
            answer = SurveyAnswer(respondent=respondent, question_id=question_id)
        answer.happening = happening
        answer.importance = importance
        answer.save()
    respondent.stakeholder_group = about.stakeholder_group
    respondent.setting = about.setting
    respondent.organisation_id = about.organisation_id
    if submit:
        respondent.status = SurveyRespondent.Status.SUBMITTED
        respondent.submitted_at = timezone.now()
    else:
        respondent.status = SurveyRespondent.Status.DRAFT
    respondent.save()
    return respondent
