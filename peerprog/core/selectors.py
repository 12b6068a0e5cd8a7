"""Reads of the kernel's records, each scoped to the user's programme."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from peerprog.core.access import SENSITIVE_READERS, get_in_programme_or_404, require_role, scoped
from peerprog.core.kept_queries import count_of
from peerprog.core.models import (
    Notification,
    Person,
    Programme,
    ReasonableAdjustment,
    Role,
    Service,
    User,
)
from peerprog.core.report_changes import counted_row_unless_changed


def person_list(*, user: User, search: str = "") -> QuerySet[Person]:
    require_role(user, *SENSITIVE_READERS)
    people = scoped(Person.objects.all(), user)
    if search:
        for word in search.split():
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_name__icontains=word)
                | Q(email__icontains=word)
            )
    return people.order_by("last_name", "first_name", "pk")


def person_detail(*, user: User, pk: int) -> Person:
    require_role(user, *SENSITIVE_READERS)
    queryset = Person.objects.select_related("sensitive", "user").prefetch_related(
        Prefetch("adjustments", queryset=ReasonableAdjustment.objects.order_by("-is_active", "pk"))
    )
    return get_in_programme_or_404(queryset, user, pk)


def adjustment_for_user(*, user: User, pk: int) -> ReasonableAdjustment:
    require_role(user, *SENSITIVE_READERS)
    return get_in_programme_or_404(
        ReasonableAdjustment.objects.select_related("person"), user, pk, field="person__programme"
    )


def service_list(*, user: User) -> QuerySet[Service]:
    require_role(user, Role.PROGRAMME_LEAD, Role.HR, Role.ADMIN)
    return scoped(Service.objects.select_related("organisation"), user).order_by(
        "-is_active", "name"
    )


def service_for_user(*, user: User, pk: int) -> Service:
    require_role(user, Role.PROGRAMME_LEAD, Role.ADMIN)
    return get_in_programme_or_404(Service.objects.select_related("organisation"), user, pk)


def staff_list(*, user: User) -> QuerySet[User]:
    require_role(user, Role.ADMIN)
    return scoped(User.objects.filter(is_system=False), user).order_by(
        "-is_active", "full_name", "pk"
    )


def staff_roles(*, ids: Iterable[int]) -> dict[int, list[str]]:
    """The names of the roles of each of the accounts ``ids`` (a page of
    the staff list), read as plain values in one query."""
    roles: dict[int, list[str]] = {}
    memberships = (
        User.groups.through.objects.filter(user_id__in=list(ids))
        .order_by("user_id", "group_id")
        .values_list("user_id", "group__name")
    )
    for user_id, name in memberships:
        roles.setdefault(user_id, []).append(name)
    return roles


def staff_for_user(*, user: User, pk: int) -> User:
    require_role(user, Role.ADMIN)
    return get_in_programme_or_404(User.objects.filter(is_system=False), user, pk)


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_for_user(*, user: User, pk: int) -> Notification:
    try:
        return Notification.objects.get(pk=pk, recipient=user)
    except (Notification.DoesNotExist, ValueError):
        raise Http404("No such notification.") from None


def programme_summary(*, user: User) -> dict[str, int]:
    """Counts for the home page, in one query: each count is a subquery of
    the row of the user's programme. The query's text is kept per programme
    (``kept_queries``); the counts are read from live rows and kept until a
    table they read changes (``report_changes``)."""

    def query() -> QuerySet:
        services = scoped(Service.objects.all(), user)
        return (
            Programme.objects.filter(pk=user.programme_id)
            .order_by()
            .values_list(
                count_of(services),
                count_of(services.filter(is_active=True)),
                count_of(scoped(Person.objects.all(), user)),
                count_of(scoped(User.objects.filter(is_active=True, is_system=False), user)),
            )
        )

    row = counted_row_unless_changed("programme_summary", user.programme_id, query) or (0, 0, 0, 0)
    return dict(zip(("services", "active_services", "people", "staff"), row, strict=True))
