"""Writes to a post's or vacancy's job description and person
specification: criteria added and removed, documents uploaded."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from deployment.models import PersonSpecification, Post, SpecCriterion, SpecDocument, Vacancy
from deployment.services.common import DeploymentError, clean_or_refuse
from peerprog.core.models import User
from peerprog.core.storage import delete_file
from training.uploads import UploadRefused, check_portfolio_file

MAX_CRITERIA = 40


def _specification(*, post: Post | None, vacancy: Vacancy | None, by: User) -> PersonSpecification:
    """The specification of the post or vacancy, locked, created when it has none."""
    if (post is None) == (vacancy is None):
        raise DeploymentError("A specification belongs to a post or to a vacancy.")
    owner = {"post": post} if post is not None else {"vacancy": vacancy}
    programme_id = (post or vacancy).programme_id  # type: ignore[union-attr]
    spec, _created = PersonSpecification.objects.select_for_update().get_or_create(
        **owner, defaults={"programme_id": programme_id, "updated_by": by}
    )
    spec.updated_by = by
    spec.updated_at = timezone.now()
    spec.save()
    return spec


@transaction.atomic
def spec_criterion_add(
    *, by: User, kind: str, text: str, post: Post | None = None, vacancy: Vacancy | None = None
) -> SpecCriterion:
    """Add an essential or desirable criterion to the post's (or vacancy's)
    person specification, creating the specification if needed."""
    spec = _specification(post=post, vacancy=vacancy, by=by)
    text = " ".join(text.split())
    count = spec.criteria.count()
    if count >= MAX_CRITERIA:
        raise DeploymentError(f"A person specification can have up to {MAX_CRITERIA} criteria.")
    if spec.criteria.filter(text__iexact=text).exists():
        raise DeploymentError("This specification already has this criterion.")
    criterion = SpecCriterion(specification=spec, kind=kind, text=text, position=count + 1)
    clean_or_refuse(instance=criterion)
    criterion.save()
    return criterion


@transaction.atomic
def spec_criterion_remove(*, criterion: SpecCriterion, by: User) -> None:
    """Remove a criterion no interview has been scored against yet; once
    scored it stays, so that the scores keep their meaning."""
    criterion = SpecCriterion.objects.select_for_update().get(pk=criterion.pk)
    if criterion.scores.exists():
        raise DeploymentError(
            "Interviews have been scored against this criterion, so it cannot be removed."
        )
    criterion.delete()


@transaction.atomic
def spec_document_upload(
    *,
    by: User,
    kind: str,
    upload: UploadedFile,
    post: Post | None = None,
    vacancy: Vacancy | None = None,
) -> SpecDocument:
    """Keep an uploaded job description or person specification (PDF, DOCX
    or ODT, checked by content and size) in the private store, replacing
    the earlier one of the same kind. The old file is deleted once the
    change is committed."""
    if kind not in SpecDocument.Kind.values:
        raise DeploymentError("Choose a job description or a person specification.")
    try:
        checked = check_portfolio_file(upload)
    except UploadRefused as refused:
        raise DeploymentError(refused.message) from refused
    spec = _specification(post=post, vacancy=vacancy, by=by)
    document = (
        SpecDocument.objects.select_for_update().filter(specification=spec, kind=kind).first()
    )
    old_name = document.file.name if document is not None else ""
    if document is None:
        document = SpecDocument(specification=spec, kind=kind)
    stem = checked.name.rsplit(".", 1)[0]
    default_stem = "portfolio"  # the upload check's name for a file without a usable name
    if stem == default_stem:
        stem = kind.replace("_", "-")
    document.file_name = f"{stem}.{checked.kind}"
    document.file_kind = checked.kind
    document.file_size = checked.size
    document.uploaded_by = by
    document.uploaded_at = timezone.now()
    upload.seek(0)
    document.file.save(f"specifications/{uuid.uuid4().hex}.{checked.kind}", upload, save=False)
    new_name = document.file.name
    transaction.on_commit(lambda: delete_file(old_name))
    # A refused save must not leave the new file behind.
    try:
        clean_or_refuse(instance=document)
        document.save()
    except Exception:
        delete_file(new_name)
        raise
    return document
