"""The data map covers every model: a model holding personal data declares
every field; a model holding none says so; each way of anonymising fits the
field it is declared for."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from peerprog.core.privacy.anonymise import replacement
from peerprog.core.privacy.datamap import Anon, declaration_for, is_history_model

OUR_PACKAGES = (
    "peerprog.",
    "recruitment.",
    "training.",
    "readiness.",
    "deployment.",
    "supervision.",
    "selfservice.",
)


def our_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith(OUR_PACKAGES) and not is_history_model(model)
    ]


def test_there_are_models_to_check() -> None:
    assert len(our_models()) > 60


def test_every_model_is_declared_or_marked_as_holding_none() -> None:
    missing = [m._meta.label for m in our_models() if declaration_for(m) is None]
    assert missing == []


def test_every_field_of_a_model_holding_personal_data_is_declared() -> None:
    gaps = []
    for model in our_models():
        declaration = declaration_for(model)
        if declaration is None or not declaration.holds_personal:
            continue
        fields = {f.name for f in model._meta.concrete_fields}
        for name in sorted(fields - set(declaration.fields)):
            gaps.append(f"{model._meta.label}.{name} has no declaration")
        for name in sorted(set(declaration.fields) - fields):
            gaps.append(f"{model._meta.label}.{name} is declared but is no field")
        if not declaration.retention or not declaration.basis:
            gaps.append(f"{model._meta.label} has no retention rule or lawful basis")
    assert gaps == []


def test_each_way_of_anonymising_fits_its_field() -> None:
    misfits = []
    for model in our_models():
        declaration = declaration_for(model)
        if declaration is None or not declaration.holds_personal:
            continue
        for entry in declaration.erasable():
            field = model._meta.get_field(entry.name)
            if entry.anon == Anon.NULL and not field.null:
                misfits.append(f"{entry.model_label}.{entry.name} cannot be null")
            if entry.anon == Anon.DELETE_FILE and not isinstance(
                field, models.FileField | models.CharField
            ):
                misfits.append(f"{entry.model_label}.{entry.name} names no file")
            if field.is_relation or field.primary_key:
                misfits.append(f"{entry.model_label}.{entry.name} is a key: keep it")
            try:
                replacement(field, entry.anon, "id")
            except ValueError as error:
                misfits.append(str(error))
    assert misfits == []
