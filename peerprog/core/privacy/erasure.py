"""Erasure: asking for it, refusing it, and the one transaction that
approval runs.

Approval anonymises, through the data map's declarations, every record that
is the person's own (each declared model's ``person_path``, and
``user_path`` for the account they sign in with), history rows included;
deletes their uploaded files; withdraws every prepared export of the
programme (a file may hold them); deletes their e-mails from the outbox;
deactivates their account. Their name is taken out of old versions (history
rows) of other people's records and out of e-mails kept for others; where it
still stands in someone else's current record, the field is listed as an
``ErasureMention`` for the officer to read and edit by hand.

Figures resting on stages, dates and categories do not move: those fields
are declared "keep". Figures resting on special-category facts (equality
counts, health-related reason details) lose the person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from peerprog.core.access import has_role
from peerprog.core.models import Person, Role, User
from peerprog.core.privacy.anonymise import records_anonymise
from peerprog.core.privacy.datamap import (
    Category,
    ModelDeclaration,
    declaration_for,
    history_model,
    is_history_model,
    personal_declarations,
)
from peerprog.core.privacy.erasure_models import ErasureMention, ErasureRequest
from peerprog.core.privacy.retention_models import LegalHold
from peerprog.core.services import DomainError

DECIDERS = (Role.DATA_PROTECTION, Role.ADMIN)
NAME_ERASED = "[name erased]"
# Names shorter than this are too common a string to look for in free text.
SHORTEST_NAME = 5


class ErasureRefused(DomainError):
    """An erasure action that cannot be done, with the reason in plain words."""


@dataclass(frozen=True)
class Found:
    """A field of someone else's current record that names the person."""

    content_type: ContentType
    object_id: int
    field: str
    label: str


def _own_filter(declaration: ModelDeclaration, person: Person) -> Q | None:
    """The rows of a declared model that are the person's own, or None."""
    parts = Q()
    if declaration.person_path:
        parts |= Q(**{declaration.person_path: person.pk})
    if declaration.user_path and person.user_id:
        parts |= Q(**{declaration.user_path: person.user_id})
    return parts or None


def _own_rows(person: Person) -> Iterator[tuple[ModelDeclaration, models.QuerySet[Any]]]:
    for declaration in personal_declarations():
        if is_history_model(declaration.model) or declaration.model is ErasureRequest:
            continue
        own = _own_filter(declaration, person)
        if own is not None:
            yield declaration, declaration.model._default_manager.filter(own)


def records_to_erase(*, person: Person) -> list[tuple[str, int]]:
    """Each kind of record the person has, and how many: what approval
    will anonymise. One count per declared model."""
    counts = []
    for declaration, rows in _own_rows(person):
        count = rows.count()
        if count:
            counts.append((str(declaration.model._meta.verbose_name_plural).capitalize(), count))
    return sorted(counts)


def _names(person: Person) -> list[str]:
    """The ways the person's name is written in free text."""
    names = {person.legal_name, person.display_name}
    return sorted(name for name in names if len(name) >= SHORTEST_NAME)


def _text_fields(declaration: ModelDeclaration) -> list[str]:
    """The declared personal or special-category free-text fields."""
    fields = []
    for entry in declaration.entries():
        if entry.category == Category.NONE:
            continue
        field = declaration.model._meta.get_field(entry.name)
        if isinstance(field, models.TextField) and not field.choices:
            fields.append(field.attname)
    return fields


def _programme_filter(
    model: type[models.Model], declaration: ModelDeclaration, programme_id: int
) -> Q | None:
    names = {field.name for field in model._meta.get_fields()}
    if "programme" in names:
        return Q(programme_id=programme_id)
    if declaration.person_path and declaration.person_path != "pk":
        return Q(**{f"{declaration.person_path}__programme_id": programme_id})
    if declaration.user_path and declaration.user_path != "pk":
        return Q(**{f"{declaration.user_path}__programme_id": programme_id})
    return None


def _mentioning(names: list[str], field: str) -> Q:
    found = Q()
    for name in names:
        found |= Q(**{f"{field}__icontains": name})
    return found


def mentions_find(*, person: Person) -> list[Found]:
    """The fields of other people's current records in the person's
    programme whose free text names them. One query per free-text field."""
    names = _names(person)
    if not names:
        return []
    found: list[Found] = []
    for declaration in personal_declarations():
        model = declaration.model
        if is_history_model(model) or model in (Person, User, ErasureRequest):
            continue
        fields = _text_fields(declaration)
        in_programme = _programme_filter(model, declaration, person.programme_id)
        if not fields or in_programme is None:
            continue
        rows = model._default_manager.filter(in_programme)
        own = _own_filter(declaration, person)
        if own is not None:
            rows = rows.exclude(own)
        content_type = ContentType.objects.get_for_model(model)
        for field in fields:
            verbose = str(model._meta.get_field(field).verbose_name)
            for pk in rows.filter(_mentioning(names, field)).values_list("pk", flat=True):
                found.append(
                    Found(
                        content_type=content_type,
                        object_id=pk,
                        field=field,
                        label=f"{str(model._meta.verbose_name).capitalize()} {pk}: {verbose}",
                    )
                )
    return found


