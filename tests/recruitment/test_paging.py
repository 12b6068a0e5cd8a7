"""The application list's pages, read a cohort at a time, hold the same
rows in the same order as paging the whole sorted list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from recruitment.models import Application
from recruitment.paging import CohortPaginator
from tests.core.factories import ProgrammeFactory
from tests.training.factories import ApplicationFactory, CohortFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("given_cohorts", "by_cohort"), [(False, False), (True, False), (True, True)]
)
def test_pages_span_cohorts_as_the_whole_sorted_list_does(
    given_cohorts: bool, by_cohort: bool
) -> None:
    programme = ProgrammeFactory()
    today = timezone.localdate()
    newer = CohortFactory(programme=programme, training_start=today)
    older = CohortFactory(programme=programme, training_start=today - timedelta(weeks=30))
    empty = CohortFactory(programme=programme, training_start=today - timedelta(weeks=10))
    for _ in range(30):
        ApplicationFactory(cohort=newer)
    for _ in range(45):
        ApplicationFactory(cohort=older)
    applications = Application.objects.filter(cohort__programme=programme).order_by(
        "-cohort__training_start", "cohort__name", "person__last_name", "person__first_name", "pk"
    )
    whole = Paginator(applications, 20)
    # The cohorts in list order, as the page reads them for its filter.
    order = [newer.pk, empty.pk, older.pk] if given_cohorts else None
    paged = CohortPaginator(applications, 20, cohorts=order, by_cohort=by_cohort)
    assert paged.count == 75
    assert paged.num_pages == 4
    for number in range(1, 5):
        expected = [a.pk for a in whole.page(number)]
        assert [a.pk for a in paged.page(number)] == expected
    # The second page starts in the newer cohort and ends in the older one.
    cohorts = {a.cohort_id for a in paged.page(2)}
    assert cohorts == {newer.pk, older.pk}
    assert empty.pk not in cohorts


def test_an_empty_list_has_one_empty_page() -> None:
    paginator = CohortPaginator(Application.objects.none().order_by("pk"), 50)
    page = paginator.get_page(1)
    assert paginator.count == 0
    assert list(page) == []


@pytest.mark.parametrize("by_cohort", [False, True])
def test_a_cohort_missing_from_the_given_order_still_counts_and_comes_last(
    by_cohort: bool,
) -> None:
    programme = ProgrammeFactory()
    today = timezone.localdate()
    listed = CohortFactory(programme=programme, training_start=today - timedelta(weeks=30))
    added = CohortFactory(programme=programme, training_start=today)
    for cohort in (listed, added):
        for _ in range(3):
            ApplicationFactory(cohort=cohort)
    applications = Application.objects.filter(cohort__programme=programme)

    paginator = CohortPaginator(applications, 50, cohorts=[listed.pk], by_cohort=by_cohort)

    assert paginator.count == 6
    assert paginator.cohort_counts == [(listed.pk, 3), (added.pk, 3)]


def test_counting_cohort_by_cohort_agrees_with_one_grouped_count_under_filters() -> None:
    programme = ProgrammeFactory()
    cohorts = [CohortFactory(programme=programme) for _ in range(3)]
    other = CohortFactory()
    stages = [Application.Stage.RECEIVED, Application.Stage.SHORTLISTED]
    for n in range(14):
        ApplicationFactory(cohort=cohorts[n % 2], stage=stages[n % 3 % 2])
    ApplicationFactory(cohort=other)
    scoped = Application.objects.filter(cohort__programme=programme)
    order = [cohort.pk for cohort in cohorts]
    for applications in (
        scoped,
        scoped.filter(stage=Application.Stage.SHORTLISTED),
        scoped.filter(cohort=cohorts[1]),
        scoped.filter(stage="none such"),
    ):
        grouped = CohortPaginator(applications, 5, cohorts=order)
        counted = CohortPaginator(applications, 5, cohorts=order, by_cohort=True)
        assert counted.cohort_counts == grouped.cohort_counts
        assert counted.count == grouped.count


@pytest.mark.parametrize("by_cohort", [False, True])
def test_pages_read_with_kept_sql_hold_the_same_rows(by_cohort: bool) -> None:
    programme = ProgrammeFactory()
    today = timezone.localdate()
    newer = CohortFactory(programme=programme, training_start=today)
    older = CohortFactory(programme=programme, training_start=today - timedelta(weeks=30))
    for cohort, n in ((newer, 7), (older, 9)):
        for _ in range(n):
            ApplicationFactory(cohort=cohort)
    applications = Application.objects.filter(cohort__programme=programme).order_by(
        "-cohort__training_start", "cohort__name", "person__last_name", "person__first_name", "pk"
    )
    fields = ("pk", "person__last_name", "cohort__name", "stage", "received_on")
    order = [newer.pk, older.pk]

    def pages(key: object) -> list[list[dict[str, object]]]:
        paginator = CohortPaginator(
            applications, 5, fields=fields, cohorts=order, by_cohort=by_cohort, key=key
        )
        return [list(paginator.page(number)) for number in paginator.page_range]

    plain = pages(None)
    assert len(plain) == 4
    assert pages(("test", programme.pk, by_cohort)) == plain
    assert pages(("test", programme.pk, by_cohort)) == plain  # the kept SQL, run again
    assert plain[1][0]["cohort__name"] == newer.name
