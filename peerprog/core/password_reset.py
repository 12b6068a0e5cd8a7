"""Asking for a new password, in the background.

The page answers every request the same way and at once: it checks only
that an e-mail address was given and queues ``password_reset_request`` with
it. The task looks the address up and, when it belongs to an active account
with a password, hands the e-mail to the outbox, whose own delivery sends
it. Nothing that depends on whether the account exists happens while the
person waits, so the time of the answer does not tell who has an account.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from peerprog.core.forms import OutboxPasswordResetForm

SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
EMAIL_TEMPLATE = "registration/password_reset_email.html"


def password_reset_queue(*, email: str, request_key: str) -> None:
    """Queue the look-up and e-mail for ``email`` after the current commit.
    Called for every request, whether or not the address is known."""
    from peerprog.core.tasks import password_reset_request

    transaction.on_commit(
        lambda: password_reset_request.delay(email=email, request_key=request_key)
    )


def password_reset_send(*, email: str, request_key: str) -> None:
    """Hand a reset e-mail to the outbox for each active account with a
    password and this address (Django's own rules); nothing for an address
    that is no account's. The outbox key includes ``request_key``, so a task
    delivered twice stores each e-mail once."""
    form = OutboxPasswordResetForm({"email": email}, request_key=request_key)
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    with transaction.atomic():
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            subject_template_name=SUBJECT_TEMPLATE,
            email_template_name=EMAIL_TEMPLATE,
        )
