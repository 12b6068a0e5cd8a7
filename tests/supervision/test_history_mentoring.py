"""Mentors, who mentored whom, and their meetings, loaded from a history
workbook into a new programme: the records come out as if the lead and the
mentors had entered them on the days they happened, and nothing is sent."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peerprog.core.access import has_role
from peerprog.core.import_reading import ImportRefused
from peerprog.core.models import Programme, Role, User
from peerprog.core.workbook import NEW, UNCHANGED, UPDATE
from recruitment.models import Cohort
from supervision.models import MentorAssignment, MentorMeeting, MentorProfile
from tests.core.factories import ServiceFactory, UserFactory
from tests.supervision.history_books import (
    actions,
    exported,
    load,
    plain,
    sent,
    stored,
    workbook,
)
from tests.training.factories import CohortFactory, enrol

pytestmark = pytest.mark.django_db

MENTORS = [
    "E-mail",
    "First name",
    "Last name",
    "Job title",
    "Background",
    "Service",
    "Preparatory training on",
    "Support meeting on",
    "Trainees at once",
    "Taking trainees",
]
ASSIGNMENTS = [
    "Cohort",
    "Trainee e-mail",
    "Mentor e-mail",
    "Started on",
    "Ended on",
    "Why it ended",
]
MEETINGS = ["Cohort", "Trainee e-mail", "Mentor e-mail", "Met on", "Kind", "How",
            "Length in minutes", "Next meeting on", "Notes"]  # fmt: skip


@pytest.fixture
def lead(programme: Programme) -> User:
    return UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD], full_name="Priya Lead")


@pytest.fixture
def cohort(programme: Programme) -> Cohort:
    start = timezone.localdate() - timedelta(weeks=30)
    cohort = CohortFactory(
        programme=programme,
        name="Cohort 1",
        training_start=start,
        training_end=start + timedelta(weeks=12),
        status=Cohort.Status.CLOSED,
    )
    ServiceFactory(programme=programme, name="Willow Ward")
    enrol(cohort, first_name="Ada", last_name="Okoro", email="ada@example.org")
    enrol(cohort, first_name="Ben", last_name="Hale", email="ben@example.org")
    return cohort


def day(cohort: Cohort, days: int) -> date:
    return cohort.training_start + timedelta(days=days)


def history(cohort: Cohort, *, meetings: list[list] | None = None) -> bytes:
    end = cohort.training_end
    trained = cohort.training_start - timedelta(days=21)
    return workbook(
        {
            "Mentors": [
                MENTORS,
                ["helen.park@example.org", "Helen", "Park", "Staff nurse", "Clinical",
                 "Willow Ward", trained, trained + timedelta(days=7), 2, "Yes"],
                ["James.Whitaker@example.org", "James", "Whitaker", "", "Management", "",
                 trained, None, 1, "Yes"],
            ],
            "Mentor assignments": [
                ASSIGNMENTS,
                ["Cohort 1", "ada@example.org", "helen.park@example.org", cohort.training_start,
                 end, "The course finished"],
                ["cohort 1", "BEN@example.org", "james.whitaker@example.org",
                 cohort.training_start, end, "The course finished"],
            ],
            "Mentor meetings": meetings
            if meetings is not None
            else [
                MEETINGS,
                ["Cohort 1", "ada@example.org", "helen.park@example.org", day(cohort, 6),
                 "Meeting", "In person", 45, day(cohort, 30), "Getting to know each other."],
                ["Cohort 1", "ada@example.org", "helen.park@example.org", day(cohort, 30),
                 "Meeting", "Phone or video", 60, None, ""],
                ["Cohort 1", "ada@example.org", "helen.park@example.org", day(cohort, 62),
                 "", "", 30, None, "Reflected on the course."],
                ["Cohort 1", "ada@example.org", "helen.park@example.org", day(cohort, 37),
                 "Shadowing", "In person", 240, None, ""],
                ["Cohort 1", "ben@example.org", "james.whitaker@example.org", day(cohort, 10),
                 "Meeting", "In person", 45, None, ""],
            ],
        }
    )  # fmt: skip


def test_loading_mentoring_shows_the_cohorts_meetings_to_the_lead(client, programme, lead, cohort):
    report = load(history(cohort), programme=programme, by=lead)

    assert report.ok, [str(e) for e in report.errors]
    assert actions(report) == [NEW] * 9
    client.force_login(lead)
    page = client.get(reverse("supervision:cohort", args=[cohort.pk])).content.decode()
    ada = page[page.index("Ada Okoro") :]
    ada = ada[: ada.index("</tr>")]
    assert "Minimum met" in ada
    assert "3 of 3 meetings" in ada
    ben = page[page.index("Ben Hale") :]
    ben = ben[: ben.index("</tr>")]
    assert "1 of 3 meetings" in ben
    assert "Minimum met" not in ben
    # The mentoring ended with the course; the trainee's page keeps it.
    mentee = client.get(
        reverse(
            "supervision:mentee",
            args=[
                MentorAssignment.objects.get(mentor__email="helen.park@example.org").enrolment_id
            ],
        )
    ).content.decode()
    assert "Helen Park" in mentee


def test_loading_mentoring_keeps_the_days_it_happened(programme, lead, cohort):
    load(history(cohort), programme=programme, by=lead)

    helen = User.objects.get(email="helen.park@example.org")
    ada = MentorAssignment.objects.get(mentor=helen)
    assert (ada.started_on, ada.ended_on) == (cohort.training_start, cohort.training_end)
    assert ada.end_reason == "The course finished"
    held = list(
        MentorMeeting.objects.filter(assignment=ada)
        .order_by("held_on")
        .values_list("held_on", "kind", "mode", "minutes")
    )
    assert held == [
        (day(cohort, 6), "meeting", "in_person", 45),
        (day(cohort, 30), "meeting", "remote", 60),
        (day(cohort, 37), "shadowing", "in_person", 240),
        (day(cohort, 62), "meeting", "in_person", 30),
    ]
    first = MentorMeeting.objects.get(assignment=ada, held_on=day(cohort, 6))
    assert first.notes == "Getting to know each other."
    assert first.next_meeting_on == day(cohort, 30)


def test_a_new_mentor_gets_a_staff_account_to_set_a_password_for_and_nothing_is_sent(
    programme, lead, cohort
):
    load(history(cohort), programme=programme, by=lead)

    helen = User.objects.get(email="helen.park@example.org")
    assert (helen.full_name, helen.job_title, helen.programme) == (
        "Helen Park",
        "Staff nurse",
        programme,
    )
    assert has_role(helen, Role.MENTOR)
    assert not helen.has_usable_password()
    profile = MentorProfile.objects.get(user=helen)
    assert profile.service.name == "Willow Ward"
    assert profile.preparatory_training_on == cohort.training_start - timedelta(days=21)
    assert profile.capacity == 2
    # The dates are all past: no invitation, no reminder, no notification.
    assert sent() == {"e-mails": 0, "reminders": 0, "notifications": 0}


def test_loading_the_same_mentoring_again_changes_nothing(programme, lead, cohort):
    content = history(cohort)
    load(content, programme=programme, by=lead)
    before = stored()

    report = load(content, programme=programme, by=lead)

    assert report.ok
    assert set(actions(report)) == {UNCHANGED}
    assert stored() == before


def test_a_changed_mentor_profile_is_an_update(programme, lead, cohort):
    load(history(cohort), programme=programme, by=lead)
    trained = cohort.training_start - timedelta(days=21)
    content = workbook(
        {
            "Mentors": [
                MENTORS,
                ["helen.park@example.org", "Helen", "Park", "Staff nurse", "Clinical",
                 "Willow Ward", trained, trained + timedelta(days=7), 3, "No"],
            ]
        }
    )  # fmt: skip

    report = load(content, programme=programme, by=lead)

    assert actions(report) == [UPDATE]
    profile = MentorProfile.objects.get(user__email="helen.park@example.org")
    assert (profile.capacity, profile.is_active) == (3, False)


def test_the_preview_writes_nothing(programme, lead, cohort):
    before = stored()

    report = load(history(cohort), programme=programme, by=lead, write=False)

    assert report.ok
    assert actions(report) == [NEW] * 9
    assert stored() == before
    assert sent() == {"e-mails": 0, "reminders": 0, "notifications": 0}


def test_a_meeting_outside_the_mentoring_is_refused_and_nothing_is_written(programme, lead, cohort):
    late = cohort.training_end + timedelta(days=5)
    meetings = [
        MEETINGS,
        ["Cohort 1", "ada@example.org", "helen.park@example.org", day(cohort, 6),
         "Meeting", "In person", 45, None, ""],
        ["Cohort 1", "ada@example.org", "helen.park@example.org", late,
         "Meeting", "In person", 45, None, ""],
        ["Cohort 1", "ada@example.org", "nobody@example.org", day(cohort, 8),
         "Meeting", "In person", 45, None, ""],
        ["Cohort 1", "ada@example.org", "helen.park@example.org", day(cohort, 9),
         "Meeting", "Over tea", 2, None, ""],
    ]  # fmt: skip
    before = stored()

    with pytest.raises(ImportRefused):
        load(history(cohort, meetings=meetings), programme=programme, by=lead)
    report = load(history(cohort, meetings=meetings), programme=programme, by=lead, write=False)

    messages = [str(error) for error in report.errors]
    ended = f"{cohort.training_end.day} {cohort.training_end:%B %Y}"
    assert messages[0] == (
        f"In the Mentor meetings sheet, row 3: This mentoring ended on {ended}: "
        "a meeting cannot be after that."
    )
    assert messages[1] == (
        "In the Mentor meetings sheet, row 4, column “Mentor e-mail”: This programme has no "
        "staff with the e-mail address nobody@example.org: give their name to add them."
    )
    assert messages[2].startswith(
        "In the Mentor meetings sheet, row 5, column “How”: “Over tea” is not one of"
    )
    assert len(messages) == 3
    assert stored() == before
    assert User.objects.filter(email="helen.park@example.org").count() == 0


def test_hr_may_not_import_mentor_meeting_notes(programme, cohort, lead):
    hr = UserFactory(programme=programme, roles=[Role.HR])
    load(history(cohort, meetings=[MEETINGS]), programme=programme, by=lead)

    report = load(history(cohort), programme=programme, by=hr, write=False)

    notes_errors = [str(e) for e in report.errors if e.column == "Notes"]
    assert notes_errors == [
        "In the Mentor meetings sheet, row 2, column “Notes”: Only a programme lead may import "
        "these notes. Leave the column empty, or ask a lead to import the file.",
        "In the Mentor meetings sheet, row 4, column “Notes”: Only a programme lead may import "
        "these notes. Leave the column empty, or ask a lead to import the file.",
    ]


def test_a_mentor_with_a_staff_account_without_the_mentor_role_is_refused(programme, lead, cohort):
    UserFactory(programme=programme, roles=[Role.FACILITATOR], email="helen.park@example.org")

    report = load(history(cohort), programme=programme, by=lead, write=False)

    assert str(report.errors[0]) == (
        "In the Mentors sheet, row 2, column “E-mail”: "
        f"{User.objects.get(email='helen.park@example.org').full_name} does not have the "
        "Mentor role. An administrator gives it on the staff page; then import the file again."
    )


def test_the_export_of_loaded_mentoring_gives_the_rows_back_in_plain_form(programme, lead, cohort):
    load(history(cohort), programme=programme, by=lead)

    _, rows = exported(
        programme=programme,
        by=lead,
        cohort_ids=[cohort.pk],
        titles=["Mentors", "Mentor assignments", "Mentor meetings"],
    )

    trained = cohort.training_start - timedelta(days=21)
    start, end = cohort.training_start, cohort.training_end
    helen, james = "helen.park@example.org", "james.whitaker@example.org"
    assert plain(rows["Mentors"][1:]) == [
        (
            helen,
            "Helen",
            "Park",
            "Staff nurse",
            "Clinical",
            "Willow Ward",
            trained,
            trained + timedelta(days=7),
            2,
            "Yes",
        ),
        (james, "James", "Whitaker", None, "Management", None, trained, None, 1, "Yes"),
    ]
    assert plain(rows["Mentor assignments"][1:]) == [
        ("Cohort 1", "ben@example.org", james, start, end, "The course finished"),
        ("Cohort 1", "ada@example.org", helen, start, end, "The course finished"),
    ]
    assert plain(rows["Mentor meetings"][1:]) == [
        ("Cohort 1", "ben@example.org", james, day(cohort, 10), "Meeting", "In person", 45,
         None, None),
        ("Cohort 1", "ada@example.org", helen, day(cohort, 6), "Meeting", "In person", 45,
         day(cohort, 30), "Getting to know each other."),
        ("Cohort 1", "ada@example.org", helen, day(cohort, 30), "Meeting", "Phone or video",
         60, None, None),
        ("Cohort 1", "ada@example.org", helen, day(cohort, 37), "Shadowing", "In person", 240,
         None, None),
        ("Cohort 1", "ada@example.org", helen, day(cohort, 62), "Meeting", "In person", 30,
         None, "Reflected on the course."),
    ]  # fmt: skip


def test_a_trainee_who_left_keeps_the_mentoring_they_had_until_they_left(programme, lead, cohort):
    from training import services as training_services
    from training.models import Enrolment, NonCompletionReason

    ben = Enrolment.objects.get(cohort=cohort, person__email="ben@example.org")
    # Enrolled when the place was accepted, before the course began (a
    # course cannot end before the day of enrolment).
    Enrolment.objects.filter(pk=ben.pk).update(
        enrolled_at=timezone.make_aware(
            datetime.combine(cohort.training_start - timedelta(days=14), time(9))
        )
    )
    ben.refresh_from_db()
    reasons = training_services.non_completion_reasons_ensure_defaults(programme=programme)
    reason = next(
        r for r in reasons if r.category == NonCompletionReason.Category.LEFT_FURTHER_STUDY
    )
    training_services.enrolment_close(
        enrolment=ben, reason=reason, ended_on=day(cohort, 40), by=lead
    )
    load(history(cohort), programme=programme, by=lead, only="mentors")
    rows = [
        ASSIGNMENTS,
        ["Cohort 1", "ben@example.org", "helen.park@example.org", cohort.training_start,
         day(cohort, 40), "Left the course"],
        ["Cohort 1", "ben@example.org", "helen.park@example.org", day(cohort, 41), None, ""],
    ]  # fmt: skip

    report = load(workbook({"Mentor assignments": rows}), programme=programme, by=lead, write=False)

    assert actions(report)[0] == NEW
    assert [str(e) for e in report.errors] == [
        "In the Mentor assignments sheet, row 3: Ben Hale has left the course."
    ]
