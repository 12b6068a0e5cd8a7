"""The arithmetic of retention, on its own: calendar months, spells and
milestones, including the edge dates."""

from __future__ import annotations

from datetime import date

from deployment.retention import (
    Milestone,
    RetentionRow,
    Spell,
    first_spell,
    survival_curve,
)
from peerprog.core.dates import add_months


def test_adding_months_keeps_the_day_of_the_month() -> None:
    assert add_months(date(2024, 1, 15), 6) == date(2024, 7, 15)


def test_adding_months_crosses_the_year() -> None:
    assert add_months(date(2023, 10, 1), 24) == date(2025, 10, 1)


def test_a_29_february_start_reaches_12_months_on_28_february() -> None:
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_a_29_february_start_reaches_48_months_on_29_february() -> None:
    assert add_months(date(2024, 2, 29), 48) == date(2028, 2, 29)


def test_a_31_august_start_reaches_6_months_on_the_last_day_of_february() -> None:
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2022, 8, 31), 6) == date(2023, 2, 28)


def test_subtracting_months_clamps_to_the_month_end() -> None:
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)


def test_someone_in_post_on_exactly_the_6_month_day_is_retained() -> None:
    spell = Spell(first_day=date(2024, 1, 1), last_day=date(2024, 7, 1))
    assert spell.milestone(6, today=date(2024, 7, 1)) is Milestone.RETAINED


def test_someone_who_left_the_day_before_6_months_is_not_retained() -> None:
    spell = Spell(first_day=date(2024, 1, 1), last_day=date(2024, 6, 30))
    assert spell.milestone(6, today=date(2025, 1, 1)) is Milestone.NOT_RETAINED


def test_the_6_month_milestone_is_not_reached_the_day_before() -> None:
    spell = Spell(first_day=date(2024, 1, 1), last_day=None)
    assert spell.milestone(6, today=date(2024, 6, 30)) is Milestone.NOT_YET
    assert spell.milestone(6, today=date(2024, 7, 1)) is Milestone.RETAINED


def test_a_29_february_starter_is_retained_at_12_months_on_28_february() -> None:
    spell = Spell(first_day=date(2024, 2, 29), last_day=None)
    assert spell.milestone(12, today=date(2025, 2, 27)) is Milestone.NOT_YET
    assert spell.milestone(12, today=date(2025, 2, 28)) is Milestone.RETAINED


def test_a_29_february_starter_who_left_on_28_february_is_retained_at_12_months() -> None:
    spell = Spell(first_day=date(2024, 2, 29), last_day=date(2025, 2, 28))
    assert spell.milestone(12, today=date(2025, 6, 1)) is Milestone.RETAINED
    assert spell.milestone(24, today=date(2026, 6, 1)) is Milestone.NOT_RETAINED


def test_a_transfer_the_next_day_continues_the_spell() -> None:
    spell = first_spell([(date(2023, 1, 1), date(2023, 12, 31)), (date(2024, 1, 1), None)])
    assert spell == Spell(first_day=date(2023, 1, 1), last_day=None)


def test_a_gap_between_posts_ends_the_first_spell() -> None:
    spell = first_spell([(date(2024, 1, 1), None), (date(2023, 1, 1), date(2023, 3, 31))])
    assert spell == Spell(first_day=date(2023, 1, 1), last_day=date(2023, 3, 31))


def test_a_row_counts_only_milestones_reached() -> None:
    row = RetentionRow("Cohort 1")
    today = date(2025, 1, 1)
    row.add(Spell(date(2022, 1, 1), None), today)  # reached 24, retained
    row.add(Spell(date(2022, 1, 1), date(2022, 10, 1)), today)  # left after 9 months
    row.add(Spell(date(2024, 9, 1), None), today)  # not reached 6 months yet
    assert row.appointed == 3
    assert row.still_in_post == 2
    assert row.reached == {6: 2, 12: 2, 24: 2}
    assert row.retained == {6: 2, 12: 1, 24: 1}
    assert row.percent(12) == 50


def test_a_row_with_no_one_past_a_milestone_has_no_percentage() -> None:
    row = RetentionRow("Cohort 3")
    row.add(Spell(date(2024, 12, 1), None), date(2025, 1, 1))
    assert row.percent(6) is None


def test_the_survival_curve_steps_down_at_each_leaver_and_censors_the_rest() -> None:
    today = date(2025, 1, 1)
    curve = survival_curve(
        [
            Spell(date(2023, 1, 1), date(2023, 7, 1)),
            Spell(date(2023, 1, 1), None),
            Spell(date(2023, 1, 1), None),
            Spell(date(2023, 1, 1), None),
        ],
        today,
    )
    assert curve.people == 4
    assert curve.leavers == 1
    assert curve.survival_at(3) == 1.0
    assert curve.survival_at(12) == 0.75
    assert len(curve.censored_months) == 3


def test_the_survival_curve_of_people_all_in_post_stays_at_one() -> None:
    today = date(2025, 1, 1)
    curve = survival_curve([Spell(date(2022, 6, 1), None)] * 7, today)
    assert curve.leavers == 0
    assert curve.survival_at(24) == 1.0
