"""Supervision's sheets of the programme's history workbook
(``peerprog.core.workbook``): mentors, who mentored whom and their meetings
(``history_mentoring``), and supervisors and supervision sessions
(``history_supervising``). This module holds what they share: finding the
cohort, the person, the trainee's enrolment and the staff a row names, and
adding staff the programme does not have yet."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from peerprog.core.access import has_role
from peerprog.core.models import Person, Role, User
from peerprog.core.services import staff_user_create
from peerprog.core.workbook import Book, SheetRow
from recruitment.models import Application, Cohort
from recruitment.services.applications import person_match
from training.models import Enrolment


def cohort_named(book: Book, row: SheetRow, key: str) -> Cohort | None:
    name = row.text(key, required=True)
    if not name:
        return None
    cohort = book.lookup(
        "cohort",
        name.lower(),
        lambda: Cohort.objects.filter(programme=book.programme, name__iexact=name).first(),
    )
    if cohort is None:
        row.error(row.header(key), f"This programme has no cohort called “{name}”.")
    return cohort


def person_with_email(book: Book, row: SheetRow, key: str, email: str) -> Person | None:
    person = book.lookup(
        "person", email, lambda: person_match(programme=book.programme, email=email)
    )
    if person is None:
        row.error(row.header(key), f"No one in this programme has the e-mail address {email}.")
    return person


def person_named(book: Book, row: SheetRow, key: str) -> Person | None:
    email = row.email(key, required=True)
    if not email:
        return None
    return person_with_email(book, row, key, email)


def people_named(book: Book, row: SheetRow, key: str) -> list[Person]:
    """The people of a cell holding one e-mail address or several,
    separated by semicolons or commas."""
    text = row.text(key, required=True).lower()
    found: list[Person] = []
    for email in (part.strip() for part in text.replace(",", ";").split(";")):
        if not email:
            continue
        if "@" not in email or " " in email:
            row.error(row.header(key), f"“{email}” is not an e-mail address.")
            continue
        person = person_with_email(book, row, key, email)
        if person is not None and person not in found:
            found.append(person)
    return found


def enrolment_of(book: Book, row: SheetRow, cohort: Cohort, person: Person) -> Enrolment | None:
    enrolment = book.lookup(
        "enrolment",
        (cohort.pk, person.pk),
        lambda: (
            Enrolment.objects.filter(cohort=cohort, person=person)
            .select_related("cohort", "person")
            .first()
        ),
    )
    if enrolment is None:
        row.error("", f"{person.display_name} is not a trainee of {cohort.name}.")
    return enrolment


def staff_member(
    book: Book,
    row: SheetRow,
    key: str,
    *,
    role: str,
    name: str = "",
    job_title: str = "",
    required: bool = True,
) -> tuple[User | None, bool]:
    """The member of the programme's staff with the e-mail address in
    ``key`` and the ``role``, and whether they were added now.

    Someone the programme does not have yet is added with that role when
    the row gives their ``name``: an account with no usable password, which
    they set through the password reset page (nothing is sent now)."""
    email = row.email(key, required=required)
    if not email:
        return None, False
    user = book.lookup("staff", email, lambda: User.objects.filter(email__iexact=email).first())
    header = row.header(key)
    label = Role(role).label
    if user is None:
        if not name:
            row.error(
                header,
                f"This programme has no staff with the e-mail address {email}: give their "
                "name to add them.",
            )
            return None, False
        user = staff_user_create(
            programme=book.programme,
            by=book.by,
            email=email,
            full_name=name,
            roles=[role],
            job_title=job_title,
            send_invitation=False,
        )
        book.remember("staff", email, user)
        return user, True
    if user.programme_id != book.programme.pk:
        row.error(header, f"{email} belongs to someone who is not staff of this programme.")
        return None, False
    if not has_role(user, role):
        row.error(
            header,
            f"{user.full_name} does not have the {label} role. An administrator gives it on "
            "the staff page; then import the file again.",
        )
        return None, False
    return user, False


def may_write_notes(user: User) -> bool:
    """Mentor and supervision notes are written by the mentor or
    supervisor, and read by them and the programme's leads: of those who
    import, only a lead may bring them in (HR, who read other sensitive
    facts, do not read these)."""
    return has_role(user, Role.PROGRAMME_LEAD)


def notes_refused(book: Book, row: SheetRow, *keys: str) -> bool:
    refused = False
    for key in keys:
        if row.long_text(key) and not may_write_notes(book.by):
            row.error(
                row.header(key),
                "Only a programme lead may import these notes. Leave the column empty, or "
                "ask a lead to import the file.",
            )
            refused = True
    return refused


def split_name(full_name: str) -> tuple[str, str]:
    first, _, last = full_name.strip().partition(" ")
    return first, last


def people_of_cohorts(book: Book) -> QuerySet[Application] | None:
    """The people whose applications are in the chosen cohorts (None: the
    whole programme)."""
    if book.cohort_ids is None:
        return None
    return Application.objects.filter(
        cohort__programme=book.programme, cohort_id__in=book.cohort_ids
    ).values("person_id")


def joined(emails: Iterable[str]) -> str:
    return "; ".join(sorted(e for e in emails if e))


def register() -> None:
    from supervision import history_mentoring, history_mentors, history_supervising

    history_mentors.register()
    history_mentoring.register()
    history_supervising.register()
