"""Course templates, rubrics, a cohort's training settings, its timetable
and the attendance register."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerprog.core.access import has_role
from peerprog.core.models import Programme, Role, User
from recruitment.models import Cohort
from training.models import (
    Attendance,
    CoFacilitator,
    CohortTraining,
    CourseSession,
    CourseTemplate,
    CourseTopic,
    Rubric,
    RubricCriterion,
)
from training.selectors.records import register_enrolments
from training.services.common import TrainingError

DEFAULT_TEMPLATE_NAME = "Lived Experience Practitioner course (12 weeks)"
# The study's topics, in the order they are taught, with a default length.
DEFAULT_TOPICS: list[tuple[str, int]] = [
    ("Work readiness skills", 150),
    ("Recovery", 150),
    ("Self-management", 150),
    ("Personal development", 150),
    ("Social inclusion", 150),
    ("Focus on self", 150),
    ("Peer-to-peer working", 150),
    ("Working in systems", 150),
    ("Sharing lived experience safely and boundaries", 150),
    ("Risk and safety", 150),
    ("Return to employment and benefits", 120),
    ("NHS ways of working", 120),
    ("Cultural competence", 150),
    ("Suicide prevention", 180),
]


def _save(instance: Any) -> Any:
    instance.full_clean()
    instance.save()
    return instance


def _apply(instance: Any, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        setattr(instance, name, value)


@transaction.atomic
def course_template_ensure_default(*, programme: Programme) -> CourseTemplate:
    """The study's course template for the programme, created once."""
    template, created = CourseTemplate.objects.get_or_create(
        programme=programme,
        name=DEFAULT_TEMPLATE_NAME,
        defaults={"description": "The topics of the LXP study's pre-appointment course."},
    )
    if created:
        for order, (title, minutes) in enumerate(DEFAULT_TOPICS, start=1):
            _save(CourseTopic(template=template, order=order, title=title, default_minutes=minutes))
    return template


@transaction.atomic
def course_template_create(*, programme: Programme, by: User, **values: Any) -> CourseTemplate:
    return _save(CourseTemplate(programme=programme, **values))


@transaction.atomic
def course_template_update(*, template: CourseTemplate, by: User, **values: Any) -> CourseTemplate:
    template = CourseTemplate.objects.select_for_update().get(pk=template.pk)
    _apply(template, values)
    return _save(template)


@transaction.atomic
def course_topic_create(*, template: CourseTemplate, by: User, **values: Any) -> CourseTopic:
    return _save(CourseTopic(template=template, **values))


@transaction.atomic
def course_topic_update(*, topic: CourseTopic, by: User, **values: Any) -> CourseTopic:
    topic = CourseTopic.objects.select_for_update().get(pk=topic.pk)
    _apply(topic, values)
    return _save(topic)


@transaction.atomic
def rubric_create(*, programme: Programme, by: User, **values: Any) -> Rubric:
    return _save(Rubric(programme=programme, **values))


@transaction.atomic
def rubric_update(*, rubric: Rubric, by: User, **values: Any) -> Rubric:
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    _apply(rubric, values)
    return _save(rubric)


@transaction.atomic
def rubric_criterion_create(*, rubric: Rubric, by: User, **values: Any) -> RubricCriterion:
    return _save(RubricCriterion(rubric=rubric, **values))


@transaction.atomic
def rubric_criterion_update(
    *, criterion: RubricCriterion, by: User, **values: Any
) -> RubricCriterion:
    """Reword, reorder or archive a criterion. Marks already given keep
    pointing at it, so it is never deleted."""
    criterion = RubricCriterion.objects.select_for_update().get(pk=criterion.pk)
    _apply(criterion, values)
    return _save(criterion)


def _check_assessor(user: User | None, programme_id: int, what: str) -> None:
    if user is None:
        return
    if user.programme_id != programme_id or not has_role(user, Role.ASSESSOR):
        raise TrainingError(f"The {what} must be an assessor in this programme.")


@transaction.atomic
def cohort_training_update(*, training: CohortTraining, by: User, **values: Any) -> CohortTraining:
    """Change the cohort's deadlines, thresholds, rubric and default assessors."""
    training = (
        CohortTraining.objects.select_for_update().select_related("cohort").get(pk=training.pk)
    )
    _apply(training, values)
    programme_id = training.cohort.programme_id
    _check_assessor(training.facilitator, programme_id, "course facilitator (first assessor)")
    _check_assessor(training.second_assessor, programme_id, "second assessor")
    if training.facilitator_id and training.facilitator_id == training.second_assessor_id:
        raise TrainingError("The two assessors must be different people.")
    if training.rubric and training.rubric.programme_id != programme_id:
        raise TrainingError("Choose one of your programme's rubrics.")
    if training.final_due < training.draft_due:
        raise TrainingError("The final portfolio cannot be due before the mid-course draft.")
    return _save(training)


