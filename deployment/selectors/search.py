"""Deployment's search source: posts, by position number, job title or
service, for the roles that read the establishment."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from deployment.models import Post
from deployment.selectors.common import READERS
from peerprog.core.access import has_role, scoped
from peerprog.core.models import User
from peerprog.core.pages import address_pattern
from peerprog.core.search import LIMIT, SearchHit, found_rows


def posts(*, user: User, words: list[str]) -> list[SearchHit]:
    if not has_role(user, *READERS):
        return []
    detail_url = address_pattern("deployment:post-detail")
    status_label = dict(Post.Status.choices)
    found = found_rows("search_posts", user.programme_id, words, lambda words: _found(user, words))
    return [
        SearchHit(
            "Post",
            f"{job_title} ({position_number})",
            detail_url.format(pk),
            f"{service}: {status_label.get(status, status)}",
        )
        for pk, job_title, position_number, service, status in found
    ]


def _found(user: User, words: list[str]) -> QuerySet[Post]:
    """The posts whose position number, job title or service holds every
    word, in the list's order."""
    condition = Q()
    for word in words:
        condition &= (
            Q(position_number__icontains=word)
            | Q(job_title__icontains=word)
            | Q(service__name__icontains=word)
        )
    # A post's service is always of the post's programme (Post.clean); naming
    # the programme on the service too lets the database walk services in
    # name order by its (programme, name) index and stop at the first hits,
    # rather than sort every matching post.
    return (
        scoped(scoped(Post.objects.all(), user), user, "service__programme")
        .filter(condition)
        .order_by("service__name", "position_number", "pk")
        .values_list("pk", "job_title", "position_number", "service__name", "status")[: LIMIT + 1]
    )
