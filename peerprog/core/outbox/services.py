"""Every write the outbox makes: queueing an e-mail, the lease around each
send, marking it accepted or failed, an admin's retry, and the purge.

Queueing happens inside the caller's transaction, so an e-mail exists
exactly when the change that caused it was committed; the send is queued
after the commit. Sending goes through a lease: ``outbox_claim_next`` takes
one due row for ``OUTBOX_LEASE_SECONDS``, the sender hands it to the mail
server, and ``outbox_mark_accepted`` records the server's acceptance in its
own short transaction. A worker that dies in between leaves the lease to
expire and the sweep sends the row again with the same Message-ID.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from peerprog.core.outbox.models import OutboxEmail

# Back-off between attempts is capped well below the broker's visibility
# timeout, so no retry waits on the broker.
RETRY_CAP = timedelta(minutes=30)


@dataclass(frozen=True)
class Draft:
    """An e-mail ready for the outbox: rendered, addressed, keyed."""

    key: str
    kind: str
    to: str
    subject: str
    text: str
    html: str = ""
    user_id: int | None = None
    person_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def render_email(*, template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text body and HTML body from templates/emails/<template>_*.
    The HTML body is optional: without its template the e-mail is text."""
    context = {"site_url": getattr(settings, "SITE_URL", ""), **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    text = render_to_string(f"emails/{template}_body.txt", context)
    try:
        html = render_to_string(f"emails/{template}_body.html", context)
    except TemplateDoesNotExist:
        html = ""
    return settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), text, html


def draft(
    *,
    key: str,
    kind: str,
    to: str,
    template: str,
    context: dict[str, Any],
    user_id: int | None = None,
    person_id: int | None = None,
) -> Draft:
    subject, text, html = render_email(template=template, context=context)
    return Draft(
        key=key,
        kind=kind,
        to=to,
        subject=subject,
        text=text,
        html=html,
        user_id=user_id,
        person_id=person_id,
    )


def _queue_delivery() -> None:
    from peerprog.core.outbox.tasks import outbox_deliver

    transaction.on_commit(outbox_deliver.delay)


def outbox_add_many(*, drafts: Sequence[Draft], now: datetime | None = None) -> dict[str, int]:
    """Store the e-mails not stored yet (by key) and queue a delivery after
    the commit. Returns each key's row id, stored now or before. Two
    queries whatever the number of e-mails."""
    if not drafts:
        return {}
    now = now or timezone.now()
    rows = [
        OutboxEmail(
            key=d.key,
            kind=d.kind,
            recipient_user_id=d.user_id,
            recipient_person_id=d.person_id,
            to_address=d.to,
            subject=d.subject[:300],
            body_text=d.text,
            body_html=d.html,
            created_at=now,
            next_attempt_at=now,
        )
        for d in drafts
    ]
    OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True)
    ids = dict(OutboxEmail.objects.filter(key__in=[d.key for d in drafts]).values_list("key", "pk"))
    _queue_delivery()
    return ids


def outbox_add(
    *,
    key: str,
    kind: str,
    to: str,
    template: str,
    context: dict[str, Any],
    user_id: int | None = None,
    person_id: int | None = None,
) -> OutboxEmail:
    """Render one e-mail and hand it to the outbox (once per ``key``)."""
    message = draft(
        key=key,
        kind=kind,
        to=to,
        template=template,
        context=context,
        user_id=user_id,
        person_id=person_id,
    )
    ids = outbox_add_many(drafts=[message])
    return OutboxEmail.objects.get(pk=ids[key])


def _due(now: datetime) -> Q:
    """Waiting rows whose next attempt has come, and claims whose lease ran
    out (their worker died)."""
    return Q(state=OutboxEmail.State.QUEUED, next_attempt_at__lte=now) | Q(
        state=OutboxEmail.State.SENDING, claimed_until__lt=now
    )


