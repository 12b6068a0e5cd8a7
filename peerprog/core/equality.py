"""Equality monitoring: the coded answers a person may give, and the form
that asks for them.

Each question is a list of codes (``TextChoices``). Where the NHS Data
Dictionary has a code list (ethnic category, sexual orientation) its codes
are used, so our figures can be set beside an NHS trust's. Every list has
"Prefer not to say" (the person was asked and chose not to answer) and
"Not known" (nobody asked, or an old free-text answer could not be read as
one of the codes). A person's answers are special-category facts: they live
on ``SensitiveFacts`` and only HR and programme leads read them, person by
person; reports show counts only, with small counts hidden.

``answer_from_text`` reads an answer written in words (an old free-text
value, a spreadsheet column) as a code, ignoring case, spacing and
punctuation, and accepting the code itself or its label.

This module imports only Django, so models, migrations and forms can use it.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
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


def _key(text: str) -> str:
    """Lower case, letters and digits only, single spaces: so "White -
    British", "white british" and "WHITE: British" read the same."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    text = text.replace("&", " and ").replace("+", " plus ")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _table(pairs: dict[str, list[str]]) -> dict[str, str]:
    return {_key(word): code for code, words in pairs.items() for word in words}


_PREFER_NOT = [
    "prefer not to say",
    "prefers not to say",
    "prefer not to answer",
    "rather not say",
    "not stated",
    "declined",
    "not disclosed",
    "do not wish to say",
    "dont wish to say",
]
_NOT_KNOWN = ["not known", "unknown", "not recorded", "not asked", "n/a", "na", "none given"]

