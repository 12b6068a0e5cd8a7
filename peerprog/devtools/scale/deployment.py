"""Deployment at scale: services, the establishment of posts with vacant
posts converted to peer worker posts, appointments over five years (most
part-time), their checks, absences and leavers; then sixty months of
retention snapshots taken with deployment's own snapshot query."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from deployment.models import (
    Absence,
    AbsenceHealth,
    Appointment,
    LeavingReason,
    Post,
    PostConversion,
    PreEmploymentCheck,
)
from deployment.models.posts import Band, PostRole
from deployment.services.leaving import leaving_reasons_ensure_defaults
from deployment.snapshots import month_start, retention_snapshot_take
from peerprog.core.models import Person, Role, Service
from peerprog.devtools.demo import DEMO_DOMAIN
from peerprog.devtools.scale.base import BATCH, ScaleContext
from training.models import Enrolment

SETTINGS = [
    Service.Setting.ACUTE_INPATIENT,
    Service.Setting.ACUTE_INPATIENT,
    Service.Setting.REHAB_INPATIENT,
    Service.Setting.COMMUNITY,
    Service.Setting.COMMUNITY,
    Service.Setting.BME_SPECIFIC,
]
PART_TIME_HOURS = [Decimal("15"), Decimal("18.75"), Decimal("22.5"), Decimal("30")]
LEAVING = [
    (LeavingReason.Category.PAID_EMPLOYMENT, 30),
    (LeavingReason.Category.FURTHER_STUDY, 12),
    (LeavingReason.Category.ILL_HEALTH, 12),
    (LeavingReason.Category.PERSONAL, 18),
    (LeavingReason.Category.END_OF_CONTRACT, 18),
    (LeavingReason.Category.RETIREMENT, 4),
    (LeavingReason.Category.DISMISSAL, 2),
    (LeavingReason.Category.OTHER, 4),
]
ABSENCES = [
    (Absence.Kind.SICKNESS, 45),
    (Absence.Kind.ANNUAL_LEAVE, 40),
    (Absence.Kind.PARENTAL_LEAVE, 3),
    (Absence.Kind.OTHER_LEAVE, 12),
]
# Months a peer worker stays in post on average (about three in four are
# still in post a year after starting).
MEAN_STAY_MONTHS = 45


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def seed_deployment_scale(ctx: ScaleContext) -> None:
    rng = ctx.rng
    today = ctx.today
    programme = ctx.programme
    hr = ctx.staff[Role.HR]
    leaving_reasons_ensure_defaults(programme=programme, by=hr)
    leaving = {r.category: r for r in LeavingReason.objects.filter(programme=programme)}

    services = Service.objects.bulk_create(
        [
            Service(
                programme=programme,
                organisation=programme.lead_organisation,
                name=f"Scale service {n + 1:03d}",
                setting=SETTINGS[n % len(SETTINGS)],
                site=f"Site {n % 7 + 1}",
            )
            for n in range(ctx.scaled(40, minimum=3))
        ]
    )

    post_count = ctx.scaled(2_000, minimum=4)
    conversions = ctx.scaled(1_500, minimum=3)
    originals = []
    for n in range(post_count):
        converted = n < conversions
        originals.append(
            Post(
                programme=programme,
                service=services[n % len(services)],
                position_number=f"SC{n + 1:05d}",
                job_title="Health Care Assistant" if n % 5 else "Support Worker",
                role=PostRole.HCA if n % 5 else PostRole.OTHER,
                band=Band.BAND_3 if n % 4 else Band.BAND_2,
                wte=Decimal("1.00") if n % 3 else Decimal("0.60"),
                status=(
                    Post.Status.CONVERTED
                    if converted
                    else [Post.Status.FILLED, Post.Status.VACANT, Post.Status.FROZEN][n % 3]
                ),
            )
        )
    originals = Post.objects.bulk_create(originals, batch_size=BATCH)

    # Who is appointed: those who passed, in order of passing, then peer
    # workers with no training on record here (appointed from elsewhere).
    graduates = sorted(
        (e for e in ctx.data.get("enrolments", []) if e.status == Enrolment.Status.COMPLETED),
        key=lambda e: (e.passed_on, e.pk),
    )
    appointment_count = conversions
    others = max(0, appointment_count - len(graduates))
    outside = Person.objects.bulk_create(
        [
            Person(
                programme=programme,
                first_name="Peer",
                last_name=f"Worker-{n:05d}",
                email=f"peer{n:05d}@scale-{ctx.size}.{DEMO_DOMAIN}",
                email_allowed=True,
            )
            for n in range(others)
        ],
        batch_size=BATCH,
    )
    five_years = 5 * 365
    starts: list[tuple[Person, date | None]] = []
    for enrolment in graduates[:appointment_count]:
        start = enrolment.passed_on + timedelta(days=rng.randint(30, 90))
        starts.append((enrolment.person, start if start < today else None))
    for person in outside:
        starts.append((person, today - timedelta(days=rng.randint(20, five_years))))

    new_posts = []
    conversion_rows = []
    for n, (original, (_, start)) in enumerate(zip(originals, starts, strict=False)):
        lead = n % 12 == 0
        role = PostRole.LEAD_LXP if lead else PostRole.LXP
        band = Band.BAND_5 if lead else Band.BAND_4
        title = "Lead Lived Experience Practitioner" if lead else "Lived Experience Practitioner"
        new_posts.append(
            Post(
                programme=programme,
                service=original.service,
                position_number=original.position_number,
                job_title=title,
                role=role,
                band=band,
                wte=original.wte,
                status=Post.Status.FILLED,
                converted_from=original,
            )
        )
        converted_on = (start or today) - timedelta(days=rng.randint(60, 120))
        conversion_rows.append(
            PostConversion(
                programme=programme,
                original=original,
                from_job_title=original.job_title,
                from_role=original.role,
                from_band=original.band,
                from_wte=original.wte,
                to_job_title=title,
                to_role=role,
                to_band=band,
                to_wte=original.wte,
                reason="Converted to a peer worker post to grow the programme.",
                converted_by=hr,
                converted_at=_at(converted_on),
                recorded_at=_at(converted_on),
            )
        )
    new_posts = Post.objects.bulk_create(new_posts, batch_size=BATCH)
    for row, post in zip(conversion_rows, new_posts, strict=True):
        row.new_post = post
    PostConversion.objects.bulk_create(conversion_rows, batch_size=BATCH)

    categories = [c for c, _ in LEAVING]
    weights = [w for _, w in LEAVING]
    appointments = []
    for post, (person, start) in zip(new_posts, starts, strict=False):
        full_time = rng.random() < 0.2
        ended_on = None
        status = Appointment.Status.OFFERED
        if start is not None:
            status = Appointment.Status.IN_POST
            stay = timedelta(days=int(rng.expovariate(1 / MEAN_STAY_MONTHS) * 30.4))
            if start + stay < today:
                status, ended_on = Appointment.Status.LEFT, start + stay
        reason = leaving[rng.choices(categories, weights)[0]] if ended_on else None
        appointments.append(
            Appointment(
                programme=programme,
                person=person,
                post=post,
                status=status,
                start_date=start,
                start_confirmed_at=_at(start - timedelta(days=14)) if start else None,
                start_confirmed_by=hr if start else None,
                contract=(
                    Appointment.Contract.FULL_TIME if full_time else Appointment.Contract.PART_TIME
                ),
                hours_per_week=Decimal("37.5") if full_time else rng.choice(PART_TIME_HOURS),
                is_lead_lxp=post.role == PostRole.LEAD_LXP,
                ended_on=ended_on,
                leaving_reason=reason,
                created_by=hr,
                created_at=_at((start or today) - timedelta(days=45)),
            )
        )
    appointments = Appointment.objects.bulk_create(appointments, batch_size=BATCH)
    ctx.data["appointments"] = appointments
    vacated = [a.post_id for a in appointments if a.status == Appointment.Status.LEFT]
    Post.objects.filter(pk__in=vacated).update(status=Post.Status.VACANT)

    checks = []
    for appointment in appointments:
        for kind in PreEmploymentCheck.Kind.values:
            cleared = appointment.start_date is not None or kind == "right_to_work"
            requested = (appointment.start_date or today) - timedelta(days=40)
            checks.append(
                PreEmploymentCheck(
                    appointment=appointment,
                    kind=kind,
                    status=(
                        PreEmploymentCheck.Status.CLEARED
                        if cleared
                        else PreEmploymentCheck.Status.REQUESTED
                    ),
                    requested_on=min(requested, today),
                    completed_on=min(requested + timedelta(days=20), today) if cleared else None,
                )
            )
    PreEmploymentCheck.objects.bulk_create(checks, batch_size=BATCH * 5)

    kinds = [k for k, _ in ABSENCES]
    kind_weights = [w for _, w in ABSENCES]
    absences = []
    for appointment in appointments:
        if appointment.start_date is None:
            continue
        last = appointment.ended_on or today
        years = (last - appointment.start_date).days / 365
        for _ in range(int(rng.expovariate(1 / max(0.1, years * 1.5)))):
            starts_on = appointment.start_date + timedelta(
                days=rng.randint(0, max(0, (last - appointment.start_date).days))
            )
            ends_on = starts_on + timedelta(days=rng.choice([0, 1, 2, 4, 6, 13, 27]))
            open_ended = ends_on > last
            absences.append(
                Absence(
                    appointment=appointment,
                    kind=rng.choices(kinds, kind_weights)[0],
                    starts_on=starts_on,
                    ends_on=None
                    if open_ended and appointment.ended_on is None
                    else min(ends_on, last),
                    cover=Absence.Cover.WITHIN_TEAM if rng.random() < 0.4 else Absence.Cover.NONE,
                    recorded_by=hr,
                )
            )
    absences = Absence.objects.bulk_create(absences, batch_size=BATCH * 5)
    health = list(AbsenceHealth.Category.values)
    AbsenceHealth.objects.bulk_create(
        [
            AbsenceHealth(absence=absence, category=health[n % len(health)])
            for n, absence in enumerate(absences)
            if absence.kind == Absence.Kind.SICKNESS
        ],
        batch_size=BATCH * 5,
    )
    part_time = sum(a.contract == Appointment.Contract.PART_TIME for a in appointments)
    leavers = sum(a.status == Appointment.Status.LEFT for a in appointments)
    ctx.lines.append(
        f"Deployment: {len(services)} services, {len(originals) + len(new_posts):,} posts "
        f"({len(conversion_rows):,} conversions), {len(appointments):,} appointments "
        f"({part_time:,} part-time, {leavers:,} leavers), {len(absences):,} absences."
    )


def seed_retention_scale(ctx: ScaleContext) -> None:
    """Sixty months of snapshots, each month one query. The tables are
    analysed first: the snapshot query is planned badly on tables the
    planner still believes empty."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    month = month_start(month_start(ctx.today) - timedelta(days=1))
    rows = 0
    for _ in range(60):
        rows += retention_snapshot_take(month=month, now=_at(ctx.today))
        month = month_start(month - timedelta(days=1))
    ctx.lines.append(f"Retention: 60 months of snapshots ({rows:,} rows).")
