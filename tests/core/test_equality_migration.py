"""Coding equality monitoring keeps what can be read: old free-text answers
become the NHS-style codes whatever their case, spacing or punctuation, and
anything that cannot be read becomes "Not known". Going back writes labels."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from peerprog.core.equality import (
    AgeBand,
    EthnicCategory,
    GenderIdentity,
    ReligionOrBelief,
    Sex,
    SexualOrientation,
)
from peerprog.core.models import SensitiveFacts
from tests.core.factories import PersonFactory, ProgrammeFactory

FREE_TEXT = [("core", "0016_people_accounts")]
CODED = [("core", "0017_equality_coded")]

OLD_ANSWERS: list[tuple[dict[str, str], dict[str, str]]] = [
    (
        {
            "ethnic_group": "white british",
            "gender": "female",
            "sexual_orientation": "Straight",
            "religion_or_belief": "Church of England",
            "age_band": "18-24",
        },
        {
            "ethnic_group": EthnicCategory.WHITE_BRITISH,
            "sex": Sex.FEMALE,
            "gender_identity": GenderIdentity.NOT_KNOWN,
            "sexual_orientation": SexualOrientation.HETEROSEXUAL,
            "religion_or_belief": ReligionOrBelief.CHRISTIAN,
            "age_band": AgeBand.AGE_16_24,
        },
    ),
    (
        {
            "ethnic_group": "White - British",
            "gender": "Woman",
            "sexual_orientation": "gay/lesbian",
            "religion_or_belief": "none",
            "age_band": "25 - 34",
        },
        {
            "ethnic_group": EthnicCategory.WHITE_BRITISH,
            "sex": Sex.FEMALE,
            "gender_identity": GenderIdentity.NOT_KNOWN,
            "sexual_orientation": SexualOrientation.GAY_OR_LESBIAN,
            "religion_or_belief": ReligionOrBelief.NONE,
            "age_band": AgeBand.AGE_25_34,
        },
    ),
    (
        {
            "ethnic_group": "Black or Black British: Caribbean",
            "gender": "MAN",
            "sexual_orientation": "Bisexual ",
            "religion_or_belief": "Islam",
            "age_band": "65+",
        },
        {
            "ethnic_group": EthnicCategory.BLACK_CARIBBEAN,
            "sex": Sex.MALE,
            "gender_identity": GenderIdentity.NOT_KNOWN,
            "sexual_orientation": SexualOrientation.BISEXUAL,
            "religion_or_belief": ReligionOrBelief.MUSLIM,
            "age_band": AgeBand.AGE_65_PLUS,
        },
    ),
    (
        {
            "ethnic_group": "asian or asian british - pakistani",
            "gender": "Trans woman",
            "sexual_orientation": "prefer not to say",
            "religion_or_belief": "Prefer not to say",
            "age_band": "",
        },
        {
            "ethnic_group": EthnicCategory.ASIAN_PAKISTANI,
            "sex": Sex.NOT_KNOWN,
            "gender_identity": GenderIdentity.DIFFERENT,
            "sexual_orientation": SexualOrientation.PREFER_NOT_TO_SAY,
            "religion_or_belief": ReligionOrBelief.PREFER_NOT_TO_SAY,
            "age_band": AgeBand.NOT_KNOWN,
        },
    ),
    (
        {
            "ethnic_group": "Martian",
            "gender": "Non-binary",
            "sexual_orientation": "",
            "religion_or_belief": "Jedi knight",
            "age_band": "young",
        },
        {
            "ethnic_group": EthnicCategory.NOT_KNOWN,
            "sex": Sex.NOT_KNOWN,
            "gender_identity": GenderIdentity.NOT_KNOWN,
            "sexual_orientation": SexualOrientation.NOT_KNOWN,
            "religion_or_belief": ReligionOrBelief.NOT_KNOWN,
            "age_band": AgeBand.NOT_KNOWN,
        },
    ),
    (
        {
            "ethnic_group": "",
            "gender": "Prefers not to say",
            "sexual_orientation": "",
            "religion_or_belief": "",
            "age_band": "",
        },
        {
            "ethnic_group": EthnicCategory.NOT_KNOWN,
            "sex": Sex.PREFER_NOT_TO_SAY,
            "gender_identity": GenderIdentity.PREFER_NOT_TO_SAY,
            "sexual_orientation": SexualOrientation.NOT_KNOWN,
            "religion_or_belief": ReligionOrBelief.NOT_KNOWN,
            "age_band": AgeBand.NOT_KNOWN,
        },
    ),
]


def _migrate(targets: list[tuple[str, str]] | None = None) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def test_old_free_text_answers_become_codes_and_the_rest_not_known(
    transactional_db: Any,
) -> None:
    programme = ProgrammeFactory()
    people = [PersonFactory(programme=programme) for _ in OLD_ANSWERS]

    old = _migrate(FREE_TEXT)
    OldFacts = old.get_model("core", "SensitiveFacts")
    OldHistory = old.get_model("core", "HistoricalSensitiveFacts")
    for person, (answers, _) in zip(people, OLD_ANSWERS, strict=True):
        facts = OldFacts.objects.create(person_id=person.pk, **answers)
        OldHistory.objects.create(
            id=facts.pk,
            person_id=person.pk,
            disability="not_asked",
            updated_at=facts.updated_at,
            history_date=facts.updated_at,
            history_type="+",
            **answers,
        )

    _migrate()

    for person, (_, expected) in zip(people, OLD_ANSWERS, strict=True):
        facts = SensitiveFacts.objects.get(person=person)
        assert {name: getattr(facts, name) for name in expected} == expected
        history = facts.history.get()
        assert {name: getattr(history, name) for name in expected} == expected


def test_going_back_writes_each_code_as_its_label(transactional_db: Any) -> None:
    person = PersonFactory()
    SensitiveFacts.objects.create(
        person=person,
        ethnic_group=EthnicCategory.WHITE_IRISH,
        sex=Sex.MALE,
        sexual_orientation=SexualOrientation.NOT_KNOWN,
        age_band=AgeBand.AGE_45_54,
    )
    try:
        old = _migrate(FREE_TEXT)
        facts = old.get_model("core", "SensitiveFacts").objects.get(person_id=person.pk)
        assert facts.ethnic_group == "White: Irish"
        assert facts.gender == "Male"
        assert facts.sexual_orientation == ""
        assert facts.age_band == "45 to 54"
    finally:
        _migrate()
    assert SensitiveFacts.objects.get(person=person).ethnic_group == EthnicCategory.WHITE_IRISH
    assert SensitiveFacts.objects.get(person=person).age_band == AgeBand.AGE_45_54
