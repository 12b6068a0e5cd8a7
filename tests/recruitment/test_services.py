from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection

from peerprog.core.models import Programme, User
from recruitment import services
from recruitment.models import Application, ApplicationMove, Cohort, UnsuccessfulReason
from recruitment.services import ALLOWED_MOVES, BACKWARD_MOVES, RecruitmentError
from recruitment.signals import application_accepted
from tests.core.factories import PersonFactory, ProgrammeFactory, UserFactory
from tests.recruitment.factories import (
    ApplicationFactory,
    CohortFactory,
    DeferralReasonFactory,
    UnsuccessfulReasonFactory,
    WithdrawalReasonFactory,
)

Stage = Application.Stage
ALL_MOVES = [(a, b) for a in Stage.values for b in Stage.values if a != b]
ALLOWED = [(a, b) for a, b in ALL_MOVES if b in ALLOWED_MOVES[a]]
REFUSED = [(a, b) for a, b in ALL_MOVES if b not in ALLOWED_MOVES[a]]


@pytest.fixture
def setting(db: Any) -> dict[str, Any]:
    programme = ProgrammeFactory()
    lead = UserFactory(programme=programme, roles=["Programme lead"])
    cohort = CohortFactory(programme=programme, training_start=date(2026, 4, 6))
    later = CohortFactory(programme=programme, training_start=date(2026, 10, 5))
    return {
        "programme": programme,
        "lead": lead,
        "cohort": cohort,
        "later": later,
        "unsuccessful": UnsuccessfulReasonFactory(programme=programme),
        "withdrawal": WithdrawalReasonFactory(programme=programme),
        "deferral": DeferralReasonFactory(programme=programme),
    }


def at_stage(stage: str, setting: dict[str, Any]) -> Application:
    """An application already at ``stage``, with what that stage requires."""
    cohort = setting["cohort"]
    extra: dict[str, Any] = {}
    if stage == Stage.UNSUCCESSFUL:
        extra["unsuccessful_reason"] = setting["unsuccessful"]
    if stage == Stage.WITHDRAWN:
        extra["withdrawal_reason"] = setting["withdrawal"]
    if stage == Stage.DEFERRED:
        person = PersonFactory(programme=setting["programme"])
        extra["person"] = person
        extra["deferred_to"] = ApplicationFactory(cohort=setting["later"], person=person)
    return ApplicationFactory(cohort=cohort, stage=stage, **extra)


def move_arguments(from_stage: str, to_stage: str, setting: dict[str, Any]) -> dict[str, Any]:
    arguments: dict[str, Any] = {}
    if to_stage == Stage.UNSUCCESSFUL:
        arguments["unsuccessful_reason"] = setting["unsuccessful"]
    if to_stage == Stage.WITHDRAWN:
        arguments["withdrawal_reason"] = setting["withdrawal"]
    if to_stage == Stage.DEFERRED:
        arguments["to_cohort"] = setting["later"]
        arguments["deferral_reason"] = setting["deferral"]
    if (from_stage, to_stage) in BACKWARD_MOVES:
        arguments["note"] = "Recorded by mistake."
    return arguments


@pytest.mark.parametrize(("from_stage", "to_stage"), ALLOWED)
def test_allowed_move_changes_the_stage_and_writes_the_timeline(
    setting: dict[str, Any], from_stage: str, to_stage: str
) -> None:
    application = at_stage(from_stage, setting)
    services.application_move(
        application=application,
        to_stage=to_stage,
        by=setting["lead"],
        **move_arguments(from_stage, to_stage, setting),
    )
    application.refresh_from_db()
    assert application.stage == to_stage
    last = application.moves.last()
    assert (last.from_stage, last.to_stage, last.by) == (from_stage, to_stage, setting["lead"])


@pytest.mark.parametrize(("from_stage", "to_stage"), REFUSED)
def test_move_the_rules_do_not_allow_is_refused_and_changes_nothing(
    setting: dict[str, Any], from_stage: str, to_stage: str
) -> None:
    application = at_stage(from_stage, setting)
    moves_before = ApplicationMove.objects.count()
    with pytest.raises(RecruitmentError) as refused:
        services.application_move(
            application=application,
            to_stage=to_stage,
            by=setting["lead"],
            **move_arguments(from_stage, to_stage, setting),
        )
    assert refused.value.message
    application.refresh_from_db()
    assert application.stage == from_stage
    assert ApplicationMove.objects.count() == moves_before


