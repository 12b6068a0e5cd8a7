"""Recruitment's lists of reasons (unsuccessful, withdrawal, deferral): the
lists the lead keeps, and the reasons offered when an application moves."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from peerprog.core.access import get_in_programme_or_404, require_role, scoped
from peerprog.core.kept_queries import kept_rows
from peerprog.core.models import User
from recruitment.models import Application, DeferralReason, UnsuccessfulReason, WithdrawalReason
from recruitment.selectors import LEAD, READERS

# Each list of reasons: its model and the application field that holds it.
REASON_LISTS: dict[str, tuple[type[Any], str]] = {
    "unsuccessful": (UnsuccessfulReason, "unsuccessful_reason"),
    "withdrawal": (WithdrawalReason, "withdrawal_reason"),
    "deferral": (DeferralReason, "deferral_reason"),
}


def reason_list(*, user: User, kind: str) -> QuerySet[Any]:
    require_role(user, *READERS)
    model, field_name = REASON_LISTS[kind]
    return (
        scoped(model.objects.all(), user)
        .annotate(in_use=Exists(Application.objects.filter(**{field_name: OuterRef("pk")})))
        .order_by("is_archived", "order", "label")
    )


def reason_for_user(*, user: User, kind: str, pk: Any) -> Any:
    require_role(user, *LEAD)
    model, _ = REASON_LISTS[kind]
    return get_in_programme_or_404(model.objects.all(), user, pk)


def unsuccessful_reason_values(*, user: User) -> list[tuple[int, str, bool]]:
    """Every unsuccessful reason of the programme, archived or not, as
    (id, label, archived), in the reasons' order (its SQL kept per programme)."""
    return kept_rows(  # type: ignore[return-value]
        "unsuccessful_reason_values",
        user.programme_id,
        lambda: scoped(UnsuccessfulReason.objects.all(), user).values_list(
            "pk", "label", "is_archived"
        ),
    )


def current_unsuccessful_reasons(*, user: User) -> QuerySet[UnsuccessfulReason]:
    return scoped(UnsuccessfulReason.objects.filter(is_archived=False), user)


def current_withdrawal_reasons(*, user: User) -> QuerySet[WithdrawalReason]:
    return scoped(WithdrawalReason.objects.filter(is_archived=False), user)


def current_deferral_reasons(*, user: User) -> QuerySet[DeferralReason]:
    return scoped(DeferralReason.objects.filter(is_archived=False), user)
