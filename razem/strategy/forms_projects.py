"""Forms of project cards and advisors' opinions.

Every choice of a unit, goal, direction or advisor is limited to the partnership's own,
so a forged id from elsewhere fails validation (the view answers 400) instead of linking
another tenant's rows. Money and indicator targets are Decimal, never float.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from razem.core.models import Partnership, Role, User
from razem.strategy.models import (
    ActionDirection,
    FundingSource,
    OpinionKind,
    ProjectStatus,
    Readiness,
    Recommendation,
    StrategicGoal,
    Strategy,
)
from razem.territory.models import Unit

# The years a cost may fall in: the EU 2021-2027 perspective with its n+3 settlement and
# some margin on both sides; anything else is a typo.
FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_ROWS = 60  # per formset: a card with more rows is a forged or broken post

NEGATIVE_AMOUNT = _("An amount cannot be negative.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.display_name} ({obj.teryt})"


class UnitsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.display_name} ({obj.teryt})"


class DirectionsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ActionDirection) -> str:
        return f"{obj.goal.number}.{obj.number}. {obj.title}"


class ProjectCardForm(forms.Form):
    """The card's own fields; indicators, costs and milestones are formsets beside it."""

    title = forms.CharField(label=_("Title"), max_length=300)
    lead_unit = UnitChoice(label=_("Lead unit"), queryset=Unit.objects.none())
    partner_units = UnitsChoice(label=_("Partner units"), queryset=Unit.objects.none(),
                                required=False, widget=forms.CheckboxSelectMultiple)
    location_units = UnitsChoice(label=_("Location (units)"), queryset=Unit.objects.none(),
                                 required=False, widget=forms.CheckboxSelectMultiple)
    location = forms.CharField(label=_("Location (description)"), max_length=500,
                               required=False,
                               help_text=_("The place in words: streets, villages, plots."))
    goals = forms.ModelMultipleChoiceField(label=_("Strategic goals"),
                                           queryset=StrategicGoal.objects.none(),
                                           required=False,
                                           widget=forms.CheckboxSelectMultiple)
    directions = DirectionsChoice(label=_("Directions of action"),
                                  queryset=ActionDirection.objects.none(), required=False,
                                  widget=forms.CheckboxSelectMultiple)
    problem = forms.CharField(label=_("Problem addressed"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    scope = forms.CharField(label=_("Scope"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))
    funding_source = forms.ChoiceField(
        label=_("Planned funding source"), required=False,
        choices=[("", _("not decided yet")), *FundingSource.choices])
    funding_details = forms.CharField(label=_("Programme measure or call"), max_length=300,
                                      required=False)
    readiness = forms.ChoiceField(label=_("Readiness"), choices=Readiness.choices,
                                  initial=Readiness.CONCEPT)
    is_integrated = forms.BooleanField(
        label=_("Integrated project"), required=False,
        help_text=_("Carried out jointly by several units and serving several goals."))
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices,
                               initial=ProjectStatus.PROPOSED)
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("End"), required=False, widget=DateInput())

    def __init__(self, *args: Any, partnership: Partnership, strategy: Strategy | None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = partnership.units.order_by("teryt")
        self.fields["lead_unit"].queryset = units
        self.fields["partner_units"].queryset = units
        self.fields["location_units"].queryset = units
        if strategy is None:
            goals = StrategicGoal.objects.none()
            directions = ActionDirection.objects.none()
        else:
            goals = strategy.goals.order_by("number")
            directions = (ActionDirection.objects.filter(goal__strategy=strategy)
                          .select_related("goal").order_by("goal__number", "number"))
        self.fields["goals"].queryset = goals
        self.fields["directions"].queryset = directions

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts_on: date | None = data.get("starts_on")
        ends_on: date | None = data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end cannot come before the start."))
        return data


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(label=_("Unit of measure"), max_length=40, required=False)
    target = forms.DecimalField(label=_("Target value"), max_digits=20, decimal_places=4,
                                required=False)


def _amount(label: str, *, required: bool) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0,
                              required=required,
                              error_messages={"min_value": NEGATIVE_AMOUNT},
                              widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}))


class CostForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    planned = _amount(_("Planned (PLN)"), required=True)
    spent = _amount(_("Spent (PLN)"), required=False)


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("Milestone"), max_length=300)
    due_on = forms.DateField(label=_("Planned date"), widget=DateInput())
    done_on = forms.DateField(label=_("Reached on"), required=False, widget=DateInput())


class BaseRowsFormSet(forms.BaseFormSet):
    """Rows of a card: blank extra rows are ignored, a ticked "remove" drops a row."""

    def rows(self) -> list[dict[str, Any]]:
        return [form.cleaned_data for form in self.forms
                if form.has_changed() and form.cleaned_data
                and not form.cleaned_data.get("DELETE")]


class BaseCostFormSet(BaseRowsFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self.forms:
            row = form.cleaned_data
            if not form.has_changed() or not row or row.get("DELETE"):
                continue
            year = row["year"]
            if year in seen:
                form.add_error("year", _("This year already has a row: one row per year."))
            seen.add(year)


def _formset(form: type[forms.Form], base: type[forms.BaseFormSet] = BaseRowsFormSet):
    return forms.formset_factory(form, formset=base, extra=2, can_delete=True,
                                 max_num=MAX_ROWS, validate_max=True,
                                 absolute_max=MAX_ROWS)


IndicatorFormSet = _formset(IndicatorForm)
CostFormSet = _formset(CostForm, BaseCostFormSet)
MilestoneFormSet = _formset(MilestoneForm)

FORMSET_PREFIXES = {"outputs": IndicatorFormSet, "results": IndicatorFormSet,
                    "costs": CostFormSet, "milestones": MilestoneFormSet}


def indicator_rows(formset: forms.BaseFormSet) -> list[dict[str, str]]:
    """The JSON the card stores: the target as the text of its Decimal (exact)."""
    rows = []
    for row in formset.rows():
        target: Decimal | None = row.get("target")
        rows.append({"name": row["name"], "unit": row.get("unit") or "",
                     "target": "" if target is None else str(target)})
    return rows


# --- opinions ---------------------------------------------------------------------------


class OpinionRequestForm(forms.Form):
    advisor = forms.ModelChoiceField(label=_("Advisor"), queryset=User.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=OpinionKind.choices,
                             initial=OpinionKind.OPINION)
    question = forms.CharField(label=_("What the advisor is asked"), required=False,
                               widget=forms.Textarea(attrs={"rows": 5}))
    due_on = forms.DateField(label=_("Answer by"), required=False, widget=DateInput())

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the partnership's advisors: a forged user id is not a valid choice.
        self.fields["advisor"].queryset = User.objects.filter(
            memberships__partnership=partnership, memberships__role=Role.ADVISOR,
            is_active=True).order_by("full_name", "email")


class OpinionAnswerForm(forms.Form):
    recommendation = forms.ChoiceField(label=_("Recommendation"),
                                       choices=Recommendation.choices,
                                       widget=forms.RadioSelect)
    strengths = forms.CharField(label=_("Strengths"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}))
    risks = forms.CharField(label=_("Risks"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))
    readiness = forms.CharField(label=_("Readiness"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    funding_fit = forms.CharField(label=_("Fit with funding"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    text = forms.CharField(label=_("Analysis or opinion"), required=False,
                           widget=forms.Textarea(attrs={"rows": 8}))

