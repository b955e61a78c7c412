"""Forms of the staff pages that run a consultation (views_manage)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from razem.consultations.models import (
    MAX_JUSTIFICATION,
    MAX_NAME,
    MAX_WORDING,
    RESERVED_SLUGS,
    CommentChannel,
    CommenterCategory,
    Consultation,
    ConsultedGroup,
    DraftVersion,
    Outcome,
    Paragraph,
)
from razem.core.models import Partnership

# A week beyond the legal minimum: time to fix the notice before publishing it.
DEFAULT_DAYS = 42
SLUG_TAKEN = _("The partnership already has a consultation with this address; choose another.")
DATE_ERRORS = {"invalid": _("Enter a date as YYYY-MM-DD.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def default_gdpr_clause(partnership: Partnership) -> str:
    """The Polish information clause (art. 13 RODO) for commenters; the coordinator fills
    in the bracketed placeholders."""
    leader = partnership.leader_unit
    controller = (f"Partnerstwo {partnership.name}, reprezentowane przez jednostkę wiodącą: "
                  f"{leader.display_name}" if leader else f"Partnerstwo {partnership.name}")
    return "\n\n".join([
        "Informacja o przetwarzaniu danych osobowych",
        "Na podstawie art. 13 rozporządzenia Parlamentu Europejskiego i Rady (UE) 2016/679 "
        "(RODO) informujemy, że:",
        f"1. Administratorem danych osobowych osób zgłaszających uwagi jest {controller} "
        "[adres siedziby administratora].",
        "2. Z inspektorem ochrony danych można się skontaktować pod adresem: "
        "[adres e-mail inspektora ochrony danych].",
        "3. Dane (imię i nazwisko, nazwa organizacji, adres e-mail) przetwarzamy w celu "
        "przeprowadzenia konsultacji i sporządzenia sprawozdania z ich przebiegu i wyników, "
        "na podstawie art. 6 ust. 1 lit. c i e RODO w związku z art. 6 ustawy o zasadach "
        "prowadzenia polityki rozwoju.",
        "4. W publikowanym sprawozdaniu i na stronie konsultacji imiona i nazwiska osób "
        "fizycznych nie są ujawniane; publikujemy treść uwagi, kategorię zgłaszającego "
        "i nazwę organizacji.",
        "5. Adres e-mail służy wyłącznie do przesłania stanowiska wobec uwagi.",
        "6. Dane przechowujemy przez okres wynikający z przepisów o archiwizacji dokumentów.",
        "7. Przysługuje Pani/Panu prawo dostępu do danych, ich sprostowania, ograniczenia "
        "przetwarzania i wniesienia sprzeciwu, a także prawo wniesienia skargi do Prezesa "
        "Urzędu Ochrony Danych Osobowych (ul. Stawki 2, 00-193 Warszawa).",
        "8. Podanie danych jest dobrowolne, ale bez imienia i nazwiska oraz zgody uwaga nie "
        "może zostać rozpatrzona.",
    ])


def version_label(version: DraftVersion) -> str:
    return _("%(draft)s, version %(number)s") % {"draft": version.draft.title,
                                                 "number": version.number}


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DraftVersion) -> str:
        return version_label(obj)


class SetupForm(forms.Form):
    """The consultation's setup; the queryset of versions is the partnership's only, so
    another partnership's version id is an invalid choice (a 400), never a lookup."""

    version = VersionChoiceField(
        label=_("Consulted draft version"), queryset=DraftVersion.objects.none(),
        error_messages={"invalid_choice": _("Choose a draft version of this partnership."),
                        "required": _("Choose the draft version to consult.")},
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    slug = forms.SlugField(
        label=_("Short name in the address"), max_length=60,
        help_text=_("Lower-case letters without Polish characters, digits and hyphens; it ends "
                    "the public address of the draft."),
        error_messages={"invalid": _("Use only lower-case letters without Polish characters, "
                                     "digits and hyphens.")},
    )
    notice = forms.CharField(
        label=_("Notice text"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is consulted and why; needed before the notice is published."),
    )
    how_to_comment = forms.CharField(
        label=_("How to comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where to send paper forms and e-mails, and how comments are entered."),
    )
    groups = forms.MultipleChoiceField(
        label=_("Groups consulted"), choices=ConsultedGroup.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Art. 6 of the development policy act names all four; the notice can be "
                    "published only with all of them."),
        error_messages={"invalid_choice": _("Choose groups from the list.")},
    )
    channels = forms.MultipleChoiceField(
        label=_("Ways of commenting"), choices=CommentChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one way of commenting."),
                        "invalid_choice": _("Choose ways of commenting from the list.")},
    )
    gdpr_clause = forms.CharField(label=_("GDPR information clause"),
                                  widget=forms.Textarea(attrs={"rows": 8}))
    ends_on = forms.DateField(
        label=_("Comments accepted until (inclusive)"), widget=DateInput(),
        error_messages=DATE_ERRORS,
        help_text=_("At least 35 days after the day the notice is published."),
    )

    def __init__(self, *args, partnership: Partnership,
                 consultation: Consultation | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partnership, self.consultation = partnership, consultation
        self.fields["version"].queryset = (
            DraftVersion.objects.filter(draft__partnership=partnership)
            .select_related("draft").order_by("draft__title", "draft_id", "-number"))

    @classmethod
    def initial_for(cls, partnership: Partnership) -> dict:
        return {
            "groups": list(ConsultedGroup.values),
            "channels": [CommentChannel.ONLINE, CommentChannel.PAPER, CommentChannel.EMAIL],
            "gdpr_clause": default_gdpr_clause(partnership),
            "ends_on": timezone.localdate() + timedelta(days=DEFAULT_DAYS),
        }

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address is reserved for the staff pages; "
                                          "choose another."), code="reserved")
        taken = Consultation.objects.filter(partnership=self.partnership, slug=slug)
        if self.consultation is not None:
            taken = taken.exclude(pk=self.consultation.pk)
        if taken.exists():
            raise forms.ValidationError(SLUG_TAKEN, code="taken")
        return slug

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on < timezone.localdate():
            raise forms.ValidationError(_("The end cannot be in the past."), code="past")
        return ends_on


