"""Reachability checks for the health page: short answers, no details.

A load balancer needs to know whether this instance can reach its database
and its broker; it must not learn host names, versions or error text, so
each check answers "ok" or "unreachable" and logs only the kind of error.
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

OK = "ok"
UNREACHABLE = "unreachable"
EAGER = "eager mode"
TIMEOUT_SECONDS = 2


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        logger.warning("Health: database unreachable (%s).", type(exc).__name__)
        return UNREACHABLE
    return OK


def broker_status() -> str:
    """Without REDIS_URL there is no broker: tasks run in the web process."""
    if not settings.REDIS_URL:
        return EAGER
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=TIMEOUT_SECONDS,
            socket_timeout=TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        logger.warning("Health: broker unreachable (%s).", type(exc).__name__)
        return UNREACHABLE
    return OK
