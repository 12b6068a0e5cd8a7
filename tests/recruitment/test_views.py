from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recruitment.models import Application, Cohort
from tests.conftest import World
from tests.core.factories import PersonFactory
from tests.core.once_helpers import FormClient
from tests.recruitment.factories import (
    ApplicationFactory,
    CohortFactory,
    DeferralReasonFactory,
    UnsuccessfulReasonFactory,
)

Stage = Application.Stage


def signed_in(user: Any) -> Client:
    client = FormClient()
    client.force_login(user)
    return client


def spread(cohort: Cohort, count: int) -> None:
    """``count`` applications across every stage, as a real cohort has."""
    reason = UnsuccessfulReasonFactory(programme=cohort.programme)
    stages = [Stage.RECEIVED, Stage.SHORTLISTED, Stage.INVITED, Stage.OFFERED, Stage.ACCEPTED]
    for n in range(count):
        stage = stages[n % len(stages)] if n % 7 else Stage.UNSUCCESSFUL
        ApplicationFactory(
            cohort=cohort,
            stage=stage,
            unsuccessful_reason=reason if stage == Stage.UNSUCCESSFUL else None,
        )


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


# Fixed query counts.


BOARD_QUERIES = 7
LIST_QUERIES = 7
# With nothing chosen, the cohorts are counted in the query that reads them.
LIST_QUERIES_NOTHING_CHOSEN = 6


@pytest.mark.parametrize("count", [10, 200])
def test_the_board_costs_the_same_queries_at_any_size(
    world: World, count: int, django_assert_num_queries: Any
) -> None:
    cohort = CohortFactory(programme=world.programme, capacity=500)
    spread(cohort, count)
    client = signed_in(world.users["lead"])
    url = reverse("recruitment:board", args=[cohort.pk])
    with django_assert_num_queries(BOARD_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b'class="board-card"') == min(count, 100 * 6)


@pytest.mark.parametrize("count", [10, 200])
def test_the_application_list_costs_the_same_queries_at_any_size(
    world: World, count: int, django_assert_num_queries: Any
) -> None:
    cohort = CohortFactory(programme=world.programme, capacity=500)
    spread(cohort, count)
    client = signed_in(world.users["lead"])
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("recruitment:application-list") + "?stage=&q=")
    assert response.status_code == 200
    with django_assert_num_queries(LIST_QUERIES_NOTHING_CHOSEN):
        response = client.get(reverse("recruitment:application-list"))
    assert response.status_code == 200


def test_the_list_with_nothing_chosen_pages_as_a_filter_choosing_nothing(world: World) -> None:
    older = CohortFactory(programme=world.programme, training_start=date(2030, 1, 5))
    newer = CohortFactory(programme=world.programme, training_start=date(2031, 1, 5))
    CohortFactory(programme=world.programme, training_start=date(2032, 1, 5))
    for cohort, count in ((older, 30), (newer, 45)):
        for _ in range(count):
            ApplicationFactory(cohort=cohort)
    client = signed_in(world.users["lead"])
    url = reverse("recruitment:application-list")

    def shown(query: str) -> tuple[list[str], list[str]]:
        page = client.get(url + query).content.decode()
        return re.findall(r"<caption>.*?</caption>", page), re.findall(
            r"<tbody>.*?</tbody>", page, re.S
        )

    assert shown("") == shown("?stage=")
    assert shown("?page=2") == shown("?stage=&page=2")
    listed = Application.objects.filter(cohort__programme=world.programme).count()
    assert listed > 50
    assert f"{listed} applications" in shown("")[0][0]


def test_the_board_shows_at_most_a_hundred_cards_a_column_and_counts_them_all(
    world: World,
) -> None:
    cohort = CohortFactory(programme=world.programme)
    for _ in range(103):
        ApplicationFactory(cohort=cohort)
    response = signed_in(world.users["lead"]).get(reverse("recruitment:board", args=[cohort.pk]))
    assert response.content.count(b'class="board-card"') == 100
    assert b'data-count="received">103<' in response.content
    assert b"And 3 more" in response.content


# Cohorts.


def test_lead_plans_a_cohort_and_training_ends_twelve_weeks_later(world: World) -> None:
    response = signed_in(world.users["lead"]).post(
        reverse("recruitment:cohort-create"),
        {
            "name": "Cohort 3, spring",
            "applications_open": "2027-01-04",
            "applications_close": "2027-02-26",
            "training_start": "2027-04-05",
            "training_end": "",
            "capacity": "14",
            "status": "recruiting",
        },
    )
    cohort = Cohort.objects.get(name="Cohort 3, spring")
    assert response.status_code == 302
    assert cohort.training_end == date(2027, 6, 28)


