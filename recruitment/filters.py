"""The application list's filters (name or e-mail, cohort, stage, source,
pathway, how it arrived, unsuccessful reason)."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from peerprog.core.widgets import KeptSelect, PlainChoices
from recruitment.models import Application, Cohort, UnsuccessfulReason

Stage = Application.Stage

# A field of the filter form as the list shows it: its label above it.
_FIELD = (
    '\n  <div class="col-sm-6 col-md-4 col-lg-2">\n'
    '    <label for="{id}" class="form-label small">{label}</label>\n'
    "    {widget}\n"
    "  </div>\n  "
)


class QuickTextInput(forms.TextInput):
    """A ``TextInput`` that writes its markup directly: what Django's
    template for it writes (the same attributes, in the same order),
    without the template engine."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            '<input type="{}" name="{}"'.format(
                conditional_escape(widget["type"]), conditional_escape(widget["name"])
            )
        ]
        if widget["value"] is not None:
            parts.append(' value="{}"'.format(conditional_escape(str(widget["value"]))))
        for key, attribute in widget["attrs"].items():
            if attribute is False:
                continue
            if attribute is True:
                parts.append(f" {conditional_escape(key)}")
            else:
                parts.append(f' {conditional_escape(key)}="{conditional_escape(str(attribute))}"')
        parts.append(">")
        # Every value is escaped above; the rest is the widget's markup.
        return mark_safe("".join(parts))  # noqa: S308


# The most empty filter forms ``blank_fields_html`` keeps written.
KEPT_FORMS = 16
_blank_forms: dict[tuple[Any, ...], SafeString] = {}
_keeping = threading.Lock()


class ApplicationFilter(django_filters.FilterSet):
    """Filters of the application list; search by name or e-mail."""

    q = django_filters.CharFilter(label="Name or e-mail", method="search", widget=QuickTextInput)
    cohort = django_filters.ChoiceFilter(empty_label="Any cohort", widget=KeptSelect)
    stage = django_filters.ChoiceFilter(
        choices=PlainChoices(lambda: Stage.choices), empty_label="Any stage", widget=KeptSelect
    )
    source = django_filters.ChoiceFilter(
        choices=PlainChoices(lambda: Application.Source.choices),
        empty_label="Any source",
        widget=KeptSelect,
    )
    pathway = django_filters.ChoiceFilter(
        choices=PlainChoices(lambda: Application.Pathway.choices),
        empty_label="Any pathway",
        widget=KeptSelect,
    )
    arrived = django_filters.ChoiceFilter(
        label="How it arrived",
        choices=PlainChoices(lambda: Application.Arrival.choices),
        empty_label="Any way",
        widget=KeptSelect,
    )
    reason = django_filters.ChoiceFilter(
        label="Unsuccessful reason",
        field_name="unsuccessful_reason",
        empty_label="Any reason",
        widget=KeptSelect,
    )

    _form_class: ClassVar[type[forms.Form] | None] = None

    class Meta:
        model = Application
        fields = ["q", "cohort", "stage", "source", "pathway", "arrived", "reason"]

    def __init__(
        self,
        *args: Any,
        programme_id: int | None,
        reasons: list[tuple[int, str, bool]] | None = None,
        cohorts: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        """``reasons``: the programme's unsuccessful reasons as (id, label,
        archived), and ``cohorts`` its cohorts as (id, name), when the page
        has read them already."""
        super().__init__(*args, **kwargs)
        self.programme_id = programme_id
        self.reasons = reasons
        self.cohorts = cohorts
        # Read as plain values when the form is drawn or checked.
        fields = self.form.fields
        fields["cohort"].choices = PlainChoices(self.cohort_choices)
        fields["reason"].choices = PlainChoices(self.reason_choices)

    def get_form_class(self) -> type[forms.Form]:
        """The form, built once: its fields are the same on every list but
        for the choices of cohort and of reason, which each form is given
        as it is made (``__init__``)."""
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            for name, form_field in form_class.base_fields.items():
                form_field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"
            type(self)._form_class = form_class
        return form_class

    def fields_html(self) -> SafeString:
        """The form's fields, each under its label, as the list shows them:
        written once here rather than looked up field by field in the
        template."""
        parts = [
            _FIELD.format(
                id=conditional_escape(field.id_for_label),
                label=conditional_escape(field.label),
                widget=field.as_widget(),
            )
            for field in self.form
        ]
        # The labels and ids are escaped above; the widgets escape their own values.
        return mark_safe("".join(parts))  # noqa: S308

    def cohort_choices(self) -> list[tuple[str, str]]:
        if self.cohorts is not None:
            return [(str(pk), name) for pk, name in self.cohorts]
        cohorts = Cohort.objects.filter(programme_id=self.programme_id)
        return [(str(pk), name) for pk, name in cohorts.values_list("pk", "name")]

    def reason_choices(self) -> list[tuple[str, str]]:
        if self.reasons is not None:
            return [(str(pk), label) for pk, label, _ in self.reasons]
        reasons = UnsuccessfulReason.objects.filter(programme_id=self.programme_id)
        return [(str(pk), label) for pk, label in reasons.values_list("pk", "label")]

    def search(self, queryset: QuerySet[Application], name: str, value: str) -> Any:
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(person__first_name__icontains=word)
                | Q(person__last_name__icontains=word)
                | Q(person__preferred_name__icontains=word)
                | Q(person__email__icontains=word)
            )
        return queryset


def blank_fields_html(
    *, reasons: list[tuple[int, str, bool]], cohorts: list[tuple[int, str]]
) -> SafeString:
    """The list's filter fields with nothing chosen (``fields_html`` of a
    filter given no data), for the programme's unsuccessful reasons and
    cohorts as read now: the list's first view draws the same fields every
    time until a reason or a cohort changes, so they are kept as written."""
    key = (tuple(tuple(reason) for reason in reasons), tuple(tuple(c) for c in cohorts))
    drawn = _blank_forms.get(key)
    if drawn is None:
        filterset = ApplicationFilter(
            None,
            queryset=Application.objects.none(),
            programme_id=None,
            reasons=reasons,
            cohorts=cohorts,
        )
        drawn = filterset.fields_html()
        with _keeping:
            if len(_blank_forms) >= KEPT_FORMS:
                del _blank_forms[next(iter(_blank_forms))]
            _blank_forms[key] = drawn
    return drawn
