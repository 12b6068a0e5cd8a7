"""The supervisor's and the lead's pages: the wrong supervisor gets 404 on
every object URL, wellbeing plans log every read, admins read the log and
never the plan."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peerprog.core.models import ReadLog, Role
from peerprog.core.privacy.read_log import ReadKind, ReadPurpose
from supervision.models import SupervisionSession, WellbeingPlan
from tests.core.factories import UserFactory
from tests.supervision.factories import (
    employed,
    lead_of,
    record_session,
    supervise,
    supervisor,
    write_plan,
)

PLAN_WORDS = "A walk at lunchtime"


@pytest.fixture
def setting(programme):
    sam = supervisor(programme, "Sam Rivers")
    kim = supervisor(programme, "Kim Other")
    lena = employed(programme, first_name="Lena", last_name="Ward")
    omar = employed(programme, first_name="Omar", last_name="Price")
    supervise(lena, sam)
    supervise(omar, kim)
    session = record_session(sam, [lena], notes="Talked about a hard shift.")
    write_plan(lena, sam)
    return {"sam": sam, "kim": kim, "lena": lena, "omar": omar, "session": session}


def _object_urls(setting):
    lena, session = setting["lena"], setting["session"]
    return [
        reverse("supervision:supervisee", args=[lena.pk]),
        reverse("supervision:session-edit", args=[session.pk]),
        reverse("supervision:wellbeing-plan", args=[lena.pk]),
        reverse("supervision:wellbeing-plan-print", args=[lena.pk]),
        reverse("supervision:wellbeing-plan-edit", args=[lena.pk]),
    ]


def test_every_object_url_is_not_found_for_the_wrong_supervisor(client, setting):
    client.force_login(setting["kim"])
    reads = ReadLog.objects.count()

    for url in _object_urls(setting):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"minutes": "30"}).status_code == 404, url
    assert ReadLog.objects.count() == reads


def test_every_object_url_is_not_found_for_a_former_supervisor(client, setting, programme):
    supervise(setting["lena"], supervisor(programme, "Jo New"))
    client.force_login(setting["sam"])

    for url in _object_urls(setting)[0:1] + _object_urls(setting)[2:]:
        assert client.get(url).status_code == 404, url


def test_the_supervisors_page_shows_only_their_own_supervisees(client, setting):
    client.force_login(setting["sam"])

    page = client.get(reverse("supervision:my-supervisees")).content.decode()

    assert "Lena Ward" in page
    assert "Omar Price" not in page
    assert "Lived Experience Practitioner" in page


def test_a_cover_supervisor_sees_the_supervisee_but_not_the_plan(client, setting, programme):
    cover = supervisor(programme, "Kim Cover")
    supervise(setting["lena"], setting["sam"], cover=cover)
    client.force_login(cover)

    assert (
        client.get(reverse("supervision:supervisee", args=[setting["lena"].pk])).status_code == 200
    )
    plan = client.get(reverse("supervision:wellbeing-plan", args=[setting["lena"].pk]))
    assert plan.status_code == 404


def test_the_supervisor_records_a_group_session_from_the_form(client, setting, programme):
    sam = setting["sam"]
    nia = employed(programme, first_name="Nia", last_name="Hale")
    supervise(nia, sam)
    client.force_login(sam)

    response = client.post(
        reverse("supervision:session-create"),
        {
            "kind": "group",
            "attendees": [setting["lena"].pk, nia.pk],
            "held_on": timezone.localdate().isoformat(),
            "minutes": "90",
            "developing_role": "on",
            "form_token": str(uuid.uuid4()),
        },
        follow=True,
    )

    assert "The group session is recorded." in response.content.decode()
    session = SupervisionSession.objects.get(kind="group")
    assert session.attendees.count() == 2


def test_the_session_form_refuses_a_session_without_an_area(client, setting):
    client.force_login(setting["sam"])

    response = client.post(
        reverse("supervision:session-create"),
        {
            "kind": "individual",
            "attendees": [setting["lena"].pk],
            "held_on": timezone.localdate().isoformat(),
            "minutes": "60",
            "form_token": str(uuid.uuid4()),
        },
    )

    assert "Say which area of supervision the session covered." in response.content.decode()


def test_session_notes_are_not_shown_to_another_supervisor(client, setting, programme):
    cover = supervisor(programme, "Kim Cover")
    supervise(setting["lena"], setting["sam"], cover=cover)
    client.force_login(cover)

    page = client.get(reverse("supervision:supervisee", args=[setting["lena"].pk])).content.decode()

    assert "Individual session on" in page
    assert "Talked about a hard shift." not in page


# Wellbeing plans: every read logged


def _reads(person, purpose):
    return ReadLog.objects.filter(kind=ReadKind.WELLBEING_PLAN, person=person, purpose=purpose)


def test_reading_the_plan_is_logged(client, setting):
    client.force_login(setting["sam"])

    page = client.get(reverse("supervision:wellbeing-plan", args=[setting["lena"].pk]))

    assert PLAN_WORDS in page.content.decode()
    read = _reads(setting["lena"], ReadPurpose.VIEWED).get()
    assert read.reader == setting["sam"]


def test_the_printable_copy_is_logged_as_printed(client, setting):
    client.force_login(setting["sam"])

    page = client.get(reverse("supervision:wellbeing-plan-print", args=[setting["lena"].pk]))

    assert "My wellbeing plan" in page.content.decode()
    assert _reads(setting["lena"], ReadPurpose.PRINTED).count() == 1


def test_a_lead_reading_the_plan_is_logged_too(client, setting, programme):
    lead = lead_of(programme)
    client.force_login(lead)

    client.get(reverse("supervision:wellbeing-plan", args=[setting["lena"].pk]))
    client.get(reverse("supervision:wellbeing-plan", args=[setting["lena"].pk]))

    assert _reads(setting["lena"], ReadPurpose.VIEWED).filter(reader=lead).count() == 2


def test_changing_the_plan_is_logged(client, setting):
    client.force_login(setting["sam"])
    today = timezone.localdate()

    response = client.post(
        reverse("supervision:wellbeing-plan-edit", args=[setting["lena"].pk]),
        {
            "keeping_well": "Short breaks outside.",
            "agreed_on": (today - timedelta(days=30)).isoformat(),
            "review_due": (today + timedelta(days=90)).isoformat(),
            "last_reviewed_on": today.isoformat(),
        },
    )

    assert response.status_code == 302
    plan = WellbeingPlan.objects.get(person=setting["lena"])
    assert plan.keeping_well == "Short breaks outside."
    assert _reads(setting["lena"], ReadPurpose.EDITED).exists()


def test_admins_see_who_read_a_plan_but_never_what_it_says(client, setting, programme):
    client.force_login(setting["sam"])
    client.get(reverse("supervision:wellbeing-plan", args=[setting["lena"].pk]))
    admin = UserFactory(programme=programme, roles=[Role.ADMIN])
    client.force_login(admin)

    page = client.get(reverse("supervision:wellbeing-plan-reads")).content.decode()

    assert "Sam Rivers" in page
    assert "Lena Ward" in page
    assert "Viewed" in page
    assert PLAN_WORDS not in page


def test_admins_cannot_open_a_plan(client, setting, programme):
    client.force_login(UserFactory(programme=programme, roles=[Role.ADMIN]))

    response = client.get(reverse("supervision:wellbeing-plan", args=[setting["lena"].pk]))

    assert response.status_code == 403


# The lead


def test_the_lead_sees_who_is_overdue(client, setting, programme):
    today = timezone.localdate()
    late = employed(programme, first_name="Rae", last_name="Late")
    supervise(late, setting["sam"], on=today - timedelta(days=50), frequency_days=14)
    client.force_login(lead_of(programme))

    response = client.get(reverse("supervision:supervision") + "?show=overdue")

    names = [row.person.display_name for row in response.context["rows"]]
    assert names == ["Rae Late"]


def test_the_lead_records_a_development_session(client, setting, programme):
    client.force_login(lead_of(programme))

    response = client.post(
        reverse("supervision:development-create"),
        {
            "held_on": timezone.localdate().isoformat(),
            "topic": "Working in systems",
            "minutes": "120",
            "attendees": [setting["lena"].pk, setting["omar"].pk],
        },
    )

    assert response.status_code == 302
    assert [s.topic for s in setting["lena"].development_sessions.all()] == ["Working in systems"]
