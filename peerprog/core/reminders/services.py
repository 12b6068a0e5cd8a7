"""Every write reminders make: raising them in bulk, the lease around each
e-mail, and each user's e-mail choices.

Raising is set-based and idempotent: one insert for the reminders and one
for the in-app notifications, each skipping rows whose key is already
stored, so a rule that runs twice or concurrently stores each reminder once.
Sending goes through a lease: ``reminder_claim`` takes the row for
``REMINDER_LEASE_SECONDS`` (longer than the send task may run), the e-mail is
handed to the mail server, then ``reminder_mark_sent`` records it. A worker
that dies in between leaves the lease to expire and the next sweep sends
again; a failure is retried with back-off and never marks the row sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from peerprog.core.models import Notification, Person, User
from peerprog.core.reminders import registry
from peerprog.core.reminders.models import (
    Reminder,
    ReminderEmailOptOut,
    reminder_notification_key,
)
from peerprog.core.reminders.registry import ReminderSpec

# Back-off between e-mail attempts is capped well below the broker's
# visibility timeout, so a retry's countdown never outlives it.
RETRY_CAP = timedelta(minutes=30)


def _unique(specs: Iterable[ReminderSpec]) -> list[ReminderSpec]:
    """One spec per key, in a fixed order: concurrent runs insert in the same
    order and so wait on each other instead of deadlocking."""
    found: dict[tuple[object, ...], ReminderSpec] = {}
    for spec in specs:
        if (spec.user_id is None) == (spec.person_id is None):
            raise ValueError("A reminder goes to exactly one user or one person.")
        found.setdefault(spec.key, spec)
    return [found[key] for key in sorted(found, key=lambda k: (*k[:4], k[4] or 0, k[5] or 0))]


@transaction.atomic
def reminders_raise(*, specs: Iterable[ReminderSpec], now: datetime | None = None) -> int:
    """Store the reminders not stored yet and put each staff user's in their
    notification list; queue the e-mails after the commit.

    Staff users get e-mail unless they switched the kind off; inactive users
    get nothing. People get e-mail only when they have an address and agreed
    to e-mail, and nothing otherwise (they do not sign in). Costs five
    queries whatever the number of reminders. Returns how many reminders the
    rules asked for (stored now or before).
    """
    now = now or timezone.now()
    wanted = _unique(specs)
    if not wanted:
        return 0
    user_ids = {s.user_id for s in wanted if s.user_id is not None}
    person_ids = {s.person_id for s in wanted if s.person_id is not None}
    active_users = set(
        User.objects.filter(pk__in=user_ids, is_active=True).values_list("pk", flat=True)
    )
    emailable_people = set(
        Person.objects.filter(pk__in=person_ids, email_allowed=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    opted_out = set(
        ReminderEmailOptOut.objects.filter(
            user_id__in=active_users, kind__in={s.kind for s in wanted}
        ).values_list("user_id", "kind")
    )

    reminders: list[Reminder] = []
    notifications: list[Notification] = []
    for spec in wanted:
        if spec.user_id is not None:
            if spec.user_id not in active_users:
                continue
            emailed = (spec.user_id, spec.kind) not in opted_out
            notifications.append(
                Notification(
                    recipient_id=spec.user_id,
                    key=reminder_notification_key(
                        spec.kind, spec.object_type, spec.object_id, spec.period
                    ),
                    title=spec.title,
                    link=spec.link,
                    created_at=now,
                )
            )
        else:
            if spec.person_id not in emailable_people:
                continue
            emailed = True
        reminders.append(
            Reminder(
                kind=spec.kind,
                object_type=spec.object_type,
                object_id=spec.object_id,
                recipient_user_id=spec.user_id,
                recipient_person_id=spec.person_id,
                period=spec.period,
                email_line=spec.email_line,
                link=spec.link if spec.user_id is not None else "",
                status=Reminder.Status.PENDING if emailed else Reminder.Status.IN_APP,
                created_at=now,
                next_attempt_at=now,
            )
        )
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)

    from peerprog.core.tasks import reminders_dispatch

    transaction.on_commit(reminders_dispatch.delay)
    return len(wanted)


def reminders_run_group(
    *, group: str, today: date | None = None, now: datetime | None = None
) -> int:
    """Run every registered scan of one group and raise what they find, in
    one transaction. ``today`` is the local date (Europe/London) of ``now``
    unless given: a scan just after midnight in summer time belongs to the
    new day, although it is still the day before in UTC."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    with transaction.atomic():
        specs: list[ReminderSpec] = []
        for scan in registry.scans(group):
            specs.extend(scan(today))
        return reminders_raise(specs=specs, now=now)


