"""Recording peer worker activity: the peer worker on their own pages, their
supervisor and a lead; the note's identifier check on the page; a week that
starts from last week's pattern; the service's refusals; fixed query
counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deployment.models import ActivityLine, ActivityTopic, ActivityWeek
from deployment.services import activity as services
from deployment.services.activity import LineValues
from deployment.services.common import DeploymentError
from peerprog.core.dates import monday_of
from tests.conftest import World
from tests.core.once_helpers import FormClient
from tests.selfservice.world import people_world
from tests.supervision.factories import employed, supervise, supervisor

pytestmark = pytest.mark.django_db

LAST_WEEK = monday_of(timezone.localdate()) - timedelta(days=7)


def client_for(user: Any) -> FormClient:
    client = FormClient()
    client.force_login(user)
    return client


def week_post(week: Any, note: str = "", topics: list[int] | None = None, **extra: Any) -> dict:
    data = {
        "week": week.isoformat(),
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "24",
        "lines-0-kind": "one_to_one",
        "lines-0-setting": "ward",
        "lines-0-contacts": "6",
        "lines-0-minutes": "180",
        "lines-1-kind": "group",
        "lines-1-setting": "recovery_college",
        "lines-1-contacts": "1",
        "lines-1-minutes": "90",
        "lines-2-kind": "",
        "lines-2-setting": "",
        "lines-2-contacts": "",
        "lines-2-minutes": "",
        "note": note,
        "topics": [str(pk) for pk in topics or []],
    }
    data.update(extra)
    return data


@pytest.fixture
def own(world: World) -> dict[str, Any]:
    people = people_world(world)
    appointment = people["peer_worker_appointment"]
    # The suggested topics, as a lead adds them from the topics page.
    services.activity_topics_ensure_defaults(programme=appointment.programme)
    return {
        "user": world.users["peer_worker"],
        "appointment": appointment,
        "url": reverse("selfservice:my-activity", args=[appointment.pk]),
    }


def test_a_peer_worker_records_their_own_week(own: dict[str, Any]) -> None:
    client = client_for(own["user"])
    page = client.get(own["url"])
    topic = ActivityTopic.objects.get(programme=own["appointment"].programme, name="Advocacy")

    response = client.post(own["url"], week_post(LAST_WEEK, "Two good groups.", [topic.pk]))

    assert response.status_code == 302
    week = ActivityWeek.objects.get(appointment=own["appointment"], week_starting=LAST_WEEK)
    assert week.recorded_by == own["user"]
    assert week.note == "Two good groups."
    assert list(week.topics.all()) == [topic]
    assert sorted(week.lines.values_list("kind", "contacts", "minutes")) == [
        ("group", 1, 90),
        ("one_to_one", 6, 180),
    ]
    assert "Never name or describe a patient" in page.content.decode()


def test_a_note_with_an_nhs_number_is_refused_and_nothing_is_saved(own: dict[str, Any]) -> None:
    client = client_for(own["user"])

    response = client.post(own["url"], week_post(LAST_WEEK, "Helped 943 476 5919 with forms"))

    assert response.status_code == 200
    assert "looks like an NHS number" in response.content.decode()
    assert not ActivityWeek.objects.exists()


def test_a_note_with_a_postcode_is_refused(own: dict[str, Any]) -> None:
    response = client_for(own["user"]).post(own["url"], week_post(LAST_WEEK, "Went to LS1 4AP"))

    assert "looks like a postcode" in response.content.decode()
    assert not ActivityWeek.objects.exists()


def test_a_note_with_a_full_date_asks_for_confirmation_then_saves(own: dict[str, Any]) -> None:
    client = client_for(own["user"])
    note = "Recovery college term starts 5 January 2027"

    asked = client.post(own["url"], week_post(LAST_WEEK, note))
    confirmed = client.post(own["url"], week_post(LAST_WEEK, note, date_confirmed="on"))

    assert asked.status_code == 200
    assert "The date in the note is not about a patient" in asked.content.decode()
    assert "5 January 2027" in asked.content.decode()
    assert confirmed.status_code == 302
    assert ActivityWeek.objects.get().note == note


def test_a_new_week_starts_from_the_last_week_recorded(own: dict[str, Any]) -> None:
    client = client_for(own["user"])
    two_weeks_ago = LAST_WEEK - timedelta(days=7)
    client.post(own["url"], week_post(two_weeks_ago, "A note that is not copied"))

    response = client.get(own["url"], {"week": LAST_WEEK.isoformat()})

    html = response.content.decode()
    assert f"Started from the week of {two_weeks_ago:%-d %B %Y}" in html
    lines = response.context["lines"]
    assert [form.initial.get("contacts") for form in lines.forms][:2] == [6, 1]
    assert "A note that is not copied" not in html
    assert not ActivityWeek.objects.filter(week_starting=LAST_WEEK).exists()


def test_a_peer_worker_cannot_open_someone_elses_activity(world: World, own: dict) -> None:
    other = people_world(world)["peer_worker_other_programme_appointment"]
    client = client_for(own["user"])

    response = client.get(reverse("selfservice:my-activity", args=[other.pk]))

    assert response.status_code == 404


def test_a_supervisor_records_a_week_for_their_supervisee(world: World, own: dict) -> None:
    person = own["appointment"].person
    boss = world.users["supervisor"]
    people_world(world)  # the supervisor persona supervises this peer worker
    url = reverse("supervision:activity-week", args=[person.pk])

    response = client_for(boss).post(url, week_post(LAST_WEEK))

    assert response.status_code == 302
    assert ActivityWeek.objects.get(appointment=own["appointment"]).recorded_by == boss


def test_a_supervisor_gets_404_for_a_peer_worker_they_do_not_supervise(world: World) -> None:
    worker = employed(world.programme, first_name="Nadia")
    supervise(worker, supervisor(world.programme, "Someone Else"), by=world.users["lead"])

    response = client_for(world.users["supervisor"]).get(
        reverse("supervision:activity-week", args=[worker.pk])
    )

    assert response.status_code == 404


def test_a_lead_records_a_week_for_a_peer_worker(world: World) -> None:
    appointment = world.objects["appointment"]
    url = reverse("deployment:activity-week", args=[appointment.pk])

    response = client_for(world.users["lead"]).post(url, week_post(LAST_WEEK))

    assert response.status_code == 302
    assert ActivityLine.objects.filter(week__appointment=appointment).count() == 2


def test_the_same_kind_and_setting_twice_is_refused_in_plain_words(own: dict) -> None:
    data = week_post(LAST_WEEK, **{"lines-1-kind": "one_to_one", "lines-1-setting": "ward"})

    response = client_for(own["user"]).post(own["url"], data)

    assert "One-to-one in the ward setting is on two lines" in response.content.decode()


def test_a_week_that_has_not_started_is_refused(world: World) -> None:
    appointment = world.objects["appointment"]
    next_week = monday_of(timezone.localdate()) + timedelta(days=7)
    with pytest.raises(DeploymentError, match="has not started yet"):
        services.activity_week_save(
            appointment=appointment,
            by=world.users["lead"],
            week_starting=next_week,
            lines=[LineValues("phone", "community", 2, 20)],
            topics=[],
            note="",
        )


def test_a_week_before_the_start_date_is_refused(world: World) -> None:
    appointment = world.objects["appointment"]
    with pytest.raises(DeploymentError, match="before the start date"):
        services.activity_week_save(
            appointment=appointment,
            by=world.users["lead"],
            week_starting=monday_of(appointment.start_date) - timedelta(days=7),
            lines=[],
            topics=[],
            note="",
        )


def test_saving_a_week_again_replaces_its_lines(world: World) -> None:
    appointment = world.objects["appointment"]
    lead = world.users["lead"]
    for lines in (
        [LineValues("phone", "community", 2, 20), LineValues("group", "ward", 1, 60)],
        [LineValues("group", "ward", 3, 120)],
    ):
        services.activity_week_save(
            appointment=appointment,
            by=lead,
            week_starting=LAST_WEEK,
            lines=lines,
            topics=[],
            note="",
        )

    assert list(ActivityLine.objects.values_list("kind", "contacts")) == [("group", 3)]


def test_a_lead_keeps_the_topic_list(world: World) -> None:
    lead = world.users["lead"]
    client = client_for(lead)
    page = client.get(reverse("deployment:activity-topics")).content.decode()
    assert "Add the suggested topics" in page
    assert not ActivityTopic.objects.filter(programme=world.programme).exists()
    client.post(reverse("deployment:activity-topics"), {"suggested": "1"})

    client.post(reverse("deployment:activity-topics"), {"name": "Peer support in A&E"})
    topic = ActivityTopic.objects.get(name="Daily living", programme=world.programme)
    client.post(
        reverse("deployment:activity-topic-edit", args=[topic.pk]),
        {"name": "Everyday living", "position": "1", "archived": "on"},
    )

    names = ActivityTopic.objects.filter(programme=world.programme, archived=False)
    assert "Peer support in A&E" in names.values_list("name", flat=True)
    topic.refresh_from_db()
    assert (topic.name, topic.archived) == ("Everyday living", True)


def _week_page_queries(client: FormClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"week": LAST_WEEK.isoformat()})
    assert response.status_code == 200
    return len(queries)


def test_the_week_page_costs_the_same_queries_however_many_weeks(own: dict) -> None:
    appointment = own["appointment"]
    client = client_for(own["user"])
    lead = own["appointment"].created_by
    topics = list(ActivityTopic.objects.filter(programme=appointment.programme))

    def record(weeks_back: int, lines: list[LineValues]) -> None:
        services.activity_week_save(
            appointment=appointment,
            by=lead,
            week_starting=LAST_WEEK - timedelta(days=7 * weeks_back),
            lines=lines,
            topics=topics[: 1 + weeks_back % 5],
            note="",
        )

    services.activity_topics_ensure_defaults(programme=appointment.programme)
    topics = list(ActivityTopic.objects.filter(programme=appointment.programme))
    record(1, [LineValues("phone", "community", 1, 10)])
    few = _week_page_queries(client, own["url"])

    kinds = ["one_to_one", "group", "phone", "accompanying", "team_meeting", "training"]
    for back in range(2, 10):
        record(back, [LineValues(kind, "ward", back, 30) for kind in kinds])
    record(1, [LineValues(kind, "community", 2, 25) for kind in kinds])
    many = _week_page_queries(client, own["url"])

    assert many == few
