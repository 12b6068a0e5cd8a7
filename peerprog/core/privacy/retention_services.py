"""Writes of the retention schedule: listing what is due, approving its
anonymisation, legal holds and the rules themselves. Each is one
transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from peerprog.core.privacy import retention
from peerprog.core.privacy.retention_models import LegalHold, RetentionDue, RetentionRule
from peerprog.core.services import DomainError


class RetentionRefused(DomainError):
    """A retention action that cannot be done, with the reason in plain words."""


def rule_months() -> dict[str, int]:
    """Each registered kind's months: its rule, or the kind's default when
    no rule is stored. One query."""
    stored = dict(RetentionRule.objects.values_list("kind", "months"))
    return {kind.key: stored.get(kind.key, kind.default_months) for kind in retention.kinds()}


def open_holds() -> Any:
    """A subquery: the record of a due row is under an open legal hold."""
    return LegalHold.objects.filter(
        content_type_id=OuterRef("content_type_id"),
        object_id=OuterRef("object_id"),
        lifted_at__isnull=True,
    )


@transaction.atomic
def retention_list_due(*, today: date | None = None) -> dict[str, int]:
    """List every record whose time has come as a ``RetentionDue`` row, kind
    by kind. A record already listed stays listed once (its row is kept);
    a listed record that is no longer due (its rule was lengthened) leaves
    the list. Records under a legal hold are listed too and shown as held:
    approval skips them. Returns the number of due records per kind."""
    today = today or timezone.localdate()
    months = rule_months()
    counts: dict[str, int] = {}
    for kind in retention.kinds():
        content_type = ContentType.objects.get_for_model(kind.model_class)
        records = list(kind.due(on_or_before=retention.cutoff(today, months[kind.key])))
        RetentionDue.objects.filter(kind=kind.key, status=RetentionDue.Status.DUE).exclude(
            object_id__in=[record.pk for record in records]
        ).delete()
        RetentionDue.objects.bulk_create(
            [
                RetentionDue(
                    kind=kind.key,
                    content_type=content_type,
                    object_id=record.pk,
                    programme_id=record.programme_id,
                    person_id=record.person_id,
                    label=record.label[:200],
                    due_on=kind.due_on(record, months[kind.key]),
                )
                for record in records
            ],
            ignore_conflicts=True,
        )
        counts[kind.key] = len(records)
    return counts


def _scoped(dues: Any, user: Any) -> Any:
    if getattr(user, "is_system_admin", False):
        return dues
    return dues.filter(Q(programme_id=user.programme_id) | Q(programme__isnull=True))


@transaction.atomic
def retention_approve(*, due_ids: Iterable[int], by: Any) -> int:
    """Anonymise (or delete, for sign-in records) the listed records the
    officer chose, kind by kind, in one transaction; records under a legal
    hold, already done or outside the officer's programme are skipped.
    Returns the number of records acted on."""
    ids = [int(pk) for pk in due_ids]
    if not ids:
        raise RetentionRefused("Choose at least one record to anonymise.")
    dues = list(
        _scoped(RetentionDue.objects.select_for_update(), by)
        .filter(pk__in=ids, status=RetentionDue.Status.DUE)
        .exclude(Exists(open_holds()))
        .order_by("pk")
    )
    if not dues:
        raise RetentionRefused(
            "None of the chosen records can be anonymised: they are under a legal hold "
            "or have been dealt with already."
        )
    by_kind: dict[str, list[RetentionDue]] = defaultdict(list)
    for due in dues:
        by_kind[due.kind].append(due)
    for key, rows in by_kind.items():
        retention.erase(retention.get_kind(key), pks=[row.object_id for row in rows], by=by)
    RetentionDue.objects.filter(pk__in=[due.pk for due in dues]).update(
        status=RetentionDue.Status.DONE, done_at=timezone.now(), done_by=by
    )
    return len(dues)


@transaction.atomic
def legal_hold_place(*, due: RetentionDue, reason: str, by: Any) -> LegalHold:
    """Keep a record whatever the schedule says, for the reason given."""
    reason = reason.strip()
    if not reason:
        raise RetentionRefused("Say why the record is held: a claim, a complaint, an inquiry.")
    if due.status == RetentionDue.Status.DONE:
        raise RetentionRefused("This record has been anonymised already: there is nothing to hold.")
    hold = LegalHold(
        content_type_id=due.content_type_id,
        object_id=due.object_id,
        programme_id=due.programme_id,
        person_id=due.person_id,
        label=due.label,
        reason=reason,
        placed_by=by,
    )
    try:
        with transaction.atomic():
            hold.save()
    except IntegrityError:
        raise RetentionRefused("This record is already under a legal hold.") from None
    return hold


@transaction.atomic
def legal_hold_lift(*, hold: LegalHold, by: Any) -> LegalHold:
    """End a hold: the schedule acts on the record again."""
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise RetentionRefused("This legal hold has been lifted already.")
    hold.lifted_at = timezone.now()
    hold.lifted_by = by
    hold.save(update_fields=["lifted_at", "lifted_by"])
    return hold


@transaction.atomic
def retention_rule_update(*, kind: str, months: int, basis: str, by: Any) -> RetentionRule:
    """Change how long one kind of record is kept. The next listing uses it."""
    retention.get_kind(kind)
    if months < 1:
        raise RetentionRefused("Keep records at least one month.")
    rule, _ = RetentionRule.objects.select_for_update().get_or_create(
        kind=kind, defaults={"months": months}
    )
    rule.months = months
    rule.basis = basis.strip()
    rule.updated_by = by
    rule.updated_at = timezone.now()
    rule.full_clean()
    rule.save()
    return rule
