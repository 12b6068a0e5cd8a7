"""Recruitment at scale: cohorts over five years, applications and their
timelines. The biggest cohort is the one in training now."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from peerprog.core.models import Person
from peerprog.devtools.demo import DEMO_DOMAIN
from peerprog.devtools.scale.base import BATCH, SIZES, ScaleContext
from recruitment.models import (
    Application,
    ApplicationMove,
    Cohort,
    DeferralReason,
    UnsuccessfulReason,
    WithdrawalReason,
)
from recruitment.services import reasons_ensure_defaults

FIRST_NAMES = [
    "Aisha", "Ben", "Chloe", "Dev", "Ella", "Farah", "George", "Hana", "Isla", "Jack",
    "Kofi", "Leah", "Mo", "Nina", "Oscar", "Priya", "Quinn", "Ravi", "Sara", "Theo",
]  # fmt: skip
LAST_NAMES = [
    "Adams", "Bailey", "Chen", "Davies", "Evans", "Fox", "Green", "Hill", "Iqbal", "Jones",
    "Khan", "Lewis", "Mills", "Nguyen", "Owen", "Patel", "Quinn", "Roberts", "Shah", "Taylor",
]  # fmt: skip

Stage = Application.Stage
# A cohort's applications by stage, in this rotation: three in ten accepted
# (the study took 28 of 38), some deferred to a later cohort.
OPEN_CYCLE = [
    Stage.RECEIVED,
    Stage.SHORTLISTED,
    Stage.ACCEPTED,
    Stage.INVITED,
    Stage.ACCEPTED,
    Stage.OFFERED,
    Stage.ACCEPTED,
    Stage.UNSUCCESSFUL,
    Stage.WITHDRAWN,
    Stage.RECEIVED,
]
# Once a cohort's training has started every application has an outcome.
DECIDED_CYCLE = [
    Stage.ACCEPTED,
    Stage.UNSUCCESSFUL,
    Stage.ACCEPTED,
    Stage.UNSUCCESSFUL,
    Stage.ACCEPTED,
    Stage.WITHDRAWN,
    Stage.UNSUCCESSFUL,
    Stage.DEFERRED,
    Stage.WITHDRAWN,
    Stage.UNSUCCESSFUL,
]


def _split(total: int, cohorts: int, biggest: int) -> list[int]:
    rest = total - biggest
    others = cohorts - 1
    sizes = [biggest] + [rest // others] * others
    sizes[-1] += rest - sum(sizes[1:])
    return sizes


def cohort_starts(ctx: ScaleContext, count: int) -> list:
    """Training start days, oldest first, spread over up to five years: the
    last cohort is still recruiting, the one before it is in training."""
    spacing = timedelta(weeks=min(26, 260 // count))
    current = ctx.today - timedelta(weeks=6)
    starts = [current - spacing * (count - 2 - n) for n in range(count - 1)]
    return [*starts, ctx.today + timedelta(weeks=8)]


def seed_recruitment_scale(ctx: ScaleContext) -> None:
    total, cohort_count, biggest = SIZES[ctx.size]
    reasons_ensure_defaults(programme=ctx.programme)
    reason = UnsuccessfulReason.objects.filter(programme=ctx.programme).first()
    withdrawal_reason = WithdrawalReason.objects.filter(
        programme=ctx.programme, reveals_health=False
    ).first()
    deferral_reason = DeferralReason.objects.filter(
        programme=ctx.programme, reveals_health=False
    ).first()
    cohorts = []
    for n, start in enumerate(cohort_starts(ctx, cohort_count)):
        end = start + timedelta(weeks=12)
        if start > ctx.today:
            status = Cohort.Status.RECRUITING
        elif end >= ctx.today:
            status = Cohort.Status.IN_TRAINING
        else:
            status = Cohort.Status.CLOSED
        cohorts.append(
            Cohort(
                programme=ctx.programme,
                name=f"Scale cohort {n + 1:02d}",
                applications_open=start - timedelta(weeks=16),
                applications_close=start - timedelta(weeks=5),
                training_start=start,
                training_end=end,
                capacity=max(12, biggest // 2),
                status=status,
            )
        )
    cohorts = Cohort.objects.bulk_create(cohorts)
    ctx.cohorts = cohorts
    # The biggest cohort is the one in training now.
    biggest_index = len(cohorts) - 2
    ctx.biggest_cohort = cohorts[biggest_index]
    counts = _split(total, cohort_count, biggest)
    counts.insert(biggest_index, counts.pop(0))

    # Deferred applicants apply again to the next cohort, first in its list.
    plan: list[tuple[Cohort, int, str, Application | None]] = []
    deferred: list[int] = []
    for index, (cohort, count) in enumerate(zip(cohorts, counts, strict=True)):
        cycle = OPEN_CYCLE if cohort.training_start > ctx.today else DECIDED_CYCLE
        earlier, deferred = deferred, []
        for n in range(count):
            stage = cycle[n % len(cycle)]
            if stage == Stage.DEFERRED and index == len(cohorts) - 1:
                stage = Stage.WITHDRAWN
            again = earlier[n] if n < len(earlier) else None
            if again is not None and stage == Stage.DEFERRED:
                stage = Stage.ACCEPTED
            if stage == Stage.DEFERRED:
                deferred.append(len(plan))
            plan.append((cohort, n, stage, again))
        for position in earlier[count:]:
            # No room in the next cohort: the earlier application is withdrawn.
            plan[position] = (*plan[position][:2], Stage.WITHDRAWN, plan[position][3])

    new_people = [again is None for (_, _, _, again) in plan]
    people = Person.objects.bulk_create(
        [
            Person(
                programme=ctx.programme,
                first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
                last_name=f"{LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)]}-{n:05d}",
                email=f"applicant{n:05d}@scale-{ctx.size}.{DEMO_DOMAIN}",
                email_allowed=n % 3 != 0,
            )
            for n in range(sum(new_people))
        ],
        batch_size=BATCH,
    )
    person_iter = iter(people)
    applications: list[Application] = []
    for cohort, n, stage, again in plan:
        applications.append(
            Application(
                cohort=cohort,
                person=applications[again].person if again is not None else next(person_iter),
                received_on=cohort.applications_open + timedelta(days=n % 70),
                source=Application.Source.values[n % len(Application.Source.values)],
                stage=stage,
                unsuccessful_reason=reason if stage == Stage.UNSUCCESSFUL else None,
                withdrawal_reason=withdrawal_reason if stage == Stage.WITHDRAWN else None,
                statement="Synthetic statement for scale testing.",
            )
        )
    # A deferred application links to the later one, which exists only once
    # both are written.
    later = {again: i for i, (_, _, _, again) in enumerate(plan) if again is not None}
    for position in later:
        applications[position].stage = Stage.SHORTLISTED
    applications = Application.objects.bulk_create(applications, batch_size=BATCH)
    for position, i in later.items():
        applications[position].stage = Stage.DEFERRED
        applications[position].deferred_to = applications[i]
        applications[position].deferral_reason = deferral_reason
    Application.objects.bulk_update(
        [applications[p] for p in later],
        ["stage", "deferred_to", "deferral_reason"],
        batch_size=BATCH,
    )
    ctx.data["accepted"] = [a for a in applications if a.stage == Stage.ACCEPTED]

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
