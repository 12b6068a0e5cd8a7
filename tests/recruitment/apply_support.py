"""What the tests of applying online share: a cohort taking applications
today, a valid post of the public form, and forgetting the throttle."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from peerprog.core.models import Programme
from recruitment.models import Application, Cohort
from recruitment.views.apply import THROTTLE_PREFIX
from tests.recruitment.factories import CohortFactory


def open_cohort(programme: Programme, **values: Any) -> Cohort:
    """A recruiting cohort whose application window includes today."""
    today = timezone.localdate()
    values.setdefault("applications_open", today - timedelta(days=7))
    values.setdefault("applications_close", today + timedelta(days=21))
    values.setdefault("training_start", today + timedelta(days=60))
    values.setdefault("training_end", today + timedelta(days=60 + 84))
    values.setdefault("status", Cohort.Status.RECRUITING)
    return CohortFactory(programme=programme, **values)


def apply_data(**changes: Any) -> dict[str, Any]:
    """The public form filled in as a person would."""
    data = {
        "first_name": "Nadia",
        "last_name": "Okafor",
        "preferred_name": "",
        "date_of_birth": "",
        "email": "nadia.okafor@example.org",
        "phone": "07700 900123",
        "address": "",
        "contact_by": "email",
        "source": Application.Source.FLYER,
        "statement": "I have used the crisis team myself and want to help others.",
        "adjustments": "",
        "website": "",
    }
    data.update(changes)
    return data


def forget_throttle() -> None:
    """Forget every application counted by the throttle (they live in the
    shared cache, which outlives a test)."""
    backend = getattr(cache, "_cache", None)
    if backend is not None and hasattr(backend, "get_client"):
        client = backend.get_client(write=True)
        keys = list(client.scan_iter(match=f"*:{THROTTLE_PREFIX}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()
