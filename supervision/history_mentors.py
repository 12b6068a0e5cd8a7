"""The Mentors sheet of the history workbook: the programme's mentors,
members of staff with the Mentor role and a mentor profile. Someone the
programme does not have yet is added as staff, with no usable password and
nothing sent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from peerprog.core.models import Role, Service, User
from peerprog.core.services import staff_user_update
from peerprog.core.workbook import NEW, UNCHANGED, UPDATE, Book, Field, Sheet, SheetRow
from supervision import services
from supervision.history import split_name, staff_member
from supervision.models import MentorProfile


def _service(book: Book, row: SheetRow, key: str) -> tuple[bool, Service | None]:
    name = row.text(key)
    if not name:
        return True, None
    service = book.lookup(
        "service",
        name.lower(),
        lambda: Service.objects.filter(programme=book.programme, name__iexact=name).first(),
    )
    if service is None:
        row.error(row.header(key), f"This programme has no service called “{name}”.")
        return False, None
    return True, service


def load_mentor(book: Book, row: SheetRow) -> None:
    first_name = row.text("first_name", required=True, max_length=100)
    last_name = row.text("last_name", required=True, max_length=100)
    job_title = row.text("job_title", max_length=100)
    background = row.choice("background", MentorProfile.Background.choices, required=True)
    found, service = _service(book, row, "service")
    trained_on = row.date("preparatory_training_on")
    support_on = row.date("support_meeting_on")
    capacity = row.whole("capacity")
    taking = row.yes_no("taking_trainees", default=True)
    if row.errors or not found:
        return
    book.dated(trained_on)
    book.dated(support_on)
    full_name = f"{first_name} {last_name}"
    mentor, added = staff_member(
        book, row, "email", role=Role.MENTOR, name=full_name, job_title=job_title
    )
    if mentor is None:
        return
    changed = added
    if not added and (
        mentor.full_name != full_name or (job_title and mentor.job_title != job_title)
    ):
        mentor = staff_user_update(
            user=mentor,
            by=book.by,
            full_name=full_name,
            job_title=job_title or mentor.job_title,
            roles=list(mentor.groups.values_list("name", flat=True)),
            is_active=mentor.is_active,
        )
        changed = True
    profile = MentorProfile.objects.filter(user=mentor).first()
    values: dict[str, Any] = {
        "background": background,
        "service": service,
        "preparatory_training_on": trained_on,
        "support_meeting_on": support_on,
        "is_active": taking,
    }
    if capacity is not None:
        values["capacity"] = capacity
    if profile is None or any(getattr(profile, name) != value for name, value in values.items()):
        profile_new = profile is None
        profile = services.mentor_profile_save(mentor=mentor, by=book.by, **values)
        row.action = NEW if added or profile_new else UPDATE
    else:
        row.action = UPDATE if changed else UNCHANGED
    row.match = str(mentor.pk)


def _mentor_users(book: Book) -> Any:
    users = User.objects.filter(programme=book.programme, mentor_profile__isnull=False)
    if book.cohort_ids is not None:
        users = users.filter(mentor_assignments__enrolment__cohort_id__in=book.cohort_ids)
    return users.select_related("mentor_profile__service").distinct().order_by("full_name", "pk")


def dump_mentors(book: Book) -> Iterator[dict[str, Any]]:
    for user in _mentor_users(book):
        profile = user.mentor_profile
        first_name, last_name = split_name(user.full_name)
        yield {
            "email": user.email,
            "first_name": first_name,
            "last_name": last_name,
            "job_title": user.job_title,
            "background": profile.get_background_display(),
            "service": profile.service.name if profile.service else "",
            "preparatory_training_on": profile.preparatory_training_on,
            "support_meeting_on": profile.support_meeting_on,
            "capacity": profile.capacity,
            "taking_trainees": profile.is_active,
        }


def register() -> None:
    from peerprog.core.workbook import register_sheet

    register_sheet(
        Sheet(
            key="mentors",
            title="Mentors",
            order=40,
            help="One row per mentor: a member of staff with the Mentor role.",
            shown=("email",),
            fields=(
                Field(
                    "email",
                    "E-mail",
                    "Their work e-mail address. Someone the programme does not have yet is "
                    "added with the Mentor role and sets a password through “Forgotten your "
                    "password?”; nothing is sent.",
                    True,
                    "helen.park@example.org",
                ),
                Field("first_name", "First name", "", True, "Helen"),
                Field("last_name", "Last name", "", True, "Park"),
                Field("job_title", "Job title", "Optional.", example="Staff nurse"),
                Field(
                    "background",
                    "Background",
                    "Clinical, Management or Support.",
                    True,
                    "Clinical",
                ),
                Field(
                    "service",
                    "Service",
                    "The ward or team they work in, as the programme names it.",
                    example="Willow Ward",
                ),
                Field(
                    "preparatory_training_on",
                    "Preparatory training on",
                    "The day they attended the mentors' preparatory training.",
                    example="12 January 2026",
                ),
                Field(
                    "support_meeting_on",
                    "Support meeting on",
                    "The day they attended the mentors' support meeting.",
                    example="19 January 2026",
                ),
                Field(
                    "capacity",
                    "Trainees at once",
                    "How many trainees they can mentor at once (1 to 10).",
                    example="2",
                ),
                Field(
                    "taking_trainees",
                    "Taking trainees",
                    "Yes or No (Yes when empty).",
                    example="Yes",
                ),
            ),
            load=load_mentor,
            dump=dump_mentors,
        )
    )
