"""The demo data set: the LXP study's programme, placed relative to today.

Each step is idempotent (natural keys and get_or_create), so running the
seeder twice changes nothing. Later parts of the product add their own steps
to ``STEPS`` so that the demo grows into the study's whole programme.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from deployment import demo as deployment_demo
from deployment import demo_scores as deployment_scores_demo
from peerprog.core.audit import demo_data
from peerprog.core.equality import CODES, AgeBand, EthnicCategory, GenderIdentity, Sex
from peerprog.core.models import (
    Organisation,
    Person,
    Programme,
    Role,
    SensitiveFacts,
    Service,
    User,
)
from peerprog.devtools import demo_activity, demo_people, demo_year
from peerprog.devtools.demo_recruitment import seed_recruitment
from readiness import demo as readiness_demo
from supervision import demo as supervision_demo
from training import demo as training_demo

PROGRAMME_NAME = "Lived Experience Practitioner programme"
TRUST_NAME = "Northshire Mental Health NHS Trust"
PARTNER_NAME = "Northshire Mind"
OTHER_PROGRAMME_NAME = "Southvale Peer Support programme"
DEMO_DOMAIN = "demo.peerprog.invalid"

SERVICES = [
    ("Willow Ward", Service.Setting.ACUTE_INPATIENT, "Northshire Hospital"),
    ("Cedar Ward", Service.Setting.ACUTE_INPATIENT, "Northshire Hospital"),
    ("Rowan House Rehabilitation", Service.Setting.REHAB_INPATIENT, "Rowan House"),
    ("Eastgate Community Mental Health Team", Service.Setting.COMMUNITY, "Eastgate Clinic"),
    ("Westfield Community Mental Health Team", Service.Setting.COMMUNITY, "Westfield Centre"),
    ("Early Intervention in Psychosis", Service.Setting.COMMUNITY, "Eastgate Clinic"),
    ("Crisis Resolution and Home Treatment", Service.Setting.COMMUNITY, "Northshire Hospital"),
    ("African and Caribbean Wellbeing Service", Service.Setting.BME_SPECIFIC, "Northshire Mind"),
]

# One demo account per role, plus a second mentor (who will have no mentees)
# and a facilitator who also assesses portfolios.
DEMO_USERS = [
    ("lead", "Priya Shah", "Peer programme lead", [Role.PROGRAMME_LEAD]),
    ("hr", "Tom Fletcher", "HR business partner", [Role.HR]),
    ("mentor", "Grace Okafor", "Ward manager", [Role.MENTOR]),
    ("mentor2", "Daniel Hughes", "Occupational therapist", [Role.MENTOR]),
    ("supervisor", "Sam Rivers", "Peer worker coordinator", [Role.SUPERVISOR]),
    ("admin", "Alex Morgan", "Programme administrator", [Role.ADMIN]),
    (
        "facilitator",
        "Ruth Adeyemi",
        "Course facilitator",
        [Role.FACILITATOR, Role.ASSESSOR],
    ),
    ("assessor", "Martin Clarke", "Trust lead for social inclusion", [Role.ASSESSOR]),
]


@dataclass
class DemoContext:
    """What each step is given and leaves for the next. The demo's names (its
    e-mail domain, the second programme) travel here, so that the apps' own
    demo modules never import these tools."""

    today: date
    programme: Programme
    services: dict[str, Service]
    users: dict[str, User]
    password: str
    created_users: list[User] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    domain: str = DEMO_DOMAIN
    other_programme_name: str = OTHER_PROGRAMME_NAME

    def email(self, local: str) -> str:
        """A demo account's address: ``mentor`` gives mentor@ the demo's domain."""
        return f"{local}@{self.domain}"

    def months_ago(self, months: int, day: int = 1) -> date:
        year, month = self.today.year, self.today.month - months
        while month <= 0:
            month += 12
            year -= 1
        return date(year, month, min(day, 28))


def demo_email(key: str) -> str:
    return f"{key}@{DEMO_DOMAIN}"


# What each demo account is for, in the words of the list seed_demo prints.
ACCOUNT_PURPOSES = {
    "lead": "Programme lead: runs the programme. New applications, an offer awaiting an "
    "answer, trainees at risk, mentors behind with meetings, the study's figures.",
    "hr": "HR: posts and appointments. Checks outstanding before a start, a converted post "
    "not advertised, a vacant post to convert, a peer worker who left.",
    "mentor": "Mentor (Grace Okafor): three trainees on the course running now, with "
    "meetings due and one mentee behind.",
    "mentor2": "Mentor with no mentees (Daniel Hughes): what a new mentor sees.",
    "supervisor": "Supervisor (Sam Rivers): peer workers in post, supervision due or "
    "overdue, a wellbeing plan due for review.",
    "admin": "Administrator: staff accounts and roles (a new starter without a role, an HR "
    "role given), e-mail and exports.",
    "facilitator": "Course facilitator and first assessor: the running course's timetable, "
    "a register to take, drafts to give feedback on.",
    "assessor": "Second assessor: a portfolio waiting for the second mark.",
    "trainee": "Trainee (Jordan Ellis) on the course running now: their own timetable, "
    "attendance and portfolio feedback.",
    "peer-worker": "Peer worker in post: their own post, supervision and wellbeing plan.",
    "southvale-lead": "Lead of a second programme: sees none of the first programme's data.",
    "sysadmin": "System administrator: the Django admin, across programmes.",
    "peer-supervisor": "Second supervisor (Jade Wilson), covering for Sam Rivers.",
    "hr-adviser": "A second HR account (Nina Shaw), newly given the HR role.",
    "new-starter": "A member of staff with no role yet (Chris Dunn): what such an account sees.",
}


def account_purpose(user: User) -> str:
    """What the demo account is for, in plain words."""
    local = user.email.split("@")[0]
    if local in ACCOUNT_PURPOSES:
        return ACCOUNT_PURPOSES[local]
    if local.startswith("mentor-"):
        return "A mentor from the study; some mentor a trainee on the course running now."
    return ", ".join(sorted(user.role_names)) or "Their own pages only"


def seed_core(ctx: DemoContext) -> None:
    """Programme, organisations, services and one account per role."""
    for name, setting, site in SERVICES:
        service, _ = Service.objects.get_or_create(
            programme=ctx.programme,
            name=name,
            defaults={
                "organisation": ctx.programme.lead_organisation
                if setting != Service.Setting.BME_SPECIFIC
                else Organisation.objects.get(name=PARTNER_NAME),
                "setting": setting,
                "site": site,
            },
        )
        ctx.services[name] = service
    groups = {group.name: group for group in Group.objects.all()}
    for key, full_name, job_title, roles in DEMO_USERS:
        user = User.objects.filter(email=demo_email(key)).first()
        if user is None:
            user = User(
                email=demo_email(key),
                full_name=full_name,
                job_title=job_title,
                programme=ctx.programme,
            )
            user.set_password(ctx.password)
            user.full_clean()
            user.save()
            user.groups.set([groups[str(role)] for role in roles])
            ctx.created_users.append(user)
        ctx.users[key] = user


def seed_other_programme(ctx: DemoContext) -> None:
    """A second programme on the same installation, to show that programmes
    cannot see each other."""
    organisation, _ = Organisation.objects.get_or_create(
        name="Southvale Community Partnership", defaults={"kind": Organisation.Kind.VOLUNTARY}
    )
    programme, _ = Programme.objects.get_or_create(
        name=OTHER_PROGRAMME_NAME, defaults={"lead_organisation": organisation}
    )
    Service.objects.get_or_create(
        programme=programme,
        name="Southvale Recovery College",
        defaults={"organisation": organisation, "setting": Service.Setting.COMMUNITY},
    )
    if not User.objects.filter(email=demo_email("southvale-lead")).exists():
        user = User(
            email=demo_email("southvale-lead"),
            full_name="Jo Whitfield",
            job_title="Programme lead",
            programme=programme,
        )
        user.set_password(ctx.password)
        user.save()
        user.groups.set([Group.objects.get(name=Role.PROGRAMME_LEAD)])
        ctx.created_users.append(user)


def seed_system_admin(ctx: DemoContext) -> None:
    if not User.objects.filter(email=demo_email("sysadmin")).exists():
        user = User.objects.create_superuser(
            email=demo_email("sysadmin"), password=ctx.password, full_name="System administrator"
        )
        ctx.created_users.append(user)


# Steps run in order. Each part of the product appends its own.
STEPS: list[Callable[[DemoContext], None]] = [
    seed_core,
    seed_other_programme,
    seed_system_admin,
    seed_recruitment,
]


def seed_demo(*, today: date | None = None, password: str | None = None) -> DemoContext:
    """Create or complete the demo data set; return what was done."""
    with transaction.atomic(), demo_data():
        trust, _ = Organisation.objects.get_or_create(
            name=TRUST_NAME, defaults={"kind": Organisation.Kind.NHS_TRUST}
        )
        partner, _ = Organisation.objects.get_or_create(
            name=PARTNER_NAME, defaults={"kind": Organisation.Kind.VOLUNTARY}
        )
        programme, created = Programme.objects.get_or_create(
            name=PROGRAMME_NAME,
            defaults={
                "lead_organisation": trust,
                "description": "Training people with lived experience of mental distress "
                "and employing them as Lived Experience Practitioners (LXPs) in converted "
                "posts across the trust's wards and community teams.",
            },
        )
        if created:
            programme.partner_organisations.add(partner)
        ctx = DemoContext(
            today=today or timezone.localdate(),
            programme=programme,
            services={},
            users={},
            password=password or secrets.token_urlsafe(12),
        )
        for step in STEPS:
            step(ctx)
        if password:
            for user in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}"):
                user.set_password(password)
                user.save(update_fields=["password"])
    return ctx


def seed_training(ctx: DemoContext) -> None:
    """The study cohorts' courses: timetables, registers, portfolios and the
    study's outcomes. Runs after recruitment's step; does nothing without it."""
    training_demo.seed_study_training(ctx)


STEPS.append(seed_training)


def seed_deployment(ctx: DemoContext) -> None:
    """Posts, conversions, the recruitment days and the seven appointments.
    Runs after training's step; does nothing without its graduates."""
    deployment_demo.seed_deployment(ctx)


