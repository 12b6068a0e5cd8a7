"""Moving the four induction dates and the access to electronic patient
notes into the checklist loses nothing: each date lands on its matching
item, done by whoever made the appointment, and the new items start not
done; every programme gets the template and the course catalogue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from deployment.models import Appointment, InductionTemplateItem, TrainingCourse
from tests.core.factories import PersonFactory, ProgrammeFactory, ServiceFactory, UserFactory
from tests.deployment.factories import PeerPostFactory

BEFORE_THE_CHECKLIST = [("deployment", "0006_induction_and_training_records")]


def _migrate(targets: list[tuple[str, str]] | None = None) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def test_the_old_induction_dates_land_in_the_matching_items(transactional_db: Any) -> None:
    programme = ProgrammeFactory()
    hr = UserFactory(programme=programme)
    post = PeerPostFactory(service=ServiceFactory(programme=programme), status="filled")
    person = PersonFactory(programme=programme)

    old = _migrate(BEFORE_THE_CHECKLIST)
    OldAppointment = old.get_model("deployment", "Appointment")
    made = OldAppointment.objects.create(
        programme_id=programme.pk,
        person_id=person.pk,
        post_id=post.pk,
        status="in_post",
        start_date=date(2025, 3, 3),
        hours_per_week=Decimal("22.5"),
        created_by_id=hr.pk,
        epr_access=True,
        team_induction_on=date(2025, 3, 3),
        trust_induction_on=date(2025, 3, 10),
        ward_visits_on=None,
        shadowing_on=date(2025, 3, 14),
    )

    _migrate()

    appointment = Appointment.objects.get(pk=made.pk)
    done = dict(appointment.induction_items.values_list("title", "done_on"))
    assert done["Team induction"] == date(2025, 3, 3)
    assert done["Trust induction"] == date(2025, 3, 10)
    assert done["Shadowing"] == date(2025, 3, 14)
    assert done["Access to electronic patient records"] == date(2025, 3, 3)
    assert done["Ward visits"] is None
    assert done["Meeting the supervisor"] is None
    assert set(
        appointment.induction_items.exclude(done_on=None).values_list("done_recorded_by", flat=True)
    ) == {hr.pk}
    assert InductionTemplateItem.objects.filter(programme=programme).count() == 8
    assert TrainingCourse.objects.filter(programme=programme).count() == 5
