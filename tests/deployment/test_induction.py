"""The induction checklist: built from the programme's template (with a
service's own items), ticked off by HR with its history, shown as progress
on the appointment page and HR's home, and overdue items reminding their
owner once, never for an item already past its day when it was entered."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deployment import services
from deployment.models import InductionItem, InductionOwner, Post
from deployment.services import DeploymentError
from deployment.services.induction import (
    DEFAULT_ITEMS,
    induction_checklist_update,
    induction_template_ensure_defaults,
)
from peerprog.core.models import Reminder
from peerprog.core.reminders.services import reminders_run_group
from tests.core.factories import PersonFactory, ServiceFactory, UserFactory
from tests.deployment.factories import PeerPostFactory
from tests.deployment.factories_in_post import InductionTemplateItemFactory
from tests.supervision.factories import supervise, supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(programme):
    return ServiceFactory(programme=programme, name="Willow Ward, acute")


def offer(service, hr, **person):
    post = PeerPostFactory(service=service, status=Post.Status.VACANT)
    return services.appointment_create(
        person=PersonFactory(programme=service.programme, **person), post=post, by=hr
    )


def started(service, hr, start: date, **person):
    """An appointment in post since ``start``, its checklist built a week
    before the start (so items falling due later remind)."""
    appointment = offer(service, hr, **person)
    appointment.induction_items.update(created_on=start - timedelta(days=7))
    for check in appointment.checks.all():
        services.check_update(
            check=check,
            status="cleared",
            requested_on=start - timedelta(days=30),
            completed_on=start - timedelta(days=10),
            by=hr,
        )
    services.appointment_confirm_start(appointment=appointment, start_date=start, by=hr)
    return appointment


def test_an_offer_gets_the_programmes_checklist_with_its_services_own_items(service, hr, programme):
    induction_template_ensure_defaults(programme=programme, by=hr)
    InductionTemplateItemFactory(programme=programme, service=service, title="Ward safety walk")
    InductionTemplateItemFactory(
        programme=programme, service=ServiceFactory(programme=programme), title="Other ward tour"
    )
    InductionTemplateItemFactory(programme=programme, title="Old item", is_archived=True)

    appointment = offer(service, hr)

    titles = set(appointment.induction_items.values_list("title", flat=True))
    assert titles == {title for _, title, _, _ in DEFAULT_ITEMS} | {"Ward safety walk"}


def test_hr_ticks_items_done_and_the_history_keeps_who_did(service, hr):
    appointment = started(service, hr, timezone.localdate() - timedelta(days=10))
    team = appointment.induction_items.get(title="Team induction")
    day = timezone.localdate() - timedelta(days=3)

    changed = induction_checklist_update(appointment=appointment, done={team.pk: day}, by=hr)

    team.refresh_from_db()
    assert changed == 1
    assert team.done_on == day
    assert team.done_recorded_by == hr
    assert team.history.first().done_on == day


def test_an_item_cannot_be_done_on_a_day_to_come(service, hr):
    appointment = started(service, hr, timezone.localdate() - timedelta(days=10))
    team = appointment.induction_items.get(title="Team induction")

    with pytest.raises(DeploymentError, match="day still to come"):
        induction_checklist_update(
            appointment=appointment,
            done={team.pk: timezone.localdate() + timedelta(days=1)},
            by=hr,
        )


def test_an_item_of_another_checklist_is_refused(service, hr):
    one = started(service, hr, timezone.localdate() - timedelta(days=10))
    other = offer(service, hr)
    foreign = other.induction_items.first()

    with pytest.raises(DeploymentError, match="not on this checklist"):
        induction_checklist_update(appointment=one, done={foreign.pk: None}, by=hr)


def test_the_checklist_page_ticks_items_and_the_appointment_shows_progress(service, hr, client):
    appointment = started(service, hr, timezone.localdate() - timedelta(days=3))
    items = list(appointment.induction_items.all())
    client.force_login(hr)
    data = {f"done_{item.pk}": "on" for item in items[:2]}

    response = client.post(reverse("deployment:appointment-induction", args=[appointment.pk]), data)

    assert response.status_code == 302
    page = client.get(reverse("deployment:appointment-detail", args=[appointment.pk]))
    assert f"2 of {len(items)} items done" in page.content.decode()
    assert items[0].title in page.content.decode()


def test_overdue_items_remind_their_owners_once(service, hr, programme):
    manager = UserFactory(programme=programme, full_name="Lina Manager")
    today = timezone.localdate()
    appointment = started(
        service, hr, today - timedelta(days=20), first_name="Ada", email_allowed=True
    )
    services.appointment_update(appointment=appointment, by=hr, line_manager=manager)
    appointment.induction_items.filter(title="Lone-working procedure").update(
        owner=InductionOwner.PEER_WORKER
    )

    reminders_run_group(group="deployment", today=today)
    reminders_run_group(group="deployment", today=today)

    team = Reminder.objects.filter(kind="deployment.induction_overdue")
    # Team induction (day 7) and trust induction and EPR access (day 14) are overdue.
    assert set(team.values_list("object_id", "recipient_user_id")) == {
        (appointment.induction_items.get(title="Team induction").pk, manager.pk),
        (appointment.induction_items.get(title="Trust induction").pk, hr.pk),
        (
            appointment.induction_items.get(title="Access to electronic patient records").pk,
            hr.pk,
        ),
    }
    own = Reminder.objects.get(kind="deployment.my_induction_overdue")
    assert own.recipient_person_id == appointment.person_id
    assert "Ada" not in own.email_line


def test_supervisor_items_remind_the_supervisor(service, hr, programme):
    today = timezone.localdate()
    appointment = started(service, hr, today - timedelta(days=20))
    who = supervisor(programme, "Sam Supervisor")
    supervise(appointment.person, who, on=today - timedelta(days=20))

    reminders_run_group(group="supervision", today=today)

    reminder = Reminder.objects.get(kind="supervision.induction_overdue")
    assert reminder.recipient_user == who
    assert reminder.object_id == appointment.induction_items.get(title="Meeting the supervisor").pk


def test_an_item_already_overdue_when_entered_reminds_nobody(service, hr):
    today = timezone.localdate()
    appointment = started(service, hr, today - timedelta(days=60))
    appointment.induction_items.update(created_on=today)

    reminders_run_group(group="deployment", today=today)
    reminders_run_group(group="supervision", today=today)

    assert not Reminder.objects.filter(object_type="deployment.inductionitem").exists()


def test_hrs_home_counts_inductions_in_progress_and_overdue(service, hr, client):
    today = timezone.localdate()
    started(service, hr, today - timedelta(days=20))
    offer(service, hr)
    client.force_login(hr)

    page = client.get(reverse("deployment:inductions") + "?show=overdue").content.decode()
    home = client.get("/").content.decode()

    assert "Inductions in progress" in home
    assert "1 induction in progress" in page


def test_the_inductions_page_costs_the_same_queries_for_more_people(
    service, hr, client, django_assert_num_queries
):
    today = timezone.localdate()
    started(service, hr, today - timedelta(days=20))
    client.force_login(hr)
    url = reverse("deployment:inductions")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        started(service, hr, today - timedelta(days=5))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 4 + 1


def test_the_appointment_page_costs_the_same_queries_with_more_items(
    service, hr, client, programme
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    appointment = started(service, hr, timezone.localdate() - timedelta(days=20))
    client.force_login(hr)
    url = reverse("deployment:appointment-detail", args=[appointment.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(5):
        InductionItem.objects.create(
            appointment=appointment, title=f"Extra {n}", owner="hr", due_days=30
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)


def _export(client, query: str = "") -> list[list[str]]:
    import csv
    import io

    response = client.get(reverse("deployment:induction-export") + "?format=csv" + query)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_export_gives_each_checklists_progress_and_its_next_item(service, hr, client):
    today = timezone.localdate()
    grace = started(service, hr, today - timedelta(days=20), first_name="Grace", last_name="Ade")
    grace.refresh_from_db()
    team = grace.induction_items.get(title="Team induction")
    induction_checklist_update(appointment=grace, done={team.pk: today - timedelta(days=15)}, by=hr)
    offer(service, hr, first_name="Omar", last_name="Bell")
    client.force_login(hr)

    header, *rows = _export(client)

    assert header == [
        "First name",
        "Last name",
        "Service",
        "Status",
        "Start date",
        "Items",
        "Done",
        "Overdue",
        "Next item",
        "Next item due on",
    ]
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_name) == {"Ade", "Bell"}
    ade = by_name["Ade"]
    assert (ade["Items"], ade["Done"], ade["Overdue"]) == ("8", "1", "4")
    assert ade["Service"] == "Willow Ward, acute"
    nxt = grace.induction_items.filter(done_on__isnull=True).order_by("due_days", "order", "pk")[0]
    assert ade["Next item"] == nxt.title
    assert ade["Next item due on"] == (grace.start_date + timedelta(days=nxt.due_days)).isoformat()
    # Offered, not started: nothing is overdue and no day is due yet.
    assert (by_name["Bell"]["Overdue"], by_name["Bell"]["Next item due on"]) == ("0", "")


def test_the_export_follows_the_lists_overdue_filter(service, hr, client):
    today = timezone.localdate()
    started(service, hr, today - timedelta(days=20), last_name="Late")
    started(service, hr, today, last_name="Fresh")
    client.force_login(hr)

    _, *rows = _export(client, "&show=overdue")

    assert [row[1] for row in rows] == ["Late"]


def test_a_complete_induction_is_not_exported(service, hr, client):
    appointment = started(service, hr, timezone.localdate() - timedelta(days=20))
    day = timezone.localdate() - timedelta(days=1)
    induction_checklist_update(
        appointment=appointment,
        done={item.pk: day for item in appointment.induction_items.all()},
        by=hr,
    )
    client.force_login(hr)

    _, *rows = _export(client)

    assert rows == []


def test_leads_export_inductions_and_admins_do_not(service, hr, lead, admin_user, client):
    started(service, hr, timezone.localdate() - timedelta(days=20))
    client.force_login(lead)
    assert len(_export(client)) == 2
    client.force_login(admin_user)

    response = client.get(reverse("deployment:induction-export") + "?format=csv")
    listed = client.get(reverse("deployment:inductions")).content.decode()

    assert response.status_code == 403
    assert reverse("deployment:induction-export") not in listed


def test_the_export_costs_the_same_queries_for_more_people(service, hr, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    started(service, hr, today - timedelta(days=20))
    client.force_login(hr)
    _export(client)
    with CaptureQueriesContext(connection) as one:
        _export(client)
    for _ in range(4):
        started(service, hr, today - timedelta(days=30))
    with CaptureQueriesContext(connection) as five:
        assert len(_export(client)) == 6

    assert len(five.captured_queries) == len(one.captured_queries)