STEPS.append(seed_deployment)


def seed_interview_scores(ctx: DemoContext) -> None:
    """Person specifications for the converted posts and the study's
    interviews scored by their panels; the study's figures stay as they were."""
    deployment_scores_demo.seed_interview_scores(ctx)


STEPS.append(seed_interview_scores)


def seed_supervision(ctx: DemoContext) -> None:
    """The study's mentors and their meeting histories, after training's
    step; supervisors for the peer workers in post, after deployment's. Each
    part does nothing without the step before it."""
    supervision_demo.seed_study_mentoring(ctx)
    supervision_demo.seed_study_supervision(ctx)


STEPS.append(seed_supervision)


def seed_current_deployment(ctx: DemoContext) -> None:
    """A few current items placed relative to today, so that the demo's
    users see reminders."""
    deployment_demo.seed_current(ctx)


STEPS.append(seed_current_deployment)


def seed_readiness(ctx: DemoContext) -> None:
    """Preparation workshops for most services, the suggested survey
    instrument and one completed round of the conditions survey."""
    readiness_demo.seed_readiness(ctx)


STEPS.append(seed_readiness)


def seed_people(ctx: DemoContext) -> None:
    """A trainee on a course running now and a peer worker in post, each with
    their own account (no staff role), after the study's steps."""
    demo_people.seed_people(ctx)


