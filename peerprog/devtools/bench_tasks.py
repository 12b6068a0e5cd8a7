"""The benchmark's measurements of work that is not a page: exports of
100,000 rows and the mentor meetings export, CSV and XLSX (time, peak
memory and how many times the CSV's time the XLSX takes), each reminder
scan, and one month's retention snapshot (time and queries). Used by
``python manage.py bench`` (``--exports-only`` for the exports alone)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deployment.models import RetentionSnapshot
from deployment.snapshots import previous_month, retention_snapshot_take
from peerprog.core import export_specs, exports
from peerprog.core.models import Role
from peerprog.core.reminders import registry
from peerprog.devtools.bench_imports import _cpu_s, _now_mb, _peak_mb, _reset_peak
from peerprog.devtools.benchmark import largest_programme, user_for
from training.models import Attendance

EXPORT_ROWS = 100_000
EXPORT_HEADERS = ["Cohort", "Session", "Date", "Trainee", "Mark", "Recorded at"]


def export_rows(limit: int = EXPORT_ROWS) -> Iterator[tuple[Any, ...]]:
    """Register marks (session, trainee, mark) as an export would list them,
    read in chunks. The largest data set holds fewer than 100,000, so the
    query runs again until ``limit`` rows have been written: the cost of
    reading is counted on every pass."""
    query = Attendance.objects.order_by("pk").values_list(
        "session__cohort__name",
        "session__title",
        "session__date",
        "enrolment__person__last_name",
        "status",
        "recorded_at",
    )
    written = 0
    while written < limit:
        before = written
        for row in query.iterator(chunk_size=5_000):
            yield row
            written += 1
            if written >= limit:
                return
        if written == before:
            return


def _start_measuring() -> float:
    """The process's memory now, in MB, with its peak counted afresh from
    here (on Linux), so that the peak is the export's and not Django's
    start-up."""
    baseline = _now_mb()
    _reset_peak()
    return baseline


def measure_export(file_format: str, out: Path) -> dict[str, Any]:
    """Write the export to ``out`` in this process and report seconds, rows
    and peak memory. Run it in a fresh process (see ``export_figures``) so
    that the peak is the export's own."""
    connection.ensure_connection()
    if file_format.startswith("meetings-"):
        return _measure_registered(file_format.removeprefix("meetings-"), out)
    rows = 0

    def counted() -> Iterator[tuple[Any, ...]]:
        nonlocal rows
        for row in export_rows():
            rows += 1
            yield row

    columns = [
        exports.Column(header, itemgetter(index)) for index, header in enumerate(EXPORT_HEADERS)
    ]
    baseline = _start_measuring()
    started, cpu = time.perf_counter(), _cpu_s()
    with out.open("wb") as handle:
        if file_format == "xlsx":
            export_specs._write_xlsx("Register", columns, counted(), handle, None)
        else:
            export_specs._write_csv(columns, counted(), handle, None)
    seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "cpu_s": round(_cpu_s() - cpu, 2),
        "peak_mb": _peak_mb(),
        "baseline_mb": baseline,
        "file_mb": round(out.stat().st_size / 1_048_576, 1),
    }


def _measure_registered(file_format: str, out: Path) -> dict[str, Any]:
    """The kernel's registered export with the most rows on the scale data
    (every mentor meeting), written by ``peerprog.core.exports.write`` as
    the export page does, by a programme lead."""
    user = user_for(largest_programme(), Role.PROGRAMME_LEAD)
    baseline = _start_measuring()
    started, cpu = time.perf_counter(), _cpu_s()
    with out.open("wb") as handle:
        rows = exports.write("supervision.meetings", user, {}, file_format, handle)
    return {
        "rows": rows,
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_s": round(_cpu_s() - cpu, 2),
        "peak_mb": _peak_mb(),
        "baseline_mb": baseline,
        "file_mb": round(out.stat().st_size / 1_048_576, 1),
    }


