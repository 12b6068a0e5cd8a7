"""Portfolio records of the people personas, for the access-rule table:
a draft the trainee handed in themselves, and the final portfolio the
former trainee passed with. Built on first use and kept on the world."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile

from tests.selfservice.world import people_world
from tests.training.factories import pdf_bytes, upload
from training import services
from training.models import Decision, PortfolioSubmission


def portfolio_object(world: Any, name: str) -> Any:
    if "people_portfolio" not in world.objects:
        world.objects["people_portfolio"] = _build(world)
    return world.objects["people_portfolio"][name]


def _build(world: Any) -> dict[str, Any]:
    people = people_world(world)
    draft = services.draft_record(
        enrolment=people["trainee_enrolment"],
        upload=upload("my draft.pdf"),
        by=world.users["trainee"],
    )
    # The former trainee's course has ended, so services refuse new work on
    # it: their passed portfolio is written as it stands after the pass.
    enrolment = people["former_trainee_enrolment"]
    passed_on = enrolment.passed_on
    submission = PortfolioSubmission(
        enrolment=enrolment,
        attempt=1,
        submitted_on=passed_on - timedelta(weeks=4),
        due_on=passed_on - timedelta(weeks=4),
        status=PortfolioSubmission.Status.DECIDED,
        outcome=Decision.PASS,
        decided_on=passed_on,
        file_name="portfolio.pdf",
        file_kind="pdf",
        file_size=len(pdf_bytes()),
    )
    submission.file.save("final/former.pdf", ContentFile(pdf_bytes()), save=False)
    submission.save()
    return {"trainee_draft": draft, "former_trainee_submission": submission}