# Words people and older records use for each code, beyond the code and its
# label (which are always accepted).
_SYNONYMS: dict[type[models.TextChoices], dict[str, list[str]]] = {
    EthnicCategory: {
        "A": [
            "white british",
            "british",
            "white english",
            "white scottish",
            "white welsh",
            "english",
            "scottish",
            "welsh",
            "white uk",
            "white english welsh scottish northern irish or british",
            "white northern irish",
        ],
        "B": ["white irish", "irish"],
        "C": [
            "white other",
            "other white",
            "any other white background",
            "white european",
            "white any other",
            "gypsy or irish traveller",
            "white gypsy or irish traveller",
            "white roma",
            "roma",
            "polish",
            "white polish",
        ],
        "D": [
            "white and black caribbean",
            "mixed white and black caribbean",
            "mixed white black caribbean",
        ],
        "E": [
            "white and black african",
            "mixed white and black african",
            "mixed white black african",
        ],
        "F": ["white and asian", "mixed white and asian", "mixed white asian"],
        "G": [
            "mixed other",
            "other mixed",
            "any other mixed background",
            "mixed",
            "mixed any other",
            "mixed or multiple ethnic groups",
        ],
        "H": ["indian", "asian indian", "british indian", "asian or asian british indian"],
        "J": ["pakistani", "asian pakistani", "british pakistani"],
        "K": ["bangladeshi", "asian bangladeshi", "british bangladeshi"],
        "L": [
            "asian other",
            "other asian",
            "any other asian background",
            "asian",
            "asian british",
            "asian or asian british",
        ],
        "M": [
            "caribbean",
            "black caribbean",
            "black british caribbean",
            "black or black british caribbean",
        ],
        "N": [
            "african",
            "black african",
            "black british african",
            "black or black british african",
        ],
        "P": [
            "black other",
            "other black",
            "any other black background",
            "black",
            "black british",
            "black or black british",
        ],
        "R": ["chinese", "asian chinese", "british chinese"],
        "S": [
            "other",
            "any other ethnic group",
            "other ethnic group",
            "arab",
            "other ethnic group arab",
        ],
        "Z": _PREFER_NOT,
        "99": _NOT_KNOWN,
    },
    Sex: {
        "F": [
            "female",
            "woman",
            "women",
            "f",
            "girl",
            "cis woman",
            "cisgender woman",
            "cis female",
        ],
        "M": ["male", "man", "men", "m", "boy", "cis man", "cisgender man", "cis male"],
        "Z": _PREFER_NOT,
        "X": _NOT_KNOWN,
    },
    GenderIdentity: {
        "yes": [
            "yes",
            "y",
            "same",
            "cis",
            "cisgender",
            "cis woman",
            "cis man",
            "cisgender woman",
            "cisgender man",
            "cis female",
            "cis male",
        ],
        "no": [
            "no",
            "n",
            "different",
            "trans",
            "transgender",
            "trans woman",
            "trans man",
            "transgender woman",
            "transgender man",
        ],
        "Z": _PREFER_NOT,
        "X": _NOT_KNOWN,
    },
    SexualOrientation: {
        "1": ["heterosexual", "straight", "hetero", "heterosexual straight"],
        "2": ["gay", "lesbian", "gay man", "gay woman", "gay lesbian", "homosexual"],
        "3": ["bisexual", "bi"],
        "4": [
            "other",
            "pansexual",
            "asexual",
            "queer",
            "other sexual orientation",
            "other sexual orientation not listed",
        ],
        "U": ["not sure", "unsure", "questioning", "dont know", "do not know"],
        "Z": _PREFER_NOT,
        "9": _NOT_KNOWN,
    },
    ReligionOrBelief: {
        "none": [
            "none",
            "no religion",
            "no",
            "atheist",
            "atheism",
            "agnostic",
            "humanist",
            "no religion or belief",
            "not religious",
            "nil",
        ],
        "christian": [
            "christian",
            "christianity",
            "church of england",
            "catholic",
            "roman catholic",
            "anglican",
            "methodist",
            "baptist",
            "protestant",
            "orthodox christian",
            "church of scotland",
            "pentecostal",
        ],
        "buddhist": ["buddhist", "buddhism"],
        "hindu": ["hindu", "hinduism"],
        "jewish": ["jewish", "judaism", "jew"],
        "muslim": ["muslim", "islam", "islamic", "moslem"],
        "sikh": ["sikh", "sikhism"],
        "other": [
            "other",
            "any other religion",
            "other religion",
            "pagan",
            "spiritual",
            "rastafarian",
            "jain",
            "bahai",
            "any other religion or belief",
        ],
        "Z": _PREFER_NOT,
        "X": _NOT_KNOWN,
    },
    AgeBand: {
        "16-24": ["16 24", "18 24", "16 to 24", "18 to 24", "under 25", "16 25", "18 25"],
        "25-34": ["25 34", "25 to 34"],
        "35-44": ["35 44", "35 to 44"],
        "45-54": ["45 54", "45 to 54"],
        "55-64": ["55 64", "55 to 64"],
        "65+": ["65 plus", "65 or over", "65 and over", "over 65", "65 over", "65 and older"],
        "Z": _PREFER_NOT,
        "X": _NOT_KNOWN,
    },
}


def _lookup(codes: type[models.TextChoices]) -> dict[str, str]:
    table = _table(_SYNONYMS.get(codes, {}))
    for value, label in codes.choices:
        table[_key(str(label))] = value
    # The code itself wins over a word that happens to spell it.
    for value in codes.values:
        table[_key(value) or value] = value
    return table


_LOOKUPS = {codes: _lookup(codes) for codes in CODES.values()}


def answer_from_text(codes: type[models.TextChoices], text: str | None) -> str:
    """The code for an answer given in words: the code itself, its label or
    a common way of saying it, ignoring case, spacing and punctuation.
    Anything else (blank included) is "Not known"."""
    not_known = str(codes.NOT_KNOWN)  # type: ignore[attr-defined]
    if not text or not text.strip():
        return not_known
    stripped = text.strip()
    if stripped in codes.values:
        return stripped
    if stripped.upper() in codes.values and len(stripped) <= 2:
        return stripped.upper()
    key = _key(stripped)
    if codes is AgeBand and key.isdigit():
        return _age_band(int(key))
    return _LOOKUPS[codes].get(key, not_known)


