"""Forms of the staff pages that manage surveys (views_manage)."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _

from razem.surveys import questionnaires
from razem.surveys.models import Anonymity, Audience, Survey

DEFAULT_OPEN_DAYS = 30
MAX_CODES_PER_BATCH = 500
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Letters NFKD does not split into a base letter and a mark.
_TRANSLITERATE = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "ø": "o"})


SLUG_TAKEN = _("The partnership already has a survey with this address; choose another.")


def max_upload_bytes() -> int:
    return getattr(settings, "RAZEM_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def suggest_slug(text: str, *, max_length: int = 60) -> str:
    """An ASCII address part from a Polish title ("Ankieta dla mieszkańców" ->
    "ankieta-dla-mieszkancow"), short enough for a poster."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii")
    return slugify(ascii_text)[:max_length].strip("-")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        # ISO dates: the only format <input type="date"> sends and shows.
        super().__init__(attrs, format="%Y-%m-%d")


def _slug_field() -> forms.SlugField:
    return forms.SlugField(
        label=_("Short name in the address"), max_length=60,
        help_text=_("Lower-case letters without Polish characters, digits and hyphens; "
                    "it ends the public address, e.g. …/s/mieszkancy-2026/."),
        error_messages={"invalid": _("Use only lower-case letters without Polish characters, "
                                     "digits and hyphens.")},
    )


def _date_fields() -> tuple[forms.DateField, forms.DateField]:
    return (
        forms.DateField(label=_("Open from"), widget=DateInput(),
                        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")}),
        forms.DateField(label=_("Open until (inclusive)"), widget=DateInput(),
                        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")}),
    )


def default_dates() -> dict[str, object]:
    today = timezone.localdate()
    return {"opens_on": today, "closes_on": today + timedelta(days=DEFAULT_OPEN_DAYS)}


class _SurveyFieldsMixin:
    """Slug unique within the partnership and a closing date not before the opening."""

    partnership = None
    instance_pk: int | None = None

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        taken = Survey.objects.filter(partnership=self.partnership, slug=slug)
        if self.instance_pk is not None:
            taken = taken.exclude(pk=self.instance_pk)
        if taken.exists():
            raise forms.ValidationError(SLUG_TAKEN, code="taken")
        return slug

    def _check_dates(self, cleaned: dict) -> None:
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", forms.ValidationError(
                _("The closing date cannot be earlier than the opening date."),
                code="reversed",
            ))


class _XlsFormFileMixin:
    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        return upload


def _file_field() -> forms.FileField:
    return forms.FileField(
        label=_("XLSForm file (.xlsx)"),
        help_text=_("A workbook with the sheets “survey”, “choices” and “settings”, "
                    "as made in Excel, LibreOffice or KoboToolbox."),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }),
        error_messages={"required": _("Choose the XLSForm file to upload."),
                        "empty": _("The uploaded file is empty."),
                        "invalid": _("No file was sent; choose the file again.")},
    )


class CreateForm(_SurveyFieldsMixin, forms.Form):
    template = forms.ChoiceField(label=_("Template"), widget=forms.RadioSelect)
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False,
        help_text=_("Leave empty to keep the template's title."),
    )
    slug = _slug_field()
    opens_on, closes_on = _date_fields()

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["template"].choices = [
            (key, template.title.pl) for key, template in questionnaires.TEMPLATES.items()
        ]
        self.fields["template"].error_messages["invalid_choice"] = _(
            "Choose one of the templates listed.")

    def clean(self) -> dict:
        cleaned = super().clean()
        self._check_dates(cleaned)
        return cleaned


class ImportForm(_SurveyFieldsMixin, _XlsFormFileMixin, forms.Form):
    file = _file_field()
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices,
                                 initial=Audience.RESIDENT)
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False,
        help_text=_("Leave empty to take the form title from the workbook's settings sheet."),
    )
    slug = _slug_field()
    opens_on, closes_on = _date_fields()
    gdpr_clause = forms.CharField(
        label=_("GDPR information clause"), widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Shown to respondents before the questions; fill in the administrator's "
                    "address and the data protection officer's contact."),
    )

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership

    def clean(self) -> dict:
        cleaned = super().clean()
        self._check_dates(cleaned)
        return cleaned


class XlsFormReplaceForm(_XlsFormFileMixin, forms.Form):
    file = _file_field()


class EditForm(_SurveyFieldsMixin, forms.ModelForm):
    slug = _slug_field()
    opens_on, closes_on = _date_fields()

    class Meta:
        model = Survey
        fields = ["title", "slug", "introduction", "gdpr_clause", "opens_on", "closes_on",
                  "anonymity", "codes_required"]
        widgets = {"anonymity": forms.RadioSelect}

    def __init__(self, *args, has_responses: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = self.instance.partnership
        self.instance_pk = self.instance.pk
        self.has_responses = has_responses
        self.original_anonymity = self.instance.anonymity
        self.fields["slug"].help_text = _(
            "Changing it changes the public address: printed posters and QR codes "
            "stop working.")
        self.fields["anonymity"].help_text = _(
            "Switching to anonymous removes the time and the account from responses "
            "already given. An anonymous survey that has responses cannot become "
            "confidential.")

    def clean_anonymity(self) -> str:
        anonymity = self.cleaned_data["anonymity"]
        if (self.has_responses and self.original_anonymity == Anonymity.ANONYMOUS
                and anonymity != Anonymity.ANONYMOUS):
            raise forms.ValidationError(
                _("Respondents have already answered on the promise of anonymity; "
                  "that promise cannot be changed. Create a new survey instead."),
                code="promise",
            )
        return anonymity

    def clean(self) -> dict:
        cleaned = super().clean()
        self._check_dates(cleaned)
        return cleaned


class PublicationForm(forms.Form):
    published = forms.TypedChoiceField(
        choices=[("1", _("publish")), ("0", _("withdraw"))], coerce=lambda value: value == "1",
        error_messages={"required": _("Say whether to publish or withdraw the results."),
                        "invalid_choice": _("Say whether to publish or withdraw the results.")},
    )


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that all responses to this survey will be deleted for good."),
        required=False,
    )

    def __init__(self, *args, response_count: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.response_count = response_count

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.response_count and not cleaned.get("confirm"):
            self.add_error("confirm", forms.ValidationError(
                _("The survey has responses; tick the box to confirm that they are to be "
                  "deleted with it."),
                code="unconfirmed",
            ))
        return cleaned


class CodeBatchForm(forms.Form):
    label = forms.CharField(
        label=_("Label"), max_length=200,
        help_text=_("Who the cards are for, e.g. “Liceum w Łosicach, klasa 4b”."),
        error_messages={"required": _("Give the batch a label.")},
    )
    count = forms.IntegerField(
        label=_("Number of codes"), min_value=1, max_value=MAX_CODES_PER_BATCH,
        help_text=format_lazy(_("One per respondent; at most {max} in one batch."),
                              max=MAX_CODES_PER_BATCH),
        error_messages={
            "required": _("Give the number of codes."),
            "invalid": _("Give the number of codes as a whole number."),
            "min_value": _("Create at least one code."),
            "max_value": _("At most %(limit_value)s codes can be created in one batch."),
        },
    )
