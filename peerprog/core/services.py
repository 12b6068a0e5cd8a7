"""Every write the kernel makes: people, sensitive facts, adjustments,
services, staff users and notifications.

Each service is one transaction, validates with ``full_clean`` before it
saves, and saves object by object so that the audit trail records the change
and its author.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from peerprog.core.access import SENSITIVE_READERS
from peerprog.core.equality import EQUALITY_FIELDS
from peerprog.core.export_files import exports_withdraw
from peerprog.core.models import (
    Notification,
    Organisation,
    Person,
    Programme,
    ReasonableAdjustment,
    Role,
    SensitiveFacts,
    Service,
    User,
)
from peerprog.core.outbox import services as outbox


class DomainError(Exception):
    """A refused action, with a message in plain words for the person who
    tried it. Apps subclass it for their own refusals."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def apply(*, instance: Any, values: dict[str, Any]) -> None:
    """Set each of ``values`` on ``instance``; the caller cleans and saves."""
    for name, value in values.items():
        setattr(instance, name, value)


def clean_or_refuse(*, instance: Any, error: type[DomainError] = DomainError) -> None:
    """``full_clean`` that turns validation errors into one refusal message,
    raised as ``error`` so each app refuses with its own class."""
    try:
        instance.full_clean()
    except ValidationError as invalid:
        raise error(" ".join(_messages(invalid))) from invalid


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


@transaction.atomic
def person_create(*, programme: Programme, by: User, **values: Any) -> Person:
    """Create a person record in the programme."""
    person = Person(programme=programme, **values)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, by: User, **values: Any) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    apply(instance=person, values=values)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def sensitive_facts_update(*, person: Person, by: User, **values: Any) -> SensitiveFacts:
    """Record the person's disability disclosure and equality monitoring.

    The caller has already checked that ``by`` may read sensitive facts.
    """
    facts, _ = SensitiveFacts.objects.select_for_update().get_or_create(person=person)
    apply(instance=facts, values=values)
    facts.full_clean()
    facts.save()
    return facts


@transaction.atomic
def equality_record(*, person: Person, by: User | None, **answers: str) -> SensitiveFacts:
    """Record the person's equality-monitoring answers: codes from
    ``peerprog.core.equality`` (``EqualityMonitoringForm.cleaned_data``) for
    any of its questions, disability included. Questions not passed keep
    their answer. ``by`` is the person or member of staff giving the answers,
    or None for an applicant on the public form; the history row names them.

    The caller has already checked that ``by`` may write them (staff who
    read sensitive facts, or the person themself). Refuses unknown questions
    and codes.
    """
    unknown = sorted(set(answers) - set(EQUALITY_FIELDS))
    if unknown:
        raise DomainError(f"Not an equality-monitoring question: {', '.join(unknown)}.")
    # Built, not created, when new: the one history row then names ``by``.
    facts = SensitiveFacts.objects.select_for_update().filter(
        person=person
    ).first() or SensitiveFacts(person=person)
    apply(instance=facts, values=answers)
    clean_or_refuse(instance=facts)
    facts._history_user = by  # type: ignore[attr-defined]
    facts.save()
    return facts


@transaction.atomic
def adjustment_create(*, person: Person, by: User, **values: Any) -> ReasonableAdjustment:
    adjustment = ReasonableAdjustment(person=person, **values)
    adjustment.full_clean()
    adjustment.save()
    return adjustment


@transaction.atomic
def adjustment_update(
    *, adjustment: ReasonableAdjustment, by: User, **values: Any
) -> ReasonableAdjustment:
    adjustment = ReasonableAdjustment.objects.select_for_update().get(pk=adjustment.pk)
    apply(instance=adjustment, values=values)
    adjustment.full_clean()
    adjustment.save()
    return adjustment


@transaction.atomic
def service_create(*, programme: Programme, by: User, **values: Any) -> Service:
    service = Service(programme=programme, **values)
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def service_update(*, service: Service, by: User, **values: Any) -> Service:
    service = Service.objects.select_for_update().get(pk=service.pk)
    apply(instance=service, values=values)
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def organisation_address_update(*, organisation: Organisation, by: User, address: str) -> None:
    """Set the postal address printed on the letters the organisation sends.
    Each line is kept; blank lines and spaces at the ends are dropped."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    lines = [line.strip() for line in address.splitlines()]
    organisation.address = "\n".join(line for line in lines if line)
    organisation.full_clean()
    organisation.save()


def _set_roles(user: User, roles: Iterable[str]) -> None:
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise DomainError(f"Unknown role: {', '.join(sorted(unknown))}.")
    user.groups.set(Group.objects.filter(name__in=wanted))


@transaction.atomic
def staff_user_create(
    *,
    programme: Programme,
    by: User,
    email: str,
    full_name: str,
    roles: Iterable[str],
    job_title: str = "",
    send_invitation: bool = True,
) -> User:
    """Add a member of staff to the programme with the given roles.

    The new user has no usable password; when ``send_invitation`` is set
    they get an e-mail with a link to choose one, sent after the commit.
    """
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError("There is already a user with this e-mail address.")
    user = User(email=email, full_name=full_name, job_title=job_title, programme=programme)
    user.set_unusable_password()
    user.full_clean()
    try:
        user.save()
    except IntegrityError as exc:
        raise DomainError("There is already a user with this e-mail address.") from exc
    roles = set(roles)
    _set_roles(user, roles)
    if roles:
        _roles_changed(user=user, by=by, before=set(), after=roles)
    if send_invitation:
        _send_invitation(user)
    return user


def _send_invitation(user: User) -> None:
    send_password_link(
        user=user,
        key=f"staff-invitation:{user.pk}",
        kind="staff_invitation",
        template="invitation",
        context={"full_name": user.full_name},
    )


def send_password_link(
    *,
    user: User,
    key: str,
    kind: str,
    template: str,
    context: dict[str, Any],
    person_id: int | None = None,
) -> None:
    """Hand the outbox an e-mail with a one-time link to choose a password
    (Django's reset link: it stops working once a password is chosen, or
    after PASSWORD_RESET_TIMEOUT). Staff invitations and people's use it;
    ``key`` keeps each e-mail once."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    outbox.outbox_add(
        key=key,
        kind=kind,
        to=user.email,
        template=template,
        context={**context, "path": path},
        user_id=user.pk,
        person_id=person_id,
    )


