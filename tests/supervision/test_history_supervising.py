"""Supervisors and supervision sessions loaded from a history workbook into
a programme whose peer workers are in post: the supervision history and
the sessions come out on the days they happened, and nothing is sent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deployment import services as deployment_services
from peerprog.core.access import has_role
from peerprog.core.import_reading import ImportRefused
from peerprog.core.models import Person, Programme, Role, User
from peerprog.core.workbook import NEW, UNCHANGED
from supervision.models import SupervisionAssignment, SupervisionSession
from tests.core.factories import ServiceFactory, UserFactory
from tests.deployment.factories import PeerPostFactory, graduate
from tests.supervision.history_books import (
    actions,
    exported,
    load,
    plain,
    sent,
    stored,
    workbook,
)

pytestmark = pytest.mark.django_db

SUPERVISION = [
    "Person e-mail",
    "Supervisor e-mail",
    "Supervisor name",
    "Cover supervisor e-mail",
    "Cover supervisor name",
    "How often",
    "Started on",
    "Ended on",
    "Why it ended",
]
SESSIONS = ["Person e-mail", "Supervisor e-mail", "Held on", "Kind", "Length in minutes",
            "Keeping well and in recovery", "Developing the role", "After a challenging event",
            "Summary shared with the peer worker", "Notes"]  # fmt: skip

STARTED = timezone.localdate() - timedelta(days=200)


@pytest.fixture
def lead(programme: Programme) -> User:
    return UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD], full_name="Priya Lead")


def in_post(programme: Programme, lead: User, first_name: str, email: str) -> Person:
    """A peer worker in post since ``STARTED``, appointed and started
    through deployment's services."""
    hr = UserFactory(programme=programme, roles=[Role.HR])
    person = graduate(
        programme,
        passed_on=STARTED - timedelta(days=30),
        first_name=first_name,
        last_name="Peer",
        email=email,
    )
    post = PeerPostFactory(service=ServiceFactory(programme=programme))
    appointment = deployment_services.appointment_create(person=person, post=post, by=hr)
    deployment_services.appointment_confirm_start(
        appointment=appointment,
        start_date=STARTED,
        by=hr,
        override_reason="The checks were cleared on paper before peerprog.",
    )
    return person


@pytest.fixture
def workers(programme: Programme, lead: User) -> tuple[Person, Person]:
    return (
        in_post(programme, lead, "Ada", "ada@example.org"),
        in_post(programme, lead, "Ben", "ben@example.org"),
    )


def on(days: int) -> date:
    return STARTED + timedelta(days=days)


def history(*, sessions: list[list] | None = None) -> bytes:
    return workbook(
        {
            "Supervisor assignments": [
                SUPERVISION,
                ["ada@example.org", "jade.wilson@example.org", "Jade Wilson", "", "",
                 "Every four weeks", STARTED, on(60), "Supervision changed"],
                ["ada@example.org", "sam.rivers@example.org", "Sam Rivers",
                 "jade.wilson@example.org", "", "Every two weeks", on(60), None, ""],
                ["ben@example.org", "sam.rivers@example.org", "", "jade.wilson@example.org",
                 "", "", STARTED, None, ""],
            ],
            "Supervision sessions": sessions
            if sessions is not None
            else [
                SESSIONS,
                ["ada@example.org", "jade.wilson@example.org", on(30), "Individual", 60,
                 "Yes", "No", "No", "", "Talked through the first month."],
                ["ada@example.org", "sam.rivers@example.org", on(74), "", 50, "No", "Yes",
                 "Yes", "Agreed to try a quieter shift pattern.", ""],
                ["ada@example.org; BEN@example.org", "sam.rivers@example.org", on(90), "", 90,
                 "Yes", "Yes", "No", "", ""],
            ],
        }
    )  # fmt: skip


def test_loading_supervision_shows_its_history_and_sessions_to_the_lead(
    client, programme, lead, workers
):
    ada, _ = workers
    before = sent()

    report = load(history(), programme=programme, by=lead)

    assert report.ok, [str(e) for e in report.errors]
    assert actions(report) == [NEW] * 6
    client.force_login(lead)
    page = client.get(reverse("supervision:supervisee", args=[ada.pk])).content.decode()
    since = on(60)
    assert f"Sam Rivers, since {since.day} {since:%B %Y}" in page
    for day, kind in ((on(30), "Individual"), (on(74), "Individual"), (on(90), "Group")):
        assert f"{kind} session on {day.day} {day:%B %Y}" in page
    assert "50 minutes with Sam Rivers" in page
    assert "2 peer workers" in page
    # Nothing was sent or queued for the past dates.
    assert sent() == before


def test_loading_supervision_keeps_its_dates_and_adds_supervisors_without_sending(
    programme, lead, workers
):
    ada, ben = workers

    load(history(), programme=programme, by=lead)

    sam = User.objects.get(email="sam.rivers@example.org")
    jade = User.objects.get(email="jade.wilson@example.org")
    assert (sam.full_name, sam.programme) == ("Sam Rivers", programme)
    assert has_role(sam, Role.SUPERVISOR) and has_role(jade, Role.SUPERVISOR)
    assert not sam.has_usable_password()
    history_of_ada = list(
        SupervisionAssignment.objects.filter(person=ada)
        .order_by("started_on")
        .values_list("supervisor__email", "cover_supervisor__email", "frequency_days",
                     "started_on", "ended_on")
    )  # fmt: skip
    assert history_of_ada == [
        ("jade.wilson@example.org", None, 28, STARTED, on(60)),
        ("sam.rivers@example.org", "jade.wilson@example.org", 14, on(60), None),
    ]
    first = SupervisionSession.objects.get(held_on=on(30))
    assert (first.led_by, first.notes) == (jade, "Talked through the first month.")
    group = SupervisionSession.objects.get(held_on=on(90))
    assert set(group.attendees.all()) == {ada, ben}


