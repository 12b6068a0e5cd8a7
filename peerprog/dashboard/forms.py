"""The reports' filters: cohorts, service and dates (and, for the equality
summary, the characteristic). Read from the query string, so a filtered
report has an address that can be shared and exported."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe

from peerprog.core.forms import DateInput
from peerprog.core.models import User
from peerprog.dashboard import selectors
from peerprog.dashboard.selectors import ReportScope
from peerprog.dashboard.study_tables import escape_text


@dataclass(frozen=True)
class FilterField:
    """One filter as ``dashboard/_filters.html`` draws it, by hand rather
    than through a template per widget and option: the cohorts are 50
    checkboxes on a large programme."""

    name: str
    kind: str  # "checkboxes", "select" or "date"
    id: str
    label: str
    help_text: str
    errors: list[str]
    value: str = ""
    # (value, label, chosen, id) of each checkbox or option.
    options: list[tuple[str, str, bool, str]] = field(default_factory=list)

    @property
    def options_html(self) -> SafeString:
        """The checkboxes or options in one piece, from one pattern: the
        template would draw each of the 50 cohorts' checkboxes in turn. The
        names of cohorts and services are escaped here."""
        name = escape_text(self.name)
        esc = escape_text
        if self.kind == "checkboxes":
            invalid = " is-invalid" if self.errors else ""
            drawn = [
                f'\n          <div class="form-check"><input type="checkbox" '
                f'class="form-check-input{invalid}" name="{name}" value="{esc(value)}" '
                f'id="{esc(id_)}"{" checked" if chosen else ""}> <label for="{esc(id_)}" '
                f'class="form-check-label">{esc(label)}</label></div>'
                for value, label, chosen, id_ in self.options
            ]
        else:
            drawn = [
                f'<option value="{escape_text(value)}"{" selected" if chosen else ""}>'
                f"{escape_text(label)}</option>"
                for value, label, chosen, _ in self.options
            ]
        # Every value from outside is escaped above; the rest is our markup.
        return mark_safe("".join(drawn))  # noqa: S308

    @property
    def notes_html(self) -> str:
        """The field's mistakes and help text (``_filter_notes.html``)."""
        esc = escape_text
        notes = ""
        if self.errors:
            shown = "".join(f"<p><strong>{esc(error)}</strong></p>" for error in self.errors)
            notes += (
                f'<div id="{esc(self.id)}_error" class="invalid-feedback d-block">{shown}</div>'
            )
        if self.help_text:
            notes += (
                f'<div id="{esc(self.id)}_helptext" class="form-text">{esc(self.help_text)}</div>'
            )
        return notes

    @property
    def described_html(self) -> str:
        """The input's ARIA attributes (``_filter_described.html``)."""
        esc = escape_text
        drawn = ' aria-invalid="true"' if self.errors else ""
        if self.help_text or self.errors:
            ids = f"{esc(self.id)}_helptext" if self.help_text else ""
            if self.errors:
                ids += f"{' ' if self.help_text else ''}{esc(self.id)}_error"
            drawn += f' aria-describedby="{ids}"'
        return drawn

    @property
    def html(self) -> SafeString:
        """The filter as ``dashboard/_filters.html`` drew it field by field:
        the page's four filters in one piece rather than a loop of includes.
        Every value is escaped here."""
        esc = escape_text
        field_id = esc(self.id)
        invalid = " is-invalid" if self.errors else ""
        if self.kind == "checkboxes":
            described = ""
            if self.help_text or self.errors:
                ids = f"{field_id}_helptext" if self.help_text else ""
                if self.errors:
                    ids += f" {field_id}_error"
                described = f' aria-describedby="{ids}"'
            body = (
                f"\n      <fieldset{described}>\n"
                f'        <legend class="form-label fs-6">{esc(self.label)}</legend>\n'
                f"        <div>{self.options_html}\n        </div>\n"
                f"        {self.notes_html}\n      </fieldset>\n    "
            )
        else:
            label = (
                f'\n      <label for="{field_id}" class="form-label">{esc(self.label)}</label>\n'
            )
            if self.kind == "select":
                control = (
                    f'      <select name="{esc(self.name)}" class="select form-select{invalid}" '
                    f'id="{field_id}"{self.described_html}>{self.options_html}</select>\n'
                )
            else:
                value = f' value="{esc(self.value)}"' if self.value else ""
                control = (
                    f'      <input type="date" name="{esc(self.name)}"{value} '
                    f'class="dateinput form-control{invalid}" id="{field_id}"'
                    f"{self.described_html}>\n"
                )
            body = f"{label}{control}      {self.notes_html}\n    "
        # Every value from outside is escaped above; the rest is our markup.
        return mark_safe(f'\n    <div id="div_{field_id}" class="mb-3">{body}</div>\n    ')  # noqa: S308


