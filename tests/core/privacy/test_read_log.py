"""Who read what: every page that shows special-category facts logs the
read, a page of many people's facts in one batch, an export in one row;
the officer searches and exports the log; a person sees reads of their own
records."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peerprog.core.models import ReadLog
from peerprog.core.privacy.read_log import ReadKind, ReadPurpose
from tests.core.factories import AdjustmentFactory, PersonFactory, SensitiveFactsFactory
from tests.deployment.factories import InterviewFactory, RecruitmentDayFactory
from tests.recruitment.factories import ApplicationFactory, CohortFactory

pytestmark = pytest.mark.django_db


def _inserts(queries: Any) -> int:
    return sum(1 for q in queries.captured_queries if 'INSERT INTO "core_readlog"' in q["sql"])


def test_a_recruitment_day_logs_every_candidates_adjustments_in_one_batch(
    client: Any, hr: Any, programme: Any, django_assert_num_queries: Any
) -> None:
    day = RecruitmentDayFactory(programme=programme)
    url = reverse("deployment:day-detail", args=[day.pk])
    client.force_login(hr)

    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            interview = InterviewFactory(day=day, starts_at=f"{9 + i // 60:02d}:{i % 60:02d}")
            AdjustmentFactory(person=interview.candidate.person)

    add(2, 0)
    client.get(url)  # the first read of a kind of record looks its content type up once
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    assert _inserts(small) == 1
    assert ReadLog.objects.filter(kind=ReadKind.ADJUSTMENTS, reader=hr).count() == 2 * 2
    add(25, 2)
    with django_assert_num_queries(len(small.captured_queries)) as large:
        client.get(url)

    assert _inserts(large) == 1
    assert ReadLog.objects.filter(kind=ReadKind.ADJUSTMENTS, reader=hr).count() == 2 * 2 + 27
    read = ReadLog.objects.filter(reader=hr).first()
    assert read.page == "deployment:day-detail"
    assert read.person_id is not None


def test_a_persons_page_logs_their_facts_and_adjustments_in_one_insert(
    client: Any, lead: Any, programme: Any
) -> None:
    person = PersonFactory(programme=programme)
    facts = SensitiveFactsFactory(person=person)
    adjustments = [AdjustmentFactory(person=person) for _ in range(3)]
    client.force_login(lead)

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("core:person-detail", args=[person.pk]))

    assert _inserts(queries) == 1
    logged = set(ReadLog.objects.filter(person=person).values_list("kind", "object_id"))
    assert logged == {(ReadKind.SENSITIVE_FACTS, facts.pk)} | {
        (ReadKind.ADJUSTMENTS, a.pk) for a in adjustments
    }


def test_a_statement_read_by_a_lead_is_logged_and_not_for_an_admin_who_cannot_see_it(
    client: Any, lead: Any, admin_user: Any, programme: Any
) -> None:
    application = ApplicationFactory(cohort=CohortFactory(programme=programme))
    url = reverse("recruitment:application-detail", args=[application.pk])

    client.force_login(lead)
    client.get(url)
    client.force_login(admin_user)
    client.get(url)

    reads = ReadLog.objects.filter(kind=ReadKind.APPLICATION_STATEMENT)
    assert [(r.reader, r.person_id, r.object_id) for r in reads] == [
        (lead, application.person_id, application.pk)
    ]


def test_an_export_with_statements_is_one_read_naming_the_export_and_its_filters(
    client: Any, lead: Any, programme: Any
) -> None:
    cohort = CohortFactory(programme=programme, name="Spring intake")
    for _ in range(4):
        ApplicationFactory(cohort=cohort)
    client.force_login(lead)

    response = client.get(reverse("recruitment:application-export"), {"cohort": cohort.pk})
    b"".join(response.streaming_content)

    reads = list(ReadLog.objects.all())
    assert len(reads) == 1
    assert reads[0].purpose == ReadPurpose.EXPORTED
    assert reads[0].person_id is None
    assert "Spring intake" in reads[0].detail


# The officer's search


@pytest.fixture
def reads(world: Any, programme: Any) -> dict[str, Any]:
    ada = PersonFactory(programme=programme, first_name="Ada", last_name="Lovelace")
    bo = PersonFactory(programme=programme, first_name="Bo", last_name="Diddley")
    other = PersonFactory(programme=world.other_programme, first_name="Ada", last_name="Far")
    lead, hr = world.users["lead"], world.users["hr"]
    now = timezone.now()

    def read(reader: Any, person: Any, days_ago: int, programme_id: int) -> ReadLog:
        return ReadLog.objects.create(
            programme_id=programme_id,
            reader=reader,
            person=person,
            read_at=now - timedelta(days=days_ago),
            kind=ReadKind.ADJUSTMENTS,
            page="core:person-detail",
        )

    return {
        "ada_by_lead": read(lead, ada, 1, programme.pk),
        "ada_by_hr_old": read(hr, ada, 40, programme.pk),
        "bo_by_hr": read(hr, bo, 2, programme.pk),
        "elsewhere": read(world.users["other_programme_lead"], other, 1, world.other_programme.pk),
    }


def _found(client: Any, **params: Any) -> set[int]:
    response = client.get(reverse("core:read-log"), params)
    assert response.status_code == 200
    return {read.pk for read in response.context["page"].object_list}


def test_the_officer_searches_by_person_reader_and_dates(
    client: Any, world: Any, reads: dict[str, Any]
) -> None:
    client.force_login(world.users["dpo"])
    ids = {name: read.pk for name, read in reads.items()}

    assert _found(client) == {ids["ada_by_lead"], ids["ada_by_hr_old"], ids["bo_by_hr"]}
    assert _found(client, person="ada love") == {ids["ada_by_lead"], ids["ada_by_hr_old"]}
    assert _found(client, reader=world.users["hr"].pk) == {ids["ada_by_hr_old"], ids["bo_by_hr"]}
    since = (timezone.localdate() - timedelta(days=10)).isoformat()
    assert _found(client, since=since, person="Ada") == {ids["ada_by_lead"]}
    until = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert _found(client, until=until) == {ids["ada_by_hr_old"]}


def test_the_read_log_export_lists_the_searched_reads(
    client: Any, world: Any, reads: dict[str, Any]
) -> None:
    client.force_login(world.users["dpo"])

    response = client.get(reverse("core:read-log-export"), {"person": "Bo"})
    body = b"".join(response.streaming_content).decode()

    assert "Bo Diddley" in body
    assert "Ada" not in body
    assert world.users["hr"].full_name in body


def test_the_read_log_page_costs_the_same_queries_whatever_the_rows(
    client: Any, world: Any, programme: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(world.users["dpo"])
    url = reverse("core:read-log")

    def add(count: int) -> None:
        ReadLog.objects.bulk_create(
            ReadLog(
                programme=programme,
                reader=world.users["lead"],
                # Every row matches the search below, at either size.
                person=PersonFactory(programme=programme, last_name="Adams"),
                kind=ReadKind.WELLBEING_PLAN,
                page="supervision:wellbeing-plan",
            )
            for _ in range(count)
        )

    add(2)
    client.get(url)  # the session's first request
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"person": "a"})
    add(30)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url, {"person": "a"})


# A person's own view


def test_a_person_sees_who_read_their_records_but_not_their_own_reads(
    client: Any, world: Any, programme: Any
) -> None:
    from tests.selfservice.world import people_world

    person = people_world(world)["trainee_person"]
    trainee = world.users["trainee"]
    lead = world.users["lead"]
    ReadLog.objects.create(
        programme=programme,
        reader=lead,
        person=person,
        kind=ReadKind.PORTFOLIO_FEEDBACK,
        page="training:trainee",
    )
    ReadLog.objects.create(
        programme=programme,
        reader=trainee,
        person=person,
        kind=ReadKind.MENTOR_NOTES,
        page="selfservice:mentoring",
    )
    client.force_login(trainee)

    page = client.get(reverse("selfservice:my-reads")).content.decode()

    assert lead.full_name in page
    assert "Programme lead" in page
    assert "Portfolio feedback" in page
    assert "Mentor meeting notes" not in page
