"""Deployment's search source: posts, by position number, job title or
service, for the roles that read the establishment."""

from __future__ import annotations

from django.db.models import Q

from deployment.models import Post
from deployment.selectors.common import READERS
from peerprog.core.access import has_role, scoped
from peerprog.core.models import User
from peerprog.core.pages import address_pattern
from peerprog.core.search import LIMIT, SearchHit


def posts(*, user: User, words: list[str]) -> list[SearchHit]:
    if not has_role(user, *READERS):
        return []
    condition = Q()
    for word in words:
        condition &= (
            Q(position_number__icontains=word)
            | Q(job_title__icontains=word)
            | Q(service__name__icontains=word)
        )
    detail_url = address_pattern("deployment:post-detail")
    found = (
        scoped(Post.objects.all(), user)
        .filter(condition)
        .select_related("service")
        .order_by("service__name", "position_number", "pk")[: LIMIT + 1]
    )
    return [
        SearchHit(
            "Post",
            f"{post.job_title} ({post.position_number})",
            detail_url.format(post.pk),
            f"{post.service.name}: {post.get_status_display()}",
        )
        for post in found
    ]