def test_accepted_back_to_received_is_refused_with_the_reason(setting: dict[str, Any]) -> None:
    application = at_stage(Stage.ACCEPTED, setting)
    with pytest.raises(RecruitmentError, match="accepted application is final"):
        services.application_move(
            application=application, to_stage=Stage.RECEIVED, by=setting["lead"], note="x"
        )


def test_moving_back_needs_a_note(setting: dict[str, Any]) -> None:
    application = at_stage(Stage.SHORTLISTED, setting)
    with pytest.raises(RecruitmentError, match="Say why"):
        services.application_move(
            application=application, to_stage=Stage.RECEIVED, by=setting["lead"]
        )


def test_unsuccessful_needs_a_reason(setting: dict[str, Any]) -> None:
    application = at_stage(Stage.RECEIVED, setting)
    with pytest.raises(RecruitmentError, match="Choose a reason"):
        services.application_move(
            application=application, to_stage=Stage.UNSUCCESSFUL, by=setting["lead"]
        )


def test_an_archived_reason_cannot_be_chosen(setting: dict[str, Any]) -> None:
    reason = setting["unsuccessful"]
    reason.is_archived = True
    reason.save()
    application = at_stage(Stage.RECEIVED, setting)
    with pytest.raises(RecruitmentError, match="current list"):
        services.application_mark_unsuccessful(
            application=application, reason=reason, by=setting["lead"]
        )


def test_another_programmes_reason_cannot_be_chosen(setting: dict[str, Any]) -> None:
    foreign = UnsuccessfulReasonFactory(programme=ProgrammeFactory())
    application = at_stage(Stage.RECEIVED, setting)
    with pytest.raises(RecruitmentError):
        services.application_mark_unsuccessful(
            application=application, reason=foreign, by=setting["lead"]
        )


def test_withdrawn_needs_a_reason(setting: dict[str, Any]) -> None:
    application = at_stage(Stage.OFFERED, setting)
    with pytest.raises(RecruitmentError, match="withdrew"):
        services.application_move(
            application=application, to_stage=Stage.WITHDRAWN, by=setting["lead"]
        )


def test_reopening_clears_the_reason(setting: dict[str, Any]) -> None:
    application = at_stage(Stage.UNSUCCESSFUL, setting)
    services.application_move(
        application=application, to_stage=Stage.RECEIVED, by=setting["lead"], note="Appealed."
    )
    application.refresh_from_db()
    assert application.unsuccessful_reason is None


def test_moves_in_a_closed_cohort_are_refused(setting: dict[str, Any]) -> None:
    application = at_stage(Stage.RECEIVED, setting)
    Cohort.objects.filter(pk=setting["cohort"].pk).update(status=Cohort.Status.CLOSED)
    with pytest.raises(RecruitmentError, match="is closed"):
        services.application_shortlist(application=application, by=setting["lead"])


def test_a_move_cannot_be_dated_in_the_future(setting: dict[str, Any]) -> None:
    from django.utils import timezone

    application = at_stage(Stage.RECEIVED, setting)
    with pytest.raises(RecruitmentError, match="future"):
        services.application_move(
            application=application,
            to_stage=Stage.SHORTLISTED,
            by=setting["lead"],
            at=timezone.now() + timedelta(days=2),
        )


# Capacity.


def fill(cohort: Cohort, count: int, stage: str = Stage.OFFERED) -> None:
    for _ in range(count):
        ApplicationFactory(cohort=cohort, stage=stage)


def test_offer_beyond_capacity_is_refused(setting: dict[str, Any]) -> None:
    cohort = setting["cohort"]
    fill(cohort, 6)
    fill(cohort, 6, Stage.ACCEPTED)
    application = at_stage(Stage.INVITED, setting)
    with pytest.raises(RecruitmentError, match="has 12 places and 12 are already"):
        services.application_offer(application=application, by=setting["lead"])
    application.refresh_from_db()
    assert application.stage == Stage.INVITED


def test_lead_can_override_capacity_with_a_reason(setting: dict[str, Any]) -> None:
    fill(setting["cohort"], 12)
    application = at_stage(Stage.INVITED, setting)
    services.application_offer(
        application=application,
        by=setting["lead"],
        override_capacity=True,
        note="A trainee from the last cohort is repeating only two sessions.",
    )
    application.refresh_from_db()
    assert application.stage == Stage.OFFERED
    assert application.moves.last().overrode_capacity is True


