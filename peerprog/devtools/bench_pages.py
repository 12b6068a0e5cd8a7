"""The pages the benchmark measures (``PAGES``), each with the role that
opens it and how its URL is built from the largest programme in the
database, and the users the benchmark signs in as."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from deployment.models import Appointment
from peerprog.core.models import Person, Programme, Role, User
from recruitment.models import Cohort
from training.models import CourseSession, Enrolment

UrlBuilder = Callable[[Programme], str | None]


# A page's target, as a multiple of the floor measured in the same run: its
# median within 2x the floor's median and its p95 within 3x the floor's p95.
# Pages that show a whole cohort by design (the board, a session register)
# have 5x for both.
MEDIAN_LIMIT = 2.0
P95_LIMIT = 3.0
WHOLE_COHORT_LIMIT = 5.0


@dataclass(frozen=True)
class Page:
    label: str
    role: str
    url: UrlBuilder
    whole_cohort: bool = False

    @property
    def median_limit(self) -> float:
        return WHOLE_COHORT_LIMIT if self.whole_cohort else MEDIAN_LIMIT

    @property
    def p95_limit(self) -> float:
        return WHOLE_COHORT_LIMIT if self.whole_cohort else P95_LIMIT


def fixed(name: str) -> UrlBuilder:
    return lambda programme: reverse(name)


# Pseudo-roles for a person's own pages: the accounts seed_scale links to
# the trainee and the peer worker with the most records (scale/people.py);
# on the demo, its trainee and peer worker.
TRAINEE = "own pages: trainee"
PEER_WORKER = "own pages: peer worker"


# The floor: the About page signed in, through every middleware a signed-in
# request passes (session, second factor, programme, navigation). Every
# other page's median and p95 are reported as multiples of the floor's. The
# About page not signed in (the base layout, no queries) is measured too.
FLOOR = Page("Floor: About, signed in", Role.PROGRAMME_LEAD, fixed("core:about"))
ANONYMOUS_ABOUT = Page("About, not signed in", "", fixed("core:about"))

PAGES: list[Page] = [
    Page("Home (lead)", Role.PROGRAMME_LEAD, fixed("core:home")),
    Page("Home (HR)", Role.HR, fixed("core:home")),
    Page("Home (mentor)", Role.MENTOR, fixed("core:home")),
    Page("Home (supervisor)", Role.SUPERVISOR, fixed("core:home")),
    Page("Home (facilitator)", Role.FACILITATOR, fixed("core:home")),
    Page("Home (assessor)", Role.ASSESSOR, fixed("core:home")),
    Page("Home (admin)", Role.ADMIN, fixed("core:home")),
    Page("Search (lead)", Role.PROGRAMME_LEAD, lambda programme: reverse("core:search") + "?q=an"),
    Page("People", Role.PROGRAMME_LEAD, fixed("core:people")),
    Page("Programme and services", Role.HR, fixed("core:programme")),
    Page("Staff and roles", Role.ADMIN, fixed("core:staff")),
    Page("Audit trail", Role.ADMIN, fixed("core:audit")),
    Page("Notifications (lead)", Role.PROGRAMME_LEAD, fixed("core:notifications")),
]


def open_cohort_form_url(programme: Programme) -> str | None:
    """The public application form of a cohort taking applications today."""
    today = timezone.localdate()
    cohort = (
        Cohort.objects.filter(
            programme=programme,
            status=Cohort.Status.RECRUITING,
            applications_open__lte=today,
            applications_close__gte=today,
        )
        .order_by("training_start", "pk")
        .first()
    )
    return reverse("apply:form", args=[programme.slug, cohort.pk]) if cohort else None


def own_home(role: str) -> UrlBuilder:
    """My pages, for the benchmark's trainee or peer worker; left out on data
    with no such account."""
    return lambda programme: (
        reverse("selfservice:home") if has_own_pages_account(programme, role) else None
    )


def own_url(name: str, record: str) -> UrlBuilder:
    """A page of the benchmark's trainee or peer worker (own_pages_user),
    for their open enrolment, their appointment in post, their person
    record or their wellbeing plan."""

    def url(programme: Programme) -> str | None:
        role = TRAINEE if record == "enrolment" else PEER_WORKER
        if not has_own_pages_account(programme, role):
            return None
        person = own_pages_user(programme, role).people.get(programme=programme)
        if record == "enrolment":
            obj = person.enrolments.filter(status__in=Enrolment.OPEN).order_by("-pk").first()
        elif record == "appointment":
            obj = person.appointments.filter(status=Appointment.Status.IN_POST).first()
        elif record == "wellbeing plan":
            obj = getattr(person, "wellbeing_plan", None)
        else:
            obj = person
        return reverse(name, args=[obj.pk]) if obj else None

    return url


def largest_cohort_url(name: str) -> UrlBuilder:
    """The page of the programme's cohort with the most applications."""

    def url(programme: Programme) -> str | None:
        cohort = (
            Cohort.objects.filter(programme=programme)
            .annotate(size=Count("applications"))
            .order_by("-size", "pk")
            .first()
        )
        return reverse(name, args=[cohort.pk]) if cohort else None

    return url