def _redact(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(NAME_ERASED, text)


def _scrub_history_and_outbox(person: Person) -> int:
    """Take the person's name out of the old versions of every declared
    free-text field and out of kept e-mails. Gives how many rows changed."""
    from peerprog.core.outbox.models import OutboxEmail

    names = _names(person)
    if not names:
        return 0
    pattern = re.compile("|".join(re.escape(name) for name in names), re.IGNORECASE)
    changed = 0
    targets: list[tuple[type[models.Model], list[str]]] = []
    for declaration in personal_declarations():
        if is_history_model(declaration.model):
            continue
        history = history_model(declaration.model)
        fields = _text_fields(declaration)
        if history is not None and fields:
            present = {f.attname for f in history._meta.concrete_fields}
            targets.append((history, [f for f in fields if f in present]))
    targets.append((OutboxEmail, ["subject", "body_text", "body_html"]))
    for model, fields in targets:
        if not fields:
            continue
        wanted = Q()
        for field in fields:
            wanted |= _mentioning(names, field)
        rows = list(model._default_manager.filter(wanted).only("pk", *fields))
        for row in rows:
            for field in fields:
                setattr(row, field, _redact(getattr(row, field) or "", pattern))
        if rows:
            model._default_manager.bulk_update(rows, fields, batch_size=500)
            changed += len(rows)
    return changed


@transaction.atomic
def erasure_request(
    *, person: Person, reason: str, reference: str = "", by: User
) -> ErasureRequest:
    """Ask for a person's data to be erased. Changes nothing until someone
    else approves."""
    reason = reason.strip()
    if not reason:
        raise ErasureRefused("Say why the data is to be erased: who asked, and on what grounds.")
    if person.programme_id != by.programme_id:
        raise ErasureRefused("This person is not in your programme.")
    record = ErasureRequest(
        programme_id=person.programme_id,
        person=person,
        reason=reason,
        reference=reference.strip(),
        requested_by=by,
    )
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise ErasureRefused(
            f"An erasure request for {person.legal_name} is already waiting for approval."
        ) from None
    return record


def _decision_checks(record: ErasureRequest, by: User) -> None:
    if not has_role(by, *DECIDERS) or by.programme_id != record.programme_id:
        raise ErasureRefused("Only a data protection officer or an admin of the programme decides.")
    if record.requested_by_id == by.pk:
        raise ErasureRefused(
            "Someone other than the officer who asked must approve or refuse the request."
        )
    if not record.is_waiting:
        raise ErasureRefused("This request has been decided already.")


@transaction.atomic
def erasure_refuse(*, record: ErasureRequest, reason: str, by: User) -> ErasureRequest:
    """Refuse a waiting request, saying why. Nothing is erased."""
    record = ErasureRequest.objects.select_for_update().get(pk=record.pk)
    _decision_checks(record, by)
    reason = reason.strip()
    if not reason:
        raise ErasureRefused("Say why the request is refused.")
    record.status = ErasureRequest.Status.REFUSED
    record.refusal_reason = reason
    record.decided_by = by
    record.decided_at = timezone.now()
    record.save()
    return record


@transaction.atomic
def erasure_approve(*, record: ErasureRequest, by: User) -> ErasureRequest:
    """Approve a waiting request and erase, all in one transaction."""
    record = ErasureRequest.objects.select_for_update().get(pk=record.pk)
    _decision_checks(record, by)
    person = Person.objects.select_for_update().get(pk=record.person_id)
    if LegalHold.objects.filter(person=person, lifted_at__isnull=True).exists():
        raise ErasureRefused(
            f"Some of {person.legal_name}'s records are under a legal hold. "
            "Lift the hold first, or refuse the request."
        )
    mentions = mentions_find(person=person)
    record.erased = person_erase(person=person, by=by)
    ErasureMention.objects.bulk_create(
        ErasureMention(
            request=record,
            content_type=found.content_type,
            object_id=found.object_id,
            field=found.field,
            label=found.label[:200],
        )
        for found in mentions
    )
    record.status = ErasureRequest.Status.ERASED
    record.decided_by = by
    record.decided_at = timezone.now()
    record.save()
    return record


def person_erase(*, person: Person, by: User) -> dict[str, int]:
    """Erase one person (call inside the approval's transaction). Gives the
    records anonymised per kind."""
    from peerprog.core.export_files import exports_withdraw_programme
    from peerprog.core.outbox.models import OutboxEmail

    user_id = person.user_id
    # Names first, while they can still be found.
    scrubbed = _scrub_history_and_outbox(person)
    erased: dict[str, int] = {}
    if user_id:
        OutboxEmail.objects.filter(
            Q(recipient_person=person) | Q(recipient_user_id=user_id)
        ).delete()
    else:
        OutboxEmail.objects.filter(recipient_person=person).delete()
    for declaration, rows in _own_rows(person):
        pks = list(rows.values_list("pk", flat=True))
        if pks and declaration.model is not Person:
            done = records_anonymise(model=declaration.model, pks=pks, by=by)
            if done:
                label = str(declaration.model._meta.verbose_name_plural).capitalize()
                erased[label] = erased.get(label, 0) + done
    erased["People"] = records_anonymise(model=Person, pks=[person.pk], by=by)
    if user_id:
        User.objects.filter(pk=user_id).update(is_active=False)
        declaration = declaration_for(User)
        if declaration is not None:
            # An inactive account's sessions no longer sign it in.
            records_anonymise(model=User, pks=[user_id], by=by)
    erased["Prepared exports withdrawn"] = exports_withdraw_programme(
        programme_id=person.programme_id
    )
    erased["Old versions and e-mails with the name taken out"] = scrubbed
    return erased


@transaction.atomic
def mention_save(*, mention: ErasureMention, text: str, by: User) -> ErasureMention:
    """Save the officer's edit of a listed field (or leave it as it is) and
    mark the mention reviewed."""
    mention = ErasureMention.objects.select_for_update().get(pk=mention.pk)
    record = mention.content_type.get_object_for_this_type(pk=mention.object_id)
    if getattr(record, mention.field) != text:
        setattr(record, mention.field, text)
        record.save(update_fields=[mention.field])
    mention.reviewed_at = timezone.now()
    mention.reviewed_by = by
    mention.save(update_fields=["reviewed_at", "reviewed_by"])
    return mention
