"""Every write of the induction checklist: the programme's editable
template (services may add items of their own), each appointment's
checklist built from it, and ticking items off."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from deployment.models import Appointment, InductionItem, InductionOwner, InductionTemplateItem
from deployment.services.common import DeploymentError, apply, clean_or_refuse
from peerprog.core.models import Programme, User

# (key, title, owner, due days after the start date): the pilot's induction
# (team and trust induction, ward visits, shadowing) and the rest of what a
# peer worker needs in the first weeks. The programme rewords them freely.
DEFAULT_ITEMS = [
    ("team_induction", "Team induction", InductionOwner.LINE_MANAGER, 7),
    ("trust_induction", "Trust induction", InductionOwner.HR, 14),
    ("epr_access", "Access to electronic patient records", InductionOwner.HR, 14),
    ("ward_visits", "Ward visits", InductionOwner.LINE_MANAGER, 21),
    ("shadowing", "Shadowing", InductionOwner.LINE_MANAGER, 28),
    ("lone_working", "Lone-working procedure", InductionOwner.LINE_MANAGER, 14),
    ("boundaries", "Boundaries and confidentiality", InductionOwner.SUPERVISOR, 28),
    ("meet_supervisor", "Meeting the supervisor", InductionOwner.SUPERVISOR, 14),
]


@transaction.atomic
def induction_template_ensure_defaults(*, programme: Programme, by: User) -> int:
    """Give a programme the default induction template if it has none yet.
    Returns how many items were created."""
    if InductionTemplateItem.objects.filter(programme=programme).exists():
        return 0
    for order, (key, title, owner, days) in enumerate(DEFAULT_ITEMS):
        item = InductionTemplateItem(
            programme=programme, key=key, title=title, owner=owner, due_days=days, order=order
        )
        item.full_clean()
        item.save()
    return len(DEFAULT_ITEMS)


@transaction.atomic
def induction_template_item_create(
    *, programme: Programme, by: User, **values: Any
) -> InductionTemplateItem:
    """Add an item to the programme's template, for every service or for one.
    Checklists already built keep their items; new ones get it."""
    item = InductionTemplateItem(programme=programme, **values)
    if item.service_id and item.service.programme_id != programme.pk:
        raise DeploymentError("Choose a service of this programme.")
    clean_or_refuse(instance=item)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:
        raise DeploymentError("The template already has an item with this title.") from error
    return item


@transaction.atomic
def induction_template_item_update(
    *, item: InductionTemplateItem, by: User, **values: Any
) -> InductionTemplateItem:
    """Reword, re-time, give to another owner or archive a template item.
    Checklists already built are not changed."""
    item = InductionTemplateItem.objects.select_for_update().get(pk=item.pk)
    apply(instance=item, values=values)
    if item.service_id and item.service.programme_id != item.programme_id:
        raise DeploymentError("Choose a service of this programme.")
    clean_or_refuse(instance=item)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:
        raise DeploymentError("The template already has an item with this title.") from error
    return item


@transaction.atomic
def induction_checklist_build(*, appointment: Appointment, by: User) -> int:
    """Give an appointment the items of its programme's template (those for
    every service and those for its post's service) that it lacks. Items
    are matched by title, so building twice adds nothing. Returns how many
    were added."""
    induction_template_ensure_defaults(programme=appointment.programme, by=by)
    have = set(appointment.induction_items.values_list("title", flat=True))
    templates = InductionTemplateItem.objects.filter(
        Q(service__isnull=True) | Q(service_id=appointment.post.service_id),
        programme_id=appointment.programme_id,
        is_archived=False,
    )
    added = 0
    for template in templates:
        if template.title in have:
            continue
        InductionItem(
            appointment=appointment,
            template_item=template,
            title=template.title,
            owner=template.owner,
            due_days=template.due_days,
            order=template.order,
        ).save()
        added += 1
    return added


def induction_checklist_carry_over(*, old: Appointment, new: Appointment) -> None:
    """A transfer keeps the person's induction: the new appointment's
    checklist starts as a copy of the old one, done items included. Runs in
    the transfer's transaction."""
    for item in old.induction_items.all():
        InductionItem(
            appointment=new,
            template_item_id=item.template_item_id,
            title=item.title,
            owner=item.owner,
            due_days=item.due_days,
            order=item.order,
            done_on=item.done_on,
            done_recorded_by_id=item.done_recorded_by_id,
            created_on=item.created_on,
        ).save()


@transaction.atomic
def induction_checklist_update(
    *, appointment: Appointment, done: dict[int, date | None], by: User
) -> int:
    """Record which items of an active appointment's checklist are done and
    on which day (``done`` maps item ids to a day, or None for not done).
    A day cannot be in the future. Only items that changed are saved, each
    with its history. Returns how many changed."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if not appointment.is_active:
        raise DeploymentError(
            f"This appointment is {appointment.get_status_display().lower()}; "
            "its induction can no longer be changed."
        )
    today = timezone.localdate()
    items = {item.pk: item for item in appointment.induction_items.select_for_update()}
    unknown = set(done) - set(items)
    if unknown:
        raise DeploymentError("Some of these items are not on this checklist.")
    changed = 0
    for pk, day in done.items():
        item = items[pk]
        if day is not None and day > today:
            raise DeploymentError(f"“{item.title}” cannot be done on a day still to come.")
        if item.done_on == day:
            continue
        item.done_on = day
        item.done_recorded_by = by if day else None
        clean_or_refuse(instance=item)
        item.save()
        changed += 1
    return changed
