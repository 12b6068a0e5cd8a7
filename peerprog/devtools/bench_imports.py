"""The benchmark of imports: the preview and the import of a file of 5,000
and of 50,000 applications, through the same jobs a worker runs, each size
in a fresh process so that its peak memory is its own.

Each run builds a throwaway programme, cohort and lead inside a transaction
that is rolled back at the end, so nothing is left behind. A tenth of the
file's people are already on record (matched by e-mail, their applications
to the cohort new), as when a list is loaded again with new names on it.
Timings vary with the machine and with whatever else runs on it (the
process's own CPU seconds are printed beside the wall-clock ones; the
database's work is in the latter only): they are printed, never asserted.
Used by ``python manage.py bench_imports``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from peerprog.core import import_jobs
from peerprog.core.models import (
    Organisation,
    PendingImport,
    Person,
    Programme,
    Role,
    User,
    role_group,
)
from recruitment.models import Cohort

SIZES = (5_000, 50_000)
HEADER = (
    "First name,Last name,E-mail,Phone,Date of birth,Agrees to e-mail,Source,"
    "Received on,Statement\n"
)
KNOWN_SHARE = 10


class Rollback(Exception):
    """Raised to undo the benchmark's records."""


def _status_mb(name: str) -> float | None:
    """A figure of /proc/self/status (Linux), in MB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(name + ":"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _reset_peak() -> None:
    """Start counting the peak memory afresh (Linux: the resident set's
    high-water mark is reset), so each phase's peak is its own and not the
    setting up's."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass


def _peak_mb() -> float:
    """The process's peak resident memory since ``_reset_peak``, where the
    system can say; else since it started (ru_maxrss, kilobytes on Linux)."""
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _now_mb() -> float:
    now = _status_mb("VmRSS")
    return now if now is not None else _peak_mb()


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def applications_file(rows: int) -> bytes:
    lines = [HEADER]
    for number in range(rows):
        lines.append(
            f"Applicant{number},Surname{number % 977},applicant{number}@example.invalid,"
            f"07700 9{number % 100000:05d},{1 + number % 28:02d}/{1 + number % 12:02d}/"
            f"{1960 + number % 40},yes,Flyer,03/01/2027,I would like to help others\n"
        )
    return "".join(lines).encode()


def _build(rows: int) -> tuple[User, Cohort]:
    organisation = Organisation.objects.create(name="Benchmark import trust")
    programme = Programme.objects.create(
        name="Benchmark import programme", lead_organisation=organisation
    )
    user = User.objects.create_user(
        "bench-import-lead@example.invalid", full_name="Bench Lead", programme=programme
    )
    user.groups.add(role_group(Role.PROGRAMME_LEAD))
    cohort = Cohort.objects.create(
        programme=programme,
        name="Benchmark cohort",
        applications_open=date(2027, 1, 1),
        applications_close=date(2027, 3, 1),
        training_start=date(2027, 4, 1),
        training_end=date(2027, 6, 1),
        capacity=20,
        status=Cohort.Status.RECRUITING,
    )
    Person.objects.bulk_create(
        (
            Person(
                programme=programme,
                first_name=f"Applicant{number}",
                last_name=f"Surname{number % 977}",
                email=f"applicant{number}@example.invalid",
            )
            for number in range(0, rows, KNOWN_SHARE)
        ),
        batch_size=1000,
    )
    return user, cohort


def measure(rows: int) -> dict[str, Any]:
    """Preview and import ``rows`` applications in this process; the
    figures as a dict. Run it in a fresh process (``import_figures``)."""
    figures: dict[str, Any] = {"rows": rows}
    try:
        with transaction.atomic():
            user, cohort = _build(rows)
            content = applications_file(rows)
            pending = PendingImport.objects.create(
                programme=user.programme,
                importer="recruitment.applications",
                created_by=user,
                filename="bench.csv",
                file_format=PendingImport.Format.CSV,
                content=content,
                options={"cohort_id": cohort.pk},
            )
            figures["file_mb"] = round(len(content) / 1_048_576, 1)
            figures["baseline_mb"] = _now_mb()
            _reset_peak()
            started, cpu = time.perf_counter(), _cpu_s()
            assert import_jobs.import_preview_job(pending_id=pending.pk)
            figures["preview_s"] = round(time.perf_counter() - started, 1)
            figures["preview_cpu_s"] = round(_cpu_s() - cpu, 1)
            figures["preview_peak_mb"] = _peak_mb()
            pending.refresh_from_db()
            assert pending.status == PendingImport.Status.PREVIEWED, pending.message
            PendingImport.objects.filter(pk=pending.pk).update(
                status=PendingImport.Status.IMPORT_QUEUED
            )
            _reset_peak()
            started, cpu = time.perf_counter(), _cpu_s()
            assert import_jobs.import_confirm_job(pending_id=pending.pk)
            figures["confirm_s"] = round(time.perf_counter() - started, 1)
            figures["confirm_cpu_s"] = round(_cpu_s() - cpu, 1)
            figures["confirm_peak_mb"] = _peak_mb()
            pending.refresh_from_db()
            figures["result"] = pending.message
            raise Rollback
    except Rollback:
        pass
    return figures


def import_figures(sizes: tuple[int, ...] = SIZES) -> list[dict[str, Any]]:
    results = []
    for rows in sizes:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "bench_imports", "--measure", str(rows)],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results