class ReportFilterForm(forms.Form):
    cohort = forms.ModelMultipleChoiceField(
        label="Cohorts",
        queryset=None,  # type: ignore[arg-type]
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for every cohort.",
    )
    service = forms.ModelChoiceField(
        label="Service",
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label="All services",
        help_text="Where peer workers started in post.",
    )
    date_from = forms.DateField(
        label="Training started on or after", required=False, widget=DateInput()
    )
    date_to = forms.DateField(
        label="Training started on or before", required=False, widget=DateInput()
    )

    def __init__(self, data: QueryDict, *, user: User, **kwargs: Any) -> None:
        # Plain rows: the filters show names, and only a chosen cohort or
        # service is read as a model instance (by the fields' cleaning).
        cohorts = selectors.programme_cohort_rows(user=user)
        services = selectors.programme_service_rows(user=user)
        # A cohort or service of another programme (an edited address, say)
        # is left out rather than refused: it is simply not the user's.
        data = data.copy()
        known = {str(cohort.pk) for cohort in cohorts}
        data.setlist("cohort", [value for value in data.getlist("cohort") if value in known])
        if data.get("service") and data["service"] not in {str(pk) for pk, _ in services}:
            data.pop("service")
        super().__init__(data, **kwargs)
        self.user = user
        cohort_field = self.fields["cohort"]
        cohort_field.queryset = selectors.programme_cohorts(user=user)  # type: ignore[attr-defined]
        # The choices are drawn from the list already read, without a
        # second query.
        cohort_field.choices = [(c.pk, c.name) for c in cohorts]  # type: ignore[attr-defined]
        service_field = self.fields["service"]
        service_field.queryset = selectors.programme_services(user=user)  # type: ignore[attr-defined]
        service_field.choices = [("", "All services"), *services]  # type: ignore[attr-defined]
        self._cohorts = {cohort.pk: cohort for cohort in cohorts}

    def filters_html(self) -> SafeString:
        """Every filter drawn (``FilterField.html``), in one piece."""
        return mark_safe("".join(field.html for field in self.filter_fields()))  # noqa: S308

    def filter_fields(self) -> list[FilterField]:
        """The filters with their values and any mistakes, for the page."""
        shown = []
        for bound in self:
            field_ = bound.field
            errors = [str(error) for error in bound.errors]
            common = {
                "name": bound.name,
                "id": bound.auto_id,
                "label": str(bound.label),
                "help_text": str(field_.help_text),
                "errors": errors,
            }
            if isinstance(field_, forms.DateField):
                value = bound.value()
                shown.append(FilterField(kind="date", value=_date_value(value), **common))
                continue
            value = bound.value()
            chosen = (
                {str(v) for v in value} if isinstance(value, list | tuple) else {str(value or "")}
            )
            multiple = isinstance(field_.widget, forms.CheckboxSelectMultiple)
            options = [
                (str(key), str(text), str(key) in chosen, f"{bound.auto_id}_{index}")
                for index, (key, text) in enumerate(field_.choices)  # type: ignore[attr-defined]
            ]
            shown.append(
                FilterField(kind="checkboxes" if multiple else "select", options=options, **common)
            )
        return shown

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The second date must be on or after the first.")
        return cleaned

    def scope(self) -> ReportScope:
        """The report's scope from the filters; with a mistake in them, the
        whole programme (the form shows what to correct)."""
        read = list(self._cohorts.values())
        if not self.is_valid():
            return selectors.report_scope(user=self.user, programme_cohorts_read=read)
        return selectors.report_scope(
            user=self.user,
            cohorts=list(self.cleaned_data["cohort"]),
            service=self.cleaned_data.get("service"),
            date_from=self.cleaned_data["date_from"],
            date_to=self.cleaned_data["date_to"],
            programme_cohorts_read=read,
        )


def _date_value(value: object) -> str:
    """A date filter's value as its input shows it: what was typed, or the
    date in ISO form."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class EqualityFilterForm(ReportFilterForm):
    characteristic = forms.ChoiceField(
        label="Characteristic",
        choices=list(selectors.CHARACTERISTICS.items()),
        required=False,
    )

    def __init__(self, data: QueryDict, *, user: User, **kwargs: Any) -> None:
        super().__init__(data, user=user, **kwargs)
        # Equality monitoring is about the path to a post, not a service.
        del self.fields["service"]

    @property
    def characteristic_value(self) -> str:
        if self.is_valid() and self.cleaned_data.get("characteristic"):
            return str(self.cleaned_data["characteristic"])
        return selectors.DEFAULT_CHARACTERISTIC
