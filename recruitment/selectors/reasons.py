"""Recruitment's lists of reasons (unsuccessful, withdrawal, deferral): the
lists the lead keeps, and the reasons offered when an application moves."""

from __future__ import annotations

from typing import Any

from django.db import connection
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
from peerprog.core.kept_queries import count_of, kept_rows, kept_statement
from peerprog.core.models import User
from peerprog.core.prepared import fetch_prepared_few
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
    reasons, cohorts, _ = _list_values(user=user, counted=False)
    return reasons, cohorts


def list_values_and_counts(
    *, user: User
) -> tuple[list[tuple[int, str, bool]], list[tuple[int, str]], dict[int, int]]:
    """``list_filter_values`` and, in the same query, the number of
    applications of each cohort (from the index on the cohort alone), for
    the list with nothing chosen; cohorts with none are left out."""
    return _list_values(user=user, counted=True)


def _list_values(
    *, user: User, counted: bool
) -> tuple[list[tuple[int, str, bool]], list[tuple[int, str]], dict[int, int]]:
    def build() -> QuerySet[Any]:
        none = Value(0, output_field=IntegerField())
        reasons = scoped(UnsuccessfulReason.objects.all(), user).annotate(
            part=Value(0, output_field=IntegerField()),
            place=Window(RowNumber(), order_by=[F("order").asc(), F("label").asc()]),
            text=F("label"),
            flag=F("is_archived"),
            n=none,
        )
        cohorts = cohort_choices(user=user).annotate(
            part=Value(1, output_field=IntegerField()),
            place=Window(RowNumber(), order_by=[F("training_start").desc(), F("name").asc()]),
            text=F("name"),
            flag=Value(False, output_field=BooleanField()),
            n=count_of(Application.objects.filter(cohort_id=OuterRef("pk"))) if counted else none,
        )
        columns = ("pk", "part", "place", "text", "flag", "n")
        return (
            reasons.order_by()
            .values_list(*columns)
            .union(cohorts.order_by().values_list(*columns), all=True)
            .order_by("part", "place")
        )

    if counted and connection.vendor == "postgresql":
        # Planning a count for each cohort takes longer than counting: the
        # statement is planned once per connection.
        sql, params = kept_statement(
            "list_values_and_counts", user.programme_id, lambda: build().query.sql_with_params()
        )
        rows = fetch_prepared_few(sql=sql, params=params)
    else:
        name = "list_values_and_counts" if counted else "list_filter_values"
        rows = kept_rows(name, user.programme_id, build)
    reasons = [(pk, text, flag) for pk, part, _, text, flag, _ in rows if part == 0]
    cohorts = [(pk, text) for pk, part, _, text, _, _ in rows if part == 1]
    counts = {pk: n for pk, part, _, _, _, n in rows if part == 1 and n}
    return reasons, cohorts, counts


def current_unsuccessful_reasons(*, user: User) -> QuerySet[UnsuccessfulReason]:
    return scoped(UnsuccessfulReason.objects.filter(is_archived=False), user)


def current_withdrawal_reasons(*, user: User) -> QuerySet[WithdrawalReason]:
    return scoped(WithdrawalReason.objects.filter(is_archived=False), user)


def current_deferral_reasons(*, user: User) -> QuerySet[DeferralReason]:
    return scoped(DeferralReason.objects.filter(is_archived=False), user)
