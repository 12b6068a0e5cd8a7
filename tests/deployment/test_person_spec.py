"""Job descriptions and person specifications of posts and vacancies."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deployment.models import InterviewScore, SpecCriterion, SpecDocument
from deployment.services import DeploymentError
from deployment.services import person_spec as spec_services
from peerprog.core import storage
from tests.core.factories import ServiceFactory
from tests.core.once_helpers import FormClient
from tests.deployment.factories import PeerPostFactory, VacancyFactory
from tests.deployment.scoring_world import scored_day
from tests.training.factories import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def client_for(user) -> FormClient:
    client = FormClient()
    client.force_login(user)
    return client


@pytest.fixture
def vacancy(programme):
    return VacancyFactory(post=PeerPostFactory(service=ServiceFactory(programme=programme)))


def test_hr_adds_essential_and_desirable_criteria_that_the_post_page_lists(vacancy, hr):
    client = client_for(hr)
    post = vacancy.post
    for kind, text in (("essential", "Lived experience of recovery"), ("desirable", "Group work")):
        response = client.post(
            reverse("deployment:post-spec-criterion-add", args=[post.pk]),
            {"kind": kind, "text": text},
        )
        assert response.status_code == 302

    page = client.get(reverse("deployment:post-spec", args=[post.pk])).content.decode()

    essential, desirable = page.split('<h3 class="h5">Desirable</h3>')
    assert "Lived experience of recovery" in essential
    assert "Group work" in desirable


def test_a_vacancy_without_criteria_of_its_own_is_measured_against_its_posts(vacancy, hr, lead):
    spec_services.spec_criterion_add(
        post=vacancy.post, kind=SpecCriterion.Kind.ESSENTIAL, text="Listens well", by=hr
    )

    page = client_for(lead).get(reverse("deployment:vacancy-spec", args=[vacancy.pk]))

    assert "Listens well" in page.content.decode()
    assert "its post's criteria, as the vacancy has none of its own" in page.content.decode()


def test_a_vacancys_own_criteria_replace_its_posts(vacancy, hr):
    spec_services.spec_criterion_add(
        post=vacancy.post, kind=SpecCriterion.Kind.ESSENTIAL, text="From the post", by=hr
    )
    spec_services.spec_criterion_add(
        vacancy=vacancy, kind=SpecCriterion.Kind.ESSENTIAL, text="For this advert", by=hr
    )

    page = client_for(hr).get(reverse("deployment:vacancy-spec", args=[vacancy.pk]))

    assert "For this advert" in page.content.decode()
    assert "From the post" not in page.content.decode()


def test_the_same_criterion_twice_is_refused_in_plain_words(vacancy, hr):
    spec_services.spec_criterion_add(post=vacancy.post, kind="essential", text="Reliable", by=hr)

    with pytest.raises(DeploymentError, match="already has this criterion"):
        spec_services.spec_criterion_add(
            post=vacancy.post, kind="desirable", text="reliable", by=hr
        )


def test_an_uploaded_job_description_is_kept_privately_and_downloaded_by_a_lead(vacancy, hr, lead):
    response = client_for(hr).post(
        reverse("deployment:post-spec-upload", args=[vacancy.post.pk]),
        {"kind": "job_description", "file": upload("LXP job description.pdf")},
    )
    assert response.status_code == 302
    document = SpecDocument.objects.get()
    assert storage.private_storage.exists(document.file.name)
    assert "LXP" not in document.file.name  # stored under a random name

    download = client_for(lead).get(
        reverse("deployment:spec-document-download", args=[document.pk])
    )

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    assert 'filename="LXP job description.pdf"' in download["Content-Disposition"]


def test_a_new_upload_replaces_the_old_document_and_its_file(
    vacancy, hr, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = spec_services.spec_document_upload(
            post=vacancy.post, kind="person_specification", upload=upload("one.pdf"), by=hr
        )
    old_name = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        spec_services.spec_document_upload(
            post=vacancy.post, kind="person_specification", upload=upload("two.pdf"), by=hr
        )

    assert SpecDocument.objects.get().file_name == "two.pdf"
    assert not storage.private_storage.exists(old_name)


def test_a_file_that_is_not_a_document_is_refused_with_the_reason(vacancy, hr):
    response = client_for(hr).post(
        reverse("deployment:post-spec-upload", args=[vacancy.post.pk]),
        {"kind": "job_description", "file": upload("advert.pdf", b"<html>not a pdf</html>")},
    )

    assert response.status_code == 200
    assert "not a PDF, DOCX or ODT document" in response.content.decode()
    assert not SpecDocument.objects.exists()


def test_a_criterion_interviews_were_scored_against_cannot_be_removed(programme, hr):
    world = scored_day(programme, hr, members=1, criteria=1)
    InterviewScore.objects.create(
        interview=world["interviews"][0],
        member=world["members"][0],
        criterion=world["criteria"][0],
        score=3,
        entered_by=hr,
    )

    response = client_for(hr).post(
        reverse("deployment:spec-criterion-remove", args=[world["criteria"][0].pk]), follow=True
    )

    assert "Interviews have been scored against this criterion" in response.content.decode()
    assert SpecCriterion.objects.filter(pk=world["criteria"][0].pk).exists()


def test_an_unscored_criterion_is_removed(vacancy, hr):
    criterion = spec_services.spec_criterion_add(
        post=vacancy.post, kind="essential", text="Punctual", by=hr
    )

    client_for(hr).post(reverse("deployment:spec-criterion-remove", args=[criterion.pk]))

    assert not SpecCriterion.objects.exists()


def test_the_specification_page_costs_the_same_queries_however_many_criteria(
    vacancy, hr, django_assert_num_queries
):
    client = client_for(hr)
    url = reverse("deployment:vacancy-spec", args=[vacancy.pk])
    spec_services.spec_criterion_add(post=vacancy.post, kind="essential", text="C0", by=hr)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(1, 15):
        spec_services.spec_criterion_add(post=vacancy.post, kind="desirable", text=f"C{n}", by=hr)
    spec_services.spec_document_upload(
        post=vacancy.post, kind="job_description", upload=upload(), by=hr
    )

    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
