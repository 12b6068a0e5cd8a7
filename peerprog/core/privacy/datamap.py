"""The data map: what personal data each model holds, declared in code.

Every app declares, for each of its models, what each field holds
(``declare``), or marks the model as holding no personal data
(``holds_none``). The kernel imports no app: apps declare their models from
a ``privacy`` module that their ``AppConfig.ready`` imports, and the
kernel's own models are declared in ``peerprog.core.privacy.core_models``.

For each field a declaration says:

- its category: personal, special-category (health, disability, equality
  monitoring, statements, feedback, notes) or not personal;
- which roles may read it;
- the retention rule that decides how long it is kept (a name; the
  retention schedule gives each name its period);
- the lawful basis for holding it;
- how it is anonymised when a person is erased or their records are due
  for anonymisation: blanked, replaced by placeholder text, set to null,
  its uploaded file deleted, or kept.

The data map page and its CSV are built from these declarations alone, and
a test fails when a model holding personal data has a field without one, or
when a model is neither declared nor marked as holding none.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import models


class Category(StrEnum):
    PERSONAL = "personal"
    SPECIAL = "special-category"
    NONE = "not personal"


class Anon(StrEnum):
    """How a field is anonymised."""

    BLANK = "blank"
    PLACEHOLDER = "placeholder text"
    NULL = "null"
    DELETE_FILE = "delete file"
    KEEP = "keep"


class Basis(StrEnum):
    """The lawful basis (UK GDPR article 6, and article 9 for special
    category data) for holding a field."""

    PUBLIC_TASK = "Public task (art. 6(1)(e))"
    CONTRACT = "Contract of employment (art. 6(1)(b))"
    LEGAL_OBLIGATION = "Legal obligation (art. 6(1)(c))"
    LEGITIMATE_INTERESTS = "Legitimate interests (art. 6(1)(f))"
    HEALTH_CARE = "Public task; health and social care (art. 6(1)(e), 9(2)(h))"
    EMPLOYMENT = "Contract; employment law (art. 6(1)(b), 9(2)(b))"
    EQUALITY = "Public task; equality monitoring (art. 6(1)(e), 9(2)(g))"


# The text put in place of a name or other identifying words.
PLACEHOLDER_TEXT = "Erased"


@dataclass(frozen=True)
class FieldRule:
    category: Category
    anon: Anon = Anon.KEEP
    readers: tuple[str, ...] | None = None
    retention: str | None = None
    basis: str | None = None


@dataclass(frozen=True)
class FieldEntry:
    """A field's declaration with the model's defaults filled in."""

    model: type[models.Model]
    name: str
    category: Category
    anon: Anon
    readers: tuple[str, ...]
    retention: str
    basis: str

    @property
    def model_label(self) -> str:
        return self.model._meta.label

    @property
    def verbose_model(self) -> str:
        return str(self.model._meta.verbose_name).capitalize()


@dataclass
class ModelDeclaration:
    model: type[models.Model]
    holds_personal: bool
    readers: tuple[str, ...] = ()
    retention: str = ""
    basis: str = ""
    fields: dict[str, FieldRule] = field(default_factory=dict)
    # What record this is about, as a path to the person ("person",
    # "enrolment__person") or to a staff user ("user"): "" for none.
    person_path: str = ""
    user_path: str = ""
    note: str = ""

    def entries(self) -> Iterator[FieldEntry]:
        for name, rule in self.fields.items():
            yield FieldEntry(
                model=self.model,
                name=name,
                category=rule.category,
                anon=rule.anon,
                readers=tuple(rule.readers if rule.readers is not None else self.readers),
                retention=rule.retention or self.retention,
                basis=rule.basis or self.basis,
            )

    def erasable(self, *, special_too: bool = True) -> list[FieldEntry]:
        """The fields anonymisation changes."""
        wanted = {Category.PERSONAL, Category.SPECIAL} if special_too else {Category.PERSONAL}
        return [e for e in self.entries() if e.category in wanted and e.anon != Anon.KEEP]


def personal(anon: Anon = Anon.BLANK, **kwargs: Any) -> FieldRule:
    return FieldRule(Category.PERSONAL, anon, **kwargs)


def special(anon: Anon = Anon.BLANK, **kwargs: Any) -> FieldRule:
    return FieldRule(Category.SPECIAL, anon, **kwargs)


def not_personal(**kwargs: Any) -> FieldRule:
    return FieldRule(Category.NONE, Anon.KEEP, **kwargs)


_declared: dict[str, ModelDeclaration] = {}


def declare(
    model: type[models.Model],
    *,
    readers: Iterable[str],
    retention: str,
    basis: str,
    fields: Mapping[str, FieldRule],
    not_personal_fields: Iterable[str] = (),
    person_path: str = "",
    user_path: str = "",
    note: str = "",
) -> ModelDeclaration:
    """Declare a model holding personal data: ``fields`` names each field
    holding personal or special-category data with its rule;
    ``not_personal_fields`` lists the rest (keys, dates of no one, flags)."""
    rules = dict(fields)
    for name in not_personal_fields:
        rules.setdefault(name, not_personal())
    declaration = ModelDeclaration(
        model=model,
        holds_personal=True,
        readers=tuple(str(r) for r in readers),
        retention=retention,
        basis=str(basis),
        fields=rules,
        person_path=person_path,
        user_path=user_path,
        note=note,
    )
    _declared[model._meta.label_lower] = declaration
    return declaration


def holds_none(*model_list: type[models.Model], note: str = "") -> None:
    """Mark models as holding no personal data."""
    for model in model_list:
        _declared[model._meta.label_lower] = ModelDeclaration(
            model=model, holds_personal=False, note=note
        )


def declaration_for(model: type[models.Model]) -> ModelDeclaration | None:
    return _declared.get(model._meta.label_lower)


def declarations() -> list[ModelDeclaration]:
    return sorted(_declared.values(), key=lambda d: d.model._meta.label_lower)


def personal_declarations() -> list[ModelDeclaration]:
    return [d for d in declarations() if d.holds_personal]


def map_entries() -> list[FieldEntry]:
    """Every declared field of every model holding personal data, in the
    order of the data map: model, then field as declared."""
    return [entry for d in personal_declarations() for entry in d.entries()]


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    """The django-simple-history model keeping a model's old values, if any."""
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    if not attribute:
        return None
    manager = getattr(model, attribute, None)
    return getattr(manager, "model", None)


def is_history_model(model: type[models.Model]) -> bool:
    return hasattr(model, "instance_type") or model.__name__.startswith("Historical")
