"""The posts page: the establishment, and converting vacant posts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from deployment import list_rows, selectors, services
from deployment.filters import PostFilter, select_fields
from deployment.forms import BulkConversionForm, ConversionForm, PostForm, UndoConversionForm
from deployment.models import Post
from deployment.models.posts import PostRole
from deployment.resources import IMPORTER as ESTABLISHMENT
from deployment.views.common import PAGE_SIZE, READERS, WRITERS
from peerprog.core import import_pages, imports
from peerprog.core.access import has_role, role_required
from peerprog.core.once import create_view
from peerprog.core.pages import act, attempt, form_page


@role_required(*READERS)
def post_list(request: HttpRequest) -> HttpResponse:
    """The establishment, filtered by service, role and status. HR tick
    posts to convert them together."""
    posts = PostFilter(
        request.GET or None,
        queryset=selectors.post_ids(user=request.user),
        programme_id=request.user.programme_id,
    )
    chosen = _chosen(posts)
    count, services = None, None
    if chosen is not None and not dict(chosen).get("advertise"):
        # Kept until a post or service changes; posts to advertise are
        # told apart by their vacancies, and counted each time.
        count, services = selectors.post_list_figures(
            user=request.user,
            ids=posts.qs,
            services=posts.filters["service"].queryset,
            filters=chosen,
        )
    page = selectors.post_page(
        user=request.user,
        ids=posts.qs,
        number=request.GET.get("page"),
        per_page=PAGE_SIZE,
        count=count,
    )
    rows = selectors.post_page_rows(
        user=request.user, page=page, fields=list_rows.POST_FIELDS, filters=chosen
    )
    query = request.GET.copy()
    query.pop("page", None)
    can_write = has_role(request.user, *WRITERS)
    context = {
        "filter": posts,
        "page": page,
        "rows": list_rows.post_rows(rows, can_write=can_write),
        "query": query.urlencode(),
        "can_write": can_write,
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "deployment/post_list.html#results", context)
    context["filter_fields"] = select_fields(
        posts.form, None if services is None else {"service": services}
    )
    return render(request, "deployment/post_list.html", context)


def _chosen(posts: PostFilter) -> tuple[tuple[str, Any], ...] | None:
    """The filters chosen, as validated (a record as its id), or None when
    they are not valid."""
    if not posts.is_bound:
        return ()
    if not posts.is_valid():
        return None
    chosen = posts.form.cleaned_data.items()
    return tuple(sorted((name, getattr(value, "pk", value)) for name, value in chosen))


@role_required(*WRITERS)
@create_view(sample="tests.deployment.samples.post")
def post_create(request: HttpRequest) -> HttpResponse:
    form = PostForm(request.POST or None, programme=request.user.programme)
    if request.method == "POST" and form.is_valid():
        post = attempt(
            form,
            lambda: services.post_create(
                programme=request.user.programme, by=request.user, **form.cleaned_data
            ),
        )
        if post is not None:
            messages.success(request, f"Post {post.position_number} has been added.")
            return redirect("deployment:post-detail", pk=post.pk)
    return form_page(request, form, title="Add a post", back_url=reverse("deployment:posts"))


@role_required(*READERS)
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.get_post_for_user(user=request.user, pk=pk)
    return render(
        request,
        "deployment/post_detail.html",
        {
            "post": post,
            "conversions": selectors.post_conversions(post=post),
            "appointments": selectors.post_appointments(post=post),
            "vacancies": selectors.post_vacancies(post=post),
            "can_write": has_role(request.user, *WRITERS),
        },
    )


@role_required(*WRITERS)
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.get_post_for_user(user=request.user, pk=pk)
    form = PostForm(request.POST or None, instance=post, programme=request.user.programme)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form, lambda: services.post_update(post=post, by=request.user, **form.cleaned_data)
        )
    ):
        messages.success(request, f"Post {post.position_number} has been saved.")
        return redirect("deployment:post-detail", pk=post.pk)
    return form_page(
        request,
        form,
        title=f"Change post {post.position_number}",
        back_url=reverse("deployment:post-detail", args=[post.pk]),
    )


@require_POST
@role_required(*WRITERS)
def post_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.get_post_for_user(user=request.user, pk=pk)
    act(
        request,
        lambda: services.post_freeze(post=post, by=request.user),
        done=f"Post {post.position_number} is frozen.",
    )
    return redirect("deployment:post-detail", pk=post.pk)


@require_POST
@role_required(*WRITERS)
def post_unfreeze(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.get_post_for_user(user=request.user, pk=pk)
    act(
        request,
        lambda: services.post_unfreeze(post=post, by=request.user),
        done=f"Post {post.position_number} is vacant again.",
    )
    return redirect("deployment:post-detail", pk=post.pk)


def _initial_conversion(posts: list[Post]) -> dict[str, object]:
    """Suggest a like-for-like conversion: an HCA post becomes an LXP post
    at the same band and hours."""
    initial: dict[str, object] = {"to_role": PostRole.LXP}
    bands = {post.band for post in posts}
    if len(bands) == 1:
        initial["to_band"] = bands.pop()
    wtes = {post.wte for post in posts}
    if len(wtes) == 1:
        initial["to_wte"] = wtes.pop()
    return initial


@role_required(*WRITERS)
def post_convert(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.get_post_for_user(user=request.user, pk=pk)
    form = ConversionForm(request.POST or None, initial=_initial_conversion([post]))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        conversion = attempt(
            form,
            lambda: services.post_convert(
                post=post,
                to_role=data["to_role"],
                to_band=data["to_band"],
                to_wte=data["to_wte"],
                to_job_title=data["to_job_title"],
                reason=data["reason"],
                by=request.user,
                on=data["on"],
            ),
        )
        if conversion is not None:
            messages.success(
                request,
                f"Post {post.position_number} has been converted into a "
                f"{conversion.new_post.get_role_display()} post.",
            )
            return redirect("deployment:post-detail", pk=conversion.new_post.pk)
    return form_page(
        request,
        form,
        title=f"Convert post {post.position_number}",
        intro=(
            f"{post.job_title}, {post.service.name}, band {post.band}, {post.wte} WTE. "
            "Only a vacant post can be converted. The original post stays on record."
        ),
        back_url=reverse("deployment:post-detail", args=[post.pk]),
    )


@role_required(*WRITERS)
def posts_convert(request: HttpRequest) -> HttpResponse:
    """Convert the posts ticked on the posts page: all of them or none."""
    source = request.POST if request.method == "POST" else request.GET
    chosen = selectors.posts_for_user(user=request.user, pks=source.getlist("posts"))
    if not chosen:
        messages.error(request, "Tick at least one post to convert.")
        return redirect("deployment:posts")
    initial = {**_initial_conversion(chosen), "posts": [post.pk for post in chosen]}
    form = BulkConversionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        programme=request.user.programme,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        conversions = attempt(
            form,
            lambda: services.posts_convert(
                posts=list(data["posts"]),
                to_role=data["to_role"],
                to_band=data["to_band"],
                to_wte=data["to_wte"],
                to_job_title=data["to_job_title"],
                reason=data["reason"],
                by=request.user,
                on=data["on"],
            ),
        )
        if conversions is not None:
            messages.success(request, f"{len(conversions)} posts have been converted.")
            return redirect(f"{reverse('deployment:posts')}?status=vacant")
    return form_page(
        request,
        form,
        title=f"Convert {len(chosen)} post{'s' if len(chosen) != 1 else ''}",
        intro="All of these posts are converted, or none of them: if one cannot be "
        "converted, nothing changes.",
        back_url=reverse("deployment:posts"),
        extra={"chosen_posts": chosen},
        template="deployment/post_convert_many.html",
    )


@role_required(*WRITERS)
def conversion_undo(request: HttpRequest, pk: int) -> HttpResponse:
    conversion = selectors.get_conversion_for_user(user=request.user, pk=pk)
    form = UndoConversionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.conversion_undo(
                conversion=conversion,
                reason=form.cleaned_data["reason"],
                by=request.user,
                on=form.cleaned_data["on"],
            ),
        )
    ):
        messages.success(
            request,
            f"The conversion has been undone: post {conversion.original.position_number} "
            "is vacant again.",
        )
        return redirect("deployment:post-detail", pk=conversion.original_id)
    return form_page(
        request,
        form,
        title=f"Undo the conversion of post {conversion.original.position_number}",
        intro="Possible only while nobody has been appointed to the converted post. The "
        "original post becomes vacant again and the conversion stays on record as undone.",
        back_url=reverse("deployment:post-detail", args=[conversion.original_id]),
    )


@role_required(*WRITERS)
def establishment_import(request: HttpRequest) -> HttpResponse:
    """Load posts from a CSV or XLSX file, through the kernel's preview."""
    return import_pages.import_upload_page(
        request,
        importer_key=ESTABLISHMENT.key,
        form=imports.UploadForm(request.POST or None, request.FILES or None),
        options=lambda form: {},
        preview_url=lambda pending: reverse("deployment:posts-import-preview", args=[pending.pk]),
        context={
            "title": "Load posts from a file",
            "intro": "Load the establishment from a CSV file or an Excel workbook. A post "
            "already on record with the same position number is updated, never added twice.",
            "back_url": reverse("deployment:posts"),
        },
    )


@role_required(*WRITERS)
def establishment_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    pending = imports.pending_import_for_user(
        user=request.user, pk=pk, importer_key=ESTABLISHMENT.key
    )
    return import_pages.import_preview_page(
        request,
        pending=pending,
        done_url=reverse("deployment:posts"),
        upload_url=reverse("deployment:posts-import"),
        context={"title": "Load posts"},
    )
