"""The kernel's own kind of record on the retention schedule: sign-in
records (django-axes' access log), deleted once their year has passed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from axes.models import AccessLog
from django.db import transaction
from django.db.models.functions import Lower

from peerprog.core.models import User
from peerprog.core.privacy.retention import DueRecord, RetentionKind, register

SIGN_IN = "core.sign_in"


def sign_ins_due(*, on_or_before: date) -> Iterable[DueRecord]:
    """Sign-ins on or before the date, each with its user's programme when
    the name signed in with is a user's e-mail. Two queries."""
    logs = list(
        AccessLog.objects.filter(attempt_time__date__lte=on_or_before)
        .order_by("attempt_time", "pk")
        .values_list("pk", "username", "attempt_time")
    )
    names = {(username or "").lower() for _, username, _ in logs}
    users = {
        email: (programme_id, full_name)
        for email, programme_id, full_name in User.objects.annotate(lower_email=Lower("email"))
        .filter(lower_email__in=names)
        .values_list("lower_email", "programme_id", "full_name")
    }
    for pk, username, attempt_time in logs:
        programme_id, name = users.get((username or "").lower(), (None, "an unknown account"))
        yield DueRecord(
            pk=pk,
            counts_from=attempt_time.date(),
            label=f"Sign-in of {name} on {attempt_time:%-d %B %Y}",
            programme_id=programme_id,
        )


@transaction.atomic
def sign_ins_delete(*, pks: list[int], by: Any) -> int:
    deleted, _ = AccessLog.objects.filter(pk__in=pks).delete()
    return deleted


def register_kind() -> None:
    register(
        RetentionKind(
            key=SIGN_IN,
            label="Sign-in records",
            model="axes.AccessLog",
            counts_from="the sign-in",
            default_months=12,
            due=sign_ins_due,
            erase=sign_ins_delete,
            erase_words="Delete",
            order=90,
        )
    )
