"""The establishment of posts, with their conversions, appointments and
vacancies."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import FilteredRelation, Prefetch, Q, QuerySet
from django.utils.functional import cached_property

from deployment.models import (
    Appointment,
    Post,
    PostConversion,
    Vacancy,
)
from deployment.models.posts import PEER_ROLES
from deployment.selectors.common import READERS
from peerprog.core.access import (
    get_in_programme_or_404,
    require_role,
    scoped,
)
from peerprog.core.kept_values import kept_values
from peerprog.core.models import User
from peerprog.core.report_changes import read_unless_changed

# Posts --------------------------------------------------------------------

_active_appointments = Prefetch(
    "appointments",
    queryset=Appointment.objects.filter(status__in=Appointment.ACTIVE).select_related("person"),
    to_attr="active_appointments",
)


def post_list(*, user: User) -> QuerySet[Post]:
    """The establishment, with who holds each post and what it was converted
    from or to. Filter it with ``deployment.filters.PostFilter``."""
    require_role(user, *READERS)
    return (
        scoped(Post.objects.all(), user)
        .select_related("service", "converted_from", "converted_to")
        .prefetch_related(_active_appointments)
        .order_by("service__name", "position_number", "pk")
    )


def post_ids(*, user: User) -> QuerySet[Post]:
    """The ids of the establishment's posts in the list's order. The posts
    page filters and pages these, then reads its 50 posts with
    ``post_rows``: the database sorts the posts alone, not every post
    joined to its conversions and holder. Filter it with
    ``deployment.filters.PostFilter``."""
    require_role(user, *READERS)
    return (
        scoped(Post.objects.all(), user)
        .order_by("service__name", "position_number", "pk")
        .values_list("pk", flat=True)
    )


class _PostPaginator(Paginator):
    """Pages posts read in the list's order, counting them without it
    (or given their number)."""

    def __init__(
        self, ordered: QuerySet[Post], per_page: int, *, counted: QuerySet[Post] | int
    ) -> None:
        super().__init__(ordered, per_page)
        self._counted = counted

    @cached_property
    def count(self) -> int:
        if isinstance(self._counted, int):
            return self._counted
        return self._counted.count()


def post_page(
    *, user: User, ids: QuerySet[Post], number: Any, per_page: int, count: int | None = None
) -> Page:
    """Page ``number`` of ``ids`` (``post_ids``, filtered). Every post's
    service is in the post's programme (``Post.clean``): saying so lets the
    database walk the programme's services by name (their unique index) and
    each one's posts in order (``post_list_order``), reading a page's posts
    rather than sorting the whole establishment. The count is of the posts
    alone, without the services; ``count``: their number where already
    known (``post_list_figures``)."""
    ordered = ids.filter(service__programme_id=user.programme_id)
    return _PostPaginator(ordered, per_page, counted=ids if count is None else count).get_page(
        number
    )


def post_list_figures(
    *,
    user: User,
    ids: QuerySet[Post],
    services: QuerySet[Any],
    filters: Hashable,
) -> tuple[int, list[tuple[int, str]]]:
    """How many posts ``ids`` (``post_ids``, filtered by ``filters``: the
    filters chosen, as validated) holds, and the service filter's choices
    (``services``, as (id, name shown)): read again only once a post or a
    service has changed (``read_unless_changed``). ``ids`` must read only
    the posts (not the "to advertise" filter, which reads vacancies)."""
    require_role(user, *READERS)
    return read_unless_changed(
        "posts_page_figures",
        (user.programme_id, filters),
        lambda: (ids.count(), [(service.pk, str(service)) for service in services]),
    )


def post_rows(*, user: User, ids: Iterable[int], fields: Iterable[str]) -> QuerySet[Post]:
    """The posts of ``ids`` (a page of ``post_ids``) as plain values of
    ``fields``, in the list's order. ``holder`` is the post's offered or
    in-post appointment, joined rather than read separately: a post has
    one at most."""
    require_role(user, *READERS)
    return (
        scoped(Post.objects.filter(pk__in=ids), user)
        .annotate(
            holder=FilteredRelation(
                "appointments", condition=Q(appointments__status__in=Appointment.ACTIVE)
            )
        )
        .order_by("service__name", "position_number", "pk")
        .values(*fields)
    )


def post_page_rows(
    *, user: User, page: Page, fields: Sequence[str], filters: Hashable
) -> list[dict[str, Any]]:
    """``post_rows`` for ``page`` (``post_page``) as a list. Its SQL is
    built once for the programme, ``filters`` (the filters chosen, as
    validated: everything else the query depends on; None when they are
    not valid, and then built afresh) and the page's first and last rows,
    and planned once per connection (``kept_values``)."""
    if filters is None:
        return list(post_rows(user=user, ids=page.object_list, fields=fields))
    return kept_values(
        name="posts_page",
        key=(user.programme_id, filters, page.start_index(), page.end_index(), tuple(fields)),
        build=lambda: post_rows(user=user, ids=page.object_list, fields=fields),
    )


def get_post_for_user(*, user: User, pk: Any) -> Post:
    require_role(user, *READERS)
    queryset = Post.objects.select_related(
        "service", "converted_from", "converted_to"
    ).prefetch_related(_active_appointments)
    return get_in_programme_or_404(queryset, user, pk)


def posts_for_user(*, user: User, pks: Iterable[Any]) -> list[Post]:
    """The posts among ``pks`` in the user's programme (others are ignored)."""
    require_role(user, *READERS)
    clean = [int(pk) for pk in pks if str(pk).isdigit()]
    return list(scoped(Post.objects.select_related("service"), user).filter(pk__in=clean))


def post_conversions(*, post: Post) -> list[PostConversion]:
    """Every conversion of this post, or that created it, newest first."""
    return list(
        PostConversion.objects.filter(Q(original=post) | Q(new_post=post))
        .select_related("converted_by", "undone_by", "original", "new_post")
        .order_by("-converted_at", "-pk")
    )


def post_appointments(*, post: Post) -> list[Appointment]:
    return list(
        post.appointments.select_related("person").order_by("-created_at", "-pk")  # type: ignore[attr-defined]
    )


def post_vacancies(*, post: Post) -> list[Vacancy]:
    return list(post.vacancies.order_by("-opened_on", "-pk"))  # type: ignore[attr-defined]


def get_conversion_for_user(*, user: User, pk: Any) -> PostConversion:
    require_role(user, *READERS)
    return get_in_programme_or_404(
        PostConversion.objects.select_related("original__service", "new_post", "converted_by"),
        user,
        pk,
    )


def vacant_peer_posts(*, user: User) -> QuerySet[Post]:
    require_role(user, *READERS)
    return (
        scoped(Post.objects.select_related("service"), user)
        .filter(role__in=PEER_ROLES, status=Post.Status.VACANT)
        .order_by("service__name", "position_number")
    )
