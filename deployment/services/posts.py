"""The establishment: adding and correcting posts, freezing them, and
converting vacant posts into peer worker posts (one or many, and undo)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from deployment.models import Appointment, Post, PostConversion
from deployment.models.posts import DEFAULT_JOB_TITLES, PEER_ROLES, PostRole
from deployment.services.common import DeploymentError, apply, clean_or_refuse
from peerprog.core.dates import moment_of
from peerprog.core.models import Programme, User

EDITABLE_FIELDS = ("service", "position_number", "job_title", "role", "band", "wte")


@transaction.atomic
def post_create(*, programme: Programme, by: User, **values: Any) -> Post:
    """Add a post to the establishment. New posts start vacant unless a
    status is given (the establishment import brings filled posts too)."""
    post = Post(programme=programme, **values)
    clean_or_refuse(instance=post)
    post.save()
    return post


@transaction.atomic
def post_update(*, post: Post, by: User, **values: Any) -> Post:
    """Correct a post's details. A converted original is kept exactly as it
    was, so it cannot be changed."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status == Post.Status.CONVERTED:
        raise DeploymentError(
            f"Post {post.position_number} was converted and is kept on record as it was; "
            "change the peer worker post it became instead."
        )
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise DeploymentError(f"These details cannot be changed here: {', '.join(unknown)}.")
    apply(instance=post, values=values)
    clean_or_refuse(instance=post)
    post.save()
    return post


