"""The data protection officer's home: their work counts and their pages in
the "Data protection" section of the menu. Called from the kernel's
``ready``; the erasure and subject-access parts add their own."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, Q

from peerprog.core import navigation, work
from peerprog.core.models import Role
from peerprog.core.privacy import read_log_views, retention_datamap, retention_signin
from peerprog.core.privacy.retention_selectors import dues_for_officer, holds_for_officer
from peerprog.core.work import WorkCount

OFFICER = Role.DATA_PROTECTION


def officer_queue(*, user: Any, today: date) -> Iterable[WorkCount]:
    """Records due for review (not held) and legal holds in place: two
    queries."""
    due = dues_for_officer(user=user).aggregate(waiting=Count("pk", filter=Q(held=False)))[
        "waiting"
    ]
    holds = holds_for_officer(user=user).count()
    return [
        WorkCount(
            "records due under the retention schedule",
            due,
            work.link("core:retention"),
            hint="Review them, then approve anonymisation or place a legal hold.",
            order=10,
        ),
        WorkCount(
            "legal holds in place",
            holds,
            work.link("core:legal-holds"),
            hint="Records kept whatever the schedule says.",
            order=20,
        ),
    ]


def register() -> None:
    from peerprog.core.privacy import datamap_pages, erasure_pages

    erasure_pages.register_pages()
    datamap_pages.register_pages()
    work.add(OFFICER, officer_queue)
    retention_datamap.register()
    retention_signin.register_kind()
    read_log_views.register_export()
    navigation.add(
        "Records due",
        "core:retention",
        roles=(OFFICER,),
        description="Records the retention schedule has made due: approve or hold them.",
        order=30,
        group="dataprotection",
    )
    navigation.add(
        "Legal holds",
        "core:legal-holds",
        roles=(OFFICER,),
        description="Records kept whatever the schedule says, and why.",
        order=31,
        group="dataprotection",
    )
    navigation.add(
        "Retention schedule",
        "core:retention-rules",
        roles=(OFFICER,),
        description="How long each kind of record is kept, and why.",
        order=32,
        group="dataprotection",
    )
    navigation.add(
        "Read log",
        "core:read-log",
        roles=(OFFICER,),
        description="Who read which special-category facts, and when.",
        order=33,
        group="dataprotection",
    )
