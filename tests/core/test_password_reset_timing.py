"""Asking for a password reset answers alike whether or not the address
belongs to an account: the page queues one task with the address for every
request and answers at once; the task looks the address up and hands the
e-mail to the outbox, and the outbox's own delivery sends it.

The timing is measured against a real Celery worker on Redis and a real
SMTP server that takes 300 ms to accept each message, as in production,
where nothing the page does waits for the mail server.
"""

from __future__ import annotations

import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerprog.core.models import OutboxEmail
from tests.core.factories import UserFactory
from tests.mailserver import MailServer
from tests.workers import Figures, Workers

pytestmark = pytest.mark.worker

REQUESTS = 15
# The mail server holds its answer to each message this long.
SERVER_DELAY = 0.3
MAX_MEDIAN_DIFFERENCE = 0.020


def timed_reset(client: Client, email: str) -> float:
    started = time.perf_counter()
    response = client.post(reverse("password_reset"), {"email": email})
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    return elapsed


def test_a_known_address_is_answered_as_fast_as_an_unknown_one(
    transactional_db: None, smtp_workers: Workers, mail_server: MailServer, figures: Figures
) -> None:
    mail_server.delay = SERVER_DELAY
    user = UserFactory(email="known.person@example.org")
    smtp_workers.start()
    smtp_workers.wait_ready()
    client = Client()
    # The first requests of a process load templates and open connections.
    # The page does the same work for both: the same queries (none).
    with CaptureQueriesContext(connection) as known_queries:
        timed_reset(client, user.email)
    with CaptureQueriesContext(connection) as unknown_queries:
        timed_reset(client, "warm.up@example.org")
    assert [q["sql"] for q in known_queries] == [q["sql"] for q in unknown_queries] == []

    known: list[float] = []
    unknown: list[float] = []
    for number in range(REQUESTS):
        known.append(timed_reset(client, user.email))
        unknown.append(timed_reset(client, f"nobody.{number}@example.org"))

    difference = statistics.median(known) - statistics.median(unknown)
    figures.add(
        "Password reset: response times (ms)",
        requests=REQUESTS,
        known_median=round(statistics.median(known) * 1000, 1),
        unknown_median=round(statistics.median(unknown) * 1000, 1),
        difference=round(difference * 1000, 1),
    )
    assert abs(difference) < MAX_MEDIAN_DIFFERENCE, (
        f"A known address was answered {difference * 1000:.1f} ms slower (median of "
        f"{REQUESTS}): known {[round(t * 1000) for t in known]} ms, "
        f"unknown {[round(t * 1000) for t in unknown]} ms."
    )

    # The known address does get its e-mails, through the outbox.
    mail_server.wait_for(
        lambda: len(mail_server.delivered_to(user.email)) == REQUESTS + 1,
        "every reset e-mail to the known address",
    )
    assert OutboxEmail.objects.filter(kind="password_reset").count() == REQUESTS + 1
    assert set(OutboxEmail.objects.values_list("to_address", flat=True)) == {user.email}
    assert (
        "/accounts/password/reset/"
        in mail_server.delivered_to(user.email)[0]
        .message.get_body(preferencelist=("plain",))
        .get_content()
    )
