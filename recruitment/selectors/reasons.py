"""Recruitment's lists of reasons (unsuccessful, withdrawal, deferral): the
lists the lead keeps, and the reasons offered when an application moves."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    BooleanField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import RowNumber

from peerprog.core.access import get_in_programme_or_404, require_role, scoped
from peerprog.core.kept_queries import kept_rows
from peerprog.core.models import User
from recruitment.models import Application, DeferralReason, UnsuccessfulReason, WithdrawalReason
from recruitment.selectors import LEAD, READERS, cohort_choices

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


def list_filter_values(*, user: User) -> tuple[list[tuple[int, str, bool]], list[tuple[int, str]]]:
    """The application list's unsuccessful reasons (as
    ``unsuccessful_reason_values``) and cohorts (as ``cohort_values``), read
    in one query: each part numbers its rows in its own order (its SQL kept
    per programme)."""

    def build() -> QuerySet[Any]:
        reasons = scoped(UnsuccessfulReason.objects.all(), user).annotate(
            part=Value(0, output_field=IntegerField()),
            place=Window(RowNumber(), order_by=[F("order").asc(), F("label").asc()]),
            text=F("label"),
            flag=F("is_archived"),
        )
        cohorts = cohort_choices(user=user).annotate(
            part=Value(1, output_field=IntegerField()),
            place=Window(RowNumber(), order_by=[F("training_start").desc(), F("name").asc()]),
            text=F("name"),
            flag=Value(False, output_field=BooleanField()),
        )
        columns = ("pk", "part", "place", "text", "flag")
        return (
            reasons.order_by()
            .values_list(*columns)
            .union(cohorts.order_by().values_list(*columns), all=True)
            .order_by("part", "place")
        )

    rows = kept_rows("list_filter_values", user.programme_id, build)
    reasons = [(pk, text, flag) for pk, part, _, text, flag in rows if part == 0]
    cohorts = [(pk, text) for pk, part, _, text, _ in rows if part == 1]
    return reasons, cohorts


def current_unsuccessful_reasons(*, user: User) -> QuerySet[UnsuccessfulReason]:
    return scoped(UnsuccessfulReason.objects.filter(is_archived=False), user)


def current_withdrawal_reasons(*, user: User) -> QuerySet[WithdrawalReason]:
    return scoped(WithdrawalReason.objects.filter(is_archived=False), user)


def current_deferral_reasons(*, user: User) -> QuerySet[DeferralReason]:
    return scoped(DeferralReason.objects.filter(is_archived=False), user)
