"""Valid posts to supervision's create pages (``peerprog.core.once``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from supervision.models import DevelopmentSession, MentorMeeting, SupervisionSession
from tests.conftest import World
from tests.core.once_helpers import Sample
from tests.supervision.factories import supervising_object, supervision_object


def meeting(world: World) -> Sample:
    mentee = supervision_object(world, "mentee")
    return Sample(
        user="mentor",
        url=reverse("supervision:meeting-create", args=[mentee.pk]),
        data={
            "held_on": timezone.localdate().isoformat(),
            "minutes": "60",
            "kind": MentorMeeting.Kind.values[0],
            "mode": MentorMeeting.Mode.values[0],
            "notes": "Talked about the first placement.",
        },
        model=MentorMeeting,
    )


def session(world: World) -> Sample:
    supervisee = supervising_object(world, "supervisee")
    return Sample(
        user="supervisor",
        url=reverse("supervision:session-create"),
        data={
            "kind": SupervisionSession.Kind.INDIVIDUAL,
            "attendees": [supervisee.pk],
            "held_on": timezone.localdate().isoformat(),
            "minutes": "60",
            "keeping_well": "on",
        },
        model=SupervisionSession,
    )


def development(world: World) -> Sample:
    supervisee = supervising_object(world, "supervisee")
    return Sample(
        user="lead",
        url=reverse("supervision:development-create"),
        data={
            "held_on": timezone.localdate().isoformat(),
            "topic": "Working in systems, once",
            "minutes": "120",
            "attendees": [supervisee.pk],
        },
        model=DevelopmentSession,
    )
