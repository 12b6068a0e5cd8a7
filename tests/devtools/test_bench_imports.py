"""The imports benchmark previews and imports its file through the jobs,
prints its figures, and leaves nothing behind."""

from __future__ import annotations

import pytest

from peerprog.core.models import PendingImport, Person, Programme
from peerprog.devtools.bench_imports import measure

pytestmark = pytest.mark.django_db


def test_the_benchmark_measures_a_preview_and_an_import_and_leaves_nothing() -> None:
    programmes = Programme.objects.count()

    figures = measure(40)

    assert figures["result"] == "Imported 40 rows: 40 new, 0 updated, 0 unchanged."
    assert figures["preview_s"] >= 0 and figures["confirm_s"] >= 0
    assert figures["confirm_peak_mb"] >= figures["baseline_mb"] > 0
    assert Programme.objects.count() == programmes
    assert not Person.objects.filter(email__endswith="@example.invalid").exists()
    assert not PendingImport.objects.filter(filename="bench.csv").exists()
