"""The old wellbeing-plan read log moves into the read log: every read
survives, with its reader, time, purpose, plan and person."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from peerprog.core.models import ReadLog
from supervision.models import WellbeingPlan
from tests.core.factories import PersonFactory, ProgrammeFactory, UserFactory

BEFORE = [("supervision", "0004_mentor_meeting_trainee_note")]


def _migrate(targets: list[tuple[str, str]] | None = None) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def test_wellbeing_plan_reads_survive_the_move_to_the_read_log(transactional_db: Any) -> None:
    programme = ProgrammeFactory()
    supervisor = UserFactory(programme=programme, full_name="Sam Supervisor")
    lead = UserFactory(programme=programme, full_name="Lee Lead")
    worker = PersonFactory(programme=programme)
    other = PersonFactory(programme=programme)
    earlier = timezone.now() - timedelta(days=40)

    old = _migrate(BEFORE)
    OldPlan = old.get_model("supervision", "WellbeingPlan")
    OldRead = old.get_model("supervision", "WellbeingPlanRead")
    plans = [
        OldPlan.objects.create(
            person_id=person.pk,
            keeping_well="Walks at lunchtime.",
            review_due=date(2027, 1, 1),
            updated_by_id=supervisor.pk,
        )
        for person in (worker, other)
    ]
    OldRead.objects.create(
        plan=plans[0], reader_id=supervisor.pk, read_at=earlier, purpose="viewed"
    )
    OldRead.objects.create(plan=plans[0], reader_id=lead.pk, read_at=earlier, purpose="printed")
    OldRead.objects.create(
        plan=plans[1], reader_id=supervisor.pk, read_at=earlier, purpose="edited"
    )

    _migrate()

    plan_type = ContentType.objects.get_for_model(WellbeingPlan)
    reads = ReadLog.objects.order_by("person_id", "purpose")
    got = {
        (r.person_id, r.reader_id, r.purpose, r.object_id, r.content_type_id, r.read_at)
        for r in reads
    }
    assert got == {
        (worker.pk, supervisor.pk, "viewed", plans[0].pk, plan_type.pk, earlier),
        (worker.pk, lead.pk, "printed", plans[0].pk, plan_type.pk, earlier),
        (other.pk, supervisor.pk, "edited", plans[1].pk, plan_type.pk, earlier),
    }
    assert {r.kind for r in reads} == {"wellbeing_plan"}
    assert {r.programme_id for r in reads} == {programme.pk}
