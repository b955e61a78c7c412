"""Forms of the prioritisation pages: criteria, weights (direct or AHP), one unit's
scores, and the upload of an exported ranking file."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from razem.strategy.models import Criterion, ProjectCard
from razem.strategy.ranking_actions import SAATY_SCALE, SCORE_MAX, SCORE_MIN

# An exported problem of 200 projects, 10 criteria and 16 units is about 3 MB.
MAX_VERIFY_BYTES = 5 * 1024 * 1024


class CriterionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    code = forms.SlugField(label=_("Code"), max_length=20,
                           help_text=_("Short, without spaces, e.g. K1."))
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("How to score"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    polarity = forms.TypedChoiceField(
        label=_("Direction"), coerce=int, initial=1,
        choices=[(1, _("higher is better")), (-1, _("lower is better"))])


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True,
                                         max_num=30, validate_max=True)


def criterion_initial(criteria: list[Criterion]) -> list[dict]:
    return [{"id": c.pk, "code": c.code, "name": c.name, "description": c.description,
             "polarity": c.polarity} for c in criteria]


def _percent_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal(0), max_value=Decimal(100), max_digits=5,
        decimal_places=2, localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}))


class DirectWeightsForm(forms.Form):
    """One weight in percent per criterion (field "w-<criterion id>")."""

    def __init__(self, *args, criteria: list[Criterion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            field = _percent_field(f"{criterion.code}: {criterion.name} (%)")
            if criterion.weight is not None:
                field.initial = (criterion.weight * 100).normalize()
            self.fields[f"w-{criterion.pk}"] = field

    def percents(self) -> dict[int, Decimal]:
        return {c.pk: self.cleaned_data[f"w-{c.pk}"] for c in self.criteria}


def saaty_label(value: Fraction) -> str:
    return str(value) if value.denominator == 1 else f"1/{value.denominator}"


SAATY_CHOICES = [(saaty_label(v), saaty_label(v)) for v in SAATY_SCALE]


class AhpForm(forms.Form):
    """A comparison of each pair of criteria above the diagonal ("p-<i>-<j>"): how many
    times criterion i is more important than criterion j, on Saaty's scale."""

    def __init__(self, *args, criteria: list[Criterion],
                 matrix: list[list[float]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.pairs = []
        fits = matrix is not None and len(matrix) == len(criteria)
        for i, first in enumerate(criteria):
            for j in range(i + 1, len(criteria)):
                second = criteria[j]
                name = f"p-{i}-{j}"
                field = forms.ChoiceField(
                    label=_("%(a)s compared with %(b)s")
                    % {"a": first.name, "b": second.name},
                    choices=SAATY_CHOICES, initial="1")
                if fits:
                    field.initial = saaty_label(
                        Fraction(matrix[i][j]).limit_denominator(9))
                self.fields[name] = field
                self.pairs.append((self[name], first, second))

    def upper(self) -> dict[tuple[int, int], Fraction]:
        result = {}
        for name, value in self.cleaned_data.items():
            _p, i, j = name.split("-")
            result[(int(i), int(j))] = Fraction(value)
        return result


class WeightingForm(forms.Form):
    weighting = forms.ChoiceField(
        label=_("Weighting of criteria"), widget=forms.RadioSelect,
        choices=[("direct", _("weights given directly")),
                 ("ahp", _("pairwise comparisons (AHP)"))])


def score_field_name(project_id: int, criterion_id: int) -> str:
    return f"s-{project_id}-{criterion_id}"


class ScoreGridForm(forms.Form):
    """One unit's score of every project on every criterion ("s-<project>-<criterion>");
    an empty cell means not scored (yet)."""

    def __init__(self, *args, projects: list[ProjectCard], criteria: list[Criterion],
                 current: dict[tuple[int, int], Decimal], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.projects = projects
        self.criteria = criteria
        self.rows = []
        for project in projects:
            cells = []
            for criterion in criteria:
                name = score_field_name(project.pk, criterion.pk)
                field = forms.DecimalField(
                    label=_("%(project)s: %(criterion)s")
                    % {"project": project.title, "criterion": criterion.name},
                    required=False, min_value=SCORE_MIN, max_value=SCORE_MAX, max_digits=4,
                    decimal_places=2, localize=True,
                    widget=forms.TextInput(attrs={
                        "inputmode": "decimal", "size": 4,
                        # Named by its row and column headers (ranking_scores.html).
                        "aria-labelledby": f"project-{project.pk} criterion-{criterion.pk}"}))
                value = current.get((project.pk, criterion.pk))
                if value is not None:
                    field.initial = value.normalize()
                self.fields[name] = field
                cells.append(self[name])
            self.rows.append((project, cells))

    def unknown_keys(self) -> list[str]:
        """Posted cells that are not in the grid: another partnership's project or
        criterion, or a dropped project."""
        return [key for key in (self.data or {}) if key.startswith("s-")
                and key not in self.fields]

    def scores(self) -> dict[tuple[int, int], Decimal | None]:
        # Only the cells that were sent: a partial post leaves the others as they are.
        sent = self.data or {}
        return {(p.pk, c.pk): self.cleaned_data.get(score_field_name(p.pk, c.pk))
                for p in self.projects for c in self.criteria
                if score_field_name(p.pk, c.pk) in sent}


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Exported ranking file (JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_VERIFY_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size),
                   "limit": filesizeformat(MAX_VERIFY_BYTES)}, code="too_large")
        return upload

    @property
    def too_large(self) -> bool:
        return self.has_error("file", "too_large")
