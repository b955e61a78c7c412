"""Forms of the strategy pages: the text parts, goals, directions, results, measurements, areas.

Plain forms (not ModelForms): the actions in strategy_actions save and log the changes, so a
form only checks the input. Choices of conclusions and units come from the partnership, so an
id of another partnership is an invalid choice (the page answers 400 and saves nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from razem.core.models import Partnership
from razem.indicators.catalogue import Catalogue, load_catalogue
from razem.portrait.presenters import dimension_label
from razem.strategy.models import AreaOrigin, Dimension, Strategy

FIRST_YEAR, LAST_YEAR = 1990, 2100
TEXT_FIELDS = ("title", "horizon_year", "vision", "spatial_model", "spatial_policy",
               "implementation_system", "financial_framework", "partners_involvement")

# (value, year) of the partnership's figure for an indicator code, or None without data.
BaselineLookup = Callable[[str], tuple[Decimal, int] | None]


def _year_field(label, *, required: bool = False, help_text: str = "") -> forms.IntegerField:
    # The bounds are in the message itself: a lazy message cannot be formatted at import.
    message = _("Enter a year from 1990 to 2100.")
    return forms.IntegerField(
        label=label, required=required, min_value=FIRST_YEAR, max_value=LAST_YEAR,
        help_text=help_text,
        error_messages={"invalid": message, "min_value": message, "max_value": message,
                        "required": message})


def _value_field(label, *, required: bool = False, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=20, decimal_places=4, help_text=help_text,
        error_messages={
            "invalid": _("Enter a number (a comma or a point before the decimals)."),
            "required": _("Enter the value."),
            "max_digits": _("The number is too long."),
            "max_decimal_places": _("At most 4 decimal places."),
            "max_whole_digits": _("The number is too large."),
        })


def _number_field(label) -> forms.IntegerField:
    message = _("Enter a whole number from 1 to 99.")
    return forms.IntegerField(label=label, min_value=1, max_value=99, error_messages={
        "invalid": message, "min_value": message, "max_value": message, "required": message})


class StrategyCreateForm(forms.Form):
    title = forms.CharField(label=_("Title of the strategy"), max_length=300,
                            error_messages={"required": _("Give the strategy a title.")})
    horizon_year = forms.IntegerField(
        label=_("Horizon (year)"), min_value=2021, max_value=2060, initial=2030,
        error_messages={"invalid": _("Enter a year from 2021 to 2060."),
                        "min_value": _("Enter a year from 2021 to 2060."),
                        "max_value": _("Enter a year from 2021 to 2060."),
                        "required": _("Enter a year from 2021 to 2060.")})


class StrategyTextForm(StrategyCreateForm):
    """The text parts the act requires, besides goals and areas (art. 10e ust. 3)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        texts = fields_for_model(Strategy, fields=TEXT_FIELDS[2:])
        for name, field in texts.items():
            field.widget = forms.Textarea(attrs={"rows": 6})
            self.fields[name] = field
        self.fields["spatial_model"].help_text = _(
            "How the area works: centres, links, functional areas.")
        self.fields["financial_framework"].help_text = _(
            "The expected money and its sources (EU programmes, national, the units' budgets).")