@transaction.atomic
def timetable_generate(
    *,
    cohort: Cohort,
    template: CourseTemplate,
    by: User | None,
    starts_at: time = time(10, 0),
    place: str = "",
    is_online: bool = False,
) -> list[CourseSession]:
    """Lay the template's topics out over the cohort's weeks, on the weekday
    the course starts, two on one day when there are more topics than weeks.

    Refused when the cohort already has a timetable: it is then edited
    session by session.
    """
    Cohort.objects.select_for_update().get(pk=cohort.pk)
    if template.programme_id != cohort.programme_id:
        raise TrainingError("Choose one of your programme's course templates.")
    if CourseSession.objects.filter(cohort=cohort).exists():
        raise TrainingError(
            "This cohort already has a timetable. Change, add or cancel sessions instead."
        )
    topics = list(template.topics.filter(is_archived=False).order_by("order", "pk"))
    if not topics:
        raise TrainingError("This course template has no topics yet.")
    if not place and not is_online:
        place = "To be confirmed"
    weeks = max(1, (cohort.training_end - cohort.training_start).days // 7)
    facilitator = (
        CohortTraining.objects.filter(cohort=cohort).values_list("facilitator", flat=True).first()
    )
    sessions: list[CourseSession] = []
    previous: CourseSession | None = None
    for index, topic in enumerate(topics):
        day = cohort.training_start + timedelta(weeks=index * weeks // len(topics))
        start = starts_at
        if previous is not None and previous.date == day:
            start = (previous.ends_at + timedelta(minutes=30)).time()
        session = CourseSession(
            cohort=cohort,
            topic=topic,
            title=topic.title,
            date=day,
            starts_at=start,
            minutes=topic.default_minutes,
            place=place,
            is_online=is_online,
            facilitator_id=facilitator,
        )
        sessions.append(_save(session))
        previous = session
    return sessions


def _check_in_course(session: CourseSession) -> None:
    """A session, and so its register, falls within the cohort's course."""
    cohort = session.cohort
    if not cohort.training_start <= session.date <= cohort.training_end:
        raise TrainingError(
            f"{cohort.name}'s course runs from {cohort.training_start:%-d %B %Y} to "
            f"{cohort.training_end:%-d %B %Y}: a session cannot be dated outside it."
        )


def _set_co_facilitators(session: CourseSession, people: Iterable[tuple[str, str]]) -> None:
    session.co_facilitators.all().delete()
    for name, kind in people:
        if name.strip():
            _save(CoFacilitator(session=session, name=name.strip(), kind=kind))


@transaction.atomic
def session_create(
    *,
    cohort: Cohort,
    by: User,
    co_facilitators: Iterable[tuple[str, str]] = (),
    **values: Any,
) -> CourseSession:
    session = CourseSession(cohort=cohort, **values)
    _check_in_course(session)
    session = _save(session)
    _set_co_facilitators(session, co_facilitators)
    return session


@transaction.atomic
def session_update(
    *,
    session: CourseSession,
    by: User,
    co_facilitators: Iterable[tuple[str, str]] | None = None,
    **values: Any,
) -> CourseSession:
    """Move or change a session. A cancelled session can be restored by
    setting its status back to scheduled."""
    session = CourseSession.objects.select_for_update().get(pk=session.pk)
    _apply(session, values)
    _check_in_course(session)
    if session.status == CourseSession.Status.SCHEDULED:
        session.cancel_reason = ""
    _save(session)
    if co_facilitators is not None:
        _set_co_facilitators(session, co_facilitators)
    return session


@transaction.atomic
def session_cancel(*, session: CourseSession, reason: str, by: User) -> CourseSession:
    """Cancel a session. Its register, if any, stays on record but no longer
    counts towards attendance rates."""
    session = CourseSession.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise TrainingError("This session has already been cancelled.")
    session.status = CourseSession.Status.CANCELLED
    session.cancel_reason = reason.strip()[:200] or "Cancelled"
    return _save(session)


@transaction.atomic
def attendance_record(
    *,
    session: CourseSession,
    marks: Mapping[int, str],
    by: User,
    today: date | None = None,
) -> int:
    """Fill in or correct a session's register: ``marks`` maps enrolment ids
    to an attendance status; a blank status leaves that trainee unmarked.
    Returns how many marks were written. Refused for a cancelled session, a
    session in the future, or a trainee who is not on the register."""
    session = CourseSession.objects.select_for_update().get(pk=session.pk)
    today = today or timezone.localdate()
    if session.is_cancelled:
        raise TrainingError("This session was cancelled, so it has no register.")
    if session.date > today:
        raise TrainingError("A register can be filled in on or after the day of the session.")
    _check_in_course(session)
    allowed = {enrolment.pk for enrolment in register_enrolments(session=session)}
    wanted = {int(pk): status for pk, status in marks.items() if status}
    unknown = set(wanted) - allowed
    if unknown:
        raise TrainingError("Some of these trainees are not on this session's register.")
    bad = {status for status in wanted.values() if status not in Attendance.Status.values}
    if bad:
        raise TrainingError("Choose present, late, authorised absence or absent.")
    existing = {row.enrolment_id: row for row in Attendance.objects.filter(session=session)}
    written = 0
    now = timezone.now()
    for enrolment_id, status in wanted.items():
        row = existing.get(enrolment_id)
        if row is not None and row.status == status:
            continue
        if row is None:
            row = Attendance(session=session, enrolment_id=enrolment_id)
        row.status = status
        row.recorded_by = by
        row.recorded_at = now
        row.full_clean(validate_unique=False)
        row.save()
        written += 1
    return written
