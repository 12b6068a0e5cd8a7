"""Reads of the read log: the officer's search and a person's own reads."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peerprog.core.access import own_records, require_role
from peerprog.core.models import Role
from peerprog.core.privacy.read_log_models import ReadLog


def read_log_for_officer(*, user: Any) -> QuerySet[ReadLog]:
    """Every read in the officer's programme, newest first, with the reader
    and the person: never what was read."""
    require_role(user, Role.DATA_PROTECTION)
    return (
        ReadLog.objects.filter(programme_id=user.programme_id)
        .select_related("reader", "person")
        .order_by("-read_at", "-pk")
    )


def reads_of_my_records(*, user: Any) -> QuerySet[ReadLog]:
    """Reads by anyone else of the records of the account's own person
    records, newest first, with each reader's roles (two queries a page)."""
    return (
        ReadLog.objects.filter(person__in=own_records(user).values("pk"))
        .exclude(reader=user)
        .select_related("reader")
        .prefetch_related("reader__groups")
        .order_by("-read_at", "-pk")
    )
