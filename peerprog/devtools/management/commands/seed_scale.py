"""python manage.py seed_scale --size small|medium|large

A programme of synthetic records to measure pages against, separate from
the demo programme. Each size is ten times the last; the largest has 50
cohorts and 10,000 applications, one cohort holding 2,000 of them.

Records are written with bulk inserts so that the largest size takes
a minute or two, which means they have no audit history: this is test data, never
real people. Later parts of the product add their own data to ``STEPS``.
"""

from __future__ import annotations

import secrets
import time as clock
from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from peerprog.core.models import Organisation, Programme, Role, User
from peerprog.devtools.demo import DEMO_DOMAIN
from peerprog.devtools.scale.base import BATCH, SIZES, ScaleContext
from peerprog.devtools.scale.deployment import seed_deployment_scale, seed_retention_scale
from peerprog.devtools.scale.people import seed_people_scale
from peerprog.devtools.scale.recruitment import seed_recruitment_scale
from peerprog.devtools.scale.supervision import seed_mentoring_scale, seed_supervision_scale
from peerprog.devtools.scale.training import seed_training_scale

__all__ = ["BATCH", "SIZES", "STEPS", "ScaleContext", "seed_scale"]

# Steps run in order, each in peerprog.devtools.scale; each step may use
# what the ones before it left in ``ctx.data``.
STEPS: list[Callable[[ScaleContext], None]] = [
    seed_recruitment_scale,
    seed_training_scale,
    seed_mentoring_scale,
    seed_deployment_scale,
    seed_supervision_scale,
    seed_retention_scale,
    seed_people_scale,
]


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
            started = clock.perf_counter()
            step(ctx)
            ctx.timings.append((step.__name__, clock.perf_counter() - started))
    # Fresh planner statistics, as a live database has: without them
    # PostgreSQL plans the bulk-loaded tables as if they were empty. Outside a
    # transaction PostgreSQL also vacuums them, as its autovacuum soon would
    # after a bulk load: counts can then read an index alone.
    started = clock.perf_counter()
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    ctx.timings.append(("analyze", clock.perf_counter() - started))
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
        for name, seconds in ctx.timings:
            self.stdout.write(f"  {name}: {seconds:.1f} s")
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(self.style.SUCCESS(f"Seeded “{ctx.programme.name}” in {seconds:.1f} s."))
        self.stdout.write(
            f"Its lead is {ctx.lead.email}; choose a password with "
            f"python manage.py changepassword {ctx.lead.email}"
        )
