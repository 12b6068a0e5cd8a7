"""Deployment's sheets of a programme's history workbook
(``peerprog.core.workbook``): posts and their conversions, recruitment-day
outcomes and the reserve list, appointments, and absences; and, once a
workbook is imported, the retention snapshots re-taken from its earliest
event.

Each sheet's rows are loaded through deployment's own services with the
days things happened, so an imported history is what HR would have
recorded at the time. The loaders live in ``history_posts``,
``history_days``, ``history_appointments`` and ``history_absences``; this
module holds what they share (finding people and posts by their natural
keys, the cohorts an export is limited to) and registers them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from deployment.models import Appointment, Post
from deployment.snapshots import retention_snapshots_revise
from peerprog.core.models import Person
from peerprog.core.workbook import Book, Field, SheetRow

# People are named by e-mail; someone without one by name and date of birth.
PERSON_FIELDS = (
    Field(
        "email",
        "E-mail",
        "The person's e-mail address, as on the Applications sheet.",
        example="sam.jones@example.org",
    ),
    Field(
        "first_name",
        "First name",
        "Only for someone without an e-mail address: with last name and date of birth.",
    ),
    Field("last_name", "Last name", "Only for someone without an e-mail address."),
    Field("date_of_birth", "Date of birth", "Only for someone without an e-mail address."),
)


def person_find(book: Book, row: SheetRow) -> Person | None:
    """The programme's person the row names (by e-mail ignoring case, else
    by full name and date of birth), or ``None`` with the row's error."""
    from recruitment.services.applications import person_match

    email = row.email("email")
    first_name = row.text("first_name")
    last_name = row.text("last_name")
    born = row.date("date_of_birth")
    if row.errors:
        return None
    if not email and not (first_name and last_name and born):
        row.error(
            "E-mail",
            "Give the person's e-mail address (or, for someone without one, their first "
            "name, last name and date of birth).",
        )
        return None
    key = email or (first_name.lower(), last_name.lower(), born)
    person = book.lookup(
        "person",
        key,
        lambda: person_match(
            programme=book.programme,
            email=email,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=born,
        ),
    )
    if person is None:
        who = email or f"{first_name} {last_name}"
        row.error(
            "E-mail" if email else "First name",
            f"No one called {who} is in the programme. People come from the Applications "
            "sheet: add them there first, or correct this row.",
        )
    return person


def person_cells(person: Person) -> dict[str, object]:
    """The person's natural key as a dumped row gives it."""
    if person.email:
        return {"email": person.email}
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth,
    }


def post_find(book: Book, row: SheetRow, key: str, *, required: bool = True) -> Post | None:
    """The programme's post on the establishment with the position number
    in column ``key`` (not a converted original, which shares its number
    with the post it became), or ``None`` with the row's error."""
    number = row.text(key, required=required, max_length=40)
    if not number:
        return None
    post = (
        Post.objects.filter(programme=book.programme, position_number__iexact=number)
        .exclude(status=Post.Status.CONVERTED)
        .first()
    )
    if post is None:
        row.error(
            row.header(key),
            f"There is no post {number} on the establishment. Posts come from the Posts "
            "sheet: add it there first, or correct the number.",
        )
    return post


def people_in_scope(book: Book) -> QuerySet[Person] | None:
    """The people an export is limited to (those with an application in the
    chosen cohorts), or ``None`` for the whole programme."""
    if book.cohort_ids is None:
        return None
    return Person.objects.filter(
        programme=book.programme, applications__cohort_id__in=book.cohort_ids
    ).distinct()


def appointments_in_scope(book: Book) -> QuerySet[Appointment]:
    appointments = Appointment.objects.filter(programme=book.programme)
    people = people_in_scope(book)
    if people is not None:
        appointments = appointments.filter(person__in=people)
    return appointments


def posts_in_scope(book: Book) -> QuerySet[Post]:
    """The programme's posts, or for chosen cohorts the posts their people
    held and the originals those posts were converted from."""
    posts = Post.objects.filter(programme=book.programme)
    if book.cohort_ids is None:
        return posts
    held = appointments_in_scope(book).values("post_id")
    return posts.filter(Q(pk__in=held) | Q(converted_to__in=held))


def retention_after_load(book: Book) -> None:
    """Re-take the retention snapshots already taken from the month of the
    workbook's earliest event, so the retention page agrees with the
    imported records. The services re-take the months the programme has
    rows for; a programme new to peerprog has none, so the months taken for
    any programme are re-taken, giving it its first rows."""
    if book.earliest is not None:
        retention_snapshots_revise(
            programme_id=book.programme.pk, since=book.earliest, taken_anywhere=True
        )


def register() -> None:
    from deployment import history_absences, history_appointments, history_days, history_posts
    from peerprog.core.workbook import register_after_load, register_sheet

    register_sheet(history_posts.SHEET)
    register_sheet(history_days.SHEET)
    register_sheet(history_appointments.SHEET)
    register_sheet(history_absences.SHEET)
    register_after_load(history_posts.conversions_left_pending)
    register_after_load(retention_after_load)
