"""Reads for wellbeing plans (their readers, the log of who read them, the
reviews due) and for the programme's continuing development sessions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from deployment.models import Appointment
from peerprog.core.access import get_in_programme_or_404, require_role, scoped
from peerprog.core.models import Person, ReadLog, Role, User
from peerprog.core.privacy.read_log import ReadKind
from supervision.models import DevelopmentSession, SupervisionAssignment, WellbeingPlan
from supervision.selectors.supervising import LEAD, SUPERVISOR, is_lead, supervisee_for_user

# Wellbeing plans


def plan_reader_check(*, user: User, person: Person) -> None:
    """Only the programme's leads and the person's supervisor (not a cover
    supervisor) read a wellbeing plan; anyone else gets a 404."""
    if is_lead(user=user):
        return
    if not SupervisionAssignment.objects.filter(
        person=person, supervisor=user, ended_on__isnull=True
    ).exists():
        raise Http404("No such wellbeing plan among your supervisees.")


def plan_for_reader(*, user: User, pk: Any) -> tuple[Person, WellbeingPlan | None]:
    require_role(user, LEAD, SUPERVISOR)
    person = supervisee_for_user(user=user, pk=pk)
    plan_reader_check(user=user, person=person)
    return person, WellbeingPlan.objects.filter(person=person).first()


def plan_read_log(*, user: User) -> QuerySet[ReadLog]:
    """Every read of the programme's wellbeing plans, newest first, for
    admins: who read whose plan and when, never what it says."""
    require_role(user, Role.ADMIN)
    return (
        ReadLog.objects.filter(programme_id=user.programme_id, kind=ReadKind.WELLBEING_PLAN)
        .select_related("reader", "person")
        .order_by("-read_at", "-pk")
    )


def plans_due_for_review(
    *, plans: QuerySet[WellbeingPlan], today: date | None = None
) -> QuerySet[WellbeingPlan]:
    """Plans whose review date has passed: for the reminders."""
    return plans.filter(review_due__lt=today or timezone.localdate())


# Continuing development


def development_list(*, user: User) -> QuerySet[DevelopmentSession]:
    require_role(user, LEAD)
    return (
        scoped(DevelopmentSession.objects.all(), user)
        .select_related("led_by")
        .prefetch_related("attendees")
        .order_by("-held_on", "-pk")
    )


def development_for_lead(*, user: User, pk: Any) -> DevelopmentSession:
    require_role(user, LEAD)
    return get_in_programme_or_404(
        DevelopmentSession.objects.prefetch_related("attendees"), user, pk
    )


def lead_lxps(*, user: User) -> QuerySet[Person]:
    """People whose appointment in post is as Lead LXP."""
    return (
        scoped(Person.objects.all(), user)
        .filter(appointments__status=Appointment.Status.IN_POST, appointments__is_lead_lxp=True)
        .distinct()
    )


def employed_choices(*, user: User) -> QuerySet[Person]:
    return (
        scoped(Person.objects.all(), user)
        .filter(appointments__status=Appointment.Status.IN_POST)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
