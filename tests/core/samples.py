"""Valid posts to the kernel's create pages, for the test of every create
page (``peerprog.core.once.create_view``)."""

from __future__ import annotations

from django.urls import reverse

from peerprog.core.models import Person, ReasonableAdjustment, Role, Service, User
from tests.conftest import World
from tests.core.once_helpers import Sample


def person(world: World) -> Sample:
    return Sample(
        user="hr",
        url=reverse("core:person-create"),
        data={
            "first_name": "Grace",
            "last_name": "Hopper",
            "email": "grace.once@example.org",
            "phone": "07700 900123",
            "date_of_birth": "1980-03-03",
        },
        model=Person,
    )


def adjustment(world: World) -> Sample:
    return Sample(
        user="hr",
        url=reverse("core:adjustment-create", args=[world.person.pk]),
        data={
            "kind": ReasonableAdjustment.Kind.TIMING,
            "request": "Breaks every hour because of medication.",
            "practical_note": "A break every hour.",
            "is_active": "on",
        },
        model=ReasonableAdjustment,
    )


def service(world: World) -> Sample:
    return Sample(
        user="lead",
        url=reverse("core:service-create"),
        data={
            "name": "Rowan Ward",
            "organisation": world.programme.lead_organisation_id,
            "setting": Service.Setting.ACUTE_INPATIENT,
            "site": "",
            "is_active": "on",
        },
        model=Service,
    )


def staff(world: World) -> Sample:
    return Sample(
        user="admin",
        url=reverse("core:staff-create"),
        data={
            "full_name": "Nora Newcomer",
            "email": "nora.once@example.org",
            "job_title": "Peer support worker",
            "roles": [Role.MENTOR.value],
        },
        model=User,
    )


def person_invite(world: World) -> Sample:
    """The Invite button on a person's page: the person gets an account."""
    return Sample(
        user="lead",
        page=reverse("core:person-detail", args=[world.person.pk]),
        url=reverse("core:person-invite", args=[world.person.pk]),
        data={},
        model=User,
    )


def subject_access(world: World) -> Sample:
    from peerprog.core.models import SubjectAccessRequest

    return Sample(
        user="dpo",
        url=reverse("core:subject-access-start") + f"?person={world.person.pk}",
        data={"reference": "SAR once", "reason": ""},
        model=SubjectAccessRequest,
    )
