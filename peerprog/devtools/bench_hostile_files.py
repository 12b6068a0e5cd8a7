"""How long each hostile file takes to be refused, and the memory its
reading takes: ``python manage.py bench_hostile_files``, also run by ``make bench``.

Every refusal should take under 2 s and 512 MB; the figures are printed,
not asserted (tests assert the refusal and a memory bound, never a time).
Peak memory is measured with tracemalloc, which slows allocation-heavy code,
so each file is timed once without it and read again with it.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable

from peerprog.core.import_reading import ImportRefused, Oversized, Rows, format_of
from peerprog.devtools import hostile_files

AWKWARD: dict[str, tuple[str, Callable[[], bytes]]] = {
    **hostile_files.HOSTILE,
    "UTF-16 CSV with its mark (read)": ("utf16.csv", hostile_files.utf16_csv),
    "CSV value of 131,073 characters (read, an error of its row)": (
        "long.csv",
        hostile_files.long_field_csv,
    ),
    "claimed dimension over 5,000 rows (read)": (
        "rows.xlsx",
        hostile_files.dimension_with_rows,
    ),
}


def _read(name: str, content: bytes) -> str:
    try:
        rows = Rows(content, format_of(name))
        read = unreadable = 0
        for _number, cells in rows:
            read += 1
            unreadable += sum(1 for cell in cells if isinstance(cell, Oversized))
    except ImportRefused as refusal:
        return "refused: " + refusal.message
    errors = (
        f", {unreadable:,} value{'s' if unreadable != 1 else ''} too long" if unreadable else ""
    )
    return f"read {read:,} rows{errors}"


def measure() -> list[dict[str, object]]:
    results = []
    for label, (name, build) in AWKWARD.items():
        content = build()
        started = time.perf_counter()
        outcome = _read(name, content)
        seconds = time.perf_counter() - started
        tracemalloc.start()
        try:
            _read(name, content)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        results.append(
            {
                "file": label,
                "bytes": len(content),
                "seconds": seconds,
                "peak_mb": peak / (1024 * 1024),
                "outcome": outcome,
            }
        )
    return results


def report() -> str:
    lines = [f"{'file':44} {'size':>10} {'time':>8} {'peak':>9}  outcome"]
    for result in measure():
        lines.append(
            f"{result['file']:44} {result['bytes']:>8,} B {result['seconds']:>6.2f} s "
            f"{result['peak_mb']:>6.1f} MB  {str(result['outcome'])[:70]}"
        )
    return "\n".join(lines)