def test_applications_closing_after_training_starts_is_refused(world: World) -> None:
    response = signed_in(world.users["lead"]).post(
        reverse("recruitment:cohort-create"),
        {
            "name": "Back to front",
            "applications_open": "2027-01-04",
            "applications_close": "2027-05-26",
            "training_start": "2027-04-05",
            "capacity": "14",
            "status": "planning",
        },
    )
    assert response.status_code == 200
    assert "Applications must close before training starts." in response.content.decode()
    assert not Cohort.objects.filter(name="Back to front").exists()


def test_cohort_page_shows_the_figures(world: World) -> None:
    cohort = CohortFactory(programme=world.programme, capacity=5)
    ApplicationFactory(cohort=cohort, stage=Stage.ACCEPTED)
    ApplicationFactory(cohort=cohort, stage=Stage.OFFERED)
    ApplicationFactory(cohort=cohort)
    page = signed_in(world.users["hr"]).get(reverse("recruitment:cohort-detail", args=[cohort.pk]))
    html = page.content.decode()
    assert 'data-figure="applications">3<' in html
    assert 'data-figure="accepted">1<' in html
    assert 'data-figure="places-left">3<' in html


def test_closing_a_cohort_with_open_applications_shows_why(world: World) -> None:
    cohort = world.objects["cohort"]
    response = signed_in(world.users["lead"]).post(
        reverse("recruitment:cohort-close", args=[cohort.pk])
    )
    assert response.status_code == 200
    assert "still open" in response.content.decode()


# Moving cards.


def test_moving_a_card_with_htmx_returns_the_whole_board(world: World) -> None:
    application = world.objects["application"]
    url = reverse("recruitment:application-move", args=[application.pk])
    response = signed_in(world.users["lead"]).post(
        url, {"to_stage": Stage.SHORTLISTED, "from": "board"}, HTTP_HX_REQUEST="true"
    )
    application.refresh_from_db()
    assert application.stage == Stage.SHORTLISTED
    html = response.content.decode()
    assert 'id="board"' in html
    assert 'data-count="shortlisted">1<' in html
    assert "<html" not in html


def test_moving_a_card_with_a_plain_form_goes_back_to_the_board(world: World) -> None:
    application = world.objects["application"]
    board = reverse("recruitment:board", args=[application.cohort_id])
    response = signed_in(world.users["lead"]).post(
        reverse("recruitment:application-move", args=[application.pk]),
        {"to_stage": Stage.SHORTLISTED, "from": "board", "next": board},
    )
    assert response.status_code == 302
    assert response["Location"] == board
    application.refresh_from_db()
    assert application.stage == Stage.SHORTLISTED


def test_a_refused_move_on_the_board_says_why(world: World) -> None:
    cohort = world.objects["cohort"]
    Cohort.objects.filter(pk=cohort.pk).update(capacity=1)
    ApplicationFactory(cohort=cohort, stage=Stage.OFFERED)
    application = ApplicationFactory(cohort=cohort, stage=Stage.INVITED)
    response = signed_in(world.users["lead"]).post(
        reverse("recruitment:application-move", args=[application.pk]),
        {"to_stage": Stage.OFFERED, "from": "board"},
        HTTP_HX_REQUEST="true",
    )
    assert "has 1 places and 1 are already offered" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.INVITED


