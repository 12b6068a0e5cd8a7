"""Wellbeing plans: writing and changing a peer worker's plan, their own
changes to it, and the log of every read."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from peerprog.core.models import Person, User
from peerprog.core.privacy.read_log import ReadKind, ReadPurpose, read_log
from supervision.models import WellbeingPlan
from supervision.services.common import validated
from supervision.services.supervising import SupervisionRefused

# Wellbeing plans


def wellbeing_plan_read(*, plan: WellbeingPlan, by: User, purpose: str, page: str = "") -> None:
    """Log one read of a plan in the read log. Every page that shows a plan
    calls this."""
    read_log(by=by, kind=ReadKind.WELLBEING_PLAN, record=plan, purpose=purpose, page=page)


class PlanChangedMeanwhile(SupervisionRefused):
    """A save of a wellbeing plan that started from an older version than
    the one stored: someone saved in between. ``plan`` is the plan as it is
    now, so the page can show it next to the words that were not saved."""

    def __init__(self, plan: WellbeingPlan, by: User) -> None:
        who = "you" if plan.updated_by_id == by.pk else plan.updated_by.full_name
        when = timezone.localtime(plan.updated_at)
        super().__init__(
            f"This plan was changed by {who} at {when:%H:%M} on {when:%-d %B %Y}, after you "
            "opened it, so your changes have not been saved. Nothing is lost: your words are "
            "still in the form. Compare them with the plan as it is now, then save again."
        )
        self.plan = plan


def _plan_save_over(*, plan: WellbeingPlan, by: User, started_from: int) -> None:
    """Save an existing plan only if it is still at ``started_from``: the
    check is in the UPDATE's WHERE clause (``WellbeingPlan._do_update``), so
    of two saves from the same version the database lets one through and
    the other changes nothing and is refused."""
    plan._saved_over_version = started_from  # type: ignore[attr-defined]
    # The history names the one who saved, with or without a request.
    plan._history_user = by  # type: ignore[attr-defined]
    plan.version = started_from + 1
    try:
        with transaction.atomic():
            plan.save(force_update=True)
    except IntegrityError:
        raise
    except DatabaseError:
        # "Forced update did not affect any rows": the version moved on.
        current = WellbeingPlan.objects.select_related("updated_by").get(pk=plan.pk)
        raise PlanChangedMeanwhile(current, by) from None
    finally:
        del plan._saved_over_version  # type: ignore[attr-defined]


@transaction.atomic
def wellbeing_plan_save(
    *, person: Person, by: User, expected_version: int | None = None, **values: Any
) -> WellbeingPlan:
    """Write or change a peer worker's wellbeing plan (with them). The
    caller has checked that ``by`` may read it; the change is logged as a
    read too.

    ``expected_version`` is the version the form was opened at: a save over
    a newer change (by the peer worker, say) is refused with
    ``PlanChangedMeanwhile`` and changes nothing. Without it, the version
    just loaded is the one expected."""
    plan = WellbeingPlan.objects.filter(person=person).first()
    creating = plan is None
    if plan is None:
        plan = WellbeingPlan(person=person)
    started_from = plan.version if expected_version is None else expected_version
    for name, value in values.items():
        setattr(plan, name, value)
    plan.updated_by = by
    plan.updated_at = timezone.now()
    if plan.last_reviewed_on and plan.last_reviewed_on > timezone.localdate():
        raise SupervisionRefused("The last review cannot be in the future.")
    validated(instance=plan, validate_unique=False)
    if creating:
        plan._history_user = by  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                plan.save()
        except IntegrityError as clash:
            raise SupervisionRefused(
                "Someone has just written this plan. Open it again to see it."
            ) from clash
    else:
        _plan_save_over(plan=plan, by=by, started_from=started_from)
    wellbeing_plan_read(
        plan=plan, by=by, purpose=ReadPurpose.EDITED, page="supervision:wellbeing-plan-edit"
    )
    return plan


@transaction.atomic
def wellbeing_plan_own_update(
    *,
    plan: WellbeingPlan,
    by: User,
    expected_version: int,
    keeping_well: str | None = None,
    early_signs: str | None = None,
    what_helps: str | None = None,
    contacts: str | None = None,
) -> WellbeingPlan:
    """The peer worker changes the four sections of their own plan, in their
    own words (a section not given stays as it is). Only the account that
    holds the plan's person record may (``by``); the agreement and review
    dates stay the supervisor's to record. A save over a newer change (the
    supervisor's, or their own in another tab) is refused with
    ``PlanChangedMeanwhile`` and changes nothing. The history records ``by``
    as the one who changed it; their own reading is not a read by someone
    else, so it is not logged as one."""
    plan = WellbeingPlan.objects.select_related("person").get(pk=plan.pk)
    if by.pk is None or plan.person.user_id != by.pk or not by.is_active:
        raise SupervisionRefused("Only the peer worker can change their plan here.")
    given = {
        "keeping_well": keeping_well,
        "early_signs": early_signs,
        "what_helps": what_helps,
        "contacts": contacts,
    }
    sections = {
        name: getattr(plan, name) if value is None else value.strip()
        for name, value in given.items()
    }
    if not sections["keeping_well"]:
        raise SupervisionRefused("Say what helps you keep well at work.")
    if all(getattr(plan, name) == value for name, value in sections.items()):
        raise SupervisionRefused("Nothing has changed: your plan is as it was.")
    for name, value in sections.items():
        setattr(plan, name, value)
    plan.updated_by = by
    plan.updated_at = timezone.now()
    validated(instance=plan, validate_unique=False)
    _plan_save_over(plan=plan, by=by, started_from=expected_version)
    return plan
