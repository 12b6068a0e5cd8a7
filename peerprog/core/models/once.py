"""One-time form tokens, written when a create form is posted."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class FormToken(models.Model):
    """A create form that has been posted and saved.

    Showing a form writes nothing: the form carries a signed token in a
    hidden field. The row is inserted only when the form is posted, in the
    same transaction as the record it creates, so its unique key lets one
    post through and answers every repeat of it (a double click, a page sent
    again, the same post from twenty tabs) with the page the first one led
    to. A post whose form had errors is rolled back with its row, so the
    token can still be used.
    """

    key = models.CharField(max_length=64, unique=True)
    path = models.CharField(max_length=255)
    result_url = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "posted form"

    def __str__(self) -> str:
        return f"{self.path} at {self.created_at:%Y-%m-%d %H:%M}"
