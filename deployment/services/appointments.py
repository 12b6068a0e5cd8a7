"""Appointments from offer to first day: pre-employment checks, the start
date, induction and withdrawal; and transfers of people in post to another
post."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from deployment.models import (
    Appointment,
    Interview,
    Post,
    PreEmploymentCheck,
    ReserveEntry,
)
from deployment.models.appointments import FULL_TIME_HOURS
from deployment.models.posts import PostRole
from deployment.selectors import eligible_from
from deployment.services.common import DeploymentError, apply, clean_or_refuse
from deployment.services.induction import induction_checklist_build, induction_checklist_carry_over
from deployment.services.training_records import training_courses_ensure_defaults
from deployment.snapshots import retention_snapshots_revise
from peerprog.core.models import Person, User


def _default_hours(post: Post) -> tuple[str, Decimal]:
    hours = min(post.hours_per_week, FULL_TIME_HOURS)
    contract = (
        Appointment.Contract.FULL_TIME
        if hours >= FULL_TIME_HOURS
        else Appointment.Contract.PART_TIME
    )
    return contract, hours


def _lock_vacant_peer_post(post: Post) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not post.is_peer_post:
        raise DeploymentError(f"Post {post.position_number} is not a peer worker post.")
    if post.status != Post.Status.VACANT:
        raise DeploymentError(
            f"Post {post.position_number} is {post.get_status_display().lower()}: "
            "only a vacant post can be appointed to."
        )
    return post


def _save_new_appointment(appointment: Appointment) -> Appointment:
    """Save, turning a clash with the one-active-appointment constraints
    (two people appointed at the same moment) into a refusal."""
    clean_or_refuse(instance=appointment)
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as error:
        raise DeploymentError(
            f"Someone is already appointed to post {appointment.post.position_number}."
        ) from error
    return appointment


@transaction.atomic
def appointment_create(
    *,
    person: Person,
    post: Post,
    by: User,
    interview: Interview | None = None,
    reserve_entry: ReserveEntry | None = None,
) -> Appointment:
    """Offer a person a vacant peer worker post.

    The appointment starts as offered with its four pre-employment checks
    not started, hours taken from the post; the post becomes filled. The
    database allows one active appointment per post, so of two offers made
    at the same moment one is refused.
    """
    post = _lock_vacant_peer_post(post)
    if person.programme_id != post.programme_id:
        raise DeploymentError("This person is not in the programme.")
    contract, hours = _default_hours(post)
    appointment = _save_new_appointment(
        Appointment(
            programme_id=post.programme_id,
            person=person,
            post=post,
            interview=interview,
            reserve_entry=reserve_entry,
            contract=contract,
            hours_per_week=hours,
            is_lead_lxp=post.role == PostRole.LEAD_LXP,
            created_by=by,
        )
    )
    for kind in PreEmploymentCheck.Kind.values:
        PreEmploymentCheck(appointment=appointment, kind=kind).save()
    induction_checklist_build(appointment=appointment, by=by)
    training_courses_ensure_defaults(programme=post.programme, by=by)
    post.status = Post.Status.FILLED
    post.save()
    # The leaver form offers the programme's leaving reasons: they exist
    # from the first appointment, so opening that form never creates them.
    from deployment.services.leaving import leaving_reasons_ensure_defaults

    leaving_reasons_ensure_defaults(programme=post.programme, by=by)
    return appointment


@transaction.atomic
def reserve_appoint(*, entry: ReserveEntry, post: Post, by: User) -> Appointment:
    """Appoint a person from the reserve list to a vacant peer worker post."""
    entry = ReserveEntry.objects.select_for_update().select_related("person").get(pk=entry.pk)
    if not entry.is_standing_on(timezone.localdate()):
        raise DeploymentError(
            f"{entry.person.display_name}'s reserve-list entry is not standing today."
        )
    if post.programme_id != entry.programme_id:
        raise DeploymentError("Choose a post of this programme.")
    appointment = appointment_create(person=entry.person, post=post, by=by, reserve_entry=entry)
    entry.status = ReserveEntry.Status.APPOINTED
    entry.save()
    return appointment


def _lock_active(appointment: Appointment) -> Appointment:
    appointment = (
        Appointment.objects.select_for_update()
        .select_related("person", "post")
        .get(pk=appointment.pk)
    )
    if not appointment.is_active:
        raise DeploymentError(
            f"This appointment is {appointment.get_status_display().lower()}; "
            "it can no longer be changed."
        )
    return appointment


APPOINTMENT_TERMS = ("contract", "hours_per_week", "line_manager", "is_lead_lxp")


@transaction.atomic
def appointment_update(*, appointment: Appointment, by: User, **values: Any) -> Appointment:
    """Change the terms of an active appointment: contracted hours, line
    manager, Lead LXP."""
    appointment = _lock_active(appointment)
    unknown = set(values) - set(APPOINTMENT_TERMS)
    if unknown:
        raise DeploymentError(f"These details cannot be changed here: {', '.join(unknown)}.")
    apply(instance=appointment, values=values)
    clean_or_refuse(instance=appointment)
    appointment.save()
    return appointment


@transaction.atomic
def check_update(
    *,
    check: PreEmploymentCheck,
    status: str,
    by: User,
    requested_on: date | None = None,
    completed_on: date | None = None,
) -> PreEmploymentCheck:
    """Record where a pre-employment check has got to, with the day it was
    requested and the day it was completed: neither in the future, and not
    completed before it was requested."""
    check = PreEmploymentCheck.objects.select_for_update().get(pk=check.pk)
    appointment = _lock_active(check.appointment)
    today = timezone.localdate()
    if requested_on is not None and requested_on > today:
        raise DeploymentError("A check cannot be dated as requested in the future.")
    if completed_on is not None and completed_on > today:
        raise DeploymentError("A check cannot be dated as completed in the future.")
    if requested_on is not None and completed_on is not None and completed_on < requested_on:
        raise DeploymentError(
            f"The check was requested on {requested_on:%-d %B %Y}: it cannot be completed "
            "before that."
        )
    if (
        completed_on is not None
        and appointment.status == Appointment.Status.IN_POST
        and status == PreEmploymentCheck.Status.CLEARED
        and not appointment.start_override_reason
        and appointment.start_date is not None
        and completed_on > appointment.start_date
    ):
        raise DeploymentError(
            f"{appointment.person.display_name} started on {appointment.start_date:%-d %B %Y} "
            "with every check cleared, so this check cannot be dated as completed after that."
        )
    check.status = status
    check.requested_on = requested_on
    check.completed_on = completed_on
    clean_or_refuse(instance=check)
    check.save()
    return check


@transaction.atomic
def appointment_confirm_start(
    *, appointment: Appointment, start_date: date, by: User, override_reason: str = ""
) -> Appointment:
    """Confirm the start date: the person is in post from that day.

    Refused while any pre-employment check is not cleared, unless HR
    overrides with a reason, which is kept on the appointment. The first day
    cannot come before the person became eligible for paid posts (the day
    their portfolio passed) nor before a cleared check was completed. A start
    dated into a month whose retention snapshot is already taken re-takes it
    (and the later months taken) as a revision.
    """
    appointment = _lock_active(appointment)
    if appointment.status != Appointment.Status.OFFERED:
        raise DeploymentError("The start date has already been confirmed.")
    _check_start_date(appointment, start_date)
    outstanding = [
        check.get_kind_display()
        for check in appointment.checks.order_by("kind")
        if check.is_outstanding
    ]
    override_reason = override_reason.strip()
    if outstanding and not override_reason:
        raise DeploymentError(
            "The start date cannot be confirmed while these checks are outstanding: "
            f"{', '.join(outstanding)}. Clear them first, or give a reason to confirm anyway."
        )
    appointment.status = Appointment.Status.IN_POST
    appointment.start_date = start_date
    appointment.start_confirmed_at = timezone.now()
    appointment.start_confirmed_by = by
    appointment.start_override_reason = override_reason if outstanding else ""
    clean_or_refuse(instance=appointment)
    appointment.save()
    retention_snapshots_revise(programme_id=appointment.programme_id, since=start_date)
    return appointment


def _check_start_date(appointment: Appointment, start_date: date) -> None:
    name = appointment.person.display_name
    passed_on = eligible_from(person=appointment.person)
    if passed_on is not None and start_date < passed_on:
        raise DeploymentError(
            f"{name} became eligible for paid posts on {passed_on:%-d %B %Y}, when their "
            "portfolio passed: the first day in post cannot be before that."
        )
    cleared = [
        check
        for check in appointment.checks.order_by("kind")
        if check.status == PreEmploymentCheck.Status.CLEARED and check.completed_on is not None
    ]
    late = max(cleared, key=lambda check: check.completed_on, default=None)
    if late is not None and start_date < late.completed_on:
        raise DeploymentError(
            f"The last check cleared, {late.get_kind_display()}, was completed on "
            f"{late.completed_on:%-d %B %Y}: the first day in post cannot be before the checks "
            "it depends on."
        )


@transaction.atomic
def appointment_plan_start(*, appointment: Appointment, start_date: date, by: User) -> Appointment:
    """Record the first day agreed with the person for an offer. The start is
    still confirmed on the day; until then HR is reminded when checks are
    outstanding close to this date."""
    appointment = _lock_active(appointment)
    if appointment.status != Appointment.Status.OFFERED:
        raise DeploymentError("The start date has already been confirmed.")
    if start_date < timezone.localdate():
        raise DeploymentError(
            "A planned start date cannot be in the past: confirm the start date instead."
        )
    appointment.start_date = start_date
    clean_or_refuse(instance=appointment)
    appointment.save()
    return appointment


@transaction.atomic
def appointment_withdraw(*, appointment: Appointment, by: User) -> Appointment:
    """Withdraw an offer that did not go ahead; the post is vacant again and
    a person appointed from the reserve list goes back on it while their
    entry stands."""
    appointment = _lock_active(appointment)
    if appointment.status != Appointment.Status.OFFERED:
        raise DeploymentError(
            "This person is in post: record them as a leaver or a transfer instead."
        )
    appointment.status = Appointment.Status.WITHDRAWN
    appointment.save()
    _reopen(appointment.post)
    if appointment.reserve_entry_id:
        entry = ReserveEntry.objects.select_for_update().get(pk=appointment.reserve_entry_id)
        if entry.stands_until >= timezone.localdate():
            entry.status = ReserveEntry.Status.STANDING
            entry.save()
    return appointment


def _reopen(post: Post) -> None:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status == Post.Status.FILLED:
        post.status = Post.Status.VACANT
        post.save()


@transaction.atomic
def appointment_transfer(
    *,
    appointment: Appointment,
    to_post: Post,
    first_day: date,
    by: User,
    hours_per_week: Decimal | None = None,
    contract: str | None = None,
) -> Appointment:
    """Move a peer worker in post to another vacant peer post in the
    programme (for example promotion to Lead LXP).

    One transaction ends the old appointment on the day before
    ``first_day`` and starts the new one on ``first_day``; the old post is
    vacant again. The person is not a leaver: retention runs on from their
    first day in the programme. The checks, line manager and access carry
    over. A transfer is recorded on or after its first day, never ahead
    of it; one dated into a month whose retention snapshot is already taken
    re-takes it (and the later months taken) as a revision.
    """
    if first_day > timezone.localdate():
        raise DeploymentError(
            "The first day in the new post cannot be in the future: record the transfer on or "
            "after it."
        )
    old = _lock_active(appointment)
    if old.status != Appointment.Status.IN_POST:
        raise DeploymentError("Only someone in post can transfer to another post.")
    if to_post.pk == old.post_id:
        raise DeploymentError("Choose a different post to transfer to.")
    if to_post.programme_id != old.programme_id:
        raise DeploymentError("Choose a post of this programme.")
    last_day = first_day - timedelta(days=1)
    if old.start_date is None or last_day < old.start_date:
        raise DeploymentError("A transfer must start after the person's first day in their post.")
    if old.absences.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=last_day)).exists():
        raise DeploymentError(
            "An absence runs past the last day in the old post; record its last day first."
        )
    new_post = _lock_vacant_peer_post(to_post)
    old.status = Appointment.Status.TRANSFERRED
    old.ended_on = last_day
    clean_or_refuse(instance=old)
    old.save()
    _reopen(old.post)
    default_contract, default_hours = _default_hours(new_post)
    new = _save_new_appointment(
        Appointment(
            programme_id=old.programme_id,
            person=old.person,
            post=new_post,
            status=Appointment.Status.IN_POST,
            transferred_from=old,
            start_date=first_day,
            start_confirmed_at=timezone.now(),
            start_confirmed_by=by,
            contract=contract or default_contract,
            hours_per_week=hours_per_week or default_hours,
            line_manager=old.line_manager,
            is_lead_lxp=new_post.role == PostRole.LEAD_LXP,
            created_by=by,
        )
    )
    for check in old.checks.all():
        PreEmploymentCheck(
            appointment=new,
            kind=check.kind,
            status=check.status,
            requested_on=check.requested_on,
            completed_on=check.completed_on,
        ).save()
    induction_checklist_carry_over(old=old, new=new)
    new_post.status = Post.Status.FILLED
    new_post.save()
    retention_snapshots_revise(programme_id=old.programme_id, since=last_day)
    return new
