"""The trainee persona's mentoring, for the course pages' tests and the
access-rule table: a mentor of their own ("Mona Mentor") and one logged
meeting with the mentor's private notes and a planned next meeting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.selfservice.world import people_world
from tests.supervision.factories import assign, log_meeting, mentor

MENTOR_NOTES = "Private: talked about a hard week at home."


def course_object(world: Any, name: str) -> Any:
    """Built once per world, on first use."""
    if "course" not in world.objects:
        people = people_world(world)
        enrolment = people["trainee_enrolment"]
        mona = mentor(world.programme, "Mona Mentor")
        assign(enrolment, mona, by=world.users["lead"])
        meeting = log_meeting(
            enrolment,
            mona,
            held_on=timezone.localdate() - timedelta(days=3),
            minutes=50,
            notes=MENTOR_NOTES,
            next_meeting_on=timezone.localdate() + timedelta(days=1),
        )
        world.objects["course"] = {
            "trainee_mentor": mona,
            "trainee_meeting": meeting,
            "trainee_enrolment": enrolment,
        }
    return world.objects["course"][name]


def course_pk(name: str) -> Any:
    def kwargs(world: Any) -> dict[str, Any]:
        return {"pk": course_object(world, name).pk}

    return kwargs
