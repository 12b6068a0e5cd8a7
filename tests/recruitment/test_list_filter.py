"""The application list's filter: its fields written directly show what
Django's widgets would, its choices follow the programme's cohorts and
reasons as they are now, and a cohort's figures, read in one statement, are
those of two queries and stay live."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django import forms
from django.http import Http404
from django.template import engines
from django.urls import reverse

from recruitment import selectors
from recruitment.filters import ApplicationFilter, QuickTextInput, blank_fields_html
from recruitment.models import Application, Cohort
from recruitment.selectors import cohort_values
from recruitment.selectors import reasons as reason_selectors
from recruitment.selectors.figure_rows import figure_rows, figure_rows_apart
from tests.conftest import World
from tests.recruitment.factories import (
    ApplicationFactory,
    CohortFactory,
    InformationEventFactory,
    UnsuccessfulReasonFactory,
    WithdrawalReasonFactory,
)
from tests.recruitment.test_views import signed_in

pytestmark = pytest.mark.django_db

Stage = Application.Stage

# How the list's template drew the filter before its fields were written
# from one pattern: a loop over the form.
_LOOP = engines["django"].from_string(
    "{% for field in filter.form %}\n"
    '  <div class="col-sm-6 col-md-4 col-lg-2">\n'
    '    <label for="{{ field.id_for_label }}" class="form-label small">{{ field.label }}</label>\n'
    "    {{ field.as_widget }}\n"
    "  </div>\n"
    "  {% endfor %}"
)


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, {"class": "form-control", "id": "id_q"}),
        ("", {"class": "form-control"}),
        ('Smith & "Jones" <b>', {"id": "id_q", "aria-invalid": "true"}),
        ("x", {"required": True, "disabled": False, "data-n": 3}),
    ],
)
def test_the_search_box_is_written_as_django_writes_it(value: Any, attrs: dict[str, Any]) -> None:
    assert QuickTextInput().render("q", value, attrs) == forms.TextInput().render("q", value, attrs)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"q": 'Sm<i>th "&'},
        {"stage": Stage.SHORTLISTED, "source": "flyer", "arrived": "online"},
        {"cohort": "999999", "reason": "not-a-reason"},
    ],
)
def test_the_filter_fields_are_those_a_loop_over_the_form_draws(
    world: World, data: dict[str, str] | None
) -> None:
    lead = world.users["lead"]
    UnsuccessfulReasonFactory(programme=world.programme, label="Not <yet> ready")
    reasons, cohorts = reason_selectors.list_filter_values(user=lead)

    def made() -> ApplicationFilter:
        return ApplicationFilter(
            data,
            queryset=Application.objects.none(),
            programme_id=world.programme.pk,
            reasons=reasons,
            cohorts=cohorts,
        )

    # Twice: the second time the selects are those written before.
    for _ in range(2):
        assert made().fields_html() == _LOOP.render({"filter": made()})
    if data and "cohort" in data:
        assert 'aria-invalid="true"' in made().fields_html()


def test_the_empty_filter_fields_kept_are_those_of_a_filter_given_nothing(world: World) -> None:
    lead = world.users["lead"]
    UnsuccessfulReasonFactory(programme=world.programme, label="Not <yet> ready")

    def drawn() -> tuple[str, str]:
        reasons, cohorts = reason_selectors.list_filter_values(user=lead)
        given_nothing = ApplicationFilter(
            None,
            queryset=Application.objects.none(),
            programme_id=world.programme.pk,
            reasons=reasons,
            cohorts=cohorts,
        )
        return blank_fields_html(reasons=reasons, cohorts=cohorts), given_nothing.fields_html()

    kept, fresh = drawn()
    assert kept == fresh
    CohortFactory(programme=world.programme, name="Autumn <intake>")
    kept_after, fresh_after = drawn()
    assert kept_after == fresh_after != kept
    assert "Autumn &lt;intake&gt;</option>" in kept_after


def test_the_filter_offers_cohorts_and_reasons_as_they_are_now(world: World) -> None:
    lead = world.users["lead"]
    cohort = CohortFactory(programme=world.programme, name="Spring intake")
    client = signed_in(lead)
    url = reverse("recruitment:application-list")
    assert "Spring intake</option>" in client.get(url).content.decode()
    cohort.name = "Summer intake"
    cohort.save()
    assert "Summer intake</option>" in client.get(url).content.decode()
    reason = UnsuccessfulReasonFactory(programme=world.programme, label="No places left")
    page = client.get(url, {"cohort": cohort.pk}).content.decode()
    assert "Spring intake" not in page
    assert f'<option value="{cohort.pk}" selected>Summer intake</option>' in page
    assert f'<option value="{reason.pk}">No places left</option>' in page


def test_the_list_reads_reasons_and_cohorts_as_their_own_selectors_do(world: World) -> None:
    lead = world.users["lead"]
    same_day = date(2031, 3, 3)
    CohortFactory(programme=world.programme, name="B cohort", training_start=same_day)
    CohortFactory(programme=world.programme, name="A cohort", training_start=same_day)
    CohortFactory(programme=world.programme, name="Older", training_start=date(2020, 1, 1))
    UnsuccessfulReasonFactory(programme=world.programme, label="Zed", order=1)
    UnsuccessfulReasonFactory(programme=world.programme, label="Alpha", order=1)
    UnsuccessfulReasonFactory(programme=world.programme, label="Gone", is_archived=True)
    UnsuccessfulReasonFactory(programme=world.other_programme, label="Elsewhere")
    reasons, cohorts = reason_selectors.list_filter_values(user=lead)
    assert reasons == reason_selectors.unsuccessful_reason_values(user=lead)
    assert cohorts == cohort_values(user=lead)
    assert "Elsewhere" not in [label for _, label, _ in reasons]
    assert ("Gone" in [label for _, label, archived in reasons if archived]) is True
    names = [name for _, name in cohorts]
    assert names.index("A cohort") + 1 == names.index("B cohort")


def test_cohort_figures_count_applications_added_since_the_last_view(world: World) -> None:
    cohort = CohortFactory(programme=world.programme)
    client = signed_in(world.users["lead"])
    url = reverse("recruitment:cohort-detail", args=[cohort.pk])
    figure = '<span class="figure-number" data-figure="applications">{}</span>'
    assert figure.format(0) in client.get(url).content.decode()
    for _ in range(3):
        ApplicationFactory(cohort=cohort, stage=Stage.SHORTLISTED)
    page = client.get(url).content.decode()
    assert figure.format(3) in page
    assert '<span class="figure-number" data-figure="shortlisted">3</span>' in page


def test_a_cohorts_figures_in_one_statement_are_those_of_two_queries(world: World) -> None:
    cohort = CohortFactory(programme=world.programme)
    empty = CohortFactory(programme=world.programme)
    health = UnsuccessfulReasonFactory(
        programme=world.programme, label="Unwell <now>", reveals_health=True, order=2
    )
    other = UnsuccessfulReasonFactory(programme=world.programme, label="No places", order=1)
    left = WithdrawalReasonFactory(programme=world.programme)
    for reason in (health, health, other):
        ApplicationFactory(cohort=cohort, stage=Stage.UNSUCCESSFUL, unsuccessful_reason=reason)
    ApplicationFactory(cohort=cohort, stage=Stage.WITHDRAWN, withdrawal_reason=left)
    ApplicationFactory(cohort=cohort, stage=Stage.OFFERED)
    late = InformationEventFactory(cohort=cohort, held_on=date(2026, 3, 12), place="Hall <B>")
    untimed = InformationEventFactory(cohort=cohort, held_on=date(2026, 3, 10))
    early = InformationEventFactory(cohort=cohort, held_on=date(2026, 3, 10), starts_at=time(9, 30))
    late.attendees.add(*cohort.applications.all()[:2])
    for each in (cohort, empty):
        given = {
            "key": ("test", each.pk),
            "record": lambda each=each: Cohort.objects.filter(pk=each.pk).values_list(
                *selectors._COHORT_COLUMNS
            ),
            "counts": lambda each=each: selectors._stage_counts(each),
            "reasons": lambda each=each: selectors._reason_counts(each),
            "events": lambda each=each: selectors._event_rows(each),
        }
        together = figure_rows(**given)
        apart = figure_rows_apart(**given)
        assert together.counted == apart.counted
        assert sorted(together.reasons, key=repr) == sorted(apart.reasons, key=repr)
        assert together.record is not None
        assert apart.record is not None
        assert [
            field.to_python(value)
            for field, value in zip(selectors._COHORT_FIELDS, together.record, strict=True)
        ] == list(apart.record)
        assert [
            (
                event.pk,
                event.get_kind_display(),
                event.held_on,
                event.starts_at,
                event.place,
                event.attendee_count,
            )
            for event in selectors._events(each, together.events)
        ] == [
            (
                event.pk,
                event.get_kind_display(),
                event.held_on,
                event.starts_at,
                event.place,
                event.attendee_count,
            )
            for event in selectors.event_list(cohort=each)
        ]
    _, events = selectors.cohort_figures_and_events(cohort=cohort, user=world.users["lead"])
    assert [event.pk for event in events] == [early.pk, untimed.pk, late.pk]
    assert [event.attendee_count for event in events] == [0, 0, 2]
    figures = selectors.cohort_figures(cohort=cohort, user=world.users["lead"])
    assert figures.unsuccessful_by_reason == [("No places", 1), ("Unwell <now>", 2)]
    assert figures.withdrawn_by_reason == [(left.label, 1)]
    assert (figures.applications, figures.offered, figures.offered_ever) == (5, 1, 1)
    assert selectors.cohort_figures(cohort=empty, user=world.users["lead"]).applications == 0


def test_a_cohorts_page_reads_the_cohort_its_figures_and_events_as_apart(world: World) -> None:
    lead = world.users["lead"]
    cohort = CohortFactory(programme=world.programme, name="Spring <intake>", capacity=7)
    for stage in (Stage.OFFERED, Stage.ACCEPTED, Stage.SHORTLISTED):
        ApplicationFactory(cohort=cohort, stage=stage)
    InformationEventFactory(cohort=cohort, starts_at=time(18, 0))
    read, figures, events = selectors.cohort_page(user=lead, pk=cohort.pk)
    expected = selectors.cohort_for_user(user=lead, pk=cohort.pk)
    assert read == expected
    assert [getattr(read, f.attname) for f in selectors._COHORT_FIELDS] == [
        getattr(expected, f.attname) for f in selectors._COHORT_FIELDS
    ]
    assert read.programme == world.programme
    assert read._state.adding is False
    assert figures == selectors.cohort_figures(cohort=expected, user=lead)
    assert [(e.pk, e.starts_at) for e in events] == [
        (e.pk, e.starts_at) for e in selectors.event_list(cohort=expected)
    ]
    elsewhere = CohortFactory(programme=world.other_programme)
    for pk in (elsewhere.pk, elsewhere.pk + 1000):
        with pytest.raises(Http404):
            selectors.cohort_page(user=lead, pk=pk)
