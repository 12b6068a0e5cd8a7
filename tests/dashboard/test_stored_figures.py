"""The dashboard reads each cohort's figures from a stored row, counted
again after writes (debounced) and every 15 minutes: the stored figures are
the live ones, the page says how old they are."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from peerprog.celery import app
from peerprog.core.models import Service
from peerprog.dashboard import refresh_queue, selectors
from peerprog.dashboard.models import CohortFigures
from peerprog.dashboard.services import dashboard_figures_refresh
from peerprog.devtools.demo import seed_demo
from recruitment.models import Cohort
from training.models import Enrolment

pytestmark = pytest.mark.django_db

STUDY_COHORTS = ("Cohort 1", "Cohort 2")
TASK = "peerprog.dashboard.tasks.dashboard_figures_refresh_programme"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for this module (and removed after)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            ctx = seed_demo()
            dashboard_figures_refresh(programme=ctx.programme)
            yield ctx
            transaction.set_rollback(True)


def _scope(seeded, cohorts=None):
    chosen = list(Cohort.objects.filter(programme=seeded.programme, name__in=cohorts or ()))
    return selectors.report_scope(user=seeded.users["admin"], cohorts=chosen)


def _shown(dashboard):
    """Every figure the dashboard page shows, as plain values."""
    return {
        "funnel": [
            (label, [(c.count, c.rate, c.out_of) for c in cells])
            for label, cells in dashboard.funnel_rows
        ],
        "reasons": dashboard.training.reason_rows(),
        "not completed": [
            (c.portfolio_not_completed, c.left) for c in dashboard.training.all_columns
        ],
        "mentoring": [
            (
                m.label,
                m.mentors,
                m.mentors_with_several,
                m.mentors_with_several_overall,
                m.met,
                m.on_track,
                m.behind,
                m.compliance_rate,
            )
            for m in dashboard.mentoring
        ],
        "supervision": vars(dashboard.supervision),
        "induction": dashboard.induction,
        "in post training": dashboard.in_post_training,
        "retention": [
            (c.label, c.employed, c.still_in_post, c.retention.milestones)
            for c in dashboard.employment.all_columns
        ],
        "by service": dashboard.employment.by_service,
        "curves": [(label, curve.steps) for label, curve in dashboard.curves],
        "interviews": dashboard.interviews,
        "snapshots": dashboard.snapshots,
    }


def test_stored_figures_show_the_studys_published_funnel(seeded):
    dashboard = selectors.stored_dashboard(scope=_scope(seeded, STUDY_COHORTS))

    steps = {step.label: step for step in dashboard.total_funnel.steps}
    assert steps["Applications"].count == 38
    assert steps["Trainees"].count == 28
    assert (steps["Completed"].count, steps["Completed"].rate) == (10, 36)
    assert steps["Eligible for posts"].count == 10
    assert steps["Employed"].count == 7
    at_24 = steps["In post at 24 months"]
    assert (at_24.count, at_24.out_of) == (7, 7)


@pytest.mark.parametrize("cohorts", [STUDY_COHORTS, ("Cohort 2",), None])
def test_stored_figures_equal_the_live_count(seeded, cohorts):
    scope = _scope(seeded, cohorts)

    stored = selectors.stored_dashboard(scope=scope)
    live = selectors.programme_dashboard(scope=scope)

    assert _shown(stored) == _shown(live)


def test_stored_figures_for_one_service_equal_the_live_count(seeded):
    scope = _scope(seeded, STUDY_COHORTS)
    live_all = selectors.programme_dashboard(scope=scope)
    service = Service.objects.get(pk=live_all.employment.total.workers[0].first_service_id)
    scope = selectors.report_scope(
        user=seeded.users["admin"], cohorts=list(scope.cohorts), service=service
    )

    assert _shown(selectors.stored_dashboard(scope=scope)) == _shown(
        selectors.programme_dashboard(scope=scope)
    )


def test_the_page_says_how_old_its_figures_are(seeded):
    client = Client()
    client.force_login(seeded.users["admin"])
    CohortFigures.objects.filter(programme=seeded.programme).update(
        refreshed_at=timezone.now() - timedelta(days=2)
    )
    old = timezone.localtime(timezone.now() - timedelta(days=2))

    page = client.get(reverse("dashboard:programme")).content.decode()

    assert f"Figures as of {old:%H:%M} on {old.day} {old:%B %Y}." in page


def test_the_page_counts_the_figures_on_its_first_view(seeded):
    CohortFigures.objects.filter(programme=seeded.programme).delete()
    client = Client()
    client.force_login(seeded.users["admin"])

    page = client.get(reverse("dashboard:programme")).content.decode()

    stored = CohortFigures.objects.filter(programme=seeded.programme).first()
    shown = timezone.localtime(stored.refreshed_at)
    assert f"Figures as of {shown:%H:%M}." in page


def test_the_figures_are_counted_again_every_15_minutes():
    task = PeriodicTask.objects.get(task="peerprog.dashboard.tasks.dashboard_figures_refresh_all")

    assert task.enabled
    assert (task.interval.every, task.interval.period) == (15, "minutes")


def _queued_refreshes(queue: redis.Redis) -> list[list[int]]:
    found = []
    for message in queue.lrange("celery", 0, -1):
        body = json.loads(message)
        if body["headers"]["task"] == TASK:
            found.append(json.loads(base64.b64decode(body["body"]))[0])
    return found


@pytest.fixture
def broker():
    """Tasks queue to the real Redis broker (no worker takes them)."""
    assert settings.REDIS_URL
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    queue = redis.Redis.from_url(settings.REDIS_URL)
    app.control.purge()
    yield queue
    app.control.purge()
    app.conf.task_always_eager = previous


def test_a_write_queues_one_refresh_of_its_programme(
    seeded, broker, django_capture_on_commit_callbacks
):
    refresh_queue.release(seeded.programme.pk)
    enrolment = Enrolment.objects.filter(cohort__programme=seeded.programme).first()

    with django_capture_on_commit_callbacks(execute=True):
        enrolment.save()

    assert _queued_refreshes(broker) == [[seeded.programme.pk]]
    refresh_queue.release(seeded.programme.pk)


def test_a_burst_of_writes_queues_one_refresh(seeded, broker, django_capture_on_commit_callbacks):
    refresh_queue.release(seeded.programme.pk)
    enrolments = Enrolment.objects.filter(cohort__programme=seeded.programme)[:5]

    for enrolment in enrolments:
        with django_capture_on_commit_callbacks(execute=True):
            enrolment.save()

    assert _queued_refreshes(broker) == [[seeded.programme.pk]]
    assert cache.get(refresh_queue.key(seeded.programme.pk)) == "queued"
    refresh_queue.release(seeded.programme.pk)


def test_a_write_after_the_refresh_started_queues_another(
    seeded, broker, django_capture_on_commit_callbacks
):
    from peerprog.dashboard.tasks import dashboard_figures_refresh_programme

    refresh_queue.release(seeded.programme.pk)
    enrolment = Enrolment.objects.filter(cohort__programme=seeded.programme).first()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.save()
    dashboard_figures_refresh_programme.apply(args=[seeded.programme.pk])

    with django_capture_on_commit_callbacks(execute=True):
        enrolment.save()

    assert len(_queued_refreshes(broker)) == 2
    refresh_queue.release(seeded.programme.pk)


def test_a_rolled_back_write_queues_nothing(seeded, broker):
    refresh_queue.release(seeded.programme.pk)
    enrolment = Enrolment.objects.filter(cohort__programme=seeded.programme).first()

    enrolment.save()  # the test's transaction never commits

    assert _queued_refreshes(broker) == []


def test_in_the_demo_a_request_refreshes_its_programme_once(
    seeded, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    enrolments = list(Enrolment.objects.filter(cohort__programme=seeded.programme)[:3])

    def view(request: HttpRequest) -> HttpResponse:
        # Three writes, each committed (the test's transaction holds back
        # commit callbacks: they run as each write ends).
        for enrolment in enrolments:
            with django_capture_on_commit_callbacks(execute=True):
                enrolment.save()
        return HttpResponse("ok")

    with CaptureQueriesContext(connection) as queries:
        refresh_queue.refresh_after_request(view)(RequestFactory().get("/"))

    stored = [q for q in queries.captured_queries if 'INTO "dashboard_cohortfigures"' in q["sql"]]
    assert len(stored) == 1