@transaction.atomic
def staff_user_update(
    *,
    user: User,
    by: User,
    full_name: str,
    job_title: str,
    roles: Iterable[str],
    is_active: bool,
) -> User:
    """Change a member of staff's name, roles or whether they can sign in.

    Nobody changes their own roles or switches off their own account: a
    programme is never left without anyone to manage it by accident, and
    nobody gives themselves access to more than they were given. Their own
    name and job title they may change. A change of roles is kept in the
    user's history with its author, withdraws the files the user's
    background exports prepared under the old roles, and a newly given role
    that reads special-category data is announced to the programme's other
    admins (see ``_announce_sensitive_roles``).
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    roles = set(roles)
    before = set(user.groups.values_list("name", flat=True))
    if user.pk == by.pk and roles != before:
        raise DomainError("You cannot change your own roles. Ask another administrator.")
    if user.pk == by.pk and not is_active:
        raise DomainError("You cannot switch off your own account. Ask another administrator.")
    user.full_name = full_name
    user.job_title = job_title
    user.is_active = is_active
    user.full_clean()
    user.save()
    if roles != before:
        _set_roles(user, roles)
        _roles_changed(user=user, by=by, before=before, after=roles)
    return user


def _role_labels(roles: Iterable[str]) -> str:
    return ", ".join(sorted(str(Role(role).label) for role in roles))


def _roles_changed(*, user: User, by: User, before: set[str], after: set[str]) -> None:
    """What follows a change of a user's roles: a history row naming the
    roles given and taken away and who did it, the withdrawal of their
    prepared exports, and the announcement of a sensitive role given."""
    given, taken = after - before, before - after
    words = []
    if given:
        words.append(f"Roles given: {_role_labels(given)}.")
    if taken:
        words.append(f"Roles taken away: {_role_labels(taken)}.")
    record = User.history.bulk_history_create(
        [user], update=True, default_user=by, default_change_reason=" ".join(words)
    )[0]
    exports_withdraw(user=user)
    sensitive = given & {str(role) for role in SENSITIVE_READERS}
    if sensitive:
        _announce_sensitive_roles(user=user, by=by, roles=sensitive, history_id=record.pk)


def _announce_sensitive_roles(*, user: User, by: User, roles: set[str], history_id: int) -> None:
    """Tell every other admin of the programme that a role reading
    special-category data was given; when the programme has only one admin
    (who may have given it), the system administrators are told too. The
    notice names the people and the role, nothing about anyone's health."""
    admins = User.objects.filter(
        programme_id=user.programme_id, is_active=True, groups__name=Role.ADMIN
    ).distinct()
    recipients = list(admins.exclude(pk=by.pk))
    if admins.count() <= 1:
        recipients += list(User.objects.filter(is_superuser=True, is_active=True))
    labels = _role_labels(roles)
    title = f"{user.full_name} was given the {labels} role"
    body = (
        f"{by.full_name} gave {user.full_name} the {labels} role, which can read "
        "special-category information (such as health and equality monitoring). "
        "If you did not expect this, check with them."
    )
    staff_page = reverse("core:staff-edit", kwargs={"pk": user.pk})
    # System administrators have no programme page: they look in the admin.
    admin_page = reverse("admin:core_user_change", args=[user.pk])
    for recipient in {person.pk: person for person in recipients if person.pk != by.pk}.values():
        notify(
            recipient=recipient,
            key=f"sensitive-role-given:{history_id}",
            title=title,
            body=body,
            link=admin_page
            if recipient.is_superuser and not recipient.programme_id
            else staff_page,
            email=True,
        )


def notify(
    *,
    recipient: User,
    key: str,
    title: str,
    body: str = "",
    link: str = "",
    email: bool = False,
) -> Notification | None:
    """Put a notification in the user's list, once per ``key``.

    Returns the new notification, or None when one with this key already
    exists (a repeated reminder). With ``email`` set, the e-mail goes to the
    outbox in the same transaction. Titles and bodies must not carry
    special-category facts: they travel by e-mail.
    """
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            recipient=recipient, key=key, defaults={"title": title, "body": body, "link": link}
        )
        if created and email and recipient.is_active and recipient.email:
            notification.email = outbox.outbox_add(
                key=f"notification:{notification.pk}",
                kind="notification",
                to=recipient.email,
                template="notification",
                context={
                    "full_name": recipient.full_name,
                    "title": title,
                    "body": body,
                    "link": link,
                },
                user_id=recipient.pk,
            )
            notification.save(update_fields=["email"])
    if not created:
        return None
    return notification


def notification_mark_read(*, notification: Notification, by: User) -> None:
    Notification.objects.filter(pk=notification.pk, recipient=by, read_at=None).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, by: User) -> int:
    return Notification.objects.filter(recipient=by, read_at=None).update(read_at=timezone.now())
