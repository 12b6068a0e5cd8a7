"""The establishment: converting vacant posts, one or many, and undoing it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from deployment import services
from deployment.models import Post, PostConversion, Vacancy
from deployment.models.posts import Band, PostRole
from deployment.services import DeploymentError
from peerprog.core.models import User
from tests.core.factories import ServiceFactory
from tests.deployment.factories import (
    AppointmentFactory,
    CandidateFactory,
    PostFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


def client_for(user: User, client):
    client.force_login(user)
    return client


@pytest.fixture
def service(programme):
    return ServiceFactory(programme=programme, name="Cedar Ward")


def convert(post: Post, by: User, **kwargs) -> PostConversion:
    values = {
        "to_role": PostRole.LXP,
        "to_band": Band.BAND_3,
        "to_wte": None,
        "reason": "Programme funding for peer workers",
    }
    values.update(kwargs)
    return services.post_convert(post=post, by=by, **values)


def test_converting_a_vacant_post_keeps_the_original_and_creates_the_peer_post(service, hr):
    original = PostFactory(service=service, position_number="HCA-001", wte=Decimal("0.60"))

    conversion = convert(original, hr)

    original.refresh_from_db()
    assert original.status == Post.Status.CONVERTED
    assert (original.role, original.band, original.wte) == (PostRole.HCA, "3", Decimal("0.60"))
    new = conversion.new_post
    assert new.converted_from == original
    assert (new.role, new.band, new.wte, new.status) == (
        PostRole.LXP,
        "3",
        Decimal("0.60"),
        Post.Status.VACANT,
    )
    assert new.position_number == "HCA-001"
    assert new.job_title == "Lived Experience Practitioner"


def test_a_conversion_records_who_from_what_to_what_and_why(service, hr):
    original = PostFactory(service=service, band=Band.BAND_3)

    conversion = convert(original, hr, to_role=PostRole.LEAD_LXP, to_band=Band.BAND_5)

    assert conversion.converted_by == hr
    assert conversion.from_role == PostRole.HCA and conversion.from_band == "3"
    assert conversion.to_role == PostRole.LEAD_LXP and conversion.to_band == "5"
    assert conversion.to_job_title == "Lead Lived Experience Practitioner"
    assert conversion.reason == "Programme funding for peer workers"
    assert conversion.converted_at is not None


def test_a_filled_post_is_refused_with_a_clear_message(service, hr):
    post = PostFactory(service=service, position_number="HCA-002", status=Post.Status.FILLED)

    with pytest.raises(DeploymentError, match="Post HCA-002 is filled: only a vacant post"):
        convert(post, hr)
    assert not PostConversion.objects.filter(original=post).exists()


def test_a_frozen_post_is_refused_with_a_clear_message(service, hr):
    post = PostFactory(service=service, position_number="HCA-003", status=Post.Status.FROZEN)

    with pytest.raises(DeploymentError, match="Post HCA-003 is frozen: unfreeze it first"):
        convert(post, hr)


def test_a_post_cannot_be_converted_twice(service, hr):
    post = PostFactory(service=service)
    convert(post, hr)

    with pytest.raises(DeploymentError, match="already been converted"):
        convert(post, hr)


def test_the_post_a_conversion_made_is_not_converted_again(service, hr, client):
    original = PostFactory(service=service, position_number="HCA-020")
    new_post = convert(original, hr).new_post

    page = client_for(hr, client).get(reverse("deployment:post-detail", args=[new_post.pk]))
    assert page.status_code == 200
    assert "Convert this post" not in page.content.decode()
    with pytest.raises(DeploymentError, match="made from post HCA-020"):
        convert(new_post, hr)
    assert PostConversion.objects.filter(original=new_post).count() == 0


def test_a_post_converts_only_into_a_peer_post(service, hr):
    post = PostFactory(service=service)

    with pytest.raises(DeploymentError, match="peer worker or Lead LXP"):
        convert(post, hr, to_role=PostRole.OTHER)
    post.refresh_from_db()
    assert post.status == Post.Status.VACANT


def test_a_conversion_needs_a_reason(service, hr):
    post = PostFactory(service=service)

    with pytest.raises(DeploymentError, match="Give a reason"):
        convert(post, hr, reason="  ")


def test_bulk_conversion_converts_every_post(service, hr):
    posts = PostFactory.create_batch(3, service=service)

    conversions = services.posts_convert(
        posts=posts,
        to_role=PostRole.LXP,
        to_band=Band.BAND_3,
        to_wte=None,
        reason="Wave 1",
        by=hr,
    )

    assert len(conversions) == 3
    in_service = Post.objects.filter(service=service)
    assert in_service.filter(status=Post.Status.CONVERTED).count() == 3
    assert in_service.filter(role=PostRole.LXP, status=Post.Status.VACANT).count() == 3


def test_bulk_conversion_with_one_filled_post_converts_none(service, hr):
    vacant = PostFactory.create_batch(2, service=service)
    filled = PostFactory(service=service, position_number="HCA-009", status=Post.Status.FILLED)

    with pytest.raises(DeploymentError) as refusal:
        services.posts_convert(
            posts=[*vacant, filled],
            to_role=PostRole.LXP,
            to_band=Band.BAND_3,
            to_wte=None,
            reason="Wave 1",
            by=hr,
        )

    assert "No posts were converted" in refusal.value.message
    assert "HCA-009 is filled" in refusal.value.message
    assert not PostConversion.objects.filter(original__service=service).exists()
    assert Post.objects.filter(service=service, status=Post.Status.CONVERTED).count() == 0
    assert Post.objects.filter(service=service).count() == 3


def test_undoing_a_conversion_makes_the_original_vacant_and_keeps_the_record(service, hr):
    original = PostFactory(service=service)
    conversion = convert(original, hr)
    new_pk = conversion.new_post.pk

    services.conversion_undo(conversion=conversion, reason="Funding withdrawn", by=hr)

    original.refresh_from_db()
    conversion.refresh_from_db()
    assert original.status == Post.Status.VACANT
    assert not Post.objects.filter(pk=new_pk).exists()
    assert conversion.is_undone
    assert conversion.undone_by == hr
    assert conversion.undo_reason == "Funding withdrawn"
    assert conversion.to_role == PostRole.LXP
    assert Post.history.filter(id=new_pk, history_type="-").exists()


def test_an_undone_post_can_be_converted_again(service, hr):
    original = PostFactory(service=service)
    services.conversion_undo(conversion=convert(original, hr), reason="Wrong band", by=hr)

    again = convert(original, hr, to_band=Band.BAND_4)

    assert again.new_post.band == "4"
    assert PostConversion.objects.filter(original=original).count() == 2


def test_undo_is_refused_once_someone_is_appointed(service, hr):
    conversion = convert(PostFactory(service=service), hr)
    AppointmentFactory(post=conversion.new_post)

    with pytest.raises(DeploymentError, match="Someone has been appointed"):
        services.conversion_undo(conversion=conversion, reason="Changed plans", by=hr)
    conversion.refresh_from_db()
    assert not conversion.is_undone


def test_undo_removes_an_advert_without_candidates(service, hr):
    conversion = convert(PostFactory(service=service), hr)
    VacancyFactory(post=conversion.new_post)

    services.conversion_undo(conversion=conversion, reason="Changed plans", by=hr)

    assert not Vacancy.objects.filter(post__service=service).exists()


def test_undo_is_refused_when_the_advert_has_candidates(service, hr):
    conversion = convert(PostFactory(service=service), hr)
    CandidateFactory(vacancy=VacancyFactory(post=conversion.new_post))

    with pytest.raises(DeploymentError, match="has candidates"):
        services.conversion_undo(conversion=conversion, reason="Changed plans", by=hr)


def test_undo_twice_is_refused(service, hr):
    conversion = convert(PostFactory(service=service), hr)
    services.conversion_undo(conversion=conversion, reason="Changed plans", by=hr)

    with pytest.raises(DeploymentError, match="already been undone"):
        services.conversion_undo(conversion=conversion, reason="Again", by=hr)


def test_a_converted_original_cannot_be_edited(service, hr):
    original = PostFactory(service=service)
    convert(original, hr)

    with pytest.raises(DeploymentError, match="kept on record as it was"):
        services.post_update(post=original, by=hr, band=Band.BAND_4)


def test_freezing_and_unfreezing_a_vacant_post(service, hr):
    post = PostFactory(service=service)

    services.post_freeze(post=post, by=hr)
    post.refresh_from_db()
    assert post.status == Post.Status.FROZEN
    services.post_unfreeze(post=post, by=hr)
    post.refresh_from_db()
    assert post.status == Post.Status.VACANT


def test_position_numbers_are_unique_among_posts_on_the_establishment(service, hr, programme):
    services.post_create(
        programme=programme,
        by=hr,
        service=service,
        position_number="X-1",
        job_title="Health Care Assistant",
        role=PostRole.HCA,
        band=Band.BAND_3,
        wte=Decimal("1.00"),
    )

    with pytest.raises(DeploymentError, match="position number"):
        services.post_create(
            programme=programme,
            by=hr,
            service=service,
            position_number="X-1",
            job_title="Health Care Assistant",
            role=PostRole.HCA,
            band=Band.BAND_3,
            wte=Decimal("1.00"),
        )


def test_a_post_in_another_programmes_service_is_refused(programme, other_programme, hr):
    foreign_service = ServiceFactory(programme=other_programme)

    with pytest.raises(DeploymentError, match="service of this programme"):
        services.post_create(
            programme=programme,
            by=hr,
            service=foreign_service,
            position_number="X-2",
            job_title="Health Care Assistant",
            role=PostRole.HCA,
            band=Band.BAND_3,
            wte=Decimal("1.00"),
        )
