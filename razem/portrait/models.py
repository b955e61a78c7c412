"""What the partnership adds to the computed portrait: publication and its conclusions.

The numbers themselves are never stored here: they are computed from the
observations (razem.portrait.data) so that a new import shows at once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from razem.core.models import Partnership

TEXT_MAX_LENGTH = 2000


class PortraitSettings(models.Model):
    """Whether the portrait is public, and for which year it is shown."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="portrait_settings"
    )
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("published by"),
    )
    # Empty means "the latest year with data", so a new import moves the portrait on.
    reference_year = models.PositiveSmallIntegerField(_("reference year"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("portrait settings")
        verbose_name_plural = _("portrait settings")

    def __str__(self) -> str:
        return str(self.partnership)


class ConclusionKind(models.TextChoices):
    STRENGTH = "strength", _("strength")
    WEAKNESS = "weakness", _("weakness")
    CHALLENGE = "challenge", _("challenge")


class DiagnosisConclusion(models.Model):
    """A conclusion of the diagnosis written by the partnership (wniosek z diagnozy)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="diagnosis_conclusions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConclusionKind.choices)
    # A dimension code of the indicator catalogue; empty for a conclusion about everything.
    dimension = models.CharField(_("dimension"), max_length=40, blank=True)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    # Indicator codes of the catalogue the conclusion rests on (kept as codes so a
    # catalogue change never deletes a conclusion).
    indicator_codes = models.JSONField(_("indicators"), default=list, blank=True)
    # Survey questions of the same partnership it rests on: [{"survey": id, "question": name}]
    # (ids and names, not keys, so deleting a survey never deletes a conclusion).
    survey_questions = models.JSONField(_("survey questions"), default=list, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "order", "id"]
        verbose_name = _("diagnosis conclusion")
        verbose_name_plural = _("diagnosis conclusions")

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 60 else self.text[:59] + "…"
        return f"{self.get_kind_display()}: {text}"
