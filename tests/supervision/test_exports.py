"""Supervision's exports: mentors, and mentor meetings whose notes only
leads receive."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from peerprog.core.models import ExportRecord
from supervision.models import MentorMeeting
from tests.conftest import World
from tests.core.export_helpers import column, download, queries_of_export
from tests.supervision.factories import assign, log_meeting, mentor
from tests.training.factories import CohortFactory, enrol


@pytest.fixture
def meeting(world: World) -> MentorMeeting:
    cohort = CohortFactory(programme=world.programme, name="Spring")
    enrolment = enrol(cohort, first_name="Tara", last_name="Trainee")
    mentor_user = mentor(world.programme, "Morgan Mentor")
    assign(enrolment, mentor_user, by=world.users["lead"], on=cohort.training_start)
    return log_meeting(
        enrolment,
        mentor_user,
        held_on=cohort.training_start + timedelta(days=7),
        notes="+Talked about sleep and medication",
    )


def test_leads_get_the_meeting_notes_neutralised(world: World, meeting: MentorMeeting) -> None:
    rows = download(world.users["lead"], "supervision:meetings-export", {"format": "xlsx"})
    assert column(rows, "Notes") == ["'+Talked about sleep and medication"]
    assert ExportRecord.objects.get().sensitive_included is True


def test_a_trainee_is_listed_by_the_name_they_go_by(world: World, meeting: MentorMeeting) -> None:
    person = meeting.assignment.enrolment.person
    person.preferred_name = "Tee"
    person.save()
    rows = download(world.users["lead"], "supervision:meetings-export", {"format": "xlsx"})
    assert column(rows, "Trainee") == ["Tee Trainee"]
    assert column(rows, "Kind") == ["Meeting"]
    assert column(rows, "Date") == [datetime.combine(meeting.held_on, time())]


def test_admins_get_meetings_without_notes(world: World, meeting: MentorMeeting) -> None:
    rows = download(world.users["admin"], "supervision:meetings-export")
    assert "Notes" not in rows[0]
    assert column(rows, "Trainee") == ["Tara Trainee"]
    assert all("medication" not in cell for row in rows for cell in row)


def test_meetings_of_one_cohort(world: World, meeting: MentorMeeting) -> None:
    other = CohortFactory(programme=world.programme, name="Autumn")
    rows = download(world.users["lead"], "supervision:meetings-export", {"cohort": other.pk})
    assert rows[1:] == []
    assert ExportRecord.objects.get().filters == "Cohort: Autumn"


def test_mentors_with_their_profiles_and_load(world: World, meeting: MentorMeeting) -> None:
    rows = download(world.users["admin"], "supervision:mentors-export")
    morgan = rows[column(rows, "Name").index("Morgan Mentor") + 1]
    assert morgan[rows[0].index("Trainees now")] == "1"
    assert morgan[rows[0].index("Background")] == "Clinical"
    assert "Other Programme Lead" not in column(rows, "Name")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_meetings_export_takes_the_same_queries_at_two_sizes(
    world: World, meeting: MentorMeeting, file_format: str
) -> None:
    lead = world.users["lead"]
    params = {"format": file_format}
    small = queries_of_export(lead, "supervision:meetings-export", params)
    enrolment = meeting.assignment.enrolment
    for day in range(8, 20):
        log_meeting(
            enrolment,
            meeting.assignment.mentor,
            held_on=enrolment.cohort.training_start + timedelta(days=day),
        )
    assert queries_of_export(lead, "supervision:meetings-export", params) == small