class ExtendForm(forms.Form):
    ends_on = forms.DateField(label=_("New end (inclusive)"), widget=DateInput(),
                              error_messages=DATE_ERRORS)


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={"invalid": _("Enter the date and time as YYYY-MM-DD HH:MM.")},
    )
    place = forms.CharField(label=_("Place"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}),
                              max_length=50000)


STAFF_CHANNELS = [(value, label) for value, label in CommentChannel.choices
                  if value != CommentChannel.ONLINE]


def target_choices(consultation: Consultation) -> list[tuple[str, str]]:
    """The whole document, each chapter and each paragraph of the consulted version, by
    anchor ("c:<anchor>", "p:<anchor>"): a forged value is not a choice."""
    choices = [("", str(_("The whole document")))]
    chapters = consultation.version.chapters.order_by("position")
    paragraphs = consultation.version.paragraphs.order_by("position")
    by_chapter: dict[int, list[Paragraph]] = {}
    for paragraph in paragraphs:
        by_chapter.setdefault(paragraph.chapter_id, []).append(paragraph)
    for chapter in chapters:
        choices.append((f"c:{chapter.anchor}", _("Chapter: %(title)s") % {"title": chapter.title}))
        for number, paragraph in enumerate(by_chapter.get(chapter.pk, []), start=1):
            text = paragraph.text if len(paragraph.text) <= 80 else paragraph.text[:79] + "…"
            choices.append((f"p:{paragraph.anchor}", f"— {chapter.title} ¶{number}: {text}"))
    return choices


