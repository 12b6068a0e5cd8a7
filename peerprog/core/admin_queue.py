"""The admin's work queue on the home page: e-mails that failed, staff
accounts without a role, and lists exported lately, counted together in one query."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from peerprog.core.access import require_role, scoped
from peerprog.core.export_records import ExportRecord
from peerprog.core.kept_queries import count_of, counted_row
from peerprog.core.models import Programme, Role, User
from peerprog.core.outbox.models import OutboxEmail
from peerprog.core.work import WorkCount, link

RECENT_EXPORT_DAYS = 7


def failed_messages(*, user: User) -> QuerySet[OutboxEmail]:
    """E-mails to the programme's staff or people that could not be sent."""
    require_role(user, Role.ADMIN)
    if user.programme_id is None:
        return OutboxEmail.objects.none()
    return (
        OutboxEmail.objects.filter(state=OutboxEmail.State.FAILED)
        .filter(
            Q(recipient_user__programme_id=user.programme_id)
            | Q(recipient_person__programme_id=user.programme_id)
        )
        .select_related("recipient_user", "recipient_person")
        .order_by("-created_at", "-pk")
    )


def staff_without_role(*, queryset: QuerySet[User]) -> QuerySet[User]:
    """Accounts that can sign in, hold no role and are nobody's own account
    (a trainee's or a peer worker's): staff who can open nothing yet."""
    return queryset.filter(is_active=True, groups__isnull=True, people__isnull=True)


def recent_exports(*, user: User, today: date) -> QuerySet[ExportRecord]:
    since = timezone.make_aware(
        datetime.combine(today - timedelta(days=RECENT_EXPORT_DAYS - 1), time.min)
    )
    return scoped(ExportRecord.objects.all(), user).filter(created_at__gte=since)


def _counts_query(*, user: User, today: date) -> QuerySet:
    """One row of the three counts, from the rules of the lists they link to."""
    staff = scoped(User.objects.filter(is_system=False), user)
    return (
        Programme.objects.filter(pk=user.programme_id)
        .order_by()
        .values_list(
            count_of(failed_messages(user=user)),
            count_of(staff_without_role(queryset=staff)),
            count_of(recent_exports(user=user, today=today)),
        )
    )


def admin_queue(*, user: User, today: date) -> list[WorkCount]:
    failed, without_role, exports = (
        counted_row(
            "admin_home", (user.programme_id, today), lambda: _counts_query(user=user, today=today)
        )
        if user.programme_id
        else None
    ) or (0, 0, 0)
    return [
        WorkCount(
            "Failed e-mails",
            failed,
            link("core:failed-messages"),
            "E-mails that could not be sent.",
            order=10,
        ),
        WorkCount(
            "Staff without a role",
            without_role,
            link("core:staff", "show=no-role"),
            "Accounts that can sign in but open nothing yet.",
            order=20,
        ),
        WorkCount(
            "Exports this week",
            exports,
            link("core:exports", "since=week"),
            f"Lists downloaded in the last {RECENT_EXPORT_DAYS} days.",
            order=30,
        ),
    ]
