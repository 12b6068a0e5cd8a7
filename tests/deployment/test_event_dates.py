"""Deployment's records are dated when things happened: conversions and
their undoing, adverts, decisions, absences, leavers and transfers take the
day it happened (today unless earlier), never in the future unless the date
is a plan, and never before what they depend on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deployment import services
from deployment.models import Absence, Appointment, Interview, Post, PostConversion, Vacancy
from deployment.models.posts import Band, PostRole
from deployment.services import DeploymentError
from tests.core.factories import ServiceFactory
from tests.deployment.factories import (
    AppointmentFactory,
    InterviewFactory,
    LeavingReasonFactory,
    PeerPostFactory,
    PostFactory,
    RecruitmentDayFactory,
    ReserveEntryFactory,
)

pytestmark = pytest.mark.django_db


def _day(days_ago: int) -> date:
    return timezone.localdate() - timedelta(days=days_ago)


@pytest.fixture
def service(programme):
    return ServiceFactory(programme=programme, name="Cedar Ward")


def _convert(post: Post, by, **kwargs) -> PostConversion:
    values = {
        "to_role": PostRole.LXP,
        "to_band": Band.BAND_3,
        "to_wte": None,
        "reason": "Programme funding for peer workers",
    }
    values.update(kwargs)
    return services.post_convert(post=post, by=by, **values)


# Conversions and their undoing


def test_the_conversion_form_offers_today_as_the_date(client, hr, service):
    post = PostFactory(service=service)
    client.force_login(hr)

    page = client.get(reverse("deployment:post-convert", args=[post.pk])).content.decode()

    assert "Date of the conversion" in page
    assert f'value="{timezone.localdate().isoformat()}"' in page


def test_hr_records_a_conversion_made_earlier(client, hr, service):
    post = PostFactory(service=service)
    client.force_login(hr)

    client.post(
        reverse("deployment:post-convert", args=[post.pk]),
        {
            "to_role": PostRole.LXP,
            "to_band": Band.BAND_3,
            "reason": "Programme funding",
            "on": _day(40).isoformat(),
        },
    )

    conversion = PostConversion.objects.get(original=post)
    assert timezone.localdate(conversion.converted_at) == _day(40)


def test_several_conversions_made_earlier_take_the_date_given(client, hr, service):
    posts = [PostFactory(service=service), PostFactory(service=service)]
    client.force_login(hr)

    client.post(
        reverse("deployment:posts-convert"),
        {
            "posts": [str(post.pk) for post in posts],
            "to_role": PostRole.LXP,
            "to_band": Band.BAND_3,
            "reason": "Programme funding",
            "on": _day(12).isoformat(),
        },
    )

    conversions = PostConversion.objects.filter(original__in=posts)
    assert [timezone.localdate(c.converted_at) for c in conversions] == [_day(12), _day(12)]


def test_a_conversion_cannot_be_dated_in_the_future(hr, service):
    post = PostFactory(service=service)

    with pytest.raises(DeploymentError, match="A conversion cannot be dated in the future"):
        _convert(post, hr, on=_day(-1))

    assert not PostConversion.objects.filter(original=post).exists()


def test_hr_records_an_undo_made_earlier(client, hr, service):
    conversion = _convert(PostFactory(service=service), hr, on=_day(30))
    client.force_login(hr)

    client.post(
        reverse("deployment:conversion-undo", args=[conversion.pk]),
        {"reason": "Funding withdrawn", "on": _day(5).isoformat()},
    )

    conversion.refresh_from_db()
    assert timezone.localdate(conversion.undone_at) == _day(5)


def test_an_undo_cannot_be_dated_before_the_conversion(hr, service):
    conversion = _convert(PostFactory(service=service), hr, on=_day(10))

    with pytest.raises(DeploymentError) as refused:
        services.conversion_undo(conversion=conversion, reason="x", by=hr, on=_day(11))

    assert refused.value.message == (
        f"The post was converted on {_day(10):%-d %B %Y}: the conversion cannot be undone "
        "before that."
    )


def test_an_undo_cannot_be_dated_in_the_future(hr, service):
    conversion = _convert(PostFactory(service=service), hr)

    with pytest.raises(DeploymentError, match="cannot be dated in the future"):
        services.conversion_undo(conversion=conversion, reason="x", by=hr, on=_day(-3))


# Adverts


def test_the_advert_form_takes_the_day_it_opened(client, hr, service):
    post = PeerPostFactory(service=service)
    client.force_login(hr)

    client.post(
        reverse("deployment:vacancy-create", args=[post.pk]),
        {
            "advert_reference": "NHSJOBS-1",
            "opened_on": _day(14).isoformat(),
            "closing_date": _day(-7).isoformat(),
        },
    )

    assert Vacancy.objects.get(post=post).opened_on == _day(14)


def test_an_advert_cannot_open_in_the_future(hr, service):
    with pytest.raises(DeploymentError, match="An advert cannot open in the future"):
        services.vacancy_create(
            post=PeerPostFactory(service=service),
            advert_reference="NHSJOBS-1",
            closing_date=_day(-30),
            opened_on=_day(-2),
            by=hr,
        )


def test_an_advert_cannot_close_before_it_opened(hr, service):
    with pytest.raises(DeploymentError) as refused:
        services.vacancy_create(
            post=PeerPostFactory(service=service),
            advert_reference="NHSJOBS-1",
            closing_date=_day(20),
            opened_on=_day(10),
            by=hr,
        )

    assert refused.value.message == (
        f"The advert opened on {_day(10):%-d %B %Y}: its closing date cannot be before that."
    )


def test_an_advert_cannot_open_before_the_post_was_converted(hr, service):
    conversion = _convert(PostFactory(service=service), hr, on=_day(10))

    with pytest.raises(DeploymentError) as refused:
        services.vacancy_create(
            post=conversion.new_post,
            advert_reference="NHSJOBS-1",
            closing_date=_day(-10),
            opened_on=_day(12),
            by=hr,
        )

    assert refused.value.message == (
        f"The post became a peer worker post on {_day(10):%-d %B %Y}: "
        "its advert cannot open before that."
    )


# Decisions of the recruitment day


def test_the_decision_takes_the_day_it_was_made(client, hr, programme):
    interview = InterviewFactory(day=RecruitmentDayFactory(programme=programme, date=_day(20)))
    client.force_login(hr)

    client.post(
        reverse("deployment:interview-outcome", args=[interview.pk]),
        {"outcome": Interview.Outcome.NOT_APPOINTED, "on": _day(18).isoformat()},
    )

    interview.refresh_from_db()
    assert timezone.localdate(interview.decided_at) == _day(18)


def test_a_decision_cannot_be_dated_before_the_recruitment_day(hr, programme):
    interview = InterviewFactory(day=RecruitmentDayFactory(programme=programme, date=_day(20)))

    with pytest.raises(DeploymentError) as refused:
        services.interview_record_outcome(
            interview=interview, outcome=Interview.Outcome.NOT_APPOINTED, by=hr, on=_day(21)
        )

    assert refused.value.message == (
        f"The recruitment day was on {_day(20):%-d %B %Y}: its decisions cannot be dated before it."
    )


def test_a_decision_cannot_be_dated_in_the_future(hr, programme):
    interview = InterviewFactory(day=RecruitmentDayFactory(programme=programme, date=_day(20)))

    with pytest.raises(DeploymentError, match="A decision cannot be dated in the future"):
        services.interview_record_outcome(
            interview=interview, outcome=Interview.Outcome.NOT_APPOINTED, by=hr, on=_day(-1)
        )


# Absences, leavers and transfers


@pytest.fixture
def in_post(service):
    return AppointmentFactory(
        post=PeerPostFactory(service=service, status=Post.Status.FILLED),
        start_date=_day(400),
    )


def test_sickness_cannot_start_in_the_future(in_post, hr):
    with pytest.raises(DeploymentError) as refused:
        services.absence_record(
            appointment=in_post, kind=Absence.Kind.SICKNESS, starts_on=_day(-2), by=hr
        )

    assert refused.value.message == (
        "A sickness absence cannot start in the future: record it once it has begun."
    )


def test_planned_leave_may_start_in_the_future(in_post, hr):
    absence = services.absence_record(
        appointment=in_post,
        kind=Absence.Kind.ANNUAL_LEAVE,
        starts_on=_day(-14),
        ends_on=_day(-18),
        by=hr,
    )

    assert absence.starts_on == _day(-14)


def test_reserve_cover_cannot_run_past_the_reserve_entry(in_post, hr):
    reserve = ReserveEntryFactory(
        person__programme=in_post.programme,
        person__first_name="Rowan",
        person__last_name="Ashby",
        placed_on=_day(100),
        stands_until=_day(20),
    )

    with pytest.raises(DeploymentError) as refused:
        services.absence_record(
            appointment=in_post,
            kind=Absence.Kind.OTHER_LEAVE,
            starts_on=_day(30),
            ends_on=_day(10),
            cover=Absence.Cover.RESERVE,
            cover_reserve=reserve,
            by=hr,
        )

    assert refused.value.message == (
        f"Rowan Ashby is on the reserve list until {_day(20):%-d %B %Y}: "
        "reserve cover cannot run past that."
    )


def test_a_leaver_cannot_be_recorded_before_their_last_day(in_post, hr):
    reason = LeavingReasonFactory(programme=in_post.programme)

    with pytest.raises(DeploymentError) as refused:
        services.appointment_leave(appointment=in_post, last_day=_day(-5), reason=reason, by=hr)

    assert refused.value.message == (
        "The last day in post cannot be in the future: record the leaver on or after it."
    )
    in_post.refresh_from_db()
    assert in_post.status == Appointment.Status.IN_POST


def test_a_transfer_cannot_be_recorded_before_the_first_day_in_the_new_post(in_post, hr, service):
    new_post = PeerPostFactory(service=service, role=PostRole.LEAD_LXP)

    with pytest.raises(DeploymentError) as refused:
        services.appointment_transfer(
            appointment=in_post, to_post=new_post, first_day=_day(-3), by=hr
        )

    assert refused.value.message == (
        "The first day in the new post cannot be in the future: record the transfer on or after it."
    )


def test_the_leaver_form_offers_today_as_the_last_day(client, hr, in_post):
    client.force_login(hr)

    page = client.get(reverse("deployment:appointment-leave", args=[in_post.pk])).content.decode()

    assert f'name="last_day" value="{timezone.localdate().isoformat()}"' in page