STEPS.append(seed_people)


def seed_year(ctx: DemoContext) -> None:
    """The programme year happening now: the running course mid-course, the
    next intake taking applications, posts and a leaver, line managers, and
    today's reminders for every role."""
    demo_year.seed_year(ctx)


STEPS.append(seed_year)


def seed_retention_snapshots(ctx: DemoContext) -> None:
    """The monthly retention snapshots of the months already ended, once
    every appointment is in place (the peer worker who left included), so
    that the retention page shows its trend."""
    deployment_demo.seed_retention_snapshots(ctx)


STEPS.append(seed_retention_snapshots)


# Equality-monitoring answers for the demo's applicants: invented, spread so
# that the summary shows some groups and hides the small ones.
DEMO_SEXES = [Sex.FEMALE, Sex.MALE, Sex.FEMALE, Sex.MALE, Sex.FEMALE, Sex.PREFER_NOT_TO_SAY]
DEMO_SEXES += [Sex.MALE, Sex.FEMALE]
DEMO_GENDER_IDENTITIES = [GenderIdentity.SAME] * 5 + [GenderIdentity.DIFFERENT]
DEMO_ETHNIC_GROUPS = [
    EthnicCategory.WHITE_BRITISH,
    EthnicCategory.BLACK_CARIBBEAN,
    EthnicCategory.WHITE_BRITISH,
    EthnicCategory.ASIAN_PAKISTANI,
    EthnicCategory.WHITE_BRITISH,
    EthnicCategory.MIXED_WHITE_BLACK_CARIBBEAN,
    EthnicCategory.WHITE_OTHER,
    EthnicCategory.BLACK_AFRICAN,
]
DEMO_AGE_BANDS = [
    AgeBand.AGE_25_34,
    AgeBand.AGE_35_44,
    AgeBand.AGE_45_54,
    AgeBand.AGE_16_24,
    AgeBand.AGE_35_44,
    AgeBand.AGE_55_64,
    AgeBand.AGE_25_34,
]


def seed_equality_monitoring(ctx: DemoContext) -> None:
    """Equality-monitoring answers for applicants who have none yet; every
    seventh prefers not to say."""
    people = (
        Person.objects.filter(programme=ctx.programme, applications__isnull=False)
        .filter(sensitive__isnull=True)
        .distinct()
        .order_by("pk")
    )
    for index, person in enumerate(people):
        if index % 7 == 6:
            SensitiveFacts.objects.create(
                person=person,
                disability=SensitiveFacts.Disclosure.PREFER_NOT,
                **{name: codes.PREFER_NOT_TO_SAY for name, codes in CODES.items()},
            )
            continue
        SensitiveFacts.objects.create(
            person=person,
            sex=DEMO_SEXES[index % len(DEMO_SEXES)],
            gender_identity=DEMO_GENDER_IDENTITIES[index % len(DEMO_GENDER_IDENTITIES)],
            ethnic_group=DEMO_ETHNIC_GROUPS[index % len(DEMO_ETHNIC_GROUPS)],
            age_band=DEMO_AGE_BANDS[index % len(DEMO_AGE_BANDS)],
            disability=SensitiveFacts.Disclosure.YES
            if index % 4 == 0
            else SensitiveFacts.Disclosure.NO,
        )


STEPS.append(seed_equality_monitoring)


def seed_activity(ctx: DemoContext) -> None:
    """A few months of weekly activity for the peer workers in post."""
    demo_activity.seed_activity(ctx)


STEPS.append(seed_activity)
