from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from razem.core.models import Partnership, Role
from razem.territory.models import Unit


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.display_name} ({obj.teryt})"


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = UnitChoiceField(
        label=_("Represented unit"), queryset=Unit.objects.none(), required=False,
        help_text=_("Required for an officer: the member unit they represent."),
    )

    def __init__(
        self, *args, partnership: Partnership, unit_choices: list | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only this partnership's units: a forged id of another unit is simply invalid.
        self.fields["unit"].queryset = partnership.units.order_by("kind", "name")
        if unit_choices is not None:
            # Pre-rendered choices shared by every row of a list page: one query, not one per row.
            self.fields["unit"].choices = unit_choices

    def clean(self) -> dict:
        data = super().clean()
        if data.get("role") == Role.OFFICER and not data.get("unit"):
            self.add_error("unit", _("Choose the unit the officer represents."))
        if data.get("role") != Role.OFFICER:
            data["unit"] = None
        return data


class InvitationForm(RoleForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    field_order = ["email", "role", "unit"]


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


def parse_unit_codes(text: str) -> tuple[list[str], list[str]]:
    """TERYT codes pasted one per line or separated by commas/spaces; (codes, malformed)."""
    tokens = [t for t in text.replace(",", " ").replace(";", " ").split() if t]
    malformed = [t for t in tokens if not (t.isdigit() and len(t) in (2, 4, 7))]
    codes = list(dict.fromkeys(t for t in tokens if t not in malformed))
    return codes, malformed


class PartnershipForm(forms.ModelForm):
    unit_codes = forms.CharField(
        label=_("Member units (TERYT codes)"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One code per line, e.g. 1410 for a powiat or 1410023 for a gmina. "
                    "You can paste a column from a spreadsheet."),
    )

    class Meta:
        model = Partnership
        fields = ["name", "legal_form", "description", "leader_unit"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Any powiat or gmina validates (the member list may change in the same post),
        # but the list offered is the current members, not the whole register.
        self.fields["leader_unit"].queryset = Unit.objects.exclude(kind="voivodeship")
        if self.instance.pk:
            self.fields["leader_unit"].choices = [("", "---------")] + [
                (u.pk, f"{u.display_name} ({u.teryt})")
                for u in self.instance.units.order_by("kind", "name")
            ]
        if self.instance.pk and not self.is_bound:
            self.initial["unit_codes"] = "\n".join(
                self.instance.units.order_by("teryt").values_list("teryt", flat=True))

    def clean_unit_codes(self) -> list[Unit]:
        codes, malformed = parse_unit_codes(self.cleaned_data["unit_codes"])
        if malformed:
            raise forms.ValidationError(
                _("These are not TERYT codes (2, 4 or 7 digits): %(codes)s"),
                params={"codes": ", ".join(malformed[:10])})
        units = list(Unit.objects.filter(teryt__in=codes).exclude(kind="voivodeship"))
        unknown = sorted(set(codes) - {u.teryt for u in units})
        if unknown:
            raise forms.ValidationError(
                _("No powiat or gmina has these TERYT codes: %(codes)s"),
                params={"codes": ", ".join(unknown[:10])})
        if not units:
            raise forms.ValidationError(_("A partnership needs at least one member unit."))
        return units

    def clean(self) -> dict:
        data = super().clean()
        leader, units = data.get("leader_unit"), data.get("unit_codes")
        if leader and units is not None and leader not in units:
            self.add_error("leader_unit", _("The leader must be one of the member units."))
        return data