def largest_cohort_register_url(programme: Programme) -> str | None:
    """The register of the last session held by the largest cohort."""
    cohort_url = largest_cohort_url("training:cohort-detail")(programme)
    if cohort_url is None:
        return None
    cohort_pk = int(cohort_url.rstrip("/").rsplit("/", 1)[-1])
    session = (
        CourseSession.objects.filter(cohort_id=cohort_pk, date__lt=timezone.localdate())
        .order_by("-date", "-pk")
        .first()
    )
    return reverse("training:register", args=[session.pk]) if session else None


PAGES += [
    Page(
        "Cohort board (largest cohort)",
        Role.PROGRAMME_LEAD,
        largest_cohort_url("recruitment:board"),
        whole_cohort=True,
    ),
    Page("Cohort figures", Role.PROGRAMME_LEAD, largest_cohort_url("recruitment:cohort-detail")),
    Page("Application list", Role.PROGRAMME_LEAD, fixed("recruitment:application-list")),
    Page("Cohort training page", Role.PROGRAMME_LEAD, largest_cohort_url("training:cohort-detail")),
    Page("At-risk trainees", Role.PROGRAMME_LEAD, fixed("training:at-risk")),
    Page("Assessor queue", Role.ASSESSOR, fixed("training:assessor-queue")),
    Page(
        "Session register (largest cohort)",
        Role.FACILITATOR,
        largest_cohort_register_url,
        whole_cohort=True,
    ),
    Page("Posts", Role.HR, fixed("deployment:posts")),
    Page("Appointments", Role.HR, fixed("deployment:appointments")),
    Page("Retention", Role.HR, fixed("deployment:retention")),
    Page("Mentor's page (my mentees)", Role.MENTOR, fixed("supervision:my-mentees")),
    Page("Mentoring overview", Role.PROGRAMME_LEAD, fixed("supervision:mentoring")),
    Page(
        "Cohort mentoring (largest cohort)",
        Role.PROGRAMME_LEAD,
        largest_cohort_url("supervision:cohort"),
    ),
    Page(
        "Supervisor's page (my supervisees)", Role.SUPERVISOR, fixed("supervision:my-supervisees")
    ),
    Page("Supervision overview", Role.PROGRAMME_LEAD, fixed("supervision:supervision")),
    Page("Programme dashboard", Role.PROGRAMME_LEAD, fixed("dashboard:programme")),
    Page(
        "Study table: training programme",
        Role.PROGRAMME_LEAD,
        fixed("dashboard:training-programme"),
    ),
    Page(
        "Study table: employment and retention",
        Role.PROGRAMME_LEAD,
        fixed("dashboard:employment-retention"),
    ),
    # The public application pages (no sign-in).
    Page("Apply: open cohorts (public)", "", lambda p: reverse("apply:index", args=[p.slug])),
    Page("Apply: application form (public)", "", open_cohort_form_url),
    # A person's own pages.
    Page("My pages (trainee)", TRAINEE, own_home(TRAINEE)),
    Page("My course (trainee)", TRAINEE, own_url("selfservice:course", "enrolment")),
    Page("My portfolio (trainee)", TRAINEE, own_url("selfservice:portfolio", "enrolment")),
    Page("My mentor (trainee)", TRAINEE, own_url("selfservice:mentoring", "enrolment")),
    Page("My pages (peer worker)", PEER_WORKER, own_home(PEER_WORKER)),
    Page("My job (peer worker)", PEER_WORKER, own_url("selfservice:my-job", "appointment")),
    Page(
        "My supervision (peer worker)", PEER_WORKER, own_url("selfservice:my-supervision", "person")
    ),
    Page(
        "My wellbeing plan (peer worker)",
        PEER_WORKER,
        own_url("selfservice:my-wellbeing-plan", "wellbeing plan"),
    ),
]


def register(page: Page) -> None:
    """Add a page to the benchmark (called by the site layer as apps land)."""
    PAGES.append(page)


def largest_programme() -> Programme:
    programme = (
        Programme.objects.annotate(
            people_count=Count("people", distinct=True), staff_count=Count("staff", distinct=True)
        )
        .order_by("-people_count", "-staff_count", "pk")
        .first()
    )
    if programme is None:
        raise RuntimeError("The database has no programme: run seed_demo or seed_scale first.")
    return programme


def own_pages_user(programme: Programme, role: str) -> User:
    if role == TRAINEE:
        people = Person.objects.filter(
            programme=programme, user__isnull=False, enrolments__status__in=Enrolment.OPEN
        )
    else:
        people = Person.objects.filter(
            programme=programme,
            user__isnull=False,
            appointments__status=Appointment.Status.IN_POST,
        )
    person = people.select_related("user").order_by("pk").first()
    if person is None:
        raise RuntimeError(f"No account for {role} in {programme}: run seed_scale or seed_demo.")
    return person.user


def has_own_pages_account(programme: Programme, role: str) -> bool:
    try:
        own_pages_user(programme, role)
    except RuntimeError:
        return False
    return True


def user_for(programme: Programme, role: str) -> User:
    if role in (TRAINEE, PEER_WORKER):
        return own_pages_user(programme, role)
    user = (
        User.objects.filter(programme=programme, is_active=True, groups__name=role)
        .order_by("pk")
        .first()
    )
    if user is None:
        raise RuntimeError(f"No active user with the role {role} in {programme}.")
    return user
