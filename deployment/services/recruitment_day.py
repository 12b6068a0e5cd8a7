"""From advert to decision: vacancies, candidates, the recruitment day and
its outcomes, and the reserve list."""

from __future__ import annotations

from datetime import date, time

from django.db import IntegrityError, transaction
from django.utils import timezone

from deployment.models import (
    Candidate,
    Interview,
    Panel,
    PanelMember,
    Post,
    PostConversion,
    RecruitmentDay,
    ReserveEntry,
    Vacancy,
)
from deployment.selectors import candidate_eligibility
from deployment.services.appointments import appointment_create
from deployment.services.common import DeploymentError, clean_or_refuse
from peerprog.core.dates import add_months, moment_of
from peerprog.core.models import Person, Programme, Service, User

DEFAULT_RESERVE_MONTHS = 12


@transaction.atomic
def vacancy_create(
    *,
    post: Post,
    advert_reference: str,
    closing_date: date,
    by: User,
    opened_on: date | None = None,
) -> Vacancy:
    """Advertise a vacant peer worker post, from ``opened_on`` (today; an
    advert may have opened earlier, never in the future, never before the
    post became a peer worker post) until its closing date (a plan: it may
    be in the future, never before the advert opened)."""
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise DeploymentError("An advert cannot open in the future: record it on the day it opens.")
    if closing_date < opened_on:
        raise DeploymentError(
            f"The advert opened on {opened_on:%-d %B %Y}: its closing date cannot be before that."
        )
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not post.is_peer_post:
        raise DeploymentError(
            f"Post {post.position_number} is not a peer worker post. Convert it first."
        )
    if post.status != Post.Status.VACANT:
        raise DeploymentError(
            f"Post {post.position_number} is {post.get_status_display().lower()}: "
            "only a vacant post can be advertised."
        )
    if Vacancy.objects.filter(post=post, status=Vacancy.Status.OPEN).exists():
        raise DeploymentError(f"Post {post.position_number} is already advertised.")
    conversion = PostConversion.objects.filter(new_post=post).first()
    if conversion is not None:
        converted_on = timezone.localdate(conversion.converted_at)
        if opened_on < converted_on:
            raise DeploymentError(
                f"The post became a peer worker post on {converted_on:%-d %B %Y}: "
                "its advert cannot open before that."
            )
    vacancy = Vacancy(
        programme_id=post.programme_id,
        post=post,
        advert_reference=advert_reference.strip(),
        closing_date=closing_date,
        opened_on=opened_on,
        created_by=by,
    )
    clean_or_refuse(instance=vacancy)
    vacancy.save()
    return vacancy


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, by: User) -> Vacancy:
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status == Vacancy.Status.CLOSED:
        raise DeploymentError("This vacancy is already closed.")
    vacancy.status = Vacancy.Status.CLOSED
    vacancy.save()
    return vacancy


@transaction.atomic
def candidate_add(
    *, vacancy: Vacancy, person: Person, by: User, applied_on: date | None = None
) -> Candidate:
    """Put a person forward for a vacancy.

    Only people who passed the training course (from the date of the pass)
    may be candidates; anyone else is refused with the reason. ``applied_on``
    is the day they applied when earlier than today: never in the future,
    never before the advert opened.
    """
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != Vacancy.Status.OPEN:
        raise DeploymentError("This vacancy is closed: no more candidates can be added.")
    if person.programme_id != vacancy.programme_id:
        raise DeploymentError("This person is not in the programme.")
    applied_on = applied_on or timezone.localdate()
    if applied_on > timezone.localdate():
        raise DeploymentError("An application for a post cannot be dated in the future.")
    if applied_on < vacancy.opened_on:
        raise DeploymentError(
            f"The advert opened on {vacancy.opened_on:%-d %B %Y}: no one can have applied "
            "before that."
        )
    eligible, reason = candidate_eligibility(person=person)
    if not eligible:
        raise DeploymentError(reason)
    if Candidate.objects.filter(vacancy=vacancy, person=person).exists():
        raise DeploymentError(f"{person.display_name} is already a candidate for this vacancy.")
    candidate = Candidate(vacancy=vacancy, person=person, added_by=by, applied_on=applied_on)
    clean_or_refuse(instance=candidate)
    candidate.save()
    return candidate