def test_loading_the_same_supervision_again_changes_nothing(programme, lead, workers):
    content = history()
    load(content, programme=programme, by=lead)
    before = stored()

    report = load(content, programme=programme, by=lead)

    assert set(actions(report)) == {UNCHANGED}
    assert stored() == before


def test_a_group_session_given_one_row_per_person_is_one_session(programme, lead, workers):
    load(history(sessions=[SESSIONS]), programme=programme, by=lead)
    rows = [
        SESSIONS,
        ["ada@example.org; ben@example.org", "sam.rivers@example.org", on(120), "Group", 90,
         "Yes", "No", "No", "", ""],
        ["ben@example.org", "sam.rivers@example.org", on(120), "Group", 90, "Yes", "No", "No",
         "", ""],
    ]  # fmt: skip

    report = load(workbook({"Supervision sessions": rows}), programme=programme, by=lead)

    assert actions(report) == [NEW, UNCHANGED]
    assert SupervisionSession.objects.filter(held_on=on(120)).count() == 1


def test_the_preview_of_supervision_writes_nothing(programme, lead, workers):
    before = stored()

    report = load(history(), programme=programme, by=lead, write=False)

    assert report.ok
    assert stored() == before


def test_a_session_outside_the_supervision_is_refused_and_nothing_is_written(
    programme, lead, workers
):
    sessions = [
        SESSIONS,
        ["ada@example.org", "sam.rivers@example.org", on(10), "Individual", 60, "Yes", "No",
         "No", "", ""],
        ["ada@example.org", "sam.rivers@example.org", on(70), "Individual", 60, "No", "No",
         "No", "", ""],
        ["ada@example.org", "sam.rivers@example.org", on(80), "Group", 60, "Yes", "No", "No",
         "", ""],
    ]  # fmt: skip
    before = stored()

    with pytest.raises(ImportRefused):
        load(history(sessions=sessions), programme=programme, by=lead)
    report = load(history(sessions=sessions), programme=programme, by=lead, write=False)

    since = on(60)
    assert [str(error) for error in report.errors] == [
        "In the Supervision sessions sheet, row 2: Sam Rivers has supervised Ada Peer since "
        f"{since.day} {since:%B %Y}: a session with them cannot be before that.",
        "In the Supervision sessions sheet, row 3: Say which area of supervision the session "
        "covered.",
        "In the Supervision sessions sheet, row 4, column “Person e-mail”: A group session is "
        "with two or more peer workers: write the e-mail addresses of everyone who attended, "
        "separated by semicolons.",
    ]
    assert stored() == before


def test_someone_not_in_post_cannot_be_given_a_supervisor_by_import(programme, lead):
    graduate(programme, first_name="Cara", last_name="Peer", email="cara@example.org")
    rows = [
        SUPERVISION,
        ["cara@example.org", "sam.rivers@example.org", "Sam Rivers", "", "", "", STARTED, "",
         ""],
    ]  # fmt: skip

    report = load(
        workbook({"Supervisor assignments": rows}), programme=programme, by=lead, write=False
    )

    assert [str(error) for error in report.errors] == [
        "In the Supervisor assignments sheet, row 2: Cara Peer is not in a peer worker post: "
        "supervision is for employed peer workers."
    ]


def test_the_export_of_loaded_supervision_gives_the_rows_back_in_plain_form(
    programme, lead, workers
):
    load(history(), programme=programme, by=lead)

    _, rows = exported(
        programme=programme,
        by=lead,
        cohort_ids=None,
        titles=["Supervisor assignments", "Supervision sessions"],
    )

    jade, sam = "jade.wilson@example.org", "sam.rivers@example.org"
    assert plain(rows["Supervisor assignments"][1:]) == [
        (
            "ada@example.org",
            jade,
            "Jade Wilson",
            None,
            None,
            "Every four weeks",
            STARTED,
            on(60),
            "Supervision changed",
        ),
        (
            "ada@example.org",
            sam,
            "Sam Rivers",
            jade,
            "Jade Wilson",
            "Every two weeks",
            on(60),
            None,
            None,
        ),
        (
            "ben@example.org",
            sam,
            "Sam Rivers",
            jade,
            "Jade Wilson",
            "Every four weeks",
            STARTED,
            None,
            None,
        ),
    ]
    assert plain(rows["Supervision sessions"][1:]) == [
        ("ada@example.org", jade, on(30), "Individual", 60, "Yes", "No", "No", None,
         "Talked through the first month."),
        ("ada@example.org", sam, on(74), "Individual", 50, "No", "Yes", "Yes",
         "Agreed to try a quieter shift pattern.", None),
        ("ada@example.org; ben@example.org", sam, on(90), "Group", 90, "Yes", "Yes", "No",
         None, None),
    ]  # fmt: skip
