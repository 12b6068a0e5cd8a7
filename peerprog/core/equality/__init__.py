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

This package imports only Django, so models, migrations and forms can use it.
"""

from peerprog.core.equality.codes import (
    CODES,
    EQUALITY_FIELDS,
    NOT_KNOWN_LABEL,
    PREFER_NOT_TO_SAY_LABEL,
    QUESTIONS,
    AgeBand,
    EthnicCategory,
    GenderIdentity,
    ReligionOrBelief,
    Sex,
    SexualOrientation,
    label_of,
)
from peerprog.core.equality.form import EqualityMonitoringForm
from peerprog.core.equality.words import answer_from_text, sex_and_identity_from_gender

__all__ = [
    "CODES",
    "EQUALITY_FIELDS",
    "NOT_KNOWN_LABEL",
    "PREFER_NOT_TO_SAY_LABEL",
    "QUESTIONS",
    "AgeBand",
    "EqualityMonitoringForm",
    "EthnicCategory",
    "GenderIdentity",
    "ReligionOrBelief",
    "Sex",
    "SexualOrientation",
    "answer_from_text",
    "label_of",
    "sex_and_identity_from_gender",
]
