"""What every step of the scale data set shares: the sizes, the context
passed from step to step, and quick ways to make many staff users."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from peerprog.core.models import Programme, Role, User
from peerprog.devtools.demo import DEMO_DOMAIN
from recruitment.models import Cohort

SIZES = {
    # applications, cohorts, applications in the biggest cohort
    "tiny": (40, 3, 14),  # for tests only: query counts at two sizes
    "small": (100, 3, 20),
    "medium": (1_000, 5, 200),
    "large": (10_000, 50, 2_000),
}
BATCH = 2_000


@dataclass
class ScaleContext:
    size: str
    programme: Programme
    lead: User
    today: date
    rng: random.Random = field(default_factory=lambda: random.Random(20_260_301))
    cohorts: list[Cohort] = field(default_factory=list)
    biggest_cohort: Cohort | None = None
    staff: dict[str, User] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    timings: list[tuple[str, float]] = field(default_factory=list)
    # What one step leaves for the next (enrolments, appointments, ...).
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def factor(self) -> float:
        """This size as a share of the largest (1.0 at large)."""
        return SIZES[self.size][0] / SIZES["large"][0]

    def scaled(self, at_large: int, minimum: int = 1) -> int:
        return max(minimum, round(at_large * self.factor))


def staff_users(ctx: ScaleContext, role: str, count: int, key: str, **values: Any) -> list[User]:
    """``count`` members of staff holding ``role``, who cannot sign in until
    someone sets their password."""
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                email=f"scale-{key}-{n:04d}-{ctx.size}@{DEMO_DOMAIN}",
                full_name=f"{key.title()} {n + 1:04d} ({ctx.size})",
                programme=ctx.programme,
                password=unusable,
                **values,
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    group = Group.objects.get(name=role)
    Through = User.groups.through
    Through.objects.bulk_create(
        [Through(user_id=u.pk, group_id=group.pk) for u in users], batch_size=BATCH
    )
    return users


__all__ = ["BATCH", "SIZES", "Role", "ScaleContext", "staff_users"]