def outbox_claim_next(
    *, now: datetime | None = None, exclude: Iterable[int] = ()
) -> OutboxEmail | None:
    """Take the oldest due row for ``OUTBOX_LEASE_SECONDS`` and return it,
    or None when nothing is due. Rows another sender is claiming are
    skipped, not waited for, so any number of senders run side by side."""
    now = now or timezone.now()
    until = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        row = (
            OutboxEmail.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient_user", "recipient_person")
            .filter(_due(now))
            .exclude(pk__in=list(exclude))
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if row is None:
            return None
        OutboxEmail.objects.filter(pk=row.pk).update(
            state=OutboxEmail.State.SENDING, claimed_until=until, attempts=F("attempts") + 1
        )
    row.state = OutboxEmail.State.SENDING
    row.claimed_until = until
    row.attempts += 1
    return row


def _held(row: OutboxEmail) -> Any:
    return OutboxEmail.objects.filter(
        pk=row.pk, state=OutboxEmail.State.SENDING, claimed_until=row.claimed_until
    )


def outbox_mark_accepted(*, row: OutboxEmail, now: datetime | None = None) -> bool:
    """Record that the mail server accepted the message, in its own
    transaction. False when the claim was lost meanwhile (another sender
    took the row after the lease ran out)."""
    now = now or timezone.now()
    with transaction.atomic():
        done = _held(row).update(
            state=OutboxEmail.State.ACCEPTED, accepted_at=now, claimed_until=None, last_error=""
        )
    return bool(done)


def retry_delay(*, attempts: int) -> timedelta:
    """Doubling from OUTBOX_RETRY_SECONDS after each failed attempt."""
    base = timedelta(seconds=settings.OUTBOX_RETRY_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), RETRY_CAP)


def outbox_mark_failed(
    *, row: OutboxEmail, error: str, permanent: bool = False, now: datetime | None = None
) -> timedelta | None:
    """Release the claim after a failed attempt and set the next one.

    Returns the delay before the next attempt, or None when the row is now
    failed: the server refused it for good (``permanent``), or it used
    ``OUTBOX_MAX_ATTEMPTS``. ``error`` is the kind of error, never its text.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if permanent or row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            _held(row).update(
                state=OutboxEmail.State.FAILED, claimed_until=None, last_error=error[:100]
            )
            return None
        delay = retry_delay(attempts=row.attempts)
        _held(row).update(
            state=OutboxEmail.State.QUEUED,
            claimed_until=None,
            next_attempt_at=now + delay,
            last_error=error[:100],
        )
    return delay


def outbox_cancel(*, row: OutboxEmail) -> bool:
    """The recipient can no longer receive it (their account was switched
    off, or they withdrew their agreement to e-mail): never send it."""
    with transaction.atomic():
        return bool(_held(row).update(state=OutboxEmail.State.CANCELLED, claimed_until=None))


def outbox_cancel_waiting(*, ids: Iterable[int]) -> int:
    """Cancel the rows among ``ids`` that are still waiting to be sent."""
    return OutboxEmail.objects.filter(pk__in=list(ids), state=OutboxEmail.State.QUEUED).update(
        state=OutboxEmail.State.CANCELLED
    )


def outbox_retry(*, ids: Iterable[int], now: datetime | None = None) -> int:
    """An admin's "try again": failed rows go back to waiting with their
    attempts reset, and a delivery is queued. Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        count = OutboxEmail.objects.filter(pk__in=list(ids), state=OutboxEmail.State.FAILED).update(
            state=OutboxEmail.State.QUEUED, attempts=0, next_attempt_at=now, last_error=""
        )
        if count:
            _queue_delivery()
    return count


def outbox_purge(*, now: datetime | None = None) -> tuple[int, int]:
    """Forget what was sent: bodies of messages accepted more than
    ``OUTBOX_BODY_DAYS`` ago go first, whole rows after ``OUTBOX_KEEP_DAYS``
    (accepted, failed or cancelled). Returns (bodies cleared, rows deleted)."""
    now = now or timezone.now()
    body_cut = now - timedelta(days=settings.OUTBOX_BODY_DAYS)
    row_cut = now - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    with transaction.atomic():
        cleared = OutboxEmail.objects.filter(
            state=OutboxEmail.State.ACCEPTED, accepted_at__lt=body_cut, body_purged_at=None
        ).update(body_text="", body_html="", body_purged_at=now)
        deleted, _ = OutboxEmail.objects.filter(
            Q(state=OutboxEmail.State.ACCEPTED, accepted_at__lt=row_cut)
            | Q(
                state__in=[OutboxEmail.State.FAILED, OutboxEmail.State.CANCELLED],
                created_at__lt=row_cut,
            )
        ).delete()
    return cleared, deleted