class GoalForm(forms.Form):
    number = _number_field(_("Number"))
    dimension = forms.ChoiceField(
        label=_("Dimension"), choices=Dimension.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose the dimension of the goal."),
                        "invalid_choice": _("Choose the dimension of the goal.")})
    title = forms.CharField(label=_("Goal"), max_length=300,
                            error_messages={"required": _("Write the goal.")})
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    conclusions = forms.ModelMultipleChoiceField(
        label=_("Conclusions of the diagnosis it answers"), required=False,
        queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose conclusions of this partnership's diagnosis only."),
            "invalid_pk_value": _("Choose conclusions of this partnership's diagnosis only."),
        })

    def __init__(self, *args: Any, partnership: Partnership, taken: Iterable[int] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this partnership's conclusions can be chosen: another id is invalid.
        self.fields["conclusions"].queryset = partnership.diagnosis_conclusions.all()
        language = get_language() or "pl"
        self.fields["conclusions"].label_from_instance = lambda c: (
            f"{dimension_label(c.dimension, language) if c.dimension else '–'}: {c}")
        self.taken = set(taken)

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        if number in self.taken:
            raise forms.ValidationError(_("Another goal already has number %(number)d."),
                                        params={"number": number})
        return number


class DirectionForm(forms.Form):
    number = _number_field(_("Number"))
    title = forms.CharField(label=_("Direction of action"), max_length=300,
                            error_messages={"required": _("Write the direction of action.")})
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, taken: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.taken = set(taken)

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        if number in self.taken:
            raise forms.ValidationError(
                _("Another direction of this goal already has number %(number)d."),
                params={"number": number})
        return number


def indicator_choices(catalogue: Catalogue, language: str) -> list:
    return [("", _("— an indicator named by hand —"))] + [
        (dimension_label(d, language), [(i.code, i.name(language)) for i in indicators])
        for d, indicators in catalogue.by_dimension().items() if indicators
    ]


class ResultForm(forms.Form):
    title = forms.CharField(label=_("Expected result"), max_length=300,
                            error_messages={"required": _("Write the expected result.")})
    indicator_code = forms.ChoiceField(
        label=_("Indicator from the catalogue"), required=False,
        help_text=_("The baseline and its year are then taken from the portrait's data "
                    "when you leave them empty."),
        error_messages={"invalid_choice": _("There is no indicator %(value)s in the catalogue.")})
    indicator_name = forms.CharField(
        label=_("Or the name of another indicator"), max_length=300, required=False)
    measure_unit = forms.CharField(label=_("Unit of measure"), max_length=40, required=False)
    baseline_value = _value_field(_("Baseline"))
    baseline_year = _year_field(_("Baseline year"))
    target_value = _value_field(_("Target"))
    target_year = _year_field(_("Target year"))

    def __init__(self, *args: Any, baseline: BaselineLookup | None = None,
                 catalogue: Catalogue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue or load_catalogue()
        language = get_language() or "pl"
        self.fields["indicator_code"].choices = indicator_choices(self.catalogue, language)
        self.baseline = baseline
        self.language = language

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        code, name = data.get("indicator_code"), (data.get("indicator_name") or "").strip()
        data["indicator_name"] = name
        if not code and not name:
            raise forms.ValidationError(
                _("Choose an indicator from the catalogue or name another one."))
        if code and not data.get("measure_unit"):
            data["measure_unit"] = self.catalogue.get(code).unit(self.language)[:40]
        if code and data.get("baseline_value") is None and data.get("baseline_year") is None:
            found = self.baseline(code) if self.baseline else None
            if found is None:
                self.add_error("baseline_value", _(
                    "The portrait has no data for this indicator: enter the baseline and "
                    "its year."))
                return data
            data["baseline_value"], data["baseline_year"] = found
        for value, year in (("baseline_value", "baseline_year"),
                            ("target_value", "target_year")):
            if (data.get(value) is None) != (data.get(year) is None):
                self.add_error(year if data.get(year) is None else value,
                               _("Give both the value and its year."))
        baseline_year, target_year = data.get("baseline_year"), data.get("target_year")
        if baseline_year is not None and target_year is not None and target_year <= baseline_year:
            self.add_error("target_year", _(
                "The target year (%(target)d) must come after the baseline year "
                "(%(baseline)d).") % {"target": target_year, "baseline": baseline_year})
        return data


class MeasurementForm(forms.Form):
    year = _year_field(_("Year"), required=True)
    value = _value_field(_("Value"), required=True)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AreaForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300,
                           error_messages={"required": _("Name the area.")})
    origin = forms.ChoiceField(
        label=_("Origin"), choices=AreaOrigin.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Say where the area comes from."),
                        "invalid_choice": _("Say where the area comes from.")})
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    units = forms.ModelMultipleChoiceField(
        label=_("Units in the area"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one unit."),
            "invalid_choice": _("Choose member units of this partnership only."),
            "invalid_pk_value": _("Choose member units of this partnership only."),
        })

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the partnership's member units: another unit's id is an invalid choice.
        self.fields["units"].queryset = partnership.units.order_by("kind", "name")
        self.fields["units"].label_from_instance = lambda unit: unit.display_name