@transaction.atomic
def post_freeze(*, post: Post, by: User) -> Post:
    """Freeze a vacant post: it is kept on the establishment but not recruited to."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status != Post.Status.VACANT:
        raise DeploymentError(
            f"Post {post.position_number} is {post.get_status_display().lower()}: "
            "only a vacant post can be frozen."
        )
    post.status = Post.Status.FROZEN
    post.save()
    return post


@transaction.atomic
def post_unfreeze(*, post: Post, by: User) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status != Post.Status.FROZEN:
        raise DeploymentError(f"Post {post.position_number} is not frozen.")
    post.status = Post.Status.VACANT
    post.save()
    return post


def _refusal(post: Post) -> str | None:
    """Why this post cannot be converted, or None when it can."""
    number = post.position_number
    if post.status == Post.Status.FILLED:
        return f"Post {number} is filled: only a vacant post can be converted."
    if post.status == Post.Status.FROZEN:
        return f"Post {number} is frozen: unfreeze it first, then convert it while it is vacant."
    if post.status == Post.Status.CONVERTED:
        return f"Post {number} has already been converted."
    if post.converted_from_id is not None:
        return (
            f"Post {number} is already a converted post (made from post "
            f"{post.converted_from.position_number}): it cannot be converted again."
        )
    return None


def _moment(on: date | None, what: str) -> datetime:
    """When a conversion (or its undoing) happened: ``on``, or now; never
    in the future."""
    if on is not None and on > timezone.localdate():
        raise DeploymentError(f"{what} cannot be dated in the future.")
    return moment_of(on) or timezone.now()


def _convert(
    *,
    post: Post,
    to_role: str,
    to_band: str,
    to_wte: Decimal | None,
    to_job_title: str,
    reason: str,
    by: User,
    at: datetime,
) -> PostConversion:
    if to_role not in PEER_ROLES:
        raise DeploymentError("A post can only be converted into a peer worker or Lead LXP post.")
    if not reason.strip():
        raise DeploymentError("Give a reason for the conversion.")
    job_title = to_job_title.strip() or DEFAULT_JOB_TITLES[PostRole(to_role)]
    to_wte = to_wte or post.wte
    if (post.role, post.band, post.wte, post.job_title) == (to_role, to_band, to_wte, job_title):
        raise DeploymentError(
            f"Post {post.position_number} already has this role, band and hours; "
            "there is nothing to convert."
        )
    # The original is marked converted first: it keeps its position number,
    # which the new post shares.
    post.status = Post.Status.CONVERTED
    post.save()
    new_post = Post(
        programme=post.programme,
        service=post.service,
        position_number=post.position_number,
        job_title=job_title,
        role=to_role,
        band=to_band,
        wte=to_wte,
        status=Post.Status.VACANT,
        converted_from=post,
    )
    clean_or_refuse(instance=new_post)
    new_post.save()
    conversion = PostConversion(
        programme=post.programme,
        original=post,
        new_post=new_post,
        from_job_title=post.job_title,
        from_role=post.role,
        from_band=post.band,
        from_wte=post.wte,
        to_job_title=job_title,
        to_role=to_role,
        to_band=to_band,
        to_wte=to_wte,
        reason=reason.strip(),
        converted_by=by,
        converted_at=at,
    )
    clean_or_refuse(instance=conversion)
    conversion.save()
    return conversion


@transaction.atomic
def post_convert(
    *,
    post: Post,
    to_role: str,
    to_band: str,
    to_wte: Decimal | None,
    reason: str,
    by: User,
    to_job_title: str = "",
    on: date | None = None,
) -> PostConversion:
    """Convert one vacant post into a peer worker post.

    The original keeps its role, band and hours and is marked converted; a
    new vacant post with the target role, band and hours (the original's
    hours when ``to_wte`` is None) points back to it;
    the conversion records who, when, from what, to what and why. A filled,
    frozen or already converted post is refused. ``on`` is the day it was
    converted when earlier than today; never in the future.
    """
    at = _moment(on, "A conversion")
    post = Post.objects.select_for_update().select_related("programme").get(pk=post.pk)
    refusal = _refusal(post)
    if refusal:
        raise DeploymentError(refusal)
    return _convert(
        post=post,
        to_role=to_role,
        to_band=to_band,
        to_wte=to_wte,
        to_job_title=to_job_title,
        reason=reason,
        by=by,
        at=at,
    )


@transaction.atomic
def posts_convert(
    *,
    posts: Sequence[Post],
    to_role: str,
    to_band: str,
    to_wte: Decimal | None,
    reason: str,
    by: User,
    to_job_title: str = "",
    on: date | None = None,
) -> list[PostConversion]:
    """Convert several vacant posts in one action: all of them, or none.

    Every post is locked and checked before anything is written; if any one
    cannot be converted, the whole action is refused, naming each post and
    why. ``on`` dates every conversion, as for one.
    """
    at = _moment(on, "A conversion")
    if not posts:
        raise DeploymentError("Choose at least one post to convert.")
    locked = list(
        Post.objects.select_for_update()
        .select_related("programme")
        .filter(pk__in=[post.pk for post in posts])
        .order_by("pk")
    )
    refusals = [refusal for post in locked if (refusal := _refusal(post))]
    if refusals:
        raise DeploymentError("No posts were converted. " + " ".join(refusals))
    return [
        _convert(
            post=post,
            to_role=to_role,
            to_band=to_band,
            to_wte=to_wte,
            to_job_title=to_job_title,
            reason=reason,
            by=by,
            at=at,
        )
        for post in locked
    ]


@transaction.atomic
def conversion_undo(
    *, conversion: PostConversion, reason: str, by: User, on: date | None = None
) -> PostConversion:
    """Undo a conversion while nobody has been appointed to the new post.

    The new post is removed (its history stays in the audit trail), along
    with any advert of it that has no candidates; the original is vacant
    again; the conversion stays on record, marked undone, with who, when
    and why. ``on`` is the day it was undone when earlier than today:
    never in the future, never before the conversion.
    """
    at = _moment(on, "Undoing a conversion")
    conversion = PostConversion.objects.select_for_update().get(pk=conversion.pk)
    if conversion.is_undone:
        raise DeploymentError("This conversion has already been undone.")
    converted_on = timezone.localdate(conversion.converted_at)
    if timezone.localdate(at) < converted_on:
        raise DeploymentError(
            f"The post was converted on {converted_on:%-d %B %Y}: the conversion cannot be "
            "undone before that."
        )
    if at < conversion.converted_at:
        at = conversion.converted_at
    if not reason.strip():
        raise DeploymentError("Give a reason for undoing the conversion.")
    new_post = conversion.new_post
    original = Post.objects.select_for_update().get(pk=conversion.original_id)
    if new_post is not None:
        new_post = Post.objects.select_for_update().get(pk=new_post.pk)
        if Appointment.objects.filter(post=new_post).exists():
            raise DeploymentError(
                "Someone has been appointed to the converted post, so the conversion cannot "
                "be undone. Record a leaver or a transfer instead."
            )
        vacancies = list(new_post.vacancies.all())
        if any(vacancy.candidates.exists() for vacancy in vacancies):
            raise DeploymentError(
                "The converted post has been advertised and has candidates, so the conversion "
                "cannot be undone."
            )
        for vacancy in vacancies:
            vacancy.delete()
        if Post.objects.filter(converted_from=new_post).exists():
            raise DeploymentError(
                "The converted post has itself been converted; undo that conversion first."
            )
        new_post.delete()
    conversion.new_post = None
    conversion.undone_at = at
    conversion.undone_by = by
    conversion.undo_reason = reason.strip()
    conversion.save()
    original.status = Post.Status.VACANT
    original.save()
    return conversion
