"""Valid posts to the self-service create pages (``peerprog.core.once``)."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import World
from tests.core.once_helpers import Sample
from tests.selfservice.world import people_world
from tests.training.factories import pdf_bytes
from training.models import PortfolioDraft, PortfolioSubmission

PDF = ("my draft.pdf", pdf_bytes(), "application/pdf")


def portfolio_draft(world: World) -> Sample:
    """The trainee hands in a draft on their own portfolio page."""
    enrolment = people_world(world)["trainee_enrolment"]
    return Sample(
        user="trainee",
        url=reverse("selfservice:portfolio-draft-create", kwargs={"pk": enrolment.pk}),
        data={},
        files={"draft-file": PDF},
        model=PortfolioDraft,
    )


def portfolio_hand_in(world: World) -> Sample:
    """The trainee hands in their final portfolio."""
    enrolment = people_world(world)["trainee_enrolment"]
    return Sample(
        user="trainee",
        url=reverse("selfservice:portfolio-submission-create", kwargs={"pk": enrolment.pk}),
        data={"final-confirm": "on"},
        files={"final-file": PDF},
        model=PortfolioSubmission,
    )