def _age_band(age: int) -> str:
    if age < 16 or age > 120:
        return str(AgeBand.NOT_KNOWN)
    for band in AgeBand.values[:5]:
        low, high = (int(part) for part in band.split("-"))
        if low <= age <= high:
            return band
    return str(AgeBand.AGE_65_PLUS)


def sex_and_identity_from_gender(text: str | None) -> tuple[str, str]:
    """An old free-text "gender" answer read as the sex and gender-identity
    codes: "woman" is sex F; "trans man" says the gender differs from the sex
    registered at birth without saying which sex that was."""
    sex = answer_from_text(Sex, text)
    identity = answer_from_text(GenderIdentity, text)
    if identity in (GenderIdentity.SAME, GenderIdentity.DIFFERENT) and sex == Sex.NOT_KNOWN:
        return sex, identity
    if sex == Sex.PREFER_NOT_TO_SAY:
        return sex, str(GenderIdentity.PREFER_NOT_TO_SAY)
    if identity == GenderIdentity.SAME:
        return sex, identity
    return sex, str(GenderIdentity.NOT_KNOWN)


def label_of(codes: type[models.TextChoices], value: str) -> str:
    try:
        return str(codes(value).label)
    except ValueError:
        return NOT_KNOWN_LABEL


# The form --------------------------------------------------------------

EQUALITY_FIELDS = (
    "ethnic_group",
    "sex",
    "gender_identity",
    "sexual_orientation",
    "religion_or_belief",
    "age_band",
    "disability",
)


def _asked_choices(codes: type[models.TextChoices]) -> list[tuple[str, str]]:
    """What a person may answer: every code but "Not known", which is ours
    for questions not answered."""
    return [(v, str(label)) for v, label in codes.choices if v != codes.NOT_KNOWN]  # type: ignore[attr-defined]


class EqualityMonitoringForm(forms.Form):
    """The optional equality-monitoring questions, for the person to answer
    (the public application's equality step) or for staff to key in from a
    paper form. Every question is optional and has "Prefer not to say"; a
    question left unanswered is stored as "Not known".

    Radio buttons, so it works on a phone without JavaScript. ``cleaned_data``
    holds codes ready for ``equality_record``. Pass ``initial`` from
    ``initial_from(facts)`` to show a person's answers.

    Rendered with crispy-forms or ``{{ form }}``; it has no submit button of
    its own, so a page can put it in a larger form or add its own.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from peerprog.core.models import SensitiveFacts

        for name in EQUALITY_FIELDS:
            label, help_text = QUESTIONS[name]
            if name == "disability":
                choices = [
                    (SensitiveFacts.Disclosure.YES.value, "Yes"),
                    (SensitiveFacts.Disclosure.NO.value, "No"),
                    (SensitiveFacts.Disclosure.PREFER_NOT.value, PREFER_NOT_TO_SAY_LABEL),
                ]
            else:
                choices = _asked_choices(CODES[name])
            self.fields[name] = forms.ChoiceField(
                label=label,
                help_text=help_text,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def clean(self) -> dict[str, Any]:
        from peerprog.core.models import SensitiveFacts

        cleaned = super().clean() or {}
        for name in EQUALITY_FIELDS:
            if not cleaned.get(name):
                cleaned[name] = (
                    SensitiveFacts.Disclosure.NOT_ASKED.value
                    if name == "disability"
                    else str(CODES[name].NOT_KNOWN)  # type: ignore[attr-defined]
                )
        return cleaned

    @staticmethod
    def initial_from(facts: Any) -> dict[str, str]:
        """Initial values from a person's SensitiveFacts (or None): what they
        answered, leaving "Not known" and "Not asked" unticked."""
        if facts is None:
            return {}
        unanswered = {name: codes.NOT_KNOWN for name, codes in CODES.items()}  # type: ignore[attr-defined]
        unanswered["disability"] = facts.Disclosure.NOT_ASKED
        return {
            name: getattr(facts, name)
            for name in EQUALITY_FIELDS
            if getattr(facts, name) != unanswered[name]
        }
