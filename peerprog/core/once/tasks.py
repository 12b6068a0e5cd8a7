"""The daily purge of old form tokens."""

from __future__ import annotations

from celery import shared_task

from peerprog.core.once import tokens_purge


@shared_task
def form_tokens_purge() -> int:
    return tokens_purge()