def test_capacity_override_without_a_reason_is_refused(setting: dict[str, Any]) -> None:
    fill(setting["cohort"], 12)
    application = at_stage(Stage.INVITED, setting)
    with pytest.raises(RecruitmentError, match="note saying why"):
        services.application_offer(
            application=application, by=setting["lead"], override_capacity=True
        )


def test_offer_within_capacity_needs_no_override(setting: dict[str, Any]) -> None:
    fill(setting["cohort"], 11)
    application = at_stage(Stage.SHORTLISTED, setting)
    services.application_offer(application=application, by=setting["lead"])
    assert application.moves.last().overrode_capacity is False


# Deferral.


def test_deferral_creates_the_application_in_the_later_cohort_and_links_both(
    setting: dict[str, Any],
) -> None:
    application = at_stage(Stage.INVITED, setting)
    services.application_defer(
        application=application,
        to_cohort=setting["later"],
        reason=setting["deferral"],
        by=setting["lead"],
        note="Wants to",
    )
    application.refresh_from_db()
    later = application.deferred_to
    assert application.stage == Stage.DEFERRED
    assert later.cohort == setting["later"]
    assert later.person == application.person
    assert later.stage == Stage.RECEIVED
    assert later.deferred_from == application
    assert later.moves.get().note == f"Deferred from {setting['cohort'].name}."


def test_the_deferred_application_carries_on_to_acceptance(setting: dict[str, Any]) -> None:
    application = at_stage(Stage.RECEIVED, setting)
    services.application_defer(
        application=application,
        to_cohort=setting["later"],
        reason=setting["deferral"],
        by=setting["lead"],
    )
    later = Application.objects.get(deferred_from=application)
    for stage in (Stage.SHORTLISTED, Stage.OFFERED, Stage.ACCEPTED):
        services.application_move(application=later, to_stage=stage, by=setting["lead"])
    later.refresh_from_db()
    assert later.stage == Stage.ACCEPTED
    application.refresh_from_db()
    assert application.stage == Stage.DEFERRED


def test_deferral_to_an_earlier_cohort_is_refused(setting: dict[str, Any]) -> None:
    application = ApplicationFactory(cohort=setting["later"])
    with pytest.raises(RecruitmentError, match="later cohort"):
        services.application_defer(
            application=application,
            to_cohort=setting["cohort"],
            reason=setting["deferral"],
            by=setting["lead"],
        )
    assert Application.objects.filter(cohort=setting["cohort"]).count() == 0


def test_deferral_to_the_same_cohort_is_refused(setting: dict[str, Any]) -> None:
    application = at_stage(Stage.RECEIVED, setting)
    with pytest.raises(RecruitmentError, match="different cohort"):
        services.application_defer(
            application=application,
            to_cohort=setting["cohort"],
            reason=setting["deferral"],
            by=setting["lead"],
        )


def test_deferral_to_another_programmes_cohort_is_refused(setting: dict[str, Any]) -> None:
    application = at_stage(Stage.RECEIVED, setting)
    foreign = CohortFactory(training_start=date(2027, 1, 4))
    with pytest.raises(RecruitmentError, match="this programme"):
        services.application_defer(
            application=application,
            to_cohort=foreign,
            reason=setting["deferral"],
            by=setting["lead"],
        )


def test_deferral_when_already_applied_to_the_later_cohort_is_refused(
    setting: dict[str, Any],
) -> None:
    application = at_stage(Stage.RECEIVED, setting)
    ApplicationFactory(cohort=setting["later"], person=application.person)
    with pytest.raises(RecruitmentError, match="already applied"):
        services.application_defer(
            application=application,
            to_cohort=setting["later"],
            reason=setting["deferral"],
            by=setting["lead"],
        )
    application.refresh_from_db()
    assert application.stage == Stage.RECEIVED


# The hand-over to training.


