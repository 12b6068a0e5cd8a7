"""A post's or vacancy's job description and person specification."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from deployment import selectors
from deployment.models import Post, SpecDocument, Vacancy
from deployment.person_spec_forms import CriterionForm, SpecDocumentForm
from deployment.selectors import person_spec as spec_selectors
from deployment.services import person_spec as spec_services
from deployment.views.common import READERS, WRITERS
from peerprog.core import storage
from peerprog.core.access import has_role, role_required
from peerprog.core.once import create_view
from peerprog.core.pages import act, attempt, form_page
from training.storage import CONTENT_TYPES


def _owner(request: HttpRequest, kind: str, pk: int) -> tuple[Post | None, Vacancy | None]:
    if kind == "post":
        return selectors.get_post_for_user(user=request.user, pk=pk), None
    return None, selectors.get_vacancy_for_user(user=request.user, pk=pk)


def _page_url(post: Post | None, vacancy: Vacancy | None) -> str:
    if post is not None:
        return reverse("deployment:post-spec", args=[post.pk])
    return reverse("deployment:vacancy-spec", args=[vacancy.pk])  # type: ignore[union-attr]


def _owner_words(post: Post | None, vacancy: Vacancy | None) -> str:
    if post is not None:
        return f"post {post.position_number}, {post.job_title}"
    return f"vacancy {vacancy.advert_reference}"  # type: ignore[union-attr]


def _spec_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post, vacancy = _owner(request, kind, pk)
    inherited = False
    if post is not None:
        spec = spec_selectors.specification_of_post(post=post)
        back = reverse("deployment:post-detail", args=[post.pk])
    else:
        assert vacancy is not None
        spec = spec_selectors.specification_of_vacancy(vacancy=vacancy)
        if spec is None:
            spec = spec_selectors.specification_of_post(post=vacancy.post)
            inherited = spec is not None
        back = reverse("deployment:vacancy-detail", args=[vacancy.pk])
    criteria = list(spec.criteria.all()) if spec else []
    return render(
        request,
        "deployment/person_spec.html",
        {
            "post": post,
            "vacancy": vacancy,
            "owner_words": _owner_words(post, vacancy),
            "spec": spec,
            "inherited": inherited,
            "essential": [c for c in criteria if c.kind == c.Kind.ESSENTIAL],
            "desirable": [c for c in criteria if c.kind == c.Kind.DESIRABLE],
            "documents": list(spec.documents.all()) if spec else [],
            "back_url": back,
            "can_write": has_role(request.user, *WRITERS),
            "add_url": reverse(f"deployment:{kind}-spec-criterion-add", args=[pk]),
            "upload_url": reverse(f"deployment:{kind}-spec-upload", args=[pk]),
        },
    )


@role_required(*READERS)
def post_spec(request: HttpRequest, pk: int) -> HttpResponse:
    return _spec_page(request, "post", pk)


@role_required(*READERS)
def vacancy_spec(request: HttpRequest, pk: int) -> HttpResponse:
    """The vacancy's own specification, or its post's when it has none."""
    return _spec_page(request, "vacancy", pk)


def _criterion_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post, vacancy = _owner(request, kind, pk)
    form = CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        if attempt(
            form,
            lambda: spec_services.spec_criterion_add(
                post=post, vacancy=vacancy, kind=data["kind"], text=data["text"], by=request.user
            ),
            field="text",
        ):
            messages.success(request, "The criterion has been added.")
            return redirect(_page_url(post, vacancy))
    return form_page(
        request,
        form,
        title=f"Add a criterion to the person specification of {_owner_words(post, vacancy)}",
        intro="Interviews are scored against these criteria."
        + (
            " A vacancy's own criteria replace its post's for this advert."
            if vacancy is not None
            else ""
        ),
        back_url=_page_url(post, vacancy),
    )


@role_required(*WRITERS)
@create_view(sample="tests.deployment.samples.post_spec_criterion")
def post_spec_criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _criterion_add(request, "post", pk)


@role_required(*WRITERS)
@create_view(sample="tests.deployment.samples.vacancy_spec_criterion")
def vacancy_spec_criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _criterion_add(request, "vacancy", pk)


def _upload(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post, vacancy = _owner(request, kind, pk)
    form = SpecDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = attempt(
            form,
            lambda: spec_services.spec_document_upload(
                post=post,
                vacancy=vacancy,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                by=request.user,
            ),
            field="file",
        )
        if document is not None:
            messages.success(request, f"The {document.get_kind_display().lower()} is uploaded.")
            return redirect(_page_url(post, vacancy))
    return form_page(
        request,
        form,
        title=f"Upload a document for {_owner_words(post, vacancy)}",
        back_url=_page_url(post, vacancy),
    )


@role_required(*WRITERS)
def post_spec_upload(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload(request, "post", pk)


@role_required(*WRITERS)
def vacancy_spec_upload(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload(request, "vacancy", pk)


@role_required(*READERS)
def spec_document_download(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    document: SpecDocument = spec_selectors.get_spec_document_for_user(user=request.user, pk=pk)
    response = storage.download_response(
        document.file.name,
        filename=document.file_name,
        content_type=CONTENT_TYPES.get(document.file_kind, "application/octet-stream"),
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@require_POST
@role_required(*WRITERS)
def spec_criterion_remove(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = spec_selectors.get_criterion_for_user(user=request.user, pk=pk)
    spec = criterion.specification
    act(
        request,
        lambda: spec_services.spec_criterion_remove(criterion=criterion, by=request.user),
        done="The criterion has been removed.",
    )
    if spec.post_id:
        return redirect("deployment:post-spec", pk=spec.post_id)
    return redirect("deployment:vacancy-spec", pk=spec.vacancy_id)
