"""The base of every editable list of reasons an app keeps."""

from __future__ import annotations

from django.db import models

from peerprog.core.models.organisation import Programme


class ReasonBase(models.Model):
    """An editable reason (unsuccessful, withdrawn, non-completion, leaving).

    Leads and HR word reasons as they like, but each maps to a fixed
    reporting category of the owning app, so reports stay comparable. A
    reason in use is archived, never deleted (``on_delete=PROTECT`` on every
    reference). Reasons that reveal health are special-category data:
    ``reveals_health`` marks them so pages, e-mails and exports can hide them
    from anyone who may not read them.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=200)
    category = models.CharField(max_length=50)
    reveals_health = models.BooleanField(default=False)
    is_archived = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "label"], name="%(app_label)s_%(class)s_label_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label
