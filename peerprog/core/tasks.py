"""Celery entry points of the kernel: they take ids, load, and send."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from peerprog.core.models import Notification

logger = logging.getLogger(__name__)


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text body and HTML body from templates/emails/<template>_*."""
    context = {"site_url": getattr(settings, "SITE_URL", ""), **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    text = render_to_string(f"emails/{template}_body.txt", context)
    html = render_to_string(f"emails/{template}_body.html", context)
    return " ".join(subject.split()), text, html


@shared_task
def send_templated_email(*, template: str, to: list[str], context: dict[str, Any]) -> None:
    subject, text, html = render_email(template, context)
    message = EmailMultiAlternatives(settings.EMAIL_SUBJECT_PREFIX + subject, text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def notification_send_email(self: Any, notification_id: int) -> bool:
    """E-mail one notification to its recipient, at most once.

    The row is claimed by setting ``emailed_at`` only where it is empty, so a
    task delivered twice by the broker sends once. If sending fails the claim
    is released and the task retries.
    """
    claimed = Notification.objects.filter(pk=notification_id, emailed_at=None).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_templated_email.run(
            template="notification",
            to=[notification.recipient.email],
            context={
                "full_name": notification.recipient.full_name,
                "title": notification.title,
                "body": notification.body,
                "link": notification.link,
            },
        )
    except Exception as exc:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        logger.warning("E-mail for notification %s failed; will retry.", notification_id)
        raise self.retry(exc=exc) from exc
    return True


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def letter_send_email(self: Any, letter_id: int) -> bool:
    """E-mail one issued letter to its person, at most once.

    The letter is claimed by setting ``emailed_at`` only where it is empty,
    so a task delivered twice sends once; a failure releases the claim.
    """
    from peerprog.core.models import Letter

    claimed = Letter.objects.filter(
        pk=letter_id, emailed_at=None, channel=Letter.Channel.EMAIL
    ).update(emailed_at=timezone.now(), status=Letter.Status.EMAILED)
    if not claimed:
        return False
    letter = Letter.objects.select_related("person").get(pk=letter_id)
    try:
        send_templated_email.run(
            template="letter",
            to=[letter.person.email],
            context={"subject": letter.subject, "body": letter.body},
        )
    except Exception as exc:
        Letter.objects.filter(pk=letter_id).update(emailed_at=None, status=Letter.Status.TO_SEND)
        logger.warning("E-mail for letter %s failed; will retry.", letter_id)
        raise self.retry(exc=exc) from exc
    return True
