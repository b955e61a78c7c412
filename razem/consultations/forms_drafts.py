"""Forms of the staff pages for drafts and their versions (views_drafts)."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from razem.consultations.models import DraftKind, VersionSource

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DOCX_SUFFIXES = {".docx"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".txt"}
# Pasted text is held in memory with the request; the same bound as an upload.
MAX_PASTED_CHARS = 2_000_000
TOO_LARGE = "too_large"


def max_upload_bytes() -> int:
    return getattr(settings, "RAZEM_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


class VersionForm(forms.Form):
    """The text of a version: a Word or Markdown file, or Markdown pasted in."""

    file = forms.FileField(
        label=_("Word document (.docx) or Markdown file (.md)"), required=False,
        help_text=_("Headings (styles “Heading 1” to “Heading 3”) become chapters; "
                    "paragraphs, list items and tables become the parts people comment on."),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".docx,.md,.markdown,.txt,application/vnd.openxmlformats-officedocument"
                      ".wordprocessingml.document,text/markdown,text/plain",
        }),
        error_messages={"empty": _("The uploaded file is empty."),
                        "invalid": _("No file was sent; choose the file again.")},
    )
    text = forms.CharField(
        label=_("…or paste the text in Markdown"), required=False,
        max_length=MAX_PASTED_CHARS, widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Chapters start with # (## and ### for lower levels); paragraphs are "
                    "separated by an empty line; list items start with - or 1."),
    )
    note = forms.CharField(
        label=_("What changed (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code=TOO_LARGE,
            )
        if PurePath(upload.name).suffix.lower() not in DOCX_SUFFIXES | MARKDOWN_SUFFIXES:
            raise forms.ValidationError(
                _("Choose a Word document (.docx) or a Markdown file (.md)."), code="suffix")
        return upload

    def clean(self) -> dict:
        cleaned = super().clean()
        has_file, has_text = bool(cleaned.get("file")), bool((cleaned.get("text") or "").strip())
        if "file" in self.errors:
            return cleaned
        if has_file and has_text:
            raise forms.ValidationError(_("Upload a file or paste the text, not both."),
                                        code="both")
        if not has_file and not has_text:
            raise forms.ValidationError(_("Upload a file or paste the text of the draft."),
                                        code="none")
        return cleaned

    def source(self) -> tuple[str, str, bytes | str]:
        """(VersionSource, file name, content) of the valid form."""
        upload = self.cleaned_data.get("file")
        if not upload:
            return VersionSource.MARKDOWN, "", self.cleaned_data["text"]
        content = b"".join(upload.chunks())
        if PurePath(upload.name).suffix.lower() in DOCX_SUFFIXES:
            return VersionSource.DOCX, upload.name, content
        return VersionSource.MARKDOWN, upload.name, content

    @property
    def too_large(self) -> bool:
        return self.has_error("file", TOO_LARGE)


class DraftForm(VersionForm):
    title = forms.CharField(label=_("Title of the draft"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DraftKind.choices)

    field_order = ["title", "kind", "file", "text"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The first version needs no note on what changed.
        del self.fields["note"]


class FromPortraitForm(forms.Form):
    title = forms.CharField(label=_("Title of the draft"), max_length=300)
