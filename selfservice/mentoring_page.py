"""What a trainee's mentoring page reads: their own enrolment with its
mentoring figures in the one query that checks it is theirs, then their
current mentor and their meetings (never the mentor's notes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from peerprog.core.models import User
from selfservice.access import own_or_404
from supervision.models import MentorAssignment, MentorMeeting
from supervision.selectors.compliance import mentoring_state, with_mentoring
from supervision.selectors.trainee_meetings import MEETING_FIELDS, MyMentoring
from training.models import Enrolment


def my_mentoring_page(*, user: User, pk: Any, today: date | None = None) -> MyMentoring:
    """The account's own enrolment ``pk`` (404 for anyone else's) and its
    mentoring, in three queries whatever the number of meetings."""
    today = today or timezone.localdate()
    enrolment = own_or_404(
        with_mentoring(
            enrolments=Enrolment.objects.select_related("cohort__programme", "cohort__mentoring")
        ),
        user,
        pk,
    )
    # One enrolment's assignments in their own order: the latest started.
    assignment = (
        MentorAssignment.objects.filter(enrolment=enrolment, ended_on__isnull=True)
        .select_related("mentor")
        .only("pk", "enrolment", "mentor__id", "mentor__full_name", "mentor__email")
        .order_by("-started_on", "-pk")
        .first()
    )
    meetings = list(
        MentorMeeting.objects.only(*MEETING_FIELDS)
        .filter(assignment__enrolment=enrolment)
        .order_by("-held_on", "-pk")
    )
    next_on = enrolment.next_meeting_on
    return MyMentoring(
        enrolment=enrolment,
        mentor=assignment.mentor if assignment else None,
        meetings=meetings,
        mentoring=mentoring_state(
            annotated=enrolment, cohort=enrolment.cohort, status=enrolment.status, today=today
        ),
        next_meeting_on=next_on if assignment and next_on and next_on >= today else None,
    )