CANDIDATE_MOVES: dict[str, tuple[str, ...]] = {
    Candidate.Status.APPLIED: (
        Candidate.Status.SHORTLISTED,
        Candidate.Status.NOT_SHORTLISTED,
        Candidate.Status.WITHDRAWN,
    ),
    Candidate.Status.SHORTLISTED: (Candidate.Status.NOT_SHORTLISTED, Candidate.Status.WITHDRAWN),
    Candidate.Status.NOT_SHORTLISTED: (Candidate.Status.SHORTLISTED,),
    Candidate.Status.WITHDRAWN: (),
}


@transaction.atomic
def candidate_set_status(*, candidate: Candidate, status: str, by: User) -> Candidate:
    """Shortlist a candidate, or record that they were not shortlisted or
    withdrew. A candidate with a decision from the recruitment day keeps it."""
    candidate = Candidate.objects.select_for_update().select_related("person").get(pk=candidate.pk)
    interview = Interview.objects.filter(candidate=candidate).first()
    if interview is not None and interview.outcome != Interview.Outcome.PENDING:
        raise DeploymentError(
            f"{candidate.person.display_name} already has a decision from the recruitment day."
        )
    if status not in CANDIDATE_MOVES.get(candidate.status, ()):
        raise DeploymentError(
            f"{candidate.person.display_name} is {candidate.get_status_display().lower()}; "
            f"they cannot be marked {Candidate.Status(status).label.lower()}."
        )
    if interview is not None and status != Candidate.Status.SHORTLISTED:
        interview.delete()
    candidate.status = status
    candidate.save()
    return candidate


@transaction.atomic
def recruitment_day_create(
    *, programme: Programme, day: date, venue: str, by: User, arrangements: str = ""
) -> RecruitmentDay:
    recruitment_day = RecruitmentDay(
        programme=programme, date=day, venue=venue, arrangements=arrangements, created_by=by
    )
    clean_or_refuse(instance=recruitment_day)
    recruitment_day.save()
    return recruitment_day


@transaction.atomic
def panel_create(*, day: RecruitmentDay, name: str, by: User, room: str = "") -> Panel:
    if Panel.objects.filter(day=day, name__iexact=name.strip()).exists():
        raise DeploymentError("This day already has a panel with this name.")
    panel = Panel(day=day, name=name.strip(), room=room)
    clean_or_refuse(instance=panel)
    panel.save()
    return panel


@transaction.atomic
def panel_member_add(
    *, panel: Panel, name: str, by: User, job_title: str = "", service: Service | None = None
) -> PanelMember:
    if service is not None and service.programme_id != panel.day.programme_id:
        raise DeploymentError("Choose a service of this programme.")
    member = PanelMember(panel=panel, name=name, job_title=job_title, service=service)
    clean_or_refuse(instance=member)
    member.save()
    return member


@transaction.atomic
def interview_schedule(
    *, day: RecruitmentDay, candidate: Candidate, starts_at: time, by: User, panel: Panel | None
) -> Interview:
    """Give a shortlisted candidate an interview slot on the day."""
    candidate = (
        Candidate.objects.select_for_update()
        .select_related("person", "vacancy")
        .get(pk=candidate.pk)
    )
    if candidate.vacancy.programme_id != day.programme_id:
        raise DeploymentError("This candidate is not in the programme.")
    if candidate.status != Candidate.Status.SHORTLISTED:
        raise DeploymentError(
            f"{candidate.person.display_name} has not been shortlisted, so cannot be interviewed."
        )
    if Interview.objects.filter(candidate=candidate).exists():
        raise DeploymentError(f"{candidate.person.display_name} already has an interview slot.")
    if panel is not None and panel.day_id != day.pk:
        raise DeploymentError("Choose a panel of this recruitment day.")
    if panel is not None and Interview.objects.filter(panel=panel, starts_at=starts_at).exists():
        raise DeploymentError(f"{panel.name} already has an interview at {starts_at:%H:%M}.")
    interview = Interview(day=day, candidate=candidate, panel=panel, starts_at=starts_at)
    clean_or_refuse(instance=interview)
    interview.save()
    return interview


