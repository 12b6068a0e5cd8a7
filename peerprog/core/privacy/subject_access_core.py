"""The kernel's part of a subject access request: the person record, their
sensitive facts, equality facts and adjustments, letters, e-mails,
reminders and notifications; for a staff user also their account, sign-in
and lock-out records (django-axes), exports, second-factor devices (never
their keys) and e-mail addresses. Registered in ``CoreConfig.ready``, with
the models the kernel marks as holding nothing to export."""

from __future__ import annotations

from typing import Any

from peerprog.core.equality.codes import EQUALITY_FIELDS
from peerprog.core.privacy.subject_access import Archive, mark_not_exported, register

MODELS = (
    "core.Person",
    "core.User",
    "core.SensitiveFacts",
    "core.ReasonableAdjustment",
    "core.CalendarFeed",
    "core.StaffCalendarFeed",
    "core.Letter",
    "core.Notification",
    "core.OutboxEmail",
    "core.Reminder",
    "core.ReminderEmailOptOut",
    "core.SecondFactorReset",
    "core.ExportRecord",
    "core.PendingImport",
    "core.SubjectAccessRequest",
    "core.ReadLog",
    "core.LegalHold",
    "core.RetentionDue",
    "core.ErasureRequest",
    "admin.LogEntry",
    "account.EmailAddress",
    "socialaccount.SocialAccount",
    "otp_totp.TOTPDevice",
    "otp_static.StaticDevice",
)

NOT_EXPORTED = {
    "account.EmailConfirmation": "Short-lived confirmation keys of an e-mail address: secrets.",
    "socialaccount.SocialToken": "Sign-in tokens of a single sign-on account: secrets.",
    "otp_static.StaticToken": "Second-factor recovery codes: secrets.",
    "core.RetentionRule": "How long each kind of record is kept; names only who last changed it.",
    "core.ErasureMention": "Which field of someone else's record to review after an erasure.",
}


def person_records(archive: Archive, person: Any) -> None:
    from peerprog.core.models import (
        CalendarFeed,
        ErasureRequest,
        LegalHold,
        Letter,
        Notification,
        OutboxEmail,
        Person,
        ReadLog,
        ReasonableAdjustment,
        Reminder,
        RetentionDue,
        SensitiveFacts,
        SubjectAccessRequest,
    )

    archive.add("person", Person.objects.filter(pk=person.pk))
    facts = SensitiveFacts.objects.filter(person_id=person.pk)
    archive.add("sensitive_facts", facts, omit=())
    archive.rows("equality", facts.values("id", "person_id", *EQUALITY_FIELDS))
    archive.add("adjustments", ReasonableAdjustment.objects.filter(person_id=person.pk))
    archive.add("calendar_feeds", CalendarFeed.objects.filter(person_id=person.pk))
    archive.add("letters", Letter.objects.filter(person_id=person.pk))
    archive.add("outbox_messages", OutboxEmail.objects.filter(recipient_person_id=person.pk))
    archive.add("reminders", Reminder.objects.filter(recipient_person_id=person.pk))
    # Who read their special-category records, and when.
    archive.add("read_log", ReadLog.objects.filter(person_id=person.pk), history=False)
    # Their records listed under the retention schedule, and legal holds on them.
    archive.add("retention_due", RetentionDue.objects.filter(person_id=person.pk), history=False)
    archive.add("legal_holds", LegalHold.objects.filter(person_id=person.pk), history=False)
    if person.user_id:
        archive.add("notifications", Notification.objects.filter(recipient_id=person.user_id))
    archive.add(
        "subject_access_requests",
        SubjectAccessRequest.objects.filter(person_id=person.pk),
        history=False,
    )
    archive.add("erasure_requests", ErasureRequest.objects.filter(person_id=person.pk))


def user_records(archive: Archive, user: Any) -> None:
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.admin.models import LogEntry
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from peerprog.core.models import (
        ExportRecord,
        Notification,
        OutboxEmail,
        PendingImport,
        ReadLog,
        Reminder,
        ReminderEmailOptOut,
        SecondFactorReset,
        StaffCalendarFeed,
        SubjectAccessRequest,
        User,
    )

    archive.add("account", User.objects.filter(pk=user.pk), omit=("second_factor_stamp",))
    archive.add("email_addresses", EmailAddress.objects.filter(user_id=user.pk))
    archive.add("single_sign_on_accounts", SocialAccount.objects.filter(user_id=user.pk))
    archive.add("sign_ins", AccessLog.objects.filter(username__iexact=user.email))
    archive.add(
        "sign_in_failures",
        AccessAttempt.objects.filter(username__iexact=user.email),
        omit=("post_data", "get_data"),
    )
    archive.add("lock_outs", AccessFailureLog.objects.filter(username__iexact=user.email))
    archive.add(
        "second_factor_devices",
        TOTPDevice.objects.filter(user_id=user.pk),
        omit=("key", "throttling_failure_timestamp", "last_t", "tolerance", "drift"),
    )
    archive.add("second_factor_devices", StaticDevice.objects.filter(user_id=user.pk))
    archive.add("second_factor_resets", SecondFactorReset.objects.filter(user_id=user.pk))
    archive.add("export_log", ExportRecord.objects.filter(user_id=user.pk))
    archive.add("records_read", ReadLog.objects.filter(reader_id=user.pk), history=False)
    archive.add("imports", PendingImport.objects.filter(created_by_id=user.pk), omit=("content",))
    archive.add("admin_log", LogEntry.objects.filter(user_id=user.pk))
    archive.add("notifications", Notification.objects.filter(recipient_id=user.pk))
    archive.add("outbox_messages", OutboxEmail.objects.filter(recipient_user_id=user.pk))
    archive.add("reminders", Reminder.objects.filter(recipient_user_id=user.pk))
    archive.add("reminder_opt_outs", ReminderEmailOptOut.objects.filter(user_id=user.pk))
    archive.add("calendar_feeds", StaffCalendarFeed.objects.filter(user_id=user.pk))
    archive.add(
        "subject_access_requests",
        SubjectAccessRequest.objects.filter(user_id=user.pk),
        history=False,
    )


def register_kernel() -> None:
    register("core", models=MODELS, person=person_records, user=user_records)
    for label, why in NOT_EXPORTED.items():
        mark_not_exported(label, why)