def test_the_move_page_takes_a_reason_for_unsuccessful(world: World) -> None:
    application = world.objects["application"]
    reason = world.objects["unsuccessful_reason"]
    response = signed_in(world.users["lead"]).post(
        reverse("recruitment:application-move", args=[application.pk]),
        {"to_stage": Stage.UNSUCCESSFUL, "unsuccessful_reason": reason.pk},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.unsuccessful_reason == reason


def test_the_move_page_asks_for_the_reason_when_missing(world: World) -> None:
    application = world.objects["application"]
    response = signed_in(world.users["lead"]).post(
        reverse("recruitment:application-move", args=[application.pk]),
        {"to_stage": Stage.UNSUCCESSFUL},
    )
    assert response.status_code == 200
    assert "Choose why the application was unsuccessful." in response.content.decode()


def test_the_move_page_defers_to_a_later_cohort(world: World) -> None:
    application = world.objects["application"]
    start = application.cohort.training_start + timedelta(weeks=26)
    later = CohortFactory(
        programme=world.programme, training_start=start, training_end=start + timedelta(weeks=12)
    )
    reason = DeferralReasonFactory(programme=world.programme)
    signed_in(world.users["lead"]).post(
        reverse("recruitment:application-move", args=[application.pk]),
        {
            "to_stage": Stage.DEFERRED,
            "to_cohort": later.pk,
            "deferral_reason": reason.pk,
            "note": "More volunteering first",
        },
    )
    application.refresh_from_db()
    assert application.stage == Stage.DEFERRED
    assert application.deferred_to.cohort == later
    assert application.deferral_reason == reason


def test_an_unsafe_next_address_is_ignored(world: World) -> None:
    application = world.objects["application"]
    response = signed_in(world.users["lead"]).post(
        reverse("recruitment:application-move", args=[application.pk]),
        {"to_stage": Stage.SHORTLISTED, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("recruitment:application-detail", args=[application.pk])


# Applications.


def test_lead_adds_an_application_with_a_new_person(world: World) -> None:
    cohort = world.objects["cohort"]
    response = signed_in(world.users["lead"]).post(
        reverse("recruitment:application-create", args=[cohort.pk]),
        {
            "person-first_name": "Nia",
            "person-last_name": "Campbell",
            "person-email": "nia.campbell@example.org",
            "application-received_on": "2026-02-01",
            "application-source": Application.Source.FLYER,
            "application-pathway": Application.Pathway.NEW_RECRUIT,
            "application-statement": "",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get(person__email="nia.campbell@example.org")
    assert application.cohort == cohort
    assert application.stage == Stage.RECEIVED


def test_adding_an_application_for_someone_on_record_uses_their_record(world: World) -> None:
    cohort = world.objects["cohort"]
    person = PersonFactory(programme=world.programme, email="kofi.mensah@example.org")
    signed_in(world.users["lead"]).post(
        reverse("recruitment:application-create", args=[cohort.pk]),
        {
            "person-first_name": "Kofi",
            "person-last_name": "Mensah",
            "person-email": "KOFI.MENSAH@example.org",
            "application-received_on": "2026-02-01",
            "application-source": Application.Source.EMAIL,
            "application-pathway": Application.Pathway.NEW_RECRUIT,
        },
    )
    assert Application.objects.get(cohort=cohort, person=person)


def test_statement_is_shown_to_leads_and_hr_but_not_admins(world: World) -> None:
    application = world.objects["application"]
    url = reverse("recruitment:application-detail", args=[application.pk])
    statement = application.statement
    assert statement in signed_in(world.users["lead"]).get(url).content.decode()
    assert statement in signed_in(world.users["hr"]).get(url).content.decode()
    assert statement not in signed_in(world.users["admin"]).get(url).content.decode()


def test_hr_sees_no_moves(world: World) -> None:
    application = world.objects["application"]
    page = signed_in(world.users["hr"]).get(
        reverse("recruitment:application-detail", args=[application.pk])
    )
    assert "Move the application on" not in page.content.decode()


def test_list_filters_by_stage_and_searches_by_email(world: World) -> None:
    cohort = world.objects["cohort"]
    ApplicationFactory(
        cohort=cohort,
        stage=Stage.SHORTLISTED,
        person=PersonFactory(programme=world.programme, email="findme@example.org"),
    )
    client = signed_in(world.users["lead"])
    url = reverse("recruitment:application-list")
    found = client.get(url, {"stage": Stage.SHORTLISTED, "q": "FINDME"})
    assert found.context["page"].paginator.count == 1
    none = client.get(url, {"stage": Stage.ACCEPTED, "q": "findme"})
    assert none.context["page"].paginator.count == 0


def test_bulk_shortlist_from_the_list(world: World) -> None:
    cohort = world.objects["cohort"]
    others = [ApplicationFactory(cohort=cohort) for _ in range(2)]
    response = signed_in(world.users["lead"]).post(
        reverse("recruitment:application-bulk"),
        {"action": "shortlist", "selected": [a.pk for a in others]},
    )
    assert response.status_code == 302
    assert {a.stage for a in Application.objects.filter(pk__in=[a.pk for a in others])} == {
        Stage.SHORTLISTED
    }


def test_bulk_unsuccessful_without_a_reason_changes_nothing(world: World) -> None:
    application = world.objects["application"]
    client = signed_in(world.users["lead"])
    response = client.post(
        reverse("recruitment:application-bulk"),
        {"action": "unsuccessful", "selected": [application.pk]},
        follow=True,
    )
    assert "Choose the reason" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.RECEIVED


def test_bulk_action_cannot_reach_another_programmes_applications(world: World) -> None:
    foreign = world.objects["other_application"]
    signed_in(world.users["lead"]).post(
        reverse("recruitment:application-bulk"),
        {"action": "shortlist", "selected": [foreign.pk]},
    )
    foreign.refresh_from_db()
    assert foreign.stage == Stage.RECEIVED


# Export.


def test_export_neutralises_formulas_and_leaves_out_statements(world: World) -> None:
    ApplicationFactory(
        cohort=world.objects["cohort"],
        person=PersonFactory(programme=world.programme, first_name="=HYPERLINK(1)"),
        statement="SECRET STATEMENT",
    )
    response = signed_in(world.users["admin"]).get(reverse("recruitment:application-export"))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][0] == "First name"
    assert [row[0] for row in rows if "HYPERLINK" in row[0]] == ["'=HYPERLINK(1)"]
    assert "SECRET STATEMENT" not in content


def test_export_as_excel(world: World) -> None:
    from openpyxl import load_workbook

    response = signed_in(world.users["lead"]).get(
        reverse("recruitment:application-export"), {"format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(row=1, column=1).value == "First name"
    assert sheet.max_row == 2


def test_a_reason_that_reveals_health_is_hidden_from_admins(world: World) -> None:
    from recruitment.models import WithdrawalReason

    cohort = world.objects["cohort"]
    health = WithdrawalReason.objects.create(
        programme=world.programme,
        label="Relapse in mental health",
        category=WithdrawalReason.Category.HEALTH,
        reveals_health=True,
    )
    ApplicationFactory(cohort=cohort, stage=Stage.WITHDRAWN, withdrawal_reason=health)
    url = reverse("recruitment:cohort-detail", args=[cohort.pk])
    assert "Relapse" in signed_in(world.users["lead"]).get(url).content.decode()
    admin_page = signed_in(world.users["admin"]).get(url).content.decode()
    assert "Relapse" not in admin_page
    assert "Reason not shown" in admin_page


def test_lead_records_an_information_event_and_who_came(world: World) -> None:
    cohort = world.objects["cohort"]
    application = world.objects["application"]
    response = signed_in(world.users["lead"]).post(
        reverse("recruitment:event-create", args=[cohort.pk]),
        {
            "kind": "information_event",
            "held_on": "2026-03-10",
            "starts_at": "14:00",
            "place": "Recovery College",
            "notes": "",
            "attendees": [application.pk],
        },
    )
    assert response.status_code == 302
    event = cohort.events.get(place="Recovery College")
    assert list(event.attendees.all()) == [application]


def test_a_closed_cohorts_board_offers_no_moves(world: World) -> None:
    cohort = world.objects["cohort"]
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.CLOSED)
    page = signed_in(world.users["lead"]).get(reverse("recruitment:board", args=[cohort.pk]))
    assert "Shortlist<" not in page.content.decode()


def test_hr_sees_the_board_without_move_buttons(world: World) -> None:
    cohort = world.objects["cohort"]
    page = signed_in(world.users["hr"]).get(reverse("recruitment:board", args=[cohort.pk]))
    assert page.status_code == 200
    assert "Shortlist<" not in page.content.decode()


def test_a_card_moved_elsewhere_meanwhile_refreshes_the_board_with_a_message(
    world: World,
) -> None:
    application = ApplicationFactory(cohort=world.objects["cohort"], stage=Stage.ACCEPTED)
    response = signed_in(world.users["lead"]).post(
        reverse("recruitment:application-move", args=[application.pk]),
        {"to_stage": Stage.SHORTLISTED, "from": "board"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "no longer possible" in html
    assert 'id="board"' in html
    assert "<html" not in html


def test_the_move_page_offers_beyond_capacity_when_the_lead_overrides(world: World) -> None:
    cohort = world.objects["cohort"]
    Cohort.objects.filter(pk=cohort.pk).update(capacity=1)
    ApplicationFactory(cohort=cohort, stage=Stage.ACCEPTED)
    application = ApplicationFactory(cohort=cohort, stage=Stage.INVITED)
    client = signed_in(world.users["lead"])
    url = reverse("recruitment:application-move", args=[application.pk])
    refused = client.post(url, {"to_stage": Stage.OFFERED})
    assert "choose to override" in refused.content.decode()
    client.post(
        url,
        {"to_stage": Stage.OFFERED, "override_capacity": "on", "note": "Funding for one more"},
    )
    application.refresh_from_db()
    assert application.stage == Stage.OFFERED


def test_offer_figures_say_whether_they_count_offers_now_or_ever(world: World) -> None:
    cohort = CohortFactory(programme=world.programme, name="Offers cohort", capacity=5)
    ApplicationFactory(cohort=cohort, stage=Stage.ACCEPTED)
    ApplicationFactory(cohort=cohort, stage=Stage.OFFERED)
    client = signed_in(world.users["hr"])

    listing = client.get(reverse("recruitment:cohort-list")).content.decode()
    assert '<th scope="col">Offers awaiting a reply</th>' in listing
    assert '<th scope="col">Offered</th>' not in listing
    detail = client.get(reverse("recruitment:cohort-detail", args=[cohort.pk])).content.decode()
    assert "ever offered a place" in detail
    assert "<td>Offered a place, awaiting a reply</td>" in detail
