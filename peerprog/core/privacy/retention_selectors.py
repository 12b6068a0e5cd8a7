"""Reads of the retention schedule for the officer's pages, scoped to the
officer's programme (sign-ins of unknown accounts belong to none and are
shown to every officer)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Q, QuerySet
from django.http import Http404

from peerprog.core.access import require_role
from peerprog.core.models import Role
from peerprog.core.privacy import retention
from peerprog.core.privacy.retention_models import LegalHold, RetentionDue, RetentionRule
from peerprog.core.privacy.retention_services import open_holds, rule_months


def _in_programme(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    return queryset.filter(Q(programme_id=user.programme_id) | Q(programme__isnull=True))


def dues_for_officer(*, user: Any) -> QuerySet[RetentionDue]:
    """Records the schedule has made due, not yet acted on, each marked
    ``held`` when under an open legal hold."""
    require_role(user, Role.DATA_PROTECTION)
    return (
        _in_programme(RetentionDue.objects.filter(status=RetentionDue.Status.DUE), user)
        .annotate(held=Exists(open_holds()))
        .select_related("person")
        .order_by("kind", "due_on", "pk")
    )


def due_for_officer(*, user: Any, pk: Any) -> RetentionDue:
    try:
        return dues_for_officer(user=user).get(pk=pk)
    except (RetentionDue.DoesNotExist, ValueError, TypeError):
        raise Http404("No such record due for review.") from None


def holds_for_officer(*, user: Any) -> QuerySet[LegalHold]:
    require_role(user, Role.DATA_PROTECTION)
    return (
        _in_programme(LegalHold.objects.filter(lifted_at__isnull=True), user)
        .select_related("person", "placed_by")
        .order_by("-placed_at", "-pk")
    )


def hold_for_officer(*, user: Any, pk: Any) -> LegalHold:
    try:
        return holds_for_officer(user=user).get(pk=pk)
    except (LegalHold.DoesNotExist, ValueError, TypeError):
        raise Http404("No such legal hold.") from None


@dataclass
class RuleRow:
    kind: retention.RetentionKind
    months: int
    basis: str
    rule: RetentionRule | None


def rules_for_officer(*, user: Any) -> list[RuleRow]:
    """Every registered kind with its rule (or its default). One query."""
    require_role(user, Role.DATA_PROTECTION)
    stored = {rule.kind: rule for rule in RetentionRule.objects.select_related("updated_by")}
    rows = []
    for kind in retention.kinds():
        rule = stored.get(kind.key)
        rows.append(
            RuleRow(
                kind=kind,
                months=rule.months if rule else kind.default_months,
                basis=rule.basis if rule else "",
                rule=rule,
            )
        )
    return rows


def kind_for_officer(*, user: Any, key: str) -> tuple[retention.RetentionKind, RetentionRule]:
    require_role(user, Role.DATA_PROTECTION)
    try:
        kind = retention.get_kind(key)
    except LookupError:
        raise Http404("No such kind of record.") from None
    rule = RetentionRule.objects.filter(kind=key).first() or RetentionRule(
        kind=key, months=rule_months()[key]
    )
    return kind, rule