def test_accepting_sends_the_signal_once_inside_the_transaction(setting: dict[str, Any]) -> None:
    calls: list[tuple[Application, bool]] = []

    def receiver(sender: Any, application: Application, **kwargs: Any) -> None:
        calls.append((application, connection.in_atomic_block))
        assert kwargs["by"] == setting["lead"]

    application_accepted.connect(receiver)
    try:
        application = at_stage(Stage.OFFERED, setting)
        services.application_accept(application=application, by=setting["lead"])
    finally:
        application_accepted.disconnect(receiver)
    assert len(calls) == 1
    assert calls[0][0].pk == application.pk
    assert calls[0][0].stage == Stage.ACCEPTED
    assert calls[0][1] is True


def test_a_failing_receiver_undoes_the_acceptance(setting: dict[str, Any]) -> None:
    def receiver(sender: Any, application: Application, **kwargs: Any) -> None:
        raise RuntimeError("enrolment failed")

    application_accepted.connect(receiver)
    application = at_stage(Stage.OFFERED, setting)
    try:
        with pytest.raises(RuntimeError):
            services.application_accept(application=application, by=setting["lead"])
    finally:
        application_accepted.disconnect(receiver)
    application.refresh_from_db()
    assert application.stage == Stage.OFFERED
    assert not application.moves.filter(to_stage=Stage.ACCEPTED).exists()


def test_other_moves_send_no_signal(setting: dict[str, Any]) -> None:
    calls: list[Any] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        calls.append(kwargs)

    application_accepted.connect(receiver)
    try:
        application = at_stage(Stage.RECEIVED, setting)
        services.application_shortlist(application=application, by=setting["lead"])
        services.application_offer(application=application, by=setting["lead"])
    finally:
        application_accepted.disconnect(receiver)
    assert calls == []


# Bulk actions.


def test_bulk_shortlist_moves_every_chosen_application(setting: dict[str, Any]) -> None:
    applications = [at_stage(Stage.RECEIVED, setting) for _ in range(3)]
    count = services.applications_bulk_move(
        applications=applications, to_stage=Stage.SHORTLISTED, by=setting["lead"]
    )
    assert count == 3
    assert set(Application.objects.values_list("stage", flat=True)) == {Stage.SHORTLISTED}


def test_bulk_action_is_all_or_none(setting: dict[str, Any]) -> None:
    fine = at_stage(Stage.SHORTLISTED, setting)
    final = at_stage(Stage.ACCEPTED, setting)
    with pytest.raises(RecruitmentError, match="Nothing was changed"):
        services.applications_bulk_move(
            applications=[fine, final], to_stage=Stage.INVITED, by=setting["lead"]
        )
    fine.refresh_from_db()
    assert fine.stage == Stage.SHORTLISTED
    assert not ApplicationMove.objects.filter(to_stage=Stage.INVITED).exists()


def test_bulk_unsuccessful_records_the_reason_on_each(setting: dict[str, Any]) -> None:
    applications = [at_stage(Stage.RECEIVED, setting) for _ in range(2)]
    services.applications_bulk_move(
        applications=applications,
        to_stage=Stage.UNSUCCESSFUL,
        unsuccessful_reason=setting["unsuccessful"],
        by=setting["lead"],
    )
    assert Application.objects.filter(unsuccessful_reason=setting["unsuccessful"]).count() == 2


def test_bulk_offer_is_not_a_bulk_action(setting: dict[str, Any]) -> None:
    with pytest.raises(RecruitmentError, match="several applications"):
        services.applications_bulk_move(
            applications=[at_stage(Stage.INVITED, setting)],
            to_stage=Stage.OFFERED,
            by=setting["lead"],
        )


# Applications, cohorts and reasons.


def test_a_new_application_starts_received_with_a_timeline_entry(
    setting: dict[str, Any],
) -> None:
    person = PersonFactory(programme=setting["programme"])
    application = services.application_create(
        cohort=setting["cohort"], person=person, by=setting["lead"]
    )
    assert application.stage == Stage.RECEIVED
    assert application.moves.get().to_stage == Stage.RECEIVED


def test_applying_twice_to_one_cohort_is_refused(setting: dict[str, Any]) -> None:
    application = at_stage(Stage.RECEIVED, setting)
    with pytest.raises(RecruitmentError, match="already applied"):
        services.application_create(
            cohort=setting["cohort"], person=application.person, by=setting["lead"]
        )


