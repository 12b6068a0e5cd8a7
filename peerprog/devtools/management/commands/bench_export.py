"""python manage.py bench_export [--rows 100000] [--key KEY --as EMAIL]

Exports many rows through ``exports.write`` as CSV and as XLSX and prints,
for each format, the time taken, the peak of Python memory allocated while
writing (tracemalloc) and the process's peak resident memory.

Without ``--key`` it builds a throwaway programme of ``--rows`` people
(bulk inserts inside a transaction that is rolled back at the end, so
nothing is left behind) and exports them with a benchmark spec of the same
shape as a real list: names, contact details and a special-category column,
read from the database in chunks. With ``--key`` it exports a registered
list as the given user, over whatever data is there (``seed_scale``, say).

Timings vary with the machine: they are printed, never asserted.
"""

from __future__ import annotations

import resource
import tempfile
import time
import tracemalloc
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.http import QueryDict

from peerprog.core import exports
from peerprog.core.exports import Column, ExportSpec
from peerprog.core.models import (
    Organisation,
    Person,
    Programme,
    Role,
    SensitiveFacts,
    User,
    role_group,
)

BENCH_KEY = "core.bench-people"
BATCH = 5_000


class Rollback(Exception):
    """Raised to undo the benchmark's records."""


def _people(user: User, params: QueryDict) -> Any:
    return (
        Person.objects.filter(programme_id=user.programme_id)
        .select_related("sensitive")
        .order_by("pk")
    )


def _disability(person: Person) -> str:
    facts = getattr(person, "sensitive", None)
    return facts.get_disability_display() if facts else ""


BENCH_SPEC = ExportSpec(
    key=BENCH_KEY,
    title="People (benchmark)",
    roles=(Role.PROGRAMME_LEAD,),
    columns=[
        Column("First name", lambda p: p.first_name),
        Column("Last name", lambda p: p.last_name),
        Column("E-mail", lambda p: p.email),
        Column("Phone", lambda p: p.phone),
        Column("Date of birth", lambda p: p.date_of_birth),
        Column("Address", lambda p: p.address),
        Column("Agrees to e-mail", lambda p: p.email_allowed),
        Column("Added", lambda p: p.created_at),
        Column("Disability", _disability, sensitive=True),
    ],
    rows=_people,
)


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Time and peak memory of exporting many rows as CSV and XLSX."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--key", default="", help="A registered export to run instead.")
        parser.add_argument("--as", dest="email", default="", help="The exporting user.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["key"]:
            try:
                user = User.objects.get(email__iexact=options["email"])
            except User.DoesNotExist:
                raise CommandError("--key needs --as with the e-mail of a user.") from None
            self._measure(options["key"], user)
            return
        exports.register(BENCH_SPEC)
        try:
            with transaction.atomic():
                user = self._build(options["rows"])
                self._measure(BENCH_KEY, user)
                raise Rollback
        except Rollback:
            self.stdout.write("The benchmark's records have been removed.")

    def _build(self, count: int) -> User:
        started = time.perf_counter()
        organisation = Organisation.objects.create(name="Benchmark export trust")
        programme = Programme.objects.create(
            name="Benchmark export programme", lead_organisation=organisation
        )
        user = User.objects.create_user(
            "bench-export-lead@example.invalid", full_name="Bench Lead", programme=programme
        )
        user.groups.add(role_group(Role.PROGRAMME_LEAD))
        for start in range(0, count, BATCH):
            people = Person.objects.bulk_create(
                Person(
                    programme=programme,
                    first_name=f"Person{number}",
                    last_name="=Formula" if number % 1000 == 0 else f"Surname{number % 977}",
                    email=f"person{number}@example.invalid",
                    phone=f"+44 7700 900{number % 1000:03d}",
                    date_of_birth=date(1960 + number % 40, 1 + number % 12, 1 + number % 28),
                    address=f"{number} Example Street\nExampletown",
                    email_allowed=number % 2 == 0,
                )
                for number in range(start, min(count, start + BATCH))
            )
            SensitiveFacts.objects.bulk_create(
                SensitiveFacts(person=person, disability=SensitiveFacts.Disclosure.PREFER_NOT)
                for person in people[::3]
            )
        self.stdout.write(f"Built {count:,} people in {time.perf_counter() - started:.1f} s.")
        return user

    def _measure(self, key: str, user: User) -> None:
        spec = exports.get_spec(key)
        self.stdout.write(
            f"Exporting {spec.title} as {user} ({len(spec.columns_for(user))} columns)"
        )
        for file_format in ("csv", "xlsx"):
            with tempfile.TemporaryFile() as out:
                started = time.perf_counter()
                rows = exports.write(key, user, {}, file_format, out)
                elapsed = time.perf_counter() - started
                size = out.tell()
            # A second run under tracemalloc for the peak of Python
            # allocations (it slows the run, so it is not timed).
            with tempfile.TemporaryFile() as out:
                tracemalloc.start()
                exports.write(key, user, {}, file_format, out)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            self.stdout.write(
                f"{file_format.upper():4} {rows:>9,} rows  {elapsed:6.1f} s  "
                f"{rows / elapsed:>8,.0f} rows/s  file {size / 1_048_576:6.1f} MB  "
                f"peak traced {peak / 1_048_576:6.1f} MB  "
                f"process peak RSS {_peak_rss_mb():6.0f} MB"
            )
