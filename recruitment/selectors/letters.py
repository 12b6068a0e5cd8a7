"""Recruitment's letters: an application's, and those waiting to be posted."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, QuerySet, When

from peerprog.core.access import get_in_programme_or_404, require_role, scoped
from peerprog.core.models import Letter, User
from recruitment.models import Application
from recruitment.selectors.roles import READERS


def application_letters(*, application: Application) -> QuerySet[Letter]:
    return Letter.objects.filter(
        programme_id=application.cohort.programme_id,
        key__startswith=f"recruitment.application:{application.pk}:",
    ).select_related("created_by", "email")


def letters_to_post(*, user: User) -> QuerySet[Letter]:
    """Recruitment's letters, those waiting to be posted first."""
    require_role(user, *READERS)
    waiting_first = Case(When(status=Letter.Status.TO_POST, then=0), default=1)
    return (
        scoped(Letter.objects.filter(kind__startswith="recruitment."), user)
        .select_related("person", "created_by", "email")
        .order_by(waiting_first, "-created_at", "-pk")
    )


def letter_for_user(*, user: User, pk: Any) -> Letter:
    require_role(user, *READERS)
    return get_in_programme_or_404(
        Letter.objects.filter(kind__startswith="recruitment.").select_related("person", "email"),
        user,
        pk,
    )
