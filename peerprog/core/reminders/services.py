"""Every write reminders make: raising them in bulk, and each user's e-mail
choices.

Raising is set-based and idempotent: one insert for the reminders and one
for the in-app notifications, each skipping rows whose key is already
stored, so a rule that runs twice or concurrently stores each reminder once.
The e-mails of the reminders stored now go to the outbox in the same
transaction, keyed by reminder; the outbox delivers them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from peerprog.core.models import Notification, Person, User
from peerprog.core.outbox import services as outbox
from peerprog.core.reminders import registry
from peerprog.core.reminders.models import (
    Reminder,
    ReminderEmailOptOut,
    reminder_notification_key,
)
from peerprog.core.reminders.registry import ReminderSpec


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
    notification list; hand their e-mails to the outbox.

    Staff users get e-mail unless they switched the kind off; inactive users
    get nothing. A person with an active account of their own gets the
    reminder on their pages (a notification linking to their own page) and
    one e-mail to the account's address when they agreed to e-mail; a person
    without one gets only the e-mail, when they have an address and agreed
    to e-mail. Either way the reminder is stored once under the person, so
    a person who gets an account after a reminder was e-mailed is not
    reminded again. Costs the same queries whatever the number of
    reminders. Returns how many reminders the rules asked for (stored now
    or before).
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
    people = {
        row["pk"]: row
        for row in Person.objects.filter(pk__in=person_ids).values(
            "pk", "email", "email_allowed", "user_id", "user__is_active", "user__email"
        )
    }
    # The person's own account, when they have an active one.
    accounts = {pk: row["user_id"] for pk, row in people.items() if row["user__is_active"]}
    emailable_people = {
        pk
        for pk, row in people.items()
        if row["email_allowed"] and (row["user__email"] if pk in accounts else row["email"])
    }
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
        elif spec.person_id in accounts:
            emailed = spec.person_id in emailable_people
            notifications.append(
                Notification(
                    recipient_id=accounts[spec.person_id],
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
                link=spec.link if spec.user_id is not None or spec.person_id in accounts else "",
                by_email=emailed,
                created_at=now,
            )
        )
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    _hand_to_outbox(now=now)
    return len(wanted)


def _reminder_draft(reminder: Reminder) -> outbox.Draft:
    if reminder.recipient_user is not None:
        user = reminder.recipient_user
        to, name, link = user.email, user.get_short_name(), reminder.link
    else:
        person = reminder.recipient_person
        assert person is not None
        name = person.preferred_name or person.first_name
        account = person.user if person.user_id and person.user.is_active else None
        if account is not None:
            # The account's address, and the link to the person's own page.
            to, link = account.email, reminder.link
        else:
            to, link = person.email, ""
    return outbox.draft(
        key=f"reminder:{reminder.pk}",
        kind="reminder",
        to=to,
        template="reminder",
        context={
            "name": name,
            "line": reminder.email_line,
            "link": link,
            "for_person": reminder.recipient_person_id is not None,
        },
        user_id=reminder.recipient_user_id,
        person_id=reminder.recipient_person_id,
    )


def _hand_to_outbox(*, now: datetime) -> None:
    """Queue the e-mails of the reminders this run stored (those created at
    ``now``; a reminder stored before keeps the e-mail it had). Three
    queries whatever the number."""
    stored = list(
        Reminder.objects.filter(created_at=now, by_email=True, email=None).select_related(
            "recipient_user", "recipient_person", "recipient_person__user"
        )
    )
    if not stored:
        return
    ids = outbox.outbox_add_many(drafts=[_reminder_draft(r) for r in stored], now=now)
    for reminder in stored:
        reminder.email_id = ids[f"reminder:{reminder.pk}"]
    Reminder.objects.bulk_update(stored, ["email"])


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
    # E-mails of kinds now switched off that have not gone yet never go.
    outbox.outbox_cancel_waiting(
        ids=Reminder.objects.filter(recipient_user=user, email__isnull=False)
        .exclude(kind__in=keep)
        .values_list("email_id", flat=True)
    )
