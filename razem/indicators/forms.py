from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from razem.indicators.bdl_csv import MAX_DATASET_LENGTH, BdlCsvError, check_dataset

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def max_upload_bytes() -> int:
    return getattr(settings, "RAZEM_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def _clean_dataset(value: str) -> str:
    try:
        check_dataset(value)
    except BdlCsvError as error:
        raise forms.ValidationError(error.message, code="invalid") from None
    return value


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("BDL export file (CSV)"),
        help_text=_("A table exported from the GUS Local Data Bank as CSV (“Tablica”), "
                    "separated by semicolons."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dataset = forms.CharField(
        label=_("Dataset name"), required=False, max_length=MAX_DATASET_LENGTH,
        help_text=_("The first part of the variable codes. Leave empty to take it from the "
                    "file name (without the years); you can change it in the preview."),
    )

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

    def clean_dataset(self) -> str:
        value = self.cleaned_data["dataset"].strip()
        return _clean_dataset(value) if value else ""

    @property
    def too_large(self) -> bool:
        return self.has_error("file", "too_large")


class PreviewForm(forms.Form):
    dataset = forms.CharField(
        label=_("Dataset name"), max_length=MAX_DATASET_LENGTH,
        help_text=_("The first part of the variable codes; exports of the same table for other "
                    "years should share it."),
    )

    def clean_dataset(self) -> str:
        return _clean_dataset(self.cleaned_data["dataset"].strip())
