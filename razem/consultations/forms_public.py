"""The public comment form: the standard form of a consultation comment (part of the
document, current wording, proposed wording, justification) with the commenter's data.

The limits are the model's, so the form refuses what actions.submit_comment would
(and the browser stops typing at them). A forged category is simply not a choice.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from razem.consultations.actions import CommentInput
from razem.consultations.models import (
    MAX_JUSTIFICATION,
    MAX_NAME,
    MAX_WORDING,
    CommenterCategory,
)


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class CommentForm(forms.Form):
    # Only for a chapter or the whole document: for a paragraph the current wording is
    # the paragraph itself, quoted above the form.
    current_wording = forms.CharField(
        label=_("Current wording (optional)"), required=False, max_length=MAX_WORDING,
        widget=_textarea(4),
        help_text=_("Quote the fragment of the document your comment is about."),
    )
    proposed_wording = forms.CharField(
        label=_("Proposed wording (optional)"), required=False, max_length=MAX_WORDING,
        widget=_textarea(5),
        help_text=_("How the text should read after the change."),
    )
    justification = forms.CharField(
        label=_("Comment and its justification"), max_length=MAX_JUSTIFICATION,
        widget=_textarea(8),
        error_messages={"required": _("Write the comment or its justification.")},
    )
    author_name = forms.CharField(
        label=_("Name and surname"), max_length=MAX_NAME,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("A person's name is never published: the public pages and the report "
                    "show “natural person” instead."),
        error_messages={"required": _("Give your name and surname.")},
    )
    organisation = forms.CharField(
        label=_("Organisation or institution (optional)"), required=False,
        max_length=MAX_NAME, widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        help_text=_("When you comment on behalf of an organisation, its name is published "
                    "with the comment."),
    )
    category = forms.ChoiceField(
        label=_("Who is commenting"),
        choices=[("", _("— choose —"))] + list(CommenterCategory.choices),
        error_messages={"required": _("Choose who is commenting from the list."),
                        "invalid_choice": _("Choose who is commenting from the list.")},
    )
    email = forms.EmailField(
        label=_("E-mail for confirmation (optional)"), required=False, max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send the comment's number there, and the partnership's positions "
                    "once they are published."),
        error_messages={"invalid": _("Enter a valid e-mail address or leave the field "
                                     "empty.")},
    )
    consent = forms.BooleanField(
        label=_("I have read the information clause and I agree to the processing of my "
                "personal data in order to consider the comment."),
        error_messages={"required": _("A comment can be accepted only with consent to the "
                                      "information clause.")},
    )

    def __init__(self, *args, quoted: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if quoted:
            del self.fields["current_wording"]
        too_long = _("Too long: at most %(limit_value)s characters (now %(show_value)s).")
        for form_field in self.fields.values():
            if isinstance(form_field, forms.CharField) and form_field.max_length:
                form_field.error_messages["max_length"] = too_long
        # The error and the hint are read with the field (WCAG 3.3.1, 1.3.1).
        for name, form_field in self.fields.items():
            described = []
            if form_field.help_text:
                described.append(f"id_{name}_helptext")
            if self.is_bound and name in self.errors:
                described.append(f"id_{name}_error")
                form_field.widget.attrs["aria-invalid"] = "true"
            if described:
                form_field.widget.attrs["aria-describedby"] = " ".join(described)

    def comment_input(self) -> CommentInput:
        data = self.cleaned_data
        return CommentInput(
            justification=data["justification"], author_name=data["author_name"],
            category=data["category"], consent=data["consent"],
            current_wording=data.get("current_wording", ""),
            proposed_wording=data["proposed_wording"], organisation=data["organisation"],
            email=data["email"],
        )
