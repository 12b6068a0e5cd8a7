"""The Recruitment days sheet of a programme's history workbook: one row
per candidate for an advertised post, with their interview on a
recruitment day and the panel's decision, and for a reserve the days the
reserve-list entry stands.

Rows are loaded through the recruitment day's own services: the candidate
is put forward on the day they applied (eligible then, from their
portfolio pass), shortlisted, given their interview slot, and the decision
recorded on the day it was made. *Appoint* offers the post (the
Appointments sheet then gives the start); *Reserve* puts the person on the
reserve list from the day given. An advert closes once its post is
offered, so a post's other candidates come above the one appointed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from deployment import services
from deployment.history import PERSON_FIELDS, people_in_scope, person_cells, person_find
from deployment.history import post_find as _post_find
from deployment.models import Candidate, Interview, Panel, RecruitmentDay, ReserveEntry, Vacancy
from peerprog.core.dates import add_months
from peerprog.core.workbook import NEW, UNCHANGED, UPDATE, Book, Field, Sheet, SheetRow

FIELDS = (
    *PERSON_FIELDS,
    Field(
        "position_number",
        "Position number",
        "The post they applied for.",
        required=True,
        example="4101",
    ),
    Field(
        "advert_reference",
        "Advert reference",
        "The post's advert, as on the Posts sheet (its latest advert when empty).",
    ),
    Field("applied_on", "Applied on", "The day they applied.", example="10 April 2024"),
    Field(
        "candidate_status",
        "Candidate status",
        "Applied, Shortlisted, Not shortlisted or Withdrawn. Someone interviewed was shortlisted.",
        example="Shortlisted",
    ),
    Field("day", "Recruitment day", "The day of the interview.", example="1 May 2024"),
    Field("venue", "Venue", "Where the recruitment day was held.", example="Education centre"),
    Field("panel", "Panel", "The interview panel, like Panel A.", example="Panel A"),
    Field("starts_at", "Interview time", "The time of the interview, like 09:30.", example="09:30"),
    Field(
        "outcome",
        "Outcome",
        "Appoint, Place on the reserve list, or Not appointed.",
        example="Appoint",
    ),
    Field(
        "decided_on",
        "Decided on",
        "The day of the panel's decision (the recruitment day when empty).",
    ),
    Field(
        "notes",
        "Panel's notes",
        "What the panel noted (seen by HR and leads only).",
        sensitive=True,
    ),
    Field(
        "reserve_from",
        "On the reserve list from",
        "For a reserve: the day they were put on the list (the recruitment day when empty).",
    ),
    Field(
        "reserve_until",
        "On the reserve list until",
        "For a reserve: the last day the entry stands (12 months on when empty).",
    ),
)

OUTCOMES = [c for c in Interview.Outcome.choices if c[0] != Interview.Outcome.PENDING]


def _time(row: SheetRow) -> Any:
    value = row.raw("starts_at")
    if value in (None, ""):
        return None
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    text = str(value).strip().replace(".", ":")
    for pattern in ("%H:%M", "%H:%M:%S", "%I:%M%p", "%I%p"):
        try:
            return datetime.strptime(text.upper().replace(" ", ""), pattern).time()
        except ValueError:
            continue
    row.error("Interview time", f"“{text}” is not a time. Write it like 09:30.")
    return None


def _months(row: SheetRow, start: date, until: date | None) -> int:
    if until is None:
        return services.recruitment_day.DEFAULT_RESERVE_MONTHS
    for months in range(1, 37):
        if add_months(start, months) == until:
            return months
    row.error(
        "On the reserve list until",
        "A reserve-list entry stands for a whole number of months (1 to 36) from the day "
        f"it starts: {add_months(start, 12):%-d %B %Y} for 12 months, say.",
    )
    return 0


def _vacancy(book: Book, row: SheetRow, post: Any) -> Vacancy | None:
    reference = row.text("advert_reference")
    vacancies = Vacancy.objects.filter(post=post)
    if reference:
        vacancies = vacancies.filter(advert_reference__iexact=reference)
    vacancy = vacancies.order_by("-opened_on", "-pk").first()
    if vacancy is None:
        row.error(
            "Advert reference" if reference else "Position number",
            f"Post {post.position_number} has no advert{' ' + reference if reference else ''}. "
            "Give it on the Posts sheet (Advert reference, Advert opens on and Advert closes "
            "on).",
        )
    return vacancy


def load(book: Book, row: SheetRow) -> None:
    person = person_find(book, row)
    post = _post_find(book, row, "position_number")
    applied_on = row.date("applied_on")
    status = row.choice("candidate_status", Candidate.Status.choices)
    day_on = row.date("day")
    venue = row.text("venue", max_length=200)
    panel_name = row.text("panel", max_length=100)
    starts_at = _time(row)
    outcome = row.choice("outcome", OUTCOMES)
    decided_on = row.date("decided_on")
    notes = row.long_text("notes")
    reserve_from = row.date("reserve_from")
    reserve_until = row.date("reserve_until")
    if (day_on or outcome) and starts_at is None and not row.errors:
        row.error("Interview time", "Give the time of the interview.")
    if outcome and day_on is None:
        row.error("Recruitment day", "Give the day of the interview.")
    if row.errors or person is None or post is None:
        return
    vacancy = _vacancy(book, row, post)
    if vacancy is None:
        return
    status = status or (Candidate.Status.SHORTLISTED if day_on else Candidate.Status.APPLIED)
    for day in (applied_on, day_on, decided_on, reserve_from):
        book.dated(day)
    candidate = Candidate.objects.filter(vacancy=vacancy, person=person).first()
    if candidate is None:
        candidate = services.candidate_add(
            vacancy=vacancy, person=person, by=book.by, applied_on=applied_on
        )
        row.action = NEW
    else:
        row.action = UNCHANGED
        if applied_on is not None and applied_on != candidate.applied_on:
            row.error(
                "Applied on",
                f"{person.display_name} applied on {candidate.applied_on:%-d %B %Y} on record; "
                "that cannot be changed from a file.",
            )
            return
    row.match = str(candidate.pk)
    if status != candidate.status:
        services.candidate_set_status(candidate=candidate, status=status, by=book.by)
        if row.action == UNCHANGED:
            row.action = UPDATE
    if day_on is None:
        return
    interview = _interview(book, row, candidate, day_on, venue, panel_name, starts_at)
    if interview is None or not outcome:
        return
    _decide(book, row, interview, outcome, decided_on, notes, reserve_from, reserve_until)


def _interview(
    book: Book,
    row: SheetRow,
    candidate: Candidate,
    day_on: date,
    venue: str,
    panel_name: str,
    starts_at: Any,
) -> Interview | None:
    interview = Interview.objects.filter(candidate=candidate).select_related("day", "panel").first()
    if interview is not None:
        if interview.day.date != day_on or interview.starts_at != starts_at:
            row.error(
                "Recruitment day",
                f"{candidate.person.display_name} is on record as interviewed on "
                f"{interview.day.date:%-d %B %Y} at {interview.starts_at:%H:%M}; that cannot be "
                "changed from a file.",
            )
            return None
        return interview
    venue = venue or "Not recorded"
    day = book.lookup(
        "recruitment_day",
        (day_on, venue.lower()),
        lambda: RecruitmentDay.objects.filter(
            programme=book.programme, date=day_on, venue__iexact=venue
        ).first(),
    )
    if day is None:
        day = services.recruitment_day_create(
            programme=book.programme, day=day_on, venue=venue, by=book.by
        )
        book.remember("recruitment_day", (day_on, venue.lower()), day)
    panel = None
    if panel_name:
        panel = Panel.objects.filter(day=day, name__iexact=panel_name).first()
        if panel is None:
            panel = services.panel_create(day=day, name=panel_name, by=book.by)
    interview = services.interview_schedule(
        day=day, candidate=candidate, starts_at=starts_at, panel=panel, by=book.by
    )
    if row.action == UNCHANGED:
        row.action = UPDATE
    return interview


def _decide(
    book: Book,
    row: SheetRow,
    interview: Interview,
    outcome: str,
    decided_on: date | None,
    notes: str,
    reserve_from: date | None,
    reserve_until: date | None,
) -> None:
    decided_on = decided_on or interview.day.date
    placed_on = reserve_from or interview.day.date
    months = _months(row, placed_on, reserve_until) if outcome == "reserve" else 12
    if row.errors:
        return
    if interview.outcome == outcome:
        on_record = timezone.localdate(interview.decided_at) if interview.decided_at else None
        # A decision recorded without its day (before days were kept) is
        # left as it is.
        if on_record is not None and on_record != decided_on:
            row.error(
                "Decided on",
                f"The decision is on record as made on {on_record:%-d %B %Y}; its day cannot "
                "be changed from a file.",
            )
        return
    if interview.outcome != Interview.Outcome.PENDING:
        row.error(
            "Outcome",
            f"The panel's decision is on record as “{interview.get_outcome_display()}”; it "
            "cannot be changed from a file.",
        )
        return
    services.interview_record_outcome(
        interview=interview,
        outcome=outcome,
        notes=notes,
        by=book.by,
        reserve_months=months,
        on=decided_on,
        placed_on=placed_on,
    )
    if row.action == UNCHANGED:
        row.action = UPDATE


def dump(book: Book) -> Iterator[dict[str, Any]]:
    candidates = Candidate.objects.filter(vacancy__programme=book.programme)
    if book.cohort_ids is not None:
        candidates = candidates.filter(
            person__in=people_in_scope(book).values("pk")  # type: ignore[union-attr]
        )
    candidates = (
        candidates.select_related("person", "vacancy__post", "interview__day", "interview__panel")
        .annotate(
            appointed_last=Case(
                When(interview__outcome=Interview.Outcome.APPOINT, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("vacancy__opened_on", "vacancy_id", "appointed_last", "applied_on", "pk")
    )
    entries = {
        entry.interview_id: entry
        for entry in ReserveEntry.objects.filter(programme=book.programme, interview__isnull=False)
    }
    for candidate in candidates:
        values: dict[str, Any] = {
            **person_cells(candidate.person),
            "position_number": candidate.vacancy.post.position_number,
            "advert_reference": candidate.vacancy.advert_reference,
            "applied_on": candidate.applied_on,
            "candidate_status": candidate.get_status_display(),
        }
        interview = getattr(candidate, "interview", None)
        if interview is not None:
            values.update(
                day=interview.day.date,
                venue=interview.day.venue,
                panel=interview.panel.name if interview.panel else "",
                starts_at=f"{interview.starts_at:%H:%M}",
            )
            if interview.outcome != Interview.Outcome.PENDING:
                values["outcome"] = interview.get_outcome_display()
                if interview.decided_at:
                    values["decided_on"] = timezone.localdate(interview.decided_at)
                values["notes"] = interview.notes
            entry = entries.get(interview.pk)
            if entry is not None and interview.outcome == Interview.Outcome.RESERVE:
                values["reserve_from"] = entry.placed_on
                values["reserve_until"] = entry.stands_until
        yield values


SHEET = Sheet(
    key="recruitment_days",
    title="Recruitment days",
    order=55,
    fields=FIELDS,
    load=load,
    dump=dump,
    help="One row per candidate for an advertised post, with their interview and the "
    "panel's decision.",
    shown=("email", "position_number", "outcome"),
)
