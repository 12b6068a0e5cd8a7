"""Recruitment's records in the shared ``world`` fixture: one of each in the
programme and one in the other programme, for the access-rule table."""

from __future__ import annotations

from typing import Any

from peerprog.core.models import Letter, PendingImport
from tests.recruitment.factories import (
    ApplicationFactory,
    CohortFactory,
    InformationEventFactory,
    UnsuccessfulReasonFactory,
)

IMPORT_CSV = b"First name,Last name,E-mail\nMina,Rahman,mina.rahman@example.org\n"


def add_recruitment(world: Any) -> None:
    users = world.users
    for suffix, programme, lead, person in (
        ("", world.programme, users["lead"], world.person),
        ("other_", world.other_programme, users["other_programme_lead"], world.other_person),
    ):
        cohort = CohortFactory(programme=programme, name=f"{suffix}Cohort 1".capitalize())
        application = ApplicationFactory(cohort=cohort, person=person)
        world.objects[f"{suffix}cohort"] = cohort
        world.objects[f"{suffix}application"] = application
        world.objects[f"{suffix}event"] = InformationEventFactory(cohort=cohort)
        world.objects[f"{suffix}unsuccessful_reason"] = UnsuccessfulReasonFactory(
            programme=programme
        )
        world.objects[f"{suffix}letter"] = Letter.objects.create(
            programme=programme,
            person=person,
            kind="recruitment.offer",
            key=f"recruitment.application:{application.pk}:recruitment.offer",
            subject="Your place on the training",
            body="Dear Ada,\n\nWe are delighted to offer you a place.\n",
            channel=Letter.Channel.POST,
            status=Letter.Status.TO_POST,
            created_by=lead,
        )
        world.objects[f"{suffix}pending_import"] = PendingImport.objects.create(
            programme=programme,
            importer="recruitment.applications",
            created_by=lead,
            filename="applications.csv",
            file_format=PendingImport.Format.CSV,
            content=IMPORT_CSV,
            options={"cohort_id": cohort.pk},
        )
        world.objects[f"{suffix}history_import"] = PendingImport.objects.create(
            programme=programme,
            importer="programme_history",
            created_by=lead,
            filename="programme.xlsx",
            file_format=PendingImport.Format.XLSX,
            content=b"",
            options={},
        )
