"""No registered export makes more queries for more rows: each is written,
as CSV and as XLSX, on a small programme and on one about three times
bigger (the scale data sets), with the same number of queries."""

from __future__ import annotations

import io
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerprog.core import exports, report_changes
from peerprog.core.exports import ExportSpec
from peerprog.core.models import Programme, User, role_group
from peerprog.devtools.management.commands.seed_scale import ScaleContext, seed_scale
from readiness.exports import SURVEY_RESULTS


def exporter(ctx: ScaleContext, spec: ExportSpec) -> User:
    """The programme's lead where the lead may export it, else someone of
    the first role that may (the data protection officer for the read log)."""
    if spec.may_export(ctx.lead):
        return ctx.lead
    email = f"exporter-{spec.key}-{ctx.size}@example.invalid"
    known = User.objects.filter(email=email).first()
    if known is not None:
        return known
    user = User.objects.create_user(
        email,
        full_name="Export Tester",
        programme=ctx.lead.programme,
    )
    user.groups.add(role_group(spec.roles[0]))
    return User.objects.get(pk=user.pk)


def queries_and_rows(ctx: ScaleContext) -> dict[tuple[str, str], tuple[int, int]]:
    figures = {}
    for spec in exports.registered():
        if spec.key == SURVEY_RESULTS:
            # One survey round's results: the scale data holds no survey.
            continue
        user = exporter(ctx, spec)
        for file_format in ("csv", "xlsx"):
            # Each export as on the first view after a change: no report's
            # result kept from before (report_changes).
            report_changes._kept.clear()
            with CaptureQueriesContext(connection) as captured:
                rows = exports.write(spec.key, user, {}, file_format, io.BytesIO())
            figures[spec.key, file_format] = (len(captured.captured_queries), rows)
    return figures


def test_no_export_makes_more_queries_for_more_rows(db: Any) -> None:
    tiny = seed_scale(size="tiny")
    small = seed_scale(size="small")
    assert Programme.objects.count() >= 2
    queries_and_rows(tiny)  # once first, so that no start-up cost is counted

    at_tiny = queries_and_rows(tiny)
    at_small = queries_and_rows(small)

    grew = {
        key: (at_tiny[key][0], at_small[key][0])
        for key in at_small
        if at_tiny[key][0] != at_small[key][0]
    }
    assert grew == {}, f"queries (tiny, small) that grow with the rows: {grew}"
    # The comparison means something: most exports have more rows at the
    # bigger size, the mentor meetings among them.
    more = {key for key in at_small if at_small[key][1] > at_tiny[key][1]}
    assert ("supervision.meetings", "xlsx") in more
    assert len(more) > len(at_small) / 2, sorted(set(at_small) - more)
