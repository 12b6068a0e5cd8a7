"""Valid posts to recruitment's create pages (``peerprog.core.once``)."""

from __future__ import annotations

from django.urls import reverse

from recruitment.models import Application, Cohort, InformationEvent, UnsuccessfulReason
from tests.conftest import World
from tests.core.once_helpers import Sample
from tests.recruitment.apply_support import apply_data, open_cohort


def cohort(world: World) -> Sample:
    return Sample(
        user="lead",
        url=reverse("recruitment:cohort-create"),
        data={
            "name": "Cohort 9, once",
            "applications_open": "2027-01-04",
            "applications_close": "2027-02-26",
            "training_start": "2027-04-05",
            "training_end": "",
            "capacity": "14",
            "status": "recruiting",
        },
        model=Cohort,
    )


def application(world: World) -> Sample:
    return Sample(
        user="lead",
        url=reverse("recruitment:application-create", args=[world.objects["cohort"].pk]),
        data={
            "person-first_name": "Nia",
            "person-last_name": "Campbell",
            "person-email": "nia.once@example.org",
            "application-received_on": "2026-02-01",
            "application-source": Application.Source.FLYER,
            "application-pathway": Application.Pathway.NEW_RECRUIT,
            "application-statement": "",
        },
        model=Application,
    )


def event(world: World) -> Sample:
    return Sample(
        user="lead",
        url=reverse("recruitment:event-create", args=[world.objects["cohort"].pk]),
        data={
            "kind": "information_event",
            "held_on": "2026-03-10",
            "starts_at": "14:00",
            "place": "Recovery College, once",
            "notes": "",
        },
        model=InformationEvent,
    )


def reason(world: World) -> Sample:
    return Sample(
        user="lead",
        url=reverse("recruitment:reason-create", args=["unsuccessful"]),
        data={"label": "Chose another course", "category": "other", "order": "3"},
        model=UnsuccessfulReason,
    )


def apply_online(world: World) -> Sample:
    """A visitor applies on the public form to a cohort taking applications."""
    cohort = open_cohort(world.programme, name="Cohort open online, once")
    return Sample(
        user=None,
        url=reverse("apply:form", args=[world.programme.slug, cohort.pk]),
        data=apply_data(email="online.once@example.org"),
        model=Application,
    )


def apply_equality(world: World) -> Sample:
    """An applicant who has just applied online answers the optional
    equality questions, in the browser that sent the application."""
    from importlib import import_module

    from django.conf import settings

    from peerprog.core.models import SensitiveFacts
    from recruitment.services import application_submit_online
    from recruitment.views.apply import SESSION_KEY

    cohort = open_cohort(world.programme, name="Cohort open online, equality once")
    result = application_submit_online(
        cohort=cohort,
        person_values={"first_name": "Tomas", "last_name": "Quinn", "phone": "07700 900456"},
        source=Application.Source.FLYER,
        statement="I want to help.",
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = {"cohort": cohort.pk, "application": result.application.pk}
    store.create()
    person = result.application.person
    return Sample(
        user=None,
        url=reverse("apply:equality", args=[world.programme.slug, cohort.pk]),
        data={"ethnic_group": "Z", "age_band": "25-34", "disability": "prefer_not"},
        model=SensitiveFacts,
        cookies={settings.SESSION_COOKIE_NAME: store.session_key},
        count=SensitiveFacts.objects.filter(person=person).count,
    )
