"""Letter templates and the letters written from them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from peerprog.core.history import History
from peerprog.core.models.organisation import Programme
from peerprog.core.models.people import Person
from peerprog.core.models.users import User


class LetterTemplate(models.Model):
    """A programme's own wording of one kind of letter (an offer, say).

    The text may use only the placeholders that the letter's kind allows
    (``peerprog.core.letters``), so a template can never reach a fact the
    letter should not carry. Without a saved template the kind's default
    wording is used.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="letter_templates"
    )
    kind = models.CharField(max_length=50)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(default=timezone.now)
    history = History()

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind"], name="letter_template_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.subject


class Letter(models.Model):
    """One letter issued to a person, exactly as it was worded.

    ``key`` names what the letter is about (``application:12:offer``), so the
    same letter is issued once. A person who agreed to e-mail gets it by
    e-mail, through the outbox, which alone knows whether it was delivered;
    for everyone else it waits to be printed and posted.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        POST = "post", "Post"

    class Status(models.TextChoices):
        EMAIL = "email", "Sent by e-mail"
        TO_POST = "to_post", "Waiting to be posted"
        POSTED = "posted", "Posted"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="letters")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=50)
    key = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    email = models.ForeignKey(
        "core.OutboxEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
    )
    posted_at = models.DateTimeField(null=True, blank=True)
    history = History()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="letter_issued_once")
        ]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def delivery(self) -> str:
        """Where the letter is, in a few words: "Posted on 3 March 2026"."""
        if self.status == self.Status.POSTED and self.posted_at:
            return f"Posted on {timezone.localdate(self.posted_at):%-d %B %Y}"
        if self.status != self.Status.EMAIL:
            return self.get_status_display()
        email = self.email
        if email is None:
            return "Sent by e-mail"
        if email.state == "accepted" and email.accepted_at:
            return f"E-mailed on {timezone.localdate(email.accepted_at):%-d %B %Y}"
        if email.state == "failed":
            return "The e-mail could not be delivered: an admin can try it again"
        if email.state == "cancelled":
            return "Not e-mailed: the person no longer agrees to e-mail"
        return "Waiting to be e-mailed"
