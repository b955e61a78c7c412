from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from razem.indicators.catalogue import DIMENSIONS, Catalogue, load_catalogue
from razem.portrait.models import TEXT_MAX_LENGTH, ConclusionKind
from razem.portrait.presenters import dimension_label
from razem.portrait.survey_questions import parse, survey_question_choices


class ConclusionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ConclusionKind.choices, widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether this is a strength, a weakness or a challenge."),
            "invalid_choice": _("Choose whether this is a strength, a weakness or a challenge."),
        },
    )
    dimension = forms.ChoiceField(
        label=_("Dimension"), required=False,
        error_messages={"invalid_choice": _("Choose one of the dimensions of the portrait.")},
    )
    text = forms.CharField(
        label=_("Conclusion"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One or two sentences, at most 2000 characters."),
        error_messages={
            "required": _("Write the conclusion."),
            "max_length": _("The conclusion may have at most %(limit_value)d characters "
                            "(it has %(show_value)d)."),
        },
    )
    indicator_codes = forms.MultipleChoiceField(
        label=_("Indicators it rests on"), required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("There is no indicator %(value)s in the catalogue.")},
    )
    survey_questions = forms.MultipleChoiceField(
        label=_("Survey questions it rests on"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Questions of the partnership's surveys whose results support it."),
        error_messages={"invalid_choice": _("There is no question %(value)s in the "
                                            "partnership's surveys.")},
    )
    order = forms.IntegerField(
        label=_("Position in the list"), required=False, min_value=0, max_value=10_000,
        help_text=_("Conclusions of one kind are listed by this number; empty puts it last."),
        error_messages={
            "invalid": _("Enter a whole number."),
            "min_value": _("Enter a number from 0 to 10000."),
            "max_value": _("Enter a number from 0 to 10000."),
        },
    )

    def __init__(self, *args, catalogue: Catalogue | None = None, partnership=None,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        catalogue = catalogue or load_catalogue()
        language = get_language() or "pl"
        self.fields["dimension"].choices = [("", _("All dimensions"))] + [
            (d, dimension_label(d, language)) for d in DIMENSIONS
        ]
        self.fields["indicator_codes"].choices = [
            (dimension_label(d, language), [(i.code, i.name(language)) for i in indicators])
            for d, indicators in catalogue.by_dimension().items() if indicators
        ]
        # Only this partnership's questions are choices, so a forged id is an invalid choice.
        choices = survey_question_choices(partnership) if partnership is not None else []
        self.fields["survey_questions"].choices = choices
        if not choices:
            self.fields["survey_questions"].help_text = _(
                "The partnership has no survey yet; questions can be cited once it has one.")

    def clean_survey_questions(self) -> list[dict]:
        return [ref for ref in map(parse, self.cleaned_data["survey_questions"]) if ref]