def _claimable(now: datetime) -> Q:
    return Q(status=Reminder.Status.PENDING, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def reminder_claim(*, reminder_id: int, now: datetime | None = None) -> datetime | None:
    """Take the reminder for sending for ``REMINDER_LEASE_SECONDS``.

    Returns the end of the lease (which identifies this claim), or None when
    the reminder is sent, failed, not due yet, or held by another live
    claim. One conditional update: of two workers, exactly one wins.
    """
    now = now or timezone.now()
    until = now + timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
    claimed = Reminder.objects.filter(_claimable(now), pk=reminder_id).update(
        claimed_until=until, attempts=F("attempts") + 1
    )
    return until if claimed else None


@transaction.atomic
def reminder_mark_sent(*, reminder_id: int, claim: datetime, now: datetime | None = None) -> bool:
    """Record that the mail server accepted the e-mail. False when the claim
    was lost meanwhile (it outlived its lease, which the send task's time
    limit is there to prevent)."""
    now = now or timezone.now()
    done = Reminder.objects.filter(
        pk=reminder_id, status=Reminder.Status.PENDING, claimed_until=claim
    ).update(status=Reminder.Status.SENT, sent_at=now, claimed_until=None)
    if done:
        reminder = Reminder.objects.get(pk=reminder_id)
        if reminder.recipient_user_id is not None:
            Notification.objects.filter(
                recipient_id=reminder.recipient_user_id,
                key=reminder.notification_key,
                emailed_at=None,
            ).update(emailed_at=now)
    return bool(done)


def retry_delay(*, attempts: int) -> timedelta:
    """Doubling from REMINDER_RETRY_SECONDS after each failed attempt."""
    base = timedelta(seconds=settings.REMINDER_RETRY_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), RETRY_CAP)


def reminder_mark_failed(
    *, reminder_id: int, claim: datetime, error: str, now: datetime | None = None
) -> timedelta | None:
    """Release the claim after a failed send and set the next attempt.

    Returns the delay before the next attempt, or None when the reminder has
    used ``REMINDER_MAX_ATTEMPTS`` and is marked failed (never sent; the
    admin shows it). ``error`` is the kind of error only, never its text.
    """
    now = now or timezone.now()
    held = Reminder.objects.filter(
        pk=reminder_id, status=Reminder.Status.PENDING, claimed_until=claim
    )
    attempts = held.values_list("attempts", flat=True).first()
    if attempts is None:
        return None
    if attempts >= settings.REMINDER_MAX_ATTEMPTS:
        held.update(status=Reminder.Status.FAILED, claimed_until=None, last_error=error[:100])
        return None
    delay = retry_delay(attempts=attempts)
    held.update(claimed_until=None, next_attempt_at=now + delay, last_error=error[:100])
    return delay


def reminder_mark_in_app(*, reminder_id: int, claim: datetime) -> None:
    """The recipient switched this kind of e-mail off (or left) after the
    reminder was raised: keep it in the app only."""
    Reminder.objects.filter(
        pk=reminder_id, status=Reminder.Status.PENDING, claimed_until=claim
    ).update(status=Reminder.Status.IN_APP, claimed_until=None)


@transaction.atomic
def reminder_email_choices_set(*, user: User, emailed: Iterable[str], by: User) -> None:
    """Switch e-mail on for the kinds in ``emailed`` and off for every other
    kind that can reach ``user``. In-app notifications are not affected."""
    keep = set(emailed)
    offered = {k.key for k in registry.kinds_for_user(user)}
    existing = {o.kind: o for o in ReminderEmailOptOut.objects.filter(user=user)}
    for key in sorted(offered):
        if key in keep and key in existing:
            existing[key].delete()
        elif key not in keep and key not in existing:
            opt_out = ReminderEmailOptOut(user=user, kind=key)
            opt_out.full_clean()
            opt_out.save()