class StaffCommentForm(forms.Form):
    target = forms.ChoiceField(
        label=_("The comment is about"), required=False,
        error_messages={"invalid_choice": _("The consulted draft has no such part.")},
    )
    channel = forms.ChoiceField(label=_("How the comment was received"), choices=STAFF_CHANNELS,
                                widget=forms.RadioSelect,
                                error_messages={"invalid_choice": _("Choose how the comment "
                                                                    "was received.")})
    received_on = forms.DateField(label=_("Received on"), widget=DateInput(),
                                  error_messages=DATE_ERRORS)
    current_wording = forms.CharField(label=_("Current wording"), required=False,
                                      max_length=MAX_WORDING,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    proposed_wording = forms.CharField(label=_("Proposed wording"), required=False,
                                       max_length=MAX_WORDING,
                                       widget=forms.Textarea(attrs={"rows": 3}))
    justification = forms.CharField(label=_("Comment and its justification"),
                                    max_length=MAX_JUSTIFICATION,
                                    widget=forms.Textarea(attrs={"rows": 5}))
    author_name = forms.CharField(label=_("Name and surname"), max_length=MAX_NAME)
    organisation = forms.CharField(label=_("Organisation (optional)"), required=False,
                                   max_length=MAX_NAME)
    category = forms.ChoiceField(label=_("Who is commenting"), choices=CommenterCategory.choices,
                                 error_messages={"invalid_choice": _("Choose who is commenting "
                                                                     "from the list.")})
    email = forms.EmailField(label=_("E-mail for the position (optional)"), required=False)
    consent = forms.BooleanField(
        label=_("The commenter consented to the information clause (on a paper form: the "
                "form carries the signed consent)"),
        error_messages={"required": _("A comment can be entered only with the commenter's "
                                      "consent to the information clause.")},
    )

    def __init__(self, *args, consultation: Consultation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = target_choices(consultation)
        self.fields["received_on"].initial = timezone.localdate()

    def anchors(self) -> dict[str, str | None]:
        target = self.cleaned_data.get("target") or ""
        kind, _sep, anchor = target.partition(":")
        return {"paragraph_anchor": anchor if kind == "p" else None,
                "chapter_anchor": anchor if kind == "c" else None}


class ParagraphChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Paragraph) -> str:
        text = obj.text if len(obj.text) <= 80 else obj.text[:79] + "…"
        return _("version %(number)s, %(chapter)s: %(text)s") % {
            "number": obj.version.number, "chapter": obj.chapter.title, "text": text}


class PositionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Position"), choices=Outcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"invalid_choice": _("Choose the position from "
                                                                    "the list.")})
    justification = forms.CharField(
        label=_("Justification"), max_length=MAX_JUSTIFICATION,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Justify the position: the report publishes the "
                                      "justification of every position.")},
    )
    next_paragraph = ParagraphChoiceField(
        label=_("Paragraph of the next version that carries the change (optional)"),
        queryset=Paragraph.objects.none(), required=False,
        error_messages={"invalid_choice": _("Choose a paragraph of a later version of the "
                                            "consulted draft.")},
    )

    def __init__(self, *args, paragraphs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["next_paragraph"].queryset = paragraphs
        if not paragraphs.exists():
            self.fields["next_paragraph"].help_text = _(
                "The draft has no later version yet; the link can be added once it has.")


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the comment hidden?"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log; for example: offensive language, personal data of "
                    "third parties, advertising."),
        error_messages={"required": _("Give the reason for hiding the comment.")},
    )


# Filters of the workspace's comment list; a bad value is ignored, never an error page.
NO_POSITION = "none"
YES_NO = [("", _("all")), ("1", _("yes")), ("0", _("no"))]


class CommentFilterForm(forms.Form):
    chapter = forms.TypedChoiceField(label=_("Chapter"), required=False, coerce=int,
                                     empty_value=None)
    category = forms.ChoiceField(label=_("Who is commenting"), required=False,
                                 choices=[("", _("all"))] + CommenterCategory.choices)
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("all"))] + CommentChannel.choices)
    outcome = forms.ChoiceField(label=_("Position"), required=False,
                                choices=[("", _("all")), (NO_POSITION, _("no position yet"))]
                                + Outcome.choices)
    late = forms.ChoiceField(label=_("Late"), required=False, choices=YES_NO)
    hidden = forms.ChoiceField(label=_("Hidden"), required=False, choices=YES_NO)

    def __init__(self, *args, consultation: Consultation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chapter"].choices = [("", _("all"))] + [
            (chapter.pk, chapter.title)
            for chapter in consultation.version.chapters.order_by("position")]

    def filters(self) -> dict:
        """The valid filters only: Django leaves an invalid field out of cleaned_data."""
        self.is_valid()
        data = self.cleaned_data
        lookups: dict = {}
        if data.get("chapter") is not None:
            lookups["chapter_id"] = data["chapter"]
        for name in ("category", "channel"):
            if data.get(name):
                lookups[name] = data[name]
        if data.get("outcome") == NO_POSITION:
            lookups["position__isnull"] = True
        elif data.get("outcome"):
            lookups["position__outcome"] = data["outcome"]
        if data.get("late"):
            lookups["is_late"] = data["late"] == "1"
        if data.get("hidden"):
            lookups["hidden_at__isnull"] = data["hidden"] != "1"
        return lookups
