"""The Applications sheet of a programme's history: each application made
with the day it reached each stage, the accepted ones handed to training
once, a person with applications to two cohorts kept as one person, and a
second load changing nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from peerprog.core.imports import ERROR, NEW, UNCHANGED, UPDATE, ImportRefused
from peerprog.core.models import Letter, Person
from peerprog.core.outbox.models import OutboxEmail
from peerprog.core.reminders.models import Reminder
from recruitment.models import Application, ApplicationMove, Cohort
from tests.recruitment.history_books import (
    actions,
    admin_of,
    dumped,
    errors,
    lead_of,
    load,
    workbook,
)
from training.models import Enrolment

pytestmark = pytest.mark.django_db

Stage = Application.Stage

COHORT_A = {
    "name": "Spring 2024",
    "applications_open": date(2024, 1, 8),
    "applications_close": date(2024, 2, 23),
    "training_start": date(2024, 4, 8),
    "capacity": 3,
    "status": "Closed",
}
COHORT_B = {
    "name": "Autumn 2024",
    "applications_open": date(2024, 6, 3),
    "applications_close": date(2024, 8, 23),
    "training_start": date(2024, 10, 7),
    "capacity": 3,
    "status": "Closed",
}


def _person(first: str, last: str) -> dict:
    return {"first_name": first, "last_name": last, "email": f"{first}.{last}@example.org".lower()}


AMARA = {
    **_person("Amara", "Okonkwo"),
    "cohort": "Spring 2024",
    "source": "Existing volunteer",
    "received_on": date(2024, 1, 15),
    "statement": "I want to give back.",
    "stage": "Accepted",
    "shortlisted_on": date(2024, 2, 26),
    "invited_on": date(2024, 2, 27),
    "offered_on": date(2024, 3, 8),
    "accepted_on": date(2024, 3, 12),
}
RHYS_A = {
    **_person("Rhys", "Morgan"),
    "cohort": "Spring 2024",
    "received_on": date(2024, 1, 20),
    "shortlisted_on": date(2024, 2, 26),
    "invited_on": date(2024, 2, 27),
    "deferred_on": date(2024, 3, 5),
    "deferral_reason": "More volunteering experience first",
    "deferred_to": "Autumn 2024",
}
RHYS_B = {
    **_person("Rhys", "Morgan"),
    "cohort": "Autumn 2024",
    "received_on": date(2024, 3, 5),
    "shortlisted_on": date(2024, 8, 26),
    "offered_on": date(2024, 9, 2),
    "accepted_on": date(2024, 9, 6),
}
NADIA = {
    **_person("Nadia", "Rahman"),
    "cohort": "Spring 2024",
    "received_on": date(2024, 1, 22),
    "unsuccessful_on": date(2024, 2, 26),
    "unsuccessful_reason": "Needs more volunteering experience",
}
OWEN = {
    **_person("Owen", "Jenkins"),
    "cohort": "Spring 2024",
    "received_on": date(2024, 1, 25),
    "shortlisted_on": date(2024, 2, 26),
    "withdrawn_on": date(2024, 3, 1),
    "withdrawal_reason": "Health reasons",
}
ROWS = [AMARA, RHYS_A, RHYS_B, NADIA, OWEN]


def _book(rows=ROWS, cohorts=(COHORT_A, COHORT_B)) -> bytes:
    return workbook({"cohorts": cohorts, "applications": rows})


def _application(first: str, cohort: str) -> Application:
    return Application.objects.select_related("person", "cohort").get(
        person__first_name=first, cohort__name=cohort
    )


def _timeline(application: Application) -> list[tuple[str, date]]:
    return [
        (move.to_stage, timezone.localdate(move.at))
        for move in ApplicationMove.objects.filter(application=application).order_by("at", "pk")
    ]


def _counts() -> dict[str, int]:
    return {
        "applications": Application.objects.count(),
        "moves": ApplicationMove.objects.count(),
        "people": Person.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "cohorts": Cohort.objects.count(),
        "application history": Application.history.count(),
        "person history": Person.history.count(),
        "cohort history": Cohort.history.count(),
    }


def test_each_stage_is_on_the_timeline_on_its_day(programme):
    report = load(_book(), programme=programme, by=lead_of(programme))

    assert actions(report) == [NEW] * 7
    amara = _application("Amara", "Spring 2024")
    assert amara.stage == Stage.ACCEPTED
    assert amara.received_on == date(2024, 1, 15)
    assert amara.statement == "I want to give back."
    assert amara.source == Application.Source.EXISTING_VOLUNTEER
    assert _timeline(amara) == [
        (Stage.RECEIVED, date(2024, 1, 15)),
        (Stage.SHORTLISTED, date(2024, 2, 26)),
        (Stage.INVITED, date(2024, 2, 27)),
        (Stage.OFFERED, date(2024, 3, 8)),
        (Stage.ACCEPTED, date(2024, 3, 12)),
    ]
    nadia = _application("Nadia", "Spring 2024")
    assert nadia.stage == Stage.UNSUCCESSFUL
    assert nadia.unsuccessful_reason.label == "Needs more volunteering experience"
    owen = _application("Owen", "Spring 2024")
    assert (owen.stage, owen.withdrawal_reason.label) == (Stage.WITHDRAWN, "Health reasons")
    assert set(Cohort.objects.filter(programme=programme).values_list("status", flat=True)) == {
        Cohort.Status.CLOSED
    }


def test_a_deferred_applicant_is_one_person_with_two_linked_applications(programme):
    load(_book(), programme=programme, by=lead_of(programme))

    first = _application("Rhys", "Spring 2024")
    later = _application("Rhys", "Autumn 2024")
    assert Person.objects.filter(programme=programme, first_name="Rhys").count() == 1
    assert first.person_id == later.person_id
    assert first.stage == Stage.DEFERRED
    assert first.deferred_to_id == later.pk
    assert later.stage == Stage.ACCEPTED
    assert _timeline(later)[-1] == (Stage.ACCEPTED, date(2024, 9, 6))


def test_the_later_cohorts_row_may_come_first(programme):
    rows = [RHYS_B, AMARA, RHYS_A]
    report = load(_book(rows), programme=programme, by=lead_of(programme))

    assert actions(report) == [NEW] * 5
    first = _application("Rhys", "Spring 2024")
    later = _application("Rhys", "Autumn 2024")
    assert first.deferred_to_id == later.pk
    assert later.received_on == date(2024, 3, 5)


def test_an_acceptance_enrols_the_trainee_once_from_the_day_accepted(programme):
    lead = lead_of(programme)
    load(_book(), programme=programme, by=lead)
    load(_book(), programme=programme, by=lead)

    enrolments = Enrolment.objects.filter(application__person__first_name="Amara")
    assert enrolments.count() == 1
    assert timezone.localdate(enrolments.get().enrolled_at) == date(2024, 3, 12)
    assert Enrolment.objects.filter(cohort__programme=programme).count() == 2


def test_loading_the_same_rows_again_changes_nothing(programme):
    lead = lead_of(programme)
    load(_book(), programme=programme, by=lead)
    before = _counts()

    report = load(_book(), programme=programme, by=lead)

    assert actions(report) == [UNCHANGED] * 7
    assert _counts() == before


def test_a_later_stage_in_the_file_makes_only_the_moves_missing(programme):
    lead = lead_of(programme)
    open_cohort = {**COHORT_A, "status": "In training"}
    offered = {key: value for key, value in AMARA.items() if key not in ("stage", "accepted_on")}
    load(_book([offered], [open_cohort]), programme=programme, by=lead)
    amara = _application("Amara", "Spring 2024")
    assert amara.stage == Stage.OFFERED

    report = load(_book([AMARA], [open_cohort]), programme=programme, by=lead)

    assert actions(report) == [UNCHANGED, UPDATE]
    assert _timeline(amara)[-2:] == [
        (Stage.OFFERED, date(2024, 3, 8)),
        (Stage.ACCEPTED, date(2024, 3, 12)),
    ]
    assert ApplicationMove.objects.filter(application=amara).count() == 5
    assert Enrolment.objects.filter(application=amara).count() == 1


def test_a_row_that_would_move_an_application_back_is_refused(programme):
    lead = lead_of(programme)
    open_cohort = {**COHORT_A, "status": "In training"}
    load(_book([AMARA], [open_cohort]), programme=programme, by=lead)
    offered = {key: value for key, value in AMARA.items() if key not in ("stage", "accepted_on")}

    report = load(_book([offered], [open_cohort]), programme=programme, by=lead, write=False)

    assert report.rows[-1].action == ERROR
    [message] = errors(report)
    assert "the Applications sheet, row 2, column “Stage”" in message
    assert "peerprog has this application accepted" in message
    assert "never moves an application back" in message
    assert _application("Amara", "Spring 2024").stage == Stage.ACCEPTED


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"invited_on": date(2024, 2, 20)}, "Invited on", "before “Shortlisted on”"),
        ({"shortlisted_on": date(2024, 1, 2)}, "Shortlisted on", "before the application"),
        (
            {"accepted_on": timezone.localdate() + timedelta(days=3)},
            "Accepted on",
            "in the future",
        ),
        ({"shortlisted_on": None}, "Invited on", "cannot go from received straight to"),
        ({"stage": "Offered a place"}, "Stage", "the latest date is “Accepted on”"),
        ({"cohort": "Winter 1999"}, "Cohort", "There is no cohort called “Winter 1999”"),
        ({"email": "", "date_of_birth": None}, "E-mail", "Give an e-mail address"),
    ],
)
def test_a_bad_row_names_its_sheet_row_and_column_and_nothing_is_written(
    programme, change, column, words
):
    rows = [NADIA, {**AMARA, **change}]

    with pytest.raises(ImportRefused):
        load(_book(rows), programme=programme, by=lead_of(programme))
    report = load(_book(rows), programme=programme, by=lead_of(programme, "lead2"), write=False)

    assert any(
        f"the Applications sheet, row 3, column “{column}”" in message and words in message
        for message in errors(report)
    ), errors(report)
    assert Cohort.objects.filter(programme=programme).count() == 0
    assert Application.objects.count() == 0
    assert Person.objects.filter(programme=programme).count() == 0


def test_a_stage_in_between_is_not_added_to_an_application_on_record(programme):
    lead = lead_of(programme)
    skipped = {key: value for key, value in AMARA.items() if key != "invited_on"}
    load(_book([skipped]), programme=programme, by=lead)

    report = load(_book([AMARA]), programme=programme, by=lead, write=False)

    assert (
        "column “Invited on”: peerprog has this application accepted without being"
        in (errors(report)[0])
    )


def test_a_closed_cohorts_applications_need_an_outcome(programme):
    offered = {key: value for key, value in AMARA.items() if key not in ("stage", "accepted_on")}

    report = load(_book([offered]), programme=programme, by=lead_of(programme), write=False)

    assert (
        "Spring 2024 is closed, so each of its applications has an outcome" in (errors(report)[0])
    )


def test_the_preview_writes_nothing(programme):
    before = _counts()

    report = load(_book(), programme=programme, by=lead_of(programme), write=False)

    assert actions(report) == [NEW] * 7
    assert _counts() == before


def test_importing_sends_and_queues_nothing(programme):
    mail.outbox.clear()

    load(_book(), programme=programme, by=lead_of(programme))

    assert OutboxEmail.objects.count() == 0
    assert Reminder.objects.count() == 0
    assert Letter.objects.count() == 0
    assert mail.outbox == []


def test_a_reason_revealing_health_is_not_shown_to_an_admin_and_loads_back(programme):
    load(_book(), programme=programme, by=lead_of(programme))
    admin = admin_of(programme)

    rows = dumped("applications", programme=programme, by=admin)

    owen = next(row for row in rows if row["first_name"] == "Owen")
    assert owen["withdrawal_reason"] == "Not shown"
    assert "statement" not in owen
    before = _counts()
    report = load(
        workbook({"cohorts": [COHORT_A, COHORT_B], "applications": rows}),
        programme=programme,
        by=admin,
    )
    assert set(actions(report)) == {UNCHANGED}
    assert _counts() == before


def test_only_leads_and_hr_may_import_a_reason_revealing_health(programme):
    lead_of(programme)

    report = load(_book([OWEN]), programme=programme, by=admin_of(programme), write=False)

    assert any(
        "column “Withdrawal reason”: This reason reveals health" in message
        for message in errors(report)
    ), errors(report)


def test_people_without_e_mail_are_recognised_by_name_and_date_of_birth(programme):
    lead = lead_of(programme)
    born = {"email": "", "date_of_birth": date(1988, 5, 14)}
    rows = [{**RHYS_A, **born}, {**RHYS_B, **born}]

    load(_book(rows), programme=programme, by=lead)
    report = load(_book(rows), programme=programme, by=lead)

    assert Person.objects.filter(programme=programme).count() == 1
    assert Application.objects.filter(person__date_of_birth=date(1988, 5, 14)).count() == 2
    assert actions(report) == [UNCHANGED] * 4


def test_the_same_application_twice_is_refused(programme):
    report = load(
        _book([NADIA, {**NADIA, "email": "NADIA.rahman@example.org"}]),
        programme=programme,
        by=lead_of(programme),
        write=False,
    )

    assert "row 3, column “E-mail”: This application is also on row 2" in errors(report)[0]


def test_a_deferral_into_a_closed_cohort_needs_the_later_applications_row(programme):
    lead = lead_of(programme)

    with pytest.raises(ImportRefused, match="Rhys Morgan \\(Autumn 2024\\)"):
        load(_book([RHYS_A]), programme=programme, by=lead)

    assert not Application.objects.filter(cohort__programme=programme).exists()


def test_a_different_reason_from_the_one_on_record_is_refused(programme):
    lead = lead_of(programme)
    load(_book([NADIA]), programme=programme, by=lead)
    reworded = {**NADIA, "unsuccessful_reason": "Does not meet the criteria for the course"}

    report = load(_book([reworded]), programme=programme, by=lead, write=False)

    assert (
        "column “Unsuccessful reason”: peerprog has a different reason on record "
        "(Needs more volunteering experience)"
    ) in errors(report)[0]


def test_offers_beyond_the_cohorts_places_are_refused(programme):
    small = {**COHORT_A, "capacity": 1}
    second = {**AMARA, **_person("Bethan", "Evans")}

    report = load(
        _book([AMARA, second], [small]), programme=programme, by=lead_of(programme), write=False
    )

    assert (
        "row 3, column “Offered on”: Every place in Spring 2024 (1) is already"
        in (errors(report)[0])
    )
