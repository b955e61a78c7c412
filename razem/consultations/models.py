"""Drafts in versions, consultations of one version, comments and positions.

A draft (Draft) is a document of the partnership (the diagnosis, the strategy, the
project package); each DraftVersion holds its text as chapters and paragraphs with
stable anchors. A paragraph carried into the next version keeps its anchor and points
at its predecessor, so a comment made on version 1 can be followed to the text that
replaced it (the complaint against CONSUL's legislation module: comments lose their
place when the draft changes).

A Consultation puts one version to the public (art. 6 of the development policy act,
DOMAIN.md). Its phase is derived from its dates and publication stamps, never set by
hand (ARCHITECTURE.md, convention 6): see Consultation.phase and rules.py.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Art. 6 of the development policy act: at least 35 days from the day the notice is published.
MIN_CONSULTATION_DAYS = 35
# The report is due within 30 days after the end.
REPORT_DUE_DAYS = 30
# Reserved: the staff pages live beside the public consultation addresses.
RESERVED_SLUGS = frozenset({"projekty", "zarzadzanie", "nowe", "api"})


def new_anchor() -> str:
    """A short random anchor: stable for the life of a paragraph, unguessable is not needed."""
    return secrets.token_hex(4)


class DraftKind(models.TextChoices):
    DIAGNOSIS = "diagnosis", _("diagnosis")
    STRATEGY = "strategy", _("strategy")
    PROJECTS = "projects", _("project package")
    OTHER = "other", _("other document")


class Draft(models.Model):
    partnership = models.ForeignKey(
        "core.Partnership", on_delete=models.CASCADE, related_name="drafts"
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind of document"), max_length=20, choices=DraftKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self) -> str:
        return self.title

    def latest_version(self) -> DraftVersion | None:
        return self.versions.order_by("-number").first()


class VersionSource(models.TextChoices):
    DOCX = "docx", _("Word document (DOCX)")
    MARKDOWN = "markdown", _("Markdown text")
    PLATFORM = "platform", _("produced by the platform")


class DraftVersion(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    source = models.CharField(_("source"), max_length=20, choices=VersionSource.choices)
    source_name = models.CharField(_("file name"), max_length=255, blank=True)
    note = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="one_version_number_per_draft")
        ]
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")

    def __str__(self) -> str:
        return f"{self.draft} (v{self.number})"

    def previous(self) -> DraftVersion | None:
        return self.draft.versions.filter(number__lt=self.number).order_by("-number").first()


class Chapter(models.Model):
    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    # Carried over from the predecessor chapter (same title), new otherwise.
    anchor = models.CharField(max_length=16, default=new_anchor)
    title = models.CharField(_("title"), max_length=500)
    level = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "anchor"], name="unique_chapter_anchor"),
        ]

    def __str__(self) -> str:
        return self.title


class BlockKind(models.TextChoices):
    PARAGRAPH = "paragraph", _("paragraph")
    LIST_ITEM = "list_item", _("list item")
    TABLE = "table", _("table")


class Change(models.TextChoices):
    """How a paragraph relates to the previous version ("removed" paragraphs are those of
    the previous version that no paragraph of this one points at)."""

    UNCHANGED = "unchanged", _("unchanged")
    EDITED = "edited", _("edited")
    NEW = "new", _("new")
    REMOVED = "removed", _("removed")


class Paragraph(models.Model):
    version = models.ForeignKey(
        DraftVersion, on_delete=models.CASCADE, related_name="paragraphs"
    )
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="paragraphs")
    # Order in the whole version (not only in the chapter).
    position = models.PositiveIntegerField()
    anchor = models.CharField(max_length=16, default=new_anchor)
    kind = models.CharField(max_length=20, choices=BlockKind.choices, default=BlockKind.PARAGRAPH)
    # Plain text; for a table, its cells joined by tabs and rows by newlines (what a
    # diff compares), with the cells themselves in `cells`.
    text = models.TextField()
    cells = models.JSONField(null=True, blank=True)
    predecessor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="successors"
    )
    change = models.CharField(max_length=20, choices=Change.choices, default=Change.NEW)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "anchor"], name="unique_paragraph_anchor"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ConsultedGroup(models.TextChoices):
    # Art. 6 of the development policy act names these four.
    RESIDENTS = "residents", _("residents")
    NEIGHBOURING_GMINAS = "neighbouring_gminas", _("neighbouring gminas and their unions")
    PARTNERS = "partners", _("local social and economic partners")
    WATER_AUTHORITY = "water_authority", _(
        "the director of the regional water management authority (Wody Polskie)"
    )


class CommentChannel(models.TextChoices):
    ONLINE = "online", _("online form")
    PAPER = "paper", _("paper form or letter (entered by an officer)")
    EMAIL = "email", _("e-mail (entered by an officer)")
    MEETING = "meeting", _("consultation meeting (minutes)")


class Phase(models.TextChoices):
    PREPARATION = "preparation", _("in preparation")
    OPEN = "open", _("open for comments")
    REVIEW = "review", _("closed: comments under review")
    CONCLUDED = "concluded", _("concluded: positions published")


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def announced(self) -> ConsultationQuerySet:
        """Those whose notice is published: anyone may see them."""
        return self.filter(notice_published_on__isnull=False)


class Consultation(models.Model):
    partnership = models.ForeignKey(
        "core.Partnership", on_delete=models.CASCADE, related_name="consultations"
    )
    # RESTRICT, not PROTECT: a consulted version cannot be deleted on its own, but deleting
    # the whole partnership (which takes the consultation with it) is allowed.
    version = models.ForeignKey(
        DraftVersion, on_delete=models.RESTRICT, related_name="consultations",
        verbose_name=_("consulted version"),
    )
    # The public address is /p/<partnership>/konsultacje/<slug>/.
    slug = models.SlugField(_("short name in the address"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    # The notice (ogłoszenie): what is consulted, how and until when to comment.
    notice = models.TextField(_("notice text"), blank=True)
    how_to_comment = models.TextField(_("how to comment"), blank=True)
    groups = models.JSONField(_("groups consulted"), default=list)
    channels = models.JSONField(_("channels"), default=list)
    gdpr_clause = models.TextField(_("GDPR information clause"))
    # Start = the day the notice is published (set by publishing it, never by hand).
    notice_published_on = models.DateField(_("notice published on"), null=True, blank=True)
    ends_on = models.DateField(_("comments accepted until (inclusive)"))
    positions_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Bumped on every change that shows on the public pages; it versions their cache.
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"],
                                    name="unique_consultation_slug"),
        ]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:draft", args=[self.partnership.slug, self.slug])

    # -- phases (derived from dates and stamps) --

    def phase_on(self, day: date) -> str:
        if self.notice_published_on is None or day < self.notice_published_on:
            return Phase.PREPARATION
        if day <= self.ends_on:
            return Phase.OPEN
        if self.positions_published_at is None:
            return Phase.REVIEW
        return Phase.CONCLUDED

    @property
    def phase(self) -> str:
        return self.phase_on(timezone.localdate())

    def get_phase_display(self) -> str:
        return str(Phase(self.phase).label)

    @property
    def starts_on(self) -> date | None:
        return self.notice_published_on

    @staticmethod
    def earliest_end(published_on: date) -> date:
        return published_on + timedelta(days=MIN_CONSULTATION_DAYS)

    @property
    def report_due_on(self) -> date:
        return self.ends_on + timedelta(days=REPORT_DUE_DAYS)

    def is_late(self, received_on: date) -> bool:
        return received_on > self.ends_on


class Meeting(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # Filled after the meeting; oral comments are entered as comments (channel "meeting").
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.place}"


class CommenterCategory(models.TextChoices):
    RESIDENT = "resident", _("resident")
    NGO = "ngo", _("non-governmental organisation")
    BUSINESS = "business", _("business")
    LOCAL_GOVERNMENT = "local_government", _("local government unit")
    PUBLIC_INSTITUTION = "public_institution", _("public institution")
    OTHER = "other", _("other")


class Scope(models.TextChoices):
    PARAGRAPH = "paragraph", _("a paragraph")
    CHAPTER = "chapter", _("a chapter")
    DOCUMENT = "document", _("the whole document")


# Limits of the comment form (characters), also enforced by actions.submit_comment.
MAX_WORDING = 5000
MAX_JUSTIFICATION = 5000
MAX_NAME = 200


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible(self) -> CommentQuerySet:
        return self.filter(hidden_at__isnull=True)

    def considered(self) -> CommentQuerySet:
        """Those that need a position: not hidden, not late."""
        return self.filter(hidden_at__isnull=True, is_late=False)


class Comment(models.Model):
    """One comment in the standard form (uwaga): part of the document, current wording,
    proposed wording, justification."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    scope = models.CharField(_("the comment is about"), max_length=20, choices=Scope.choices)
    # Set for scope "paragraph" (paragraph and its chapter) and "chapter" (chapter only);
    # always of the consulted version.
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.RESTRICT, null=True, blank=True, related_name="comments"
    )
    chapter = models.ForeignKey(
        Chapter, on_delete=models.RESTRICT, null=True, blank=True, related_name="comments"
    )
    current_wording = models.TextField(_("current wording"), blank=True)
    proposed_wording = models.TextField(_("proposed wording"), blank=True)
    justification = models.TextField(_("justification"))
    author_name = models.CharField(_("name and surname"), max_length=MAX_NAME)
    organisation = models.CharField(_("organisation (optional)"), max_length=MAX_NAME,
                                    blank=True)
    category = models.CharField(_("who is commenting"), max_length=30,
                                choices=CommenterCategory.choices)
    email = models.EmailField(_("e-mail for confirmation (optional)"), blank=True)
    consent = models.BooleanField(_("consent to the information clause"), default=False)
    channel = models.CharField(_("channel"), max_length=20, choices=CommentChannel.choices)
    # When the comment reached the partnership (for paper and e-mail: the day received).
    received_on = models.DateField(_("received on"))
    created_at = models.DateTimeField(default=timezone.now)
    # Received after the end: kept and shown, but not considered (art. 6).
    is_late = models.BooleanField(default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        # The id order is the comments' numbering ("uwaga nr 12") in every list and report.
        ordering = ["id"]
        indexes = [models.Index(fields=["consultation", "paragraph"])]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.justification[:60]}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_natural_person(self) -> bool:
        # Residents, and anyone who names no organisation, write as natural persons
        # (GDPR: their names never appear in the published report or the API).
        return self.category == CommenterCategory.RESIDENT or not self.organisation.strip()

    @property
    def public_author(self) -> str:
        """The author as published: the organisation, or an anonymised natural person."""
        if self.is_natural_person:
            return str(_("natural person"))
        return self.organisation.strip()


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("partly accepted")
    REJECTED = "rejected", _("rejected")
    EXPLAINED = "explained", _("explained")


class Position(models.Model):
    """The partnership's position on one comment (stanowisko), with its justification."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="position")
    outcome = models.CharField(_("position"), max_length=20, choices=Outcome.choices)
    justification = models.TextField(_("justification"))
    # The paragraph of a later version that carries the change, when there is one.
    next_paragraph = models.ForeignKey(
        Paragraph, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("paragraph of the next version that carries the change"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.get_outcome_display()
