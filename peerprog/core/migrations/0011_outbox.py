"""One outbox for every e-mail: reminders, letters and notifications hand
their e-mails to it, and their own delivery fields go.

Reminders and letters still waiting to be e-mailed, and reminders that
failed, become outbox rows (rendered with today's wording) so nothing
waiting is lost; those already sent become accepted rows without a body, so
their pages still say when they went.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import peerprog.core.outbox.models


def _render(template, context):
    from django.template.loader import render_to_string

    context = {"site_url": getattr(settings, "SITE_URL", ""), **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    text = render_to_string(f"emails/{template}_body.txt", context)
    html = render_to_string(f"emails/{template}_body.html", context)
    return settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), text, html


def to_outbox(apps, schema_editor):
    OutboxEmail = apps.get_model("core", "OutboxEmail")
    Reminder = apps.get_model("core", "Reminder")
    Letter = apps.get_model("core", "Letter")
    Notification = apps.get_model("core", "Notification")
    now = django.utils.timezone.now()

    def add(key, kind, to, user_id=None, person_id=None, rendered=None, **state):
        subject, text, html = rendered or ("", "", "")
        if rendered is None:
            state["body_purged_at"] = now
        return OutboxEmail.objects.create(
            key=key,
            kind=kind,
            to_address=to or "unknown@peerprog.invalid",
            recipient_user_id=user_id,
            recipient_person_id=person_id,
            subject=subject[:300],
            body_text=text,
            body_html=html,
            message_id=peerprog.core.outbox.models.new_message_id(),
            **state,
        )

    for reminder in Reminder.objects.select_related("recipient_user", "recipient_person"):
        if reminder.status == "in_app":
            reminder.by_email = False
            reminder.save(update_fields=["by_email"])
            continue
        user, person = reminder.recipient_user, reminder.recipient_person
        to = user.email if user else person.email
        if reminder.status == "sent":
            email = add(
                f"reminder:{reminder.pk}",
                "reminder",
                to,
                reminder.recipient_user_id,
                reminder.recipient_person_id,
                state="accepted",
                accepted_at=reminder.sent_at or now,
                attempts=reminder.attempts,
            )
        else:
            if user:
                name, link = (user.full_name.split() or [""])[0], reminder.link
            else:
                name, link = person.preferred_name or person.first_name, ""
            email = add(
                f"reminder:{reminder.pk}",
                "reminder",
                to,
                reminder.recipient_user_id,
                reminder.recipient_person_id,
                rendered=_render(
                    "reminder", {"name": name, "line": reminder.email_line, "link": link}
                ),
                state="failed" if reminder.status == "failed" else "queued",
                attempts=reminder.attempts,
                last_error=reminder.last_error,
            )
        reminder.email_id = email.pk
        reminder.save(update_fields=["email"])

    for letter in Letter.objects.filter(status__in=["to_send", "emailed"]).select_related("person"):
        if letter.status == "emailed":
            email = add(
                f"letter:{letter.pk}",
                "letter",
                letter.person.email,
                person_id=letter.person_id,
                state="accepted",
                accepted_at=letter.emailed_at or now,
            )
        else:
            email = add(
                f"letter:{letter.pk}",
                "letter",
                letter.person.email,
                person_id=letter.person_id,
                rendered=_render("letter", {"subject": letter.subject, "body": letter.body}),
                state="queued",
            )
        Letter.objects.filter(pk=letter.pk).update(status="email", email_id=email.pk)

    for notification in Notification.objects.exclude(emailed_at=None).select_related("recipient"):
        email = add(
            f"notification:{notification.pk}",
            "notification",
            notification.recipient.email,
            user_id=notification.recipient_id,
            state="accepted",
            accepted_at=notification.emailed_at,
        )
        Notification.objects.filter(pk=notification.pk).update(email_id=email.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_organisation_kind_partnership"),
    ]

    operations = [
        migrations.CreateModel(
            name="OutboxEmail",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "message_id",
                    models.CharField(
                        default=peerprog.core.outbox.models.new_message_id,
                        max_length=200,
                        unique=True,
                    ),
                ),
                ("key", models.CharField(max_length=200, unique=True)),
                ("kind", models.CharField(max_length=40)),
                ("to_address", models.EmailField(max_length=254)),
                ("subject", models.CharField(max_length=300)),
                ("body_text", models.TextField(blank=True)),
                ("body_html", models.TextField(blank=True)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("queued", "Waiting to be sent"),
                            ("sending", "Being sent"),
                            ("accepted", "Accepted by the mail server"),
                            ("failed", "Failed: not sent"),
                            ("cancelled", "Not sent: no longer wanted"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("claimed_until", models.DateTimeField(blank=True, null=True)),
                ("accepted_at", models.DateTimeField(blank=True, null=True)),
                ("body_purged_at", models.DateTimeField(blank=True, null=True)),
                (
                    "last_error",
                    models.CharField(
                        blank=True,
                        help_text="The kind of error only, never its text.",
                        max_length=100,
                    ),
                ),
            ],
            options={
                "verbose_name": "outbox e-mail",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="reminder",
            name="by_email",
            field=models.BooleanField(
                default=True,
                help_text="Whether it goes by e-mail; otherwise it is in the app only.",
            ),
        ),
        migrations.AlterField(
            model_name="historicalletter",
            name="status",
            field=models.CharField(
                choices=[
                    ("email", "Sent by e-mail"),
                    ("to_post", "Waiting to be posted"),
                    ("posted", "Posted"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="letter",
            name="status",
            field=models.CharField(
                choices=[
                    ("email", "Sent by e-mail"),
                    ("to_post", "Waiting to be posted"),
                    ("posted", "Posted"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="outboxemail",
            name="recipient_person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="outbox_emails",
                to="core.person",
            ),
        ),
        migrations.AddField(
            model_name="outboxemail",
            name="recipient_user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="outbox_emails",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalletter",
            name="email",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="core.outboxemail",
            ),
        ),
        migrations.AddField(
            model_name="letter",
            name="email",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="letters",
                to="core.outboxemail",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="email",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="notifications",
                to="core.outboxemail",
            ),
        ),
        migrations.AddField(
            model_name="reminder",
            name="email",
            field=models.ForeignKey(
                blank=True,
                help_text="The e-mail in the outbox, which knows whether it was delivered.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reminders",
                to="core.outboxemail",
            ),
        ),
        migrations.AddIndex(
            model_name="outboxemail",
            index=models.Index(
                fields=["state", "next_attempt_at"], name="core_outbox_state_a981df_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="outboxemail",
            index=models.Index(
                fields=["state", "accepted_at"], name="core_outbox_state_e0d7f2_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="outboxemail",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "accepted"), _negated=True),
                    ("accepted_at__isnull", False),
                    _connector="OR",
                ),
                name="outbox_accepted_has_time",
            ),
        ),
        migrations.AddConstraint(
            model_name="outboxemail",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "sending"), _negated=True),
                    ("claimed_until__isnull", False),
                    _connector="OR",
                ),
                name="outbox_sending_has_lease",
            ),
        ),
        migrations.RunPython(to_outbox, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="reminder",
            name="reminder_sent_has_time",
        ),
        migrations.RemoveIndex(
            model_name="reminder",
            name="core_remind_status_d40179_idx",
        ),
        migrations.RemoveField(
            model_name="historicalletter",
            name="emailed_at",
        ),
        migrations.RemoveField(
            model_name="letter",
            name="emailed_at",
        ),
        migrations.RemoveField(
            model_name="notification",
            name="emailed_at",
        ),
        migrations.RemoveField(
            model_name="reminder",
            name="attempts",
        ),
        migrations.RemoveField(
            model_name="reminder",
            name="claimed_until",
        ),
        migrations.RemoveField(
            model_name="reminder",
            name="last_error",
        ),
        migrations.RemoveField(
            model_name="reminder",
            name="next_attempt_at",
        ),
        migrations.RemoveField(
            model_name="reminder",
            name="sent_at",
        ),
        migrations.RemoveField(
            model_name="reminder",
            name="status",
        ),
    ]