def test_adding_an_application_finds_the_person_by_email_ignoring_case(
    setting: dict[str, Any],
) -> None:
    person = PersonFactory(programme=setting["programme"], email="sam.jones@example.org")
    application = services.application_create_with_person(
        cohort=setting["cohort"],
        by=setting["lead"],
        person_values={"first_name": "Sam", "last_name": "Jones", "email": "Sam.Jones@Example.org"},
        application_values={},
    )
    assert application.person == person


def test_cohort_training_ends_twelve_weeks_after_it_starts_by_default(
    setting: dict[str, Any],
) -> None:
    cohort = services.cohort_create(
        programme=setting["programme"],
        by=setting["lead"],
        name="Cohort 3, spring",
        applications_open=date(2027, 1, 4),
        applications_close=date(2027, 2, 26),
        training_start=date(2027, 4, 5),
        capacity=14,
    )
    assert cohort.training_end == date(2027, 6, 28)


def test_a_new_programmes_first_cohort_brings_the_default_reasons(db: Any) -> None:
    programme = ProgrammeFactory()
    lead = UserFactory(programme=programme, roles=["Programme lead"])
    services.cohort_create(
        programme=programme,
        by=lead,
        name="First",
        applications_open=date(2027, 1, 4),
        applications_close=date(2027, 2, 26),
        training_start=date(2027, 4, 5),
        capacity=10,
    )
    labels = set(
        UnsuccessfulReason.objects.filter(programme=programme).values_list("label", flat=True)
    )
    assert "Not yet able to complete a training programme" in labels
    assert "Needs more volunteering experience" in labels


def test_default_reasons_are_added_once(db: Any) -> None:
    programme: Programme = ProgrammeFactory()
    services.reasons_ensure_defaults(programme=programme)
    services.reasons_ensure_defaults(programme=programme)
    assert UnsuccessfulReason.objects.filter(programme=programme).count() == len(
        services.DEFAULT_UNSUCCESSFUL_REASONS
    )


def test_closing_a_cohort_with_open_applications_is_refused(setting: dict[str, Any]) -> None:
    at_stage(Stage.INVITED, setting)
    with pytest.raises(RecruitmentError, match="still open"):
        services.cohort_close(cohort=setting["cohort"], by=setting["lead"])


def test_a_cohort_whose_applications_all_have_outcomes_can_be_closed(
    setting: dict[str, Any],
) -> None:
    at_stage(Stage.ACCEPTED, setting)
    at_stage(Stage.UNSUCCESSFUL, setting)
    cohort = services.cohort_close(cohort=setting["cohort"], by=setting["lead"])
    assert cohort.status == Cohort.Status.CLOSED


def test_a_reason_in_use_cannot_be_deleted(setting: dict[str, Any]) -> None:
    at_stage(Stage.UNSUCCESSFUL, setting)
    with pytest.raises(RecruitmentError, match="Archive it instead"):
        services.reason_delete(reason=setting["unsuccessful"], by=setting["lead"])


def test_a_reason_in_use_can_be_archived_and_stays_on_its_applications(
    setting: dict[str, Any],
) -> None:
    application = at_stage(Stage.UNSUCCESSFUL, setting)
    services.reason_set_archived(reason=setting["unsuccessful"], archived=True, by=setting["lead"])
    application.refresh_from_db()
    assert application.unsuccessful_reason.is_archived is True


def test_a_reason_in_use_keeps_its_reporting_category(setting: dict[str, Any]) -> None:
    at_stage(Stage.UNSUCCESSFUL, setting)
    with pytest.raises(RecruitmentError, match="reporting category"):
        services.reason_update(
            reason=setting["unsuccessful"],
            by=setting["lead"],
            category=UnsuccessfulReason.Category.OTHER,
        )


def test_an_unused_reason_can_be_deleted(setting: dict[str, Any]) -> None:
    reason = UnsuccessfulReasonFactory(programme=setting["programme"], label="Spare")
    services.reason_delete(reason=reason, by=setting["lead"])
    assert not UnsuccessfulReason.objects.filter(pk=reason.pk).exists()


def test_every_move_is_audited_with_its_author(setting: dict[str, Any]) -> None:
    from peerprog.core.audit import acting_as

    application = at_stage(Stage.RECEIVED, setting)
    lead: User = setting["lead"]
    with acting_as(lead):
        services.application_shortlist(application=application, by=lead)
    latest = application.history.first()
    assert latest.stage == Stage.SHORTLISTED
    assert latest.history_user == lead
