"""Moving e-mail delivery into the outbox loses nothing that waited: a
database with reminders and letters waiting to be e-mailed, and reminders
that had failed, migrates to outbox rows that the sender then delivers;
what had already gone becomes an accepted row, so pages still say when."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from peerprog.core.models import Letter, Notification, OutboxEmail, Reminder
from peerprog.core.tasks import outbox_deliver
from tests.core.factories import PersonFactory, ProgrammeFactory, UserFactory

BEFORE_THE_OUTBOX = [("core", "0010_organisation_kind_partnership")]


def _migrate(targets: list[tuple[str, str]] | None = None) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def test_waiting_and_failed_e_mails_move_to_the_outbox_and_are_then_sent(
    transactional_db: Any, mailoutbox: list
) -> None:
    programme = ProgrammeFactory()
    mentor = UserFactory(programme=programme, email="mentor@example.org", full_name="Amir Khan")
    trainee = PersonFactory(programme=programme, email="ada@example.org", email_allowed=True)
    sent_on = timezone.now() - timedelta(days=3)

    old = _migrate(BEFORE_THE_OUTBOX)
    OldReminder = old.get_model("core", "Reminder")
    OldLetter = old.get_model("core", "Letter")
    OldNotification = old.get_model("core", "Notification")
    common = {"kind": "training.final_overdue", "object_type": "training.enrolment"}
    waiting = OldReminder.objects.create(
        **common,
        object_id=1,
        period="p1",
        recipient_user_id=mentor.pk,
        email_line="A trainee's final portfolio is overdue.",
        link="/training/",
        status="pending",
    )
    failed = OldReminder.objects.create(
        **common,
        object_id=2,
        period="p1",
        recipient_person_id=trainee.pk,
        email_line="Your final portfolio is overdue.",
        status="failed",
        attempts=8,
        last_error="SMTPServerDisconnected",
    )
    gone = OldReminder.objects.create(
        **common,
        object_id=3,
        period="p1",
        recipient_user_id=mentor.pk,
        email_line="Sent before.",
        status="sent",
        sent_at=sent_on,
    )
    in_app = OldReminder.objects.create(
        **common,
        object_id=4,
        period="p1",
        recipient_user_id=mentor.pk,
        email_line="In the app only.",
        status="in_app",
    )
    letter_values = {
        "programme_id": programme.pk,
        "person_id": trainee.pk,
        "kind": "recruitment.offer",
        "channel": "email",
        "created_by_id": mentor.pk,
    }
    to_send = OldLetter.objects.create(
        **letter_values, key="a", subject="Your offer", body="Dear Ada,", status="to_send"
    )
    emailed = OldLetter.objects.create(
        **letter_values,
        key="b",
        subject="Your interview",
        body="Dear Ada,",
        status="emailed",
        emailed_at=sent_on,
    )
    notified = OldNotification.objects.create(
        recipient_id=mentor.pk, key="n", title="Hello", emailed_at=sent_on
    )

    _migrate()

    waiting_row = Reminder.objects.get(pk=waiting.pk).email
    assert waiting_row.state == OutboxEmail.State.QUEUED
    assert waiting_row.to_address == "mentor@example.org"
    assert "A trainee's final portfolio is overdue." in waiting_row.body_text
    failed_row = Reminder.objects.get(pk=failed.pk).email
    assert failed_row.state == OutboxEmail.State.FAILED
    assert failed_row.recipient_person_id == trainee.pk
    assert failed_row.last_error == "SMTPServerDisconnected"
    gone_row = Reminder.objects.get(pk=gone.pk).email
    assert gone_row.state == OutboxEmail.State.ACCEPTED
    assert gone_row.accepted_at == sent_on
    assert Reminder.objects.get(pk=in_app.pk).by_email is False
    assert Reminder.objects.get(pk=in_app.pk).email is None
    letter = Letter.objects.get(pk=to_send.pk)
    assert letter.status == Letter.Status.EMAIL
    assert letter.delivery == "Waiting to be e-mailed"
    assert Letter.objects.get(pk=emailed.pk).delivery.startswith("E-mailed on ")
    assert Notification.objects.get(pk=notified.pk).email.accepted_at == sent_on

    # What waited is sent; what failed waits for an admin; nothing is sent twice.
    assert outbox_deliver() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["ada@example.org", "mentor@example.org"]
    assert Letter.objects.get(pk=to_send.pk).delivery.startswith("E-mailed on ")