def export_figures(folder: Path) -> dict[str, Any]:
    """Each format's export in its own process, for an honest peak memory:
    100,000 register marks through the kernel's CSV and XLSX writers, and
    the largest registered export (mentor meetings) through its ``write``."""
    figures = {}
    folder.mkdir(parents=True, exist_ok=True)
    for file_format in ("csv", "xlsx", "meetings-csv", "meetings-xlsx"):
        out = folder / f"export-bench.{file_format}"
        result = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "manage.py",
                "bench",
                "--measure-export",
                file_format,
                "--out",
                str(folder),
            ],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        figures[file_format] = json.loads(result.stdout.strip().splitlines()[-1])
        out.unlink(missing_ok=True)
    for prefix in ("", "meetings-"):
        csv_seconds = figures[f"{prefix}csv"]["seconds"]
        figures[f"{prefix}xlsx"]["xlsx_to_csv"] = round(
            figures[f"{prefix}xlsx"]["seconds"] / max(csv_seconds, 0.01), 2
        )
    return figures


def reminder_scan_figures() -> dict[str, Any]:
    """Every registered reminder scan run once for today: seconds, queries,
    and how many reminders it found. Scans only read; nothing is raised."""
    today = timezone.localdate()
    figures = {}
    for group in registry.groups():
        for scan in registry.scans(group):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                found = len(list(scan(today)))
                seconds = time.perf_counter() - started
            figures[f"{group}: {scan.__name__}"] = {
                "seconds": round(seconds, 3),
                "queries": len(captured.captured_queries),
                "reminders": found,
            }
    return figures


def snapshot_figures() -> dict[str, Any]:
    """Last month's retention snapshot taken again in a transaction that is
    rolled back, so the stored figures stay as they were."""
    month = previous_month()
    with transaction.atomic():
        RetentionSnapshot.objects.filter(month=month).delete()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            rows = retention_snapshot_take(month=month)
            seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "month": f"{month:%B %Y}",
        "seconds": round(seconds, 3),
        "queries": len(captured.captured_queries),
        "rows": rows,
    }


def subject_access_figures() -> dict[str, Any]:
    """A subject access request for the person with the fullest history (a
    peer worker in post who trained here, with the most attendance rows):
    the records gathered from every app and the zip written to scratch
    space, in a transaction that is rolled back."""
    import tempfile

    from peerprog.core.audit import system_user
    from peerprog.core.models import Person
    from peerprog.core.privacy import subject_access, subject_access_build
    from peerprog.core.privacy.subject_access_models import SubjectAccessRequest

    person = (
        Person.objects.filter(appointments__isnull=False)
        .annotate(rows=Count("enrolments__attendances"))
        .order_by("-rows", "pk")
        .first()
    )
    if person is None:
        return {}
    with transaction.atomic():
        request = SubjectAccessRequest.objects.create(
            programme_id=person.programme_id,
            person=person,
            requested_by=system_user(),
        )
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            archive = subject_access.gather(person=person)
            with tempfile.TemporaryFile() as out:
                subject_access_build.write_archive(request, archive, out)
                size = out.tell()
            seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "seconds": round(seconds, 3),
        "queries": len(captured.captured_queries),
        "rows": sum(len(rows) for rows in archive.kinds.values()),
        "files": len(archive.files),
        "bytes": size,
    }


def erasure_figures() -> dict[str, Any]:
    """The erasure of the same person (the fullest history), approved by
    the system user, in a transaction that is rolled back: the records
    anonymised across every app, the name taken out of others' history,
    and the fields of others' records listed for review."""
    from peerprog.core.audit import system_user
    from peerprog.core.models import Person
    from peerprog.core.privacy import erasure

    person = (
        Person.objects.filter(appointments__isnull=False)
        .annotate(rows=Count("enrolments__attendances"))
        .order_by("-rows", "pk")
        .first()
    )
    if person is None:
        return {}
    by = system_user()
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            mentions = erasure.mentions_find(person=person)
            erased = erasure.person_erase(person=person, by=by)
            seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "seconds": round(seconds, 3),
        "queries": len(captured.captured_queries),
        "records": sum(erased.values()),
        "mentions": len(mentions),
    }


def task_figures(folder: Path) -> dict[str, Any]:
    started = timezone.now()
    figures: dict[str, Any] = {}
    # A failure in one measurement must not lose the pages' table.
    for name, measure in (
        ("exports", lambda: export_figures(folder)),
        ("reminder_scans", reminder_scan_figures),
        ("retention_snapshot", snapshot_figures),
        ("subject_access", subject_access_figures),
        ("erasure", erasure_figures),
    ):
        try:
            figures[name] = measure()
        except Exception as error:
            figures[f"{name} failed"] = f"{type(error).__name__}: {error}"[:200]
    figures["seconds"] = round((timezone.now() - started) / timedelta(seconds=1), 1)
    return figures
