"""The accounts of the programme's own people: inviting a person, their own
contact details, and switching off an account whose person has left.

A person's account is a ``User`` with no staff role, linked from their
person record (``Person.user``). One account may hold the person's records
in several programmes, and may also hold a staff role (a peer worker who
supervises others): such an account is a member of staff's as well, and is
never switched off here.

Whether an account is still needed follows from the person's records, which
the kernel cannot read: each app registers, in its ``ready()``, how its
records stand for each person (``standing_register``). The kernel asks them
all and decides (``account_review``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from peerprog.core.access import SENSITIVE_READERS, has_role
from peerprog.core.models import Person, User
from peerprog.core.outbox import services as outbox
from peerprog.core.services import DomainError, clean_or_refuse, send_password_link

# How the records of one app stand for a person.
ACTIVE = "active"  # doing something now: an open application, course or post
WAITING = "waiting"  # between stages: passed the course, no post yet
FINISHED = "finished"  # this part of the journey ended: left, did not complete

# Resending an invitation within this time is refused: a second click, or
# two members of staff at once, must not send two e-mails.
RESEND_AFTER = timedelta(minutes=1)

# Whom a person asks to change the e-mail address they sign in with.
ASK_ABOUT_EMAIL = (
    "To change the e-mail address you sign in with, ask your programme lead "
    "(or HR, if you work as a peer worker)."
)


@dataclass(frozen=True)
class Standing:
    """One app's word on its people. ``stage`` is the app's place in the
    journey (recruitment before training before deployment); ``decide``
    takes person ids and gives ACTIVE, WAITING or FINISHED for each person
    it has records of, and leaves out the rest."""

    name: str
    stage: int
    decide: Callable[[list[int]], dict[int, str]]


_STANDINGS: dict[str, Standing] = {}


def standing_register(
    *, name: str, stage: int, decide: Callable[[list[int]], dict[int, str]]
) -> None:
    """Called by an app in its ``ready()``; registering the same name again
    replaces the earlier one (a test's reload)."""
    _STANDINGS[name] = Standing(name=name, stage=stage, decide=decide)


def standings() -> list[Standing]:
    return sorted(_STANDINGS.values(), key=lambda standing: standing.stage)


def people_still_in(person_ids: Iterable[int]) -> set[int]:
    """The person records that are still in the programme.

    A record is in when any app says the person is doing something now
    (ACTIVE). Otherwise the latest stage of the journey that has a word
    decides: a trainee who passed (WAITING) is still in until they leave a
    post later in the journey (FINISHED); a trainee who did not complete
    (FINISHED) is out unless they applied again (ACTIVE). A record no app
    has a word about (added by hand, nothing yet) is in. One query per
    registered app.
    """
    ids = list(person_ids)
    if not ids:
        return set()
    active: set[int] = set()
    latest: dict[int, str] = {}
    for standing in standings():
        for person_id, word in standing.decide(ids).items():
            if word == ACTIVE:
                active.add(person_id)
            else:
                latest[person_id] = word
    return {pid for pid in ids if pid in active or latest.get(pid, WAITING) == WAITING}


def _is_staff(user: User) -> bool:
    return bool(user.role_names) or user.is_superuser or user.is_system


@transaction.atomic
def account_review(*, user_id: int | None, by: User | None = None) -> bool:
    """Switch off a person's account when none of its person records is
    still in the programme (``people_still_in``), including when it holds
    none at all (erased). An account with a staff role, a system
    administrator's and one already off are left as they are. Called by the
    services that end a part of the journey (leaving a post, not completing
    the course) and by anything that erases a person. Gives True when the
    account was switched off. Its sessions end at their next request: a
    switched-off account is signed out and cannot sign in.
    """
    if user_id is None:
        return False
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or _is_staff(user):
        return False
    person_ids = list(Person.objects.filter(user=user).values_list("pk", flat=True))
    if people_still_in(person_ids):
        return False
    user.is_active = False
    user._change_reason = "Switched off: no longer on the programme."  # type: ignore[attr-defined]
    if by is not None:
        # The history names who recorded the leaving, outside a request too.
        user._history_user = by  # type: ignore[attr-defined]
    user.save(update_fields=["is_active"])
    return True


def _notice(*, user: User, person: Person, key: str) -> None:
    """A short e-mail to an account that already signs in: it now holds
    this person's record too. No password link: they have one."""
    outbox.outbox_add(
        key=key,
        kind="person_account_notice",
        to=user.email,
        template="person_account_notice",
        context={"full_name": person.display_name},
        user_id=user.pk,
        person_id=person.pk,
    )


@transaction.atomic
def person_invite(*, person: Person, by: User) -> User:
    """Give a person an account, or send their invitation again.

    Leads and HR of the person's programme invite anyone in it: both
    already read and change every person's record there, and a trainee who
    becomes a peer worker keeps the one account. The person needs an e-mail
    address. With no account for that address, one is made (the person's
    programme, no role, no password yet) and linked, and the person gets a
    one-time link to choose a password, which expires after
    PASSWORD_RESET_TIMEOUT. An account that already has that address (a
    member of staff, or the person in another programme) is linked instead,
    and gets a short notice, unless it has never chosen a password (then
    the link). An account switched off because the person had left is
    switched on again; one an administrator switched off is refused.

    Sending again is refused for a minute after the last time, and each
    e-mail is keyed by the invitation before it, so it is never doubled.
    """
    if not has_role(by, *SENSITIVE_READERS) or by.programme_id != person.programme_id:
        raise DomainError("Only the programme's leads and HR invite its people.")
    person = Person.objects.select_for_update().get(pk=person.pk)
    email = person.email.strip().lower()
    if not email:
        raise DomainError(
            f"{person.display_name} has no e-mail address. Add one to their details "
            "first: the invitation is sent by e-mail."
        )
    now = timezone.now()
    previous = person.invited_at
    if previous and now - previous < RESEND_AFTER:
        raise DomainError(
            "An invitation was sent less than a minute ago. Wait a minute before sending it again."
        )
    key_tail = f"{person.pk}:{int(previous.timestamp()) if previous else 'first'}"
    user = person.user
    if user is None:
        user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, full_name=person.legal_name, programme_id=person.programme_id)
        user.set_unusable_password()
        clean_or_refuse(instance=user)
        user.save()
    else:
        user = _existing_account(user=user, person=person, by=by)
    person.user = user
    person.invited_at = now
    clean_or_refuse(instance=person)
    person.save()
    if user.has_usable_password() or _is_staff(user):
        _notice(user=user, person=person, key=f"person-account-notice:{key_tail}")
    else:
        send_password_link(
            user=user,
            key=f"person-invitation:{key_tail}",
            kind="person_invitation",
            template="person_invitation",
            person_id=person.pk,
            context={
                "full_name": person.display_name,
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
        )
    return user


def _existing_account(*, user: User, person: Person, by: User) -> User:
    """Checks before linking an account that exists already; switches it on
    when it was switched off because the person had left."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_system or user.is_superuser:
        raise DomainError(
            "This e-mail address belongs to a system administrator's account, which "
            "cannot hold a person's record. Use another address."
        )
    if (
        person.user_id is None
        and Person.objects.filter(programme_id=person.programme_id, user=user)
        .exclude(pk=person.pk)
        .exists()
    ):
        raise DomainError(
            "The account with this e-mail address already holds another person's record "
            "in this programme. Check whether these are the same person."
        )
    if not user.is_active:
        if _is_staff(user):
            raise DomainError(
                "The account with this e-mail address has been switched off by an "
                "administrator. Ask your programme's administrator."
            )
        user.is_active = True
        user._change_reason = "Switched on again: invited."  # type: ignore[attr-defined]
        user._history_user = by  # type: ignore[attr-defined]
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def person_own_details_update(
    *,
    person: Person,
    by: User,
    preferred_name: str,
    phone: str,
    address: str,
    email_allowed: bool,
    hard_copy_letters: bool,
) -> Person:
    """A person changes their own contact details and how they want to be
    contacted, on one of their own records. Their name and the e-mail
    address they sign in with are changed by staff (``ASK_ABOUT_EMAIL``).
    The history records the person as the author."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id != by.pk or not by.is_active:
        raise DomainError("You can change only your own details.")
    if email_allowed and not person.email:
        raise DomainError(
            "We have no e-mail address of yours to write to. Ask your programme lead to add one."
        )
    person.preferred_name = preferred_name.strip()
    person.phone = phone.strip()
    person.address = address.strip()
    person.email_allowed = email_allowed
    person.hard_copy_letters = hard_copy_letters
    clean_or_refuse(instance=person)
    person.save()
    return person
