"""Form widgets that render without the template engine.

Django renders a ``<select>`` through one template for the list and one
for each option, which costs about as much as a small page when a filter
offers hundreds of names. ``QuickSelect`` writes the same markup directly:
the same attributes, labels and selected option, so forms and tests see no
difference."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

SELECTED = " selected"


def _escape(value: Any) -> str:
    """``conditional_escape`` without building a ``SafeString`` per call."""
    if type(value) is str:
        return html.escape(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


class PlainChoices(BaseChoiceIterator):
    """A choice field's choices read by ``read`` when they are needed (as a
    callable's would be), as plain ``(value, label)`` pairs without groups,
    used as they come: Django would otherwise check each pair for groups
    and lazy labels, which for hundreds of names costs more than reading
    them."""

    def __init__(self, read: Callable[[], Iterable[tuple[Any, Any]]]) -> None:
        self.read = read

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        yield from self.read()

    def __deepcopy__(self, memo: dict[int, Any]) -> PlainChoices:
        # A form copies its fields' choices; these are read afresh on each
        # use and never changed, and copying ``read`` (often a method) would
        # copy the object it belongs to.
        return self


class QuickSelect(forms.Select):
    """A ``Select`` that writes its options directly (no optgroups)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, option_label in self.choices:
            text = "" if option_value is None else str(option_value)
            options.append(
                f'<option value="{_escape(text)}"{SELECTED if text in chosen else ""}>'
                f"{_escape(option_label)}</option>"
            )
            if text in chosen:
                # A single select marks only its first match, as Django does.
                chosen = set()
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final_attrs),
            mark_safe("".join(options)),  # noqa: S308 - every part escaped above
        )


# The selects ``KeptSelect`` keeps in one process, the oldest dropped first.
KEPT_SELECTS = 64
_keeping = threading.Lock()
_selects: dict[tuple[Any, ...], SafeString] = {}


class KeptSelect(QuickSelect):
    """A ``QuickSelect`` that keeps what it wrote for a name, choices (as
    read now), chosen value and attributes, and writes the same again when
    all of them are the same: a filter shows the same few selects on every
    view."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        key = (
            name,
            tuple(self.choices),
            tuple(str(chosen) for chosen in self.format_value(value)),
            tuple(self.build_attrs(self.attrs, attrs).items()),
        )
        drawn = _selects.get(key)
        if drawn is None:
            drawn = super().render(name, value, attrs, renderer)
            with _keeping:
                if len(_selects) >= KEPT_SELECTS:
                    del _selects[next(iter(_selects))]
                _selects[key] = drawn
        return drawn
