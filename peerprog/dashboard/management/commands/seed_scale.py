"""python manage.py seed_scale --size small|medium|large

A programme of synthetic records to measure pages against, separate from
the demo programme. Each size is ten times the last; the largest has 50
cohorts and 10,000 applications, one cohort holding 2,000 of them.

Records are written with bulk inserts so that the largest size takes
seconds, which means they have no audit history: this is test data, never
real people. Later parts of the product add their own data to ``STEPS``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from peerprog.core.models import Organisation, Person, Programme, Role, User
from peerprog.dashboard.demo import DEMO_DOMAIN
from recruitment.models import (
    Application,
    ApplicationMove,
    Cohort,
    UnsuccessfulReason,
    WithdrawalReason,
)
from recruitment.services import reasons_ensure_defaults

SIZES = {
    # applications, cohorts, applications in the biggest cohort
    "small": (100, 2, 20),
    "medium": (1_000, 5, 200),
    "large": (10_000, 50, 2_000),
}
BATCH = 2_000

FIRST_NAMES = [
    "Aisha", "Ben", "Chloe", "Dev", "Ella", "Farah", "George", "Hana", "Isla", "Jack",
    "Kofi", "Leah", "Mo", "Nina", "Oscar", "Priya", "Quinn", "Ravi", "Sara", "Theo",
]  # fmt: skip
LAST_NAMES = [
    "Adams", "Bailey", "Chen", "Davies", "Evans", "Fox", "Green", "Hill", "Iqbal", "Jones",
    "Khan", "Lewis", "Mills", "Nguyen", "Owen", "Patel", "Quinn", "Roberts", "Shah", "Taylor",
]  # fmt: skip

Stage = Application.Stage
# A cohort's applications by stage, in this rotation.
STAGE_CYCLE = [
    Stage.RECEIVED,
    Stage.RECEIVED,
    Stage.SHORTLISTED,
    Stage.INVITED,
    Stage.OFFERED,
    Stage.ACCEPTED,
    Stage.ACCEPTED,
    Stage.UNSUCCESSFUL,
    Stage.WITHDRAWN,
]


@dataclass
class ScaleContext:
    size: str
    programme: Programme
    lead: User
    today: date
    cohorts: list[Cohort] = field(default_factory=list)
    staff: dict[str, User] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


def _split(total: int, cohorts: int, biggest: int) -> list[int]:
    rest = total - biggest
    others = cohorts - 1
    sizes = [biggest] + [rest // others] * others
    sizes[-1] += rest - sum(sizes[1:])
    return sizes


def seed_recruitment_scale(ctx: ScaleContext) -> None:
    total, cohort_count, biggest = SIZES[ctx.size]
    reasons_ensure_defaults(programme=ctx.programme)
    reason = UnsuccessfulReason.objects.filter(programme=ctx.programme).first()
    withdrawal_reason = WithdrawalReason.objects.filter(
        programme=ctx.programme, reveals_health=False
    ).first()
    cohorts = []
    for n in range(cohort_count):
        start = ctx.today - timedelta(weeks=26 * (cohort_count - n - 1))
        cohorts.append(
            Cohort(
                programme=ctx.programme,
                name=f"Scale cohort {n + 1:02d}",
                applications_open=start - timedelta(weeks=16),
                applications_close=start - timedelta(weeks=5),
                training_start=start,
                training_end=start + timedelta(weeks=12),
                capacity=max(12, biggest // 2),
                status=Cohort.Status.RECRUITING,
            )
        )
    cohorts = Cohort.objects.bulk_create(cohorts)
    ctx.cohorts = cohorts

    people = [
        Person(
            programme=ctx.programme,
            first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
            last_name=f"{LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)]}-{n:05d}",
            email=f"applicant{n:05d}@scale-{ctx.size}.{DEMO_DOMAIN}",
            email_allowed=n % 3 != 0,
        )
        for n in range(total)
    ]
    people = Person.objects.bulk_create(people, batch_size=BATCH)

    applications = []
    person_iter = iter(people)
    for cohort, count in zip(cohorts, _split(total, cohort_count, biggest), strict=True):
        for n in range(count):
            stage = STAGE_CYCLE[n % len(STAGE_CYCLE)]
            applications.append(
                Application(
                    cohort=cohort,
                    person=next(person_iter),
                    received_on=cohort.applications_open + timedelta(days=n % 70),
                    source=Application.Source.values[n % len(Application.Source.values)],
                    stage=stage,
                    unsuccessful_reason=reason if stage == Stage.UNSUCCESSFUL else None,
                    withdrawal_reason=withdrawal_reason if stage == Stage.WITHDRAWN else None,
                    statement="Synthetic statement for scale testing.",
                )
            )
    applications = Application.objects.bulk_create(applications, batch_size=BATCH)

    moves = []
    for application in applications:
        received = timezone.make_aware(datetime.combine(application.received_on, time(10)))
        moves.append(
            ApplicationMove(
                application=application, from_stage="", to_stage=Stage.RECEIVED, at=received
            )
        )
        if application.stage != Stage.RECEIVED:
            moves.append(
                ApplicationMove(
                    application=application,
                    from_stage=Stage.RECEIVED,
                    to_stage=application.stage,
                    by=ctx.lead,
                    at=received + timedelta(days=14),
                )
            )
    ApplicationMove.objects.bulk_create(moves, batch_size=BATCH)
    ctx.lines.append(
        f"Recruitment: {len(cohorts)} cohorts, {len(applications):,} applications "
        f"(the biggest cohort has {biggest:,}), {len(moves):,} timeline entries."
    )


# Steps run in order. Each part of the product appends its own.
STEPS: list[Callable[[ScaleContext], None]] = [seed_recruitment_scale]


def seed_scale(*, size: str, today: date | None = None) -> ScaleContext:
    if size not in SIZES:
        raise CommandError(f"--size must be one of {', '.join(SIZES)}.")
    name = f"Scale test programme ({size})"
    if Programme.objects.filter(name=name).exists():
        raise CommandError(f"“{name}” already exists. Use a fresh database to seed it again.")
    with transaction.atomic():
        organisation, _ = Organisation.objects.get_or_create(name="Scale Test NHS Trust")
        programme = Programme.objects.create(name=name, lead_organisation=organisation)
        lead = User(
            email=f"scale-lead-{size}@{DEMO_DOMAIN}",
            full_name=f"Scale lead ({size})",
            programme=programme,
        )
        lead.set_password(secrets.token_urlsafe(16))
        lead.save()
        lead.groups.add(Group.objects.get(name=Role.PROGRAMME_LEAD))
        ctx = ScaleContext(
            size=size, programme=programme, lead=lead, today=today or timezone.localdate()
        )
        ctx.staff[Role.PROGRAMME_LEAD] = lead
        # One member of staff for each other role, so every role's pages can
        # be measured on this programme.
        for role in Role:
            if role == Role.PROGRAMME_LEAD:
                continue
            member = User(
                email=f"scale-{role.name.lower().replace('_', '-')}-{size}@{DEMO_DOMAIN}",
                full_name=f"Scale {role.label.lower()} ({size})",
                programme=programme,
            )
            member.set_unusable_password()
            member.save()
            member.groups.add(Group.objects.get(name=role))
            ctx.staff[role] = member
        for step in STEPS:
            step(ctx)
    return ctx


class Command(BaseCommand):
    help = "Create a programme of synthetic records to measure pages at scale."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--size", choices=list(SIZES), default="small")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even when DEBUG is off (for scale and benchmark databases only).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "seed_scale refuses to run with DEBUG off: synthetic records must never reach "
                "a live system. Set DEBUG=true on a development database."
            )
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("seed_scale needs PostgreSQL (set DATABASE_URL).")
        started = timezone.now()
        ctx = seed_scale(size=options["size"])
        for line in ctx.lines:
            self.stdout.write(line)
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(self.style.SUCCESS(f"Seeded “{ctx.programme.name}” in {seconds:.1f} s."))
        self.stdout.write(
            f"Its lead is {ctx.lead.email}; choose a password with "
            f"python manage.py changepassword {ctx.lead.email}"
        )
