"""Reads for a peer worker's own job page: their appointment with its post,
service and line manager, the pre-employment checks in plain words, their
induction checklist and their absences.

The self-service page checks that the appointment is the signed-in
account's own (``own_or_404`` over ``own_appointments``), so nothing here
takes a staff user. Absences show their kind and dates, never who covered
(another person). The health category of a sickness absence is a coded
category (``AbsenceHealth``), never a free-text note: it is the person's own
to see on their own page, and this is the only place it is shown to anyone
but HR and the programme's leads.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from deployment.models import Absence, Appointment, InductionItem, PreEmploymentCheck

# What each check is called when speaking to the person, and whether the
# name is plural ("Your references are done").
CHECK_NAMES: dict[str, tuple[str, bool]] = {
    PreEmploymentCheck.Kind.DBS: ("Your DBS check", False),
    PreEmploymentCheck.Kind.OCCUPATIONAL_HEALTH: ("Your occupational health check", False),
    PreEmploymentCheck.Kind.REFERENCES: ("Your references", True),
    PreEmploymentCheck.Kind.RIGHT_TO_WORK: ("Your right to work check", False),
}


@dataclass(frozen=True)
class CheckInWords:
    kind: str
    sentence: str
    done: bool


def check_in_words(*, check: PreEmploymentCheck) -> CheckInWords:
    """One pre-employment check as a sentence to the person: "Your DBS check
    is done", "We are waiting for your references"."""
    name, plural = CHECK_NAMES.get(check.kind, (f"Your {check.get_kind_display()}", False))
    lower = name[:1].lower() + name[1:]
    verb = "are" if plural else "is"
    status = PreEmploymentCheck.Status
    if check.status == status.CLEARED:
        sentence = f"{name} {verb} done."
    elif check.status == status.REQUESTED:
        sentence = f"We are waiting for {lower}."
    elif check.status == status.NOT_CLEARED:
        sentence = f"{name} {verb} back. HR will talk to you about it."
    else:
        sentence = f"{name} {verb} not started yet. HR will tell you what is needed."
    return CheckInWords(
        kind=check.get_kind_display(), sentence=sentence, done=check.status == status.CLEARED
    )


def own_appointments() -> QuerySet[Appointment]:
    """Appointments with what the person's job page shows: post, service,
    programme, line manager, checks, and absences with their health
    category (theirs to see), and the induction checklist. Four queries for
    one appointment. Give it to
    ``own_or_404``, which keeps it to the account's own."""
    return Appointment.objects.select_related(
        "post__service", "programme", "line_manager"
    ).prefetch_related(
        Prefetch("checks", queryset=PreEmploymentCheck.objects.order_by("kind")),
        Prefetch(
            "induction_items",
            queryset=InductionItem.objects.only(
                "appointment_id", "title", "owner", "due_days", "order", "done_on"
            ),
        ),
        Prefetch(
            "absences",
            queryset=Absence.objects.select_related("health")
            .only(
                "appointment_id",
                "kind",
                "starts_on",
                "ends_on",
                "health__category",
                "health__absence_id",
            )
            .order_by("-starts_on", "-pk"),
        ),
    )
