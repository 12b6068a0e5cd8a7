"""Valid posts to deployment's create pages (``peerprog.core.once``)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from deployment.models import (
    Absence,
    Candidate,
    Interview,
    LeavingReason,
    Panel,
    PanelMember,
    Post,
    RecruitmentDay,
    Vacancy,
)
from deployment.models.posts import Band, PostRole
from tests.conftest import World
from tests.core.once_helpers import Sample
from tests.deployment.factories import CandidateFactory, PeerPostFactory, graduate


def _in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def post(world: World) -> Sample:
    return Sample(
        user="hr",
        url=reverse("deployment:post-create"),
        data={
            "service": world.objects["service"].pk,
            "position_number": "ONCE-0001",
            "job_title": "Lived Experience Practitioner",
            "role": PostRole.LXP,
            "band": Band.BAND_4,
            "wte": "1.00",
        },
        model=Post,
    )


def vacancy(world: World) -> Sample:
    vacant = PeerPostFactory(service=world.objects["service"])
    return Sample(
        user="hr",
        url=reverse("deployment:vacancy-create", args=[vacant.pk]),
        data={"advert_reference": "ONCE-ADVERT", "closing_date": _in_days(21)},
        model=Vacancy,
    )


def candidate(world: World) -> Sample:
    person = graduate(world.programme, first_name="Gina", last_name="Graduate")
    return Sample(
        user="hr",
        url=reverse("deployment:candidate-add", args=[world.objects["vacancy"].pk]),
        data={"person": person.pk},
        model=Candidate,
    )


def recruitment_day(world: World) -> Sample:
    return Sample(
        user="hr",
        url=reverse("deployment:day-create"),
        data={"date": _in_days(30), "venue": "Trust headquarters, once", "arrangements": ""},
        model=RecruitmentDay,
    )


def panel(world: World) -> Sample:
    return Sample(
        user="hr",
        url=reverse("deployment:panel-create", args=[world.objects["recruitment_day"].pk]),
        data={"name": "Panel Once", "room": "Room 4"},
        model=Panel,
    )


def panel_member(world: World) -> Sample:
    return Sample(
        user="hr",
        url=reverse("deployment:panel-member-add", args=[world.objects["panel"].pk]),
        data={"name": "Pat Panellist", "job_title": "Ward manager", "service": ""},
        model=PanelMember,
    )


def interview(world: World) -> Sample:
    waiting = CandidateFactory(vacancy=world.objects["vacancy"], added_by=world.users["hr"])
    return Sample(
        user="hr",
        url=reverse("deployment:interview-create", args=[world.objects["recruitment_day"].pk]),
        data={"candidate": waiting.pk, "starts_at": "15:30", "panel": world.objects["panel"].pk},
        model=Interview,
    )


def absence(world: World) -> Sample:
    appointment = world.objects["appointment"]
    starts = appointment.start_date + timedelta(days=40)
    return Sample(
        user="hr",
        url=reverse("deployment:absence-create", args=[appointment.pk]),
        data={
            "kind": Absence.Kind.ANNUAL_LEAVE,
            "starts_on": starts.isoformat(),
            "ends_on": (starts + timedelta(days=2)).isoformat(),
            "cover": Absence.Cover.NONE,
        },
        model=Absence,
    )


def leaving_reason(world: World) -> Sample:
    return Sample(
        user="hr",
        url=reverse("deployment:leaving-reason-create"),
        data={
            "label": "Moved abroad, once",
            "category": LeavingReason.Category.PERSONAL,
            "order": "9",
        },
        model=LeavingReason,
    )


def post_spec_criterion(world: World) -> Sample:
    from deployment.models import SpecCriterion

    return Sample(
        user="hr",
        url=reverse("deployment:post-spec-criterion-add", args=[world.objects["vacancy"].post_id]),
        data={"kind": SpecCriterion.Kind.ESSENTIAL, "text": "Shares their own recovery safely"},
        model=SpecCriterion,
    )


def vacancy_spec_criterion(world: World) -> Sample:
    from deployment.models import SpecCriterion

    return Sample(
        user="hr",
        url=reverse("deployment:vacancy-spec-criterion-add", args=[world.objects["vacancy"].pk]),
        data={"kind": SpecCriterion.Kind.DESIRABLE, "text": "Experience of group work"},
        model=SpecCriterion,
    )
