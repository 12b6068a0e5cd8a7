"""The job description and person specification of a post or of one
vacancy: uploaded documents, structured criteria (essential or desirable),
or both. Interviews are scored against the criteria."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from deployment.models.posts import Post
from deployment.models.recruitment_day import Vacancy
from peerprog.core.history import History
from peerprog.core.models import Programme
from peerprog.core.storage import PrivateStorage, private_storage


def spec_storage() -> PrivateStorage:
    """The storage of specification documents: peerprog's one private store."""
    return private_storage


class PersonSpecification(models.Model):
    """The specification of one post, or of one vacancy when its advert
    asks for something the post's does not. A vacancy without its own uses
    its post's."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    post = models.OneToOneField(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="specification"
    )
    vacancy = models.OneToOneField(
        Vacancy, on_delete=models.PROTECT, null=True, blank=True, related_name="specification"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = History()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(post__isnull=False) & Q(vacancy__isnull=True))
                | (Q(post__isnull=True) & Q(vacancy__isnull=False)),
                name="person_spec_for_a_post_or_a_vacancy",
                violation_error_message="A specification belongs to a post or to a vacancy.",
            )
        ]

    def __str__(self) -> str:
        owner = self.post if self.post_id else self.vacancy
        return f"Person specification of {owner}"


class SpecCriterion(models.Model):
    """One criterion of a person specification, in the words of the advert."""

    class Kind(models.TextChoices):
        ESSENTIAL = "essential", "Essential"
        DESIRABLE = "desirable", "Desirable"

    specification = models.ForeignKey(
        PersonSpecification, on_delete=models.CASCADE, related_name="criteria"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ESSENTIAL)
    text = models.CharField(
        "criterion", max_length=300, help_text="For example “Lived experience of mental distress”."
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = History()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["specification", "text"],
                name="spec_criterion_once_per_specification",
                violation_error_message="This specification already has this criterion.",
            )
        ]

    def __str__(self) -> str:
        return self.text


class SpecDocument(models.Model):
    """An uploaded job description or person specification, kept in the
    private store under a random name; one of each kind per specification."""

    class Kind(models.TextChoices):
        JOB_DESCRIPTION = "job_description", "Job description"
        PERSON_SPECIFICATION = "person_specification", "Person specification"

    specification = models.ForeignKey(
        PersonSpecification, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    file = models.FileField(storage=spec_storage, max_length=300)
    file_name = models.CharField("file name", max_length=120)
    file_kind = models.CharField(max_length=10)
    file_size = models.PositiveIntegerField("size in bytes")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = History()

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["specification", "kind"],
                name="spec_document_one_of_each_kind",
                violation_error_message="This specification already has a document of this kind.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"
