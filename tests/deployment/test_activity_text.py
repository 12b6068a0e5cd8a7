"""The check that keeps patient identifiers out of activity notes, with
real-looking identifiers: NHS numbers that pass and fail the modulus-11
check, full and partial UK postcodes, and dates in the ways people write
them."""

from __future__ import annotations

import pytest

from deployment.activity_text import (
    check_note,
    full_dates_in,
    nhs_number_is_valid,
    nhs_numbers_in,
    postcodes_in,
)

# Valid NHS numbers (the check digit is right), as people type them.
VALID_NHS = ["9434765919", "943 476 5919", "943-476-5919", "401 023 2137", "4010232137"]
# Ten digits whose last digit is not the check digit; one whose check
# would be 10 (no valid number has it).
INVALID_NHS = ["9434765918", "943 476 5910", "1234567890", "0000000001"]


@pytest.mark.parametrize("number", VALID_NHS)
def test_a_valid_nhs_number_is_found(number: str) -> None:
    assert nhs_numbers_in(f"Saw someone today, number {number}.") == [number]


@pytest.mark.parametrize("number", INVALID_NHS)
def test_ten_digits_that_fail_the_check_are_not_an_nhs_number(number: str) -> None:
    assert nhs_numbers_in(f"Reference {number} for the room booking") == []


def test_the_check_digit_follows_modulus_11() -> None:
    # 9 4 3 4 7 6 5 9 1 weighted 10..2 sum to 299; 11 - (299 % 11) = 9.
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("943476591")
    assert not nhs_number_is_valid("94347659190")


def test_a_longer_run_of_digits_is_not_taken_for_an_nhs_number() -> None:
    # A phone number with an NHS number's digits inside it.
    assert nhs_numbers_in("Call 0 9434765919 2") == []
    assert nhs_numbers_in("Call 019434765919") == []


@pytest.mark.parametrize(
    "postcode", ["SW1A 1AA", "sw1a1aa", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB"]
)
def test_a_full_postcode_is_found(postcode: str) -> None:
    assert postcodes_in(f"Walked with them to {postcode} today") == [postcode]


@pytest.mark.parametrize(
    "text",
    [
        "Visited the SW1A area",
        "Group on ward B3 at 2pm",
        "The M1 was busy",
        "Room 1AA",
        "Reference XSW1A1AAX",
    ],
)
def test_part_of_a_postcode_or_a_look_alike_is_not_refused(text: str) -> None:
    assert postcodes_in(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "seen on 3/4/2026",
        "seen on 03-04-26",
        "seen on 2026-04-03",
        "seen on 3 April 2026",
        "seen on 3rd of April 2026",
        "seen on April 3, 2026",
        "seen on 14 Feb 1987",
    ],
)
def test_a_full_date_is_found(text: str) -> None:
    assert len(full_dates_in(text)) == 1


@pytest.mark.parametrize(
    "text",
    ["in April 2026", "on 3 April", "31/2/2026 is no date", "group 3/4", "week 12 of 2026"],
)
def test_a_partial_or_impossible_date_is_not_a_full_date(text: str) -> None:
    assert full_dates_in(text) == []


def test_a_note_with_an_nhs_number_and_a_postcode_is_refused_naming_both() -> None:
    checked = check_note("Helped 943 476 5919 move to LS1 4AP")

    assert "an NHS number and a postcode" in checked.refusal


def test_a_note_with_only_a_date_is_not_refused_but_the_date_is_found() -> None:
    checked = check_note("Recovery college term starts 5 January 2027")

    assert checked.refusal == ""
    assert checked.dates == ("5 January 2027",)


def test_an_ordinary_note_passes() -> None:
    checked = check_note("Two groups on hope and recovery; a team meeting about discharge.")

    assert checked.refusal == "" and checked.dates == ()
