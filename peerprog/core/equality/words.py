"""Answers given in words (an old free-text value, a spreadsheet column)
read as codes, ignoring case, spacing and punctuation."""

from __future__ import annotations

import re

from django.db import models

from peerprog.core.equality.codes import (
    CODES,
    AgeBand,
    EthnicCategory,
    GenderIdentity,
    ReligionOrBelief,
    Sex,
    SexualOrientation,
)


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