@transaction.atomic
def interview_record_outcome(
    *,
    interview: Interview,
    outcome: str,
    by: User,
    notes: str = "",
    reserve_months: int = DEFAULT_RESERVE_MONTHS,
    on: date | None = None,
    placed_on: date | None = None,
) -> Interview:
    """Record the panel's decision for one candidate.

    *Appoint* offers the candidate the vacancy's post: an appointment is
    created with its four pre-employment checks outstanding, the post
    becomes filled and the vacancy closes. A post can take only one
    appointment, so a second *appoint* for the same post is refused.
    *Reserve* puts the person on the reserve list for ``reserve_months``
    from the day. A decision to appoint is final here; an offer that does
    not go ahead is withdrawn on the appointment's page. ``on`` is the day
    the decision was made when earlier than today: never in the future,
    never before the recruitment day. ``placed_on`` is the day a reserve was
    put on the list, which starts the standing period (the recruitment day
    when not given): never in the future, never before the recruitment day.
    """
    if on is not None and on > timezone.localdate():
        raise DeploymentError("A decision cannot be dated in the future.")
    interview = (
        Interview.objects.select_for_update()
        .select_related("day", "candidate__person", "candidate__vacancy__post")
        .get(pk=interview.pk)
    )
    if outcome not in Interview.Outcome.values or outcome == Interview.Outcome.PENDING:
        raise DeploymentError("Choose appoint, reserve or not appointed.")
    person = interview.candidate.person
    decided_on = on or timezone.localdate()
    if decided_on < interview.day.date:
        raise DeploymentError(
            f"The recruitment day was on {interview.day.date:%-d %B %Y}: its decisions cannot "
            "be dated before it."
        )
    if interview.outcome == Interview.Outcome.APPOINT:
        raise DeploymentError(
            f"{person.display_name} has already been offered the post. If the offer does not "
            "go ahead, withdraw it on the appointment page."
        )
    entry = ReserveEntry.objects.select_for_update().filter(interview=interview).first()
    if interview.outcome == Interview.Outcome.RESERVE and outcome != Interview.Outcome.RESERVE:
        if entry is not None and entry.status != ReserveEntry.Status.STANDING:
            raise DeploymentError(
                f"{person.display_name}'s reserve-list entry has already been used, so the "
                "decision cannot be changed."
            )
        if entry is not None:
            entry.status = ReserveEntry.Status.REMOVED
            entry.save()
    interview.outcome = outcome
    interview.notes = notes
    interview.decided_by = by
    interview.decided_at = moment_of(on) or timezone.now()
    interview.save()
    if outcome == Interview.Outcome.APPOINT:
        vacancy = interview.candidate.vacancy
        appointment_create(person=person, post=vacancy.post, by=by, interview=interview)
        if vacancy.status == vacancy.Status.OPEN:
            vacancy.status = vacancy.Status.CLOSED
            vacancy.save()
    elif outcome == Interview.Outcome.RESERVE:
        _place_on_reserve(
            interview=interview,
            entry=entry,
            months=reserve_months,
            placed_on=placed_on or interview.day.date,
        )
    return interview


def _place_on_reserve(
    *, interview: Interview, entry: ReserveEntry | None, months: int, placed_on: date
) -> None:
    if not 1 <= months <= 36:
        raise DeploymentError("A reserve-list entry stands for between 1 and 36 months.")
    if placed_on > timezone.localdate():
        raise DeploymentError("A person cannot be put on the reserve list in the future.")
    if placed_on < interview.day.date:
        raise DeploymentError(
            f"The recruitment day was on {interview.day.date:%-d %B %Y}: a person cannot be put "
            "on the reserve list before it."
        )
    person = interview.candidate.person
    if (
        ReserveEntry.objects.filter(
            programme_id=interview.day.programme_id,
            person=person,
            status=ReserveEntry.Status.STANDING,
        )
        .exclude(pk=getattr(entry, "pk", None))
        .exists()
    ):
        raise DeploymentError(f"{person.display_name} is already on the reserve list.")
    if entry is None:
        entry = ReserveEntry(
            programme_id=interview.day.programme_id, person=person, interview=interview
        )
    entry.placed_on = placed_on
    entry.stands_until = add_months(placed_on, months)
    entry.status = ReserveEntry.Status.STANDING
    clean_or_refuse(instance=entry)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        raise DeploymentError(f"{person.display_name} is already on the reserve list.") from error


@transaction.atomic
def reserve_entry_remove(*, entry: ReserveEntry, by: User) -> ReserveEntry:
    """Take a person off the reserve list before the entry runs out."""
    entry = ReserveEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != ReserveEntry.Status.STANDING:
        raise DeploymentError("This person is no longer on the reserve list.")
    entry.status = ReserveEntry.Status.REMOVED
    entry.save()
    return entry
