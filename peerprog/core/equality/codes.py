"""The equality-monitoring questions and their code lists."""

from __future__ import annotations

from django.db import models

PREFER_NOT_TO_SAY_LABEL = "Prefer not to say"
NOT_KNOWN_LABEL = "Not known"


class EthnicCategory(models.TextChoices):
    """NHS Data Dictionary ethnic category (the 2001 census groups)."""

    WHITE_BRITISH = "A", "White: British"
    WHITE_IRISH = "B", "White: Irish"
    WHITE_OTHER = "C", "White: any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "D", "Mixed: White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "E", "Mixed: White and Black African"
    MIXED_WHITE_ASIAN = "F", "Mixed: White and Asian"
    MIXED_OTHER = "G", "Mixed: any other mixed background"
    ASIAN_INDIAN = "H", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "J", "Asian or Asian British: Pakistani"
    ASIAN_BANGLADESHI = "K", "Asian or Asian British: Bangladeshi"
    ASIAN_OTHER = "L", "Asian or Asian British: any other Asian background"
    BLACK_CARIBBEAN = "M", "Black or Black British: Caribbean"
    BLACK_AFRICAN = "N", "Black or Black British: African"
    BLACK_OTHER = "P", "Black or Black British: any other Black background"
    CHINESE = "R", "Other ethnic group: Chinese"
    OTHER = "S", "Other ethnic group: any other ethnic group"
    # The Data Dictionary's "Not stated": asked, and chose not to say.
    PREFER_NOT_TO_SAY = "Z", PREFER_NOT_TO_SAY_LABEL
    NOT_KNOWN = "99", NOT_KNOWN_LABEL


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    PREFER_NOT_TO_SAY = "Z", PREFER_NOT_TO_SAY_LABEL
    NOT_KNOWN = "X", NOT_KNOWN_LABEL


class GenderIdentity(models.TextChoices):
    """Is the person's gender the same as the sex they were registered at
    birth? (The census question.)"""

    SAME = "yes", "Yes"
    DIFFERENT = "no", "No"
    PREFER_NOT_TO_SAY = "Z", PREFER_NOT_TO_SAY_LABEL
    NOT_KNOWN = "X", NOT_KNOWN_LABEL


class SexualOrientation(models.TextChoices):
    """NHS sexual orientation monitoring codes."""

    HETEROSEXUAL = "1", "Heterosexual or straight"
    GAY_OR_LESBIAN = "2", "Gay or lesbian"
    BISEXUAL = "3", "Bisexual"
    OTHER = "4", "Other sexual orientation"
    NOT_SURE = "U", "Not sure"
    PREFER_NOT_TO_SAY = "Z", PREFER_NOT_TO_SAY_LABEL
    NOT_KNOWN = "9", NOT_KNOWN_LABEL


class ReligionOrBelief(models.TextChoices):
    NONE = "none", "No religion"
    CHRISTIAN = "christian", "Christian"
    BUDDHIST = "buddhist", "Buddhist"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Any other religion or belief"
    PREFER_NOT_TO_SAY = "Z", PREFER_NOT_TO_SAY_LABEL
    NOT_KNOWN = "X", NOT_KNOWN_LABEL


class AgeBand(models.TextChoices):
    AGE_16_24 = "16-24", "16 to 24"
    AGE_25_34 = "25-34", "25 to 34"
    AGE_35_44 = "35-44", "35 to 44"
    AGE_45_54 = "45-54", "45 to 54"
    AGE_55_64 = "55-64", "55 to 64"
    AGE_65_PLUS = "65+", "65 or over"
    PREFER_NOT_TO_SAY = "Z", PREFER_NOT_TO_SAY_LABEL
    NOT_KNOWN = "X", NOT_KNOWN_LABEL


# The coded questions, by the SensitiveFacts field that holds each answer.
CODES: dict[str, type[models.TextChoices]] = {
    "ethnic_group": EthnicCategory,
    "sex": Sex,
    "gender_identity": GenderIdentity,
    "sexual_orientation": SexualOrientation,
    "religion_or_belief": ReligionOrBelief,
    "age_band": AgeBand,
}

# Questions, as the person reads them, and a short line of help.
QUESTIONS: dict[str, tuple[str, str]] = {
    "ethnic_group": ("What is your ethnic group?", "Choose the group that best describes you."),
    "sex": ("What is your sex?", ""),
    "gender_identity": (
        "Is the gender you identify with the same as the sex you were registered at birth?",
        "",
    ),
    "sexual_orientation": (
        "Which of these best describes your sexual orientation?",
        "",
    ),
    "religion_or_belief": ("What is your religion or belief?", ""),
    "age_band": ("How old are you?", ""),
    "disability": (
        "Do you consider yourself to have a disability or long-term health condition?",
        "This includes mental health conditions lasting a year or more.",
    ),
}

EQUALITY_FIELDS = (
    "ethnic_group",
    "sex",
    "gender_identity",
    "sexual_orientation",
    "religion_or_belief",
    "age_band",
    "disability",
)


def label_of(codes: type[models.TextChoices], value: str) -> str:
    try:
        return str(codes(value).label)
    except ValueError:
        return NOT_KNOWN_LABEL
