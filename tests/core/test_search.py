"""Search for staff: each finds only what their role lets them open, never
another programme's records, and the address holds nothing but the query."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from peerprog.core.models import Programme, Role, User
from recruitment.models import Application
from supervision.models import MentorAssignment, SupervisionAssignment
from tests.core.factories import PersonFactory, UserFactory
from tests.deployment.factories import PeerPostFactory
from tests.supervision.factories import employed
from tests.training.factories import ApplicationFactory, CohortFactory, enrol

pytestmark = pytest.mark.django_db


def _search(user: User, query: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("core:search"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_a_lead_finds_people_and_applications_of_their_programme_only(
    programme: Programme, other_programme: Programme
) -> None:
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    cohort = CohortFactory(programme=programme, name="Spring intake")
    ApplicationFactory(
        cohort=cohort,
        stage=Application.Stage.RECEIVED,
        person=PersonFactory(programme=programme, first_name="Zelda", last_name="Quarrington"),
    )
    PersonFactory(programme=other_programme, first_name="Zak", last_name="Quarrington")
    page = _search(lead, "quarr")
    assert "Zelda Quarrington" in page
    assert "Spring intake: Received" in page
    assert "Zak" not in page
    assert reverse("recruitment:application-list") in page or "/recruitment/applications/" in page


def test_hr_finds_a_post_by_its_number(programme: Programme) -> None:
    hr = UserFactory(programme=programme, roles=[Role.HR])
    post = PeerPostFactory(service__programme=programme, position_number="LXP-0042")
    page = _search(hr, "lxp-0042")
    assert reverse("deployment:post-detail", kwargs={"pk": post.pk}) in page


def test_a_mentor_finds_their_own_mentee_and_not_another_mentors(programme: Programme) -> None:
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    mine = UserFactory(programme=programme, roles=[Role.MENTOR])
    theirs = UserFactory(programme=programme, roles=[Role.MENTOR])
    cohort = CohortFactory(programme=programme)
    own = enrol(cohort, first_name="Mina", last_name="Halloway")
    other = enrol(cohort, first_name="Milo", last_name="Halloway")
    for enrolment, mentor in ((own, mine), (other, theirs)):
        MentorAssignment.objects.create(
            enrolment=enrolment,
            mentor=mentor,
            started_on=cohort.training_start,
            assigned_by=lead,
        )
    page = _search(mine, "Halloway")
    assert "Mina Halloway" in page
    assert reverse("supervision:mentee", kwargs={"pk": own.pk}) in page
    assert "Milo" not in page
    # Not a programme-wide list of people either.
    assert reverse("core:person-detail", kwargs={"pk": own.person_id}) not in page


def test_a_supervisor_finds_only_the_people_they_supervise(programme: Programme) -> None:
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    mine = UserFactory(programme=programme, roles=[Role.SUPERVISOR])
    theirs = UserFactory(programme=programme, roles=[Role.SUPERVISOR])
    for first, supervisor in (("Sasha", mine), ("Simon", theirs)):
        SupervisionAssignment.objects.create(
            person=employed(programme, first_name=first, last_name="Brightwater"),
            supervisor=supervisor,
            frequency_days=28,
            assigned_by=lead,
        )
    page = _search(mine, "Brightwater")
    assert "Sasha Brightwater" in page
    assert "Simon" not in page


def test_a_facilitator_finds_no_applications_and_no_posts(programme: Programme) -> None:
    facilitator = UserFactory(programme=programme, roles=[Role.FACILITATOR])
    ApplicationFactory(
        cohort=CohortFactory(programme=programme),
        stage=Application.Stage.RECEIVED,
        person=PersonFactory(programme=programme, first_name="Pat", last_name="Pendlebury"),
    )
    PeerPostFactory(service__programme=programme, job_title="Pendlebury outreach")
    page = _search(facilitator, "Pendlebury")
    assert "/recruitment/applications/" not in page
    assert "/deployment/posts/" not in page
    assert "Nothing found" in page


def test_a_one_letter_search_asks_for_more(programme: Programme) -> None:
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    assert "Type at least 2 letters" in _search(lead, "a")


def test_the_search_box_sends_only_the_query(programme: Programme) -> None:
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    client = Client()
    client.force_login(lead)
    home = client.get(reverse("core:home")).content.decode()
    start = home.index('role="search"')
    form = home[start - 200 : home.index("</form>", start)]
    assert 'method="get"' in form
    assert form.count("name=") == 1
    assert 'name="q"' in form


def test_someone_without_a_staff_role_cannot_search(programme: Programme) -> None:
    trainee = UserFactory(programme=programme, roles=[])
    PersonFactory(programme=programme, user=trainee)
    client = Client()
    client.force_login(trainee)
    assert client.get(reverse("core:search"), {"q": "anyone"}).status_code == 403
