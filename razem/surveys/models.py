"""Surveys, their responses, one-time codes and the coding of open answers.

A survey's questions live in `Survey.definition` (JSON; see definition.to_data), so a
survey carries the exact questionnaire its responses answered. Answers are stored as
one JSON object per response, `{answer name: text or list of texts}`, the shape the
skip-logic evaluator reads (razem.surveys.expressions.Answer):

* single choice, Likert, gmina (TERYT code), age group, sex: the choice name;
* multiple choice: the list of chosen names; ranking: the names in rank order;
* a Likert matrix: one entry per item name;
* number and texts: the text as typed (numbers normalised, e.g. "12.5");
* "other (specify)": the choice name `other` and the text under `<name>_other`.

Anonymity (DOMAIN.md, GDPR): in anonymous mode a response row holds the answers, the
day it arrived and how it was collected, nothing else: no IP address (never stored in
any mode), no user, no time of day, no link to the one-time code it used.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from razem.surveys import definition as definitions


class Audience(models.TextChoices):
    RESIDENT = "resident", _("residents")
    YOUTH = "youth", _("young people (final-year pupils)")
    LEADER = "leader", _("local leaders")
    BUSINESS = "business", _("businesses")


class Anonymity(models.TextChoices):
    ANONYMOUS = "anonymous", _("anonymous (only the day of the response is kept)")
    CONFIDENTIAL = "confidential", _(
        "confidential (the time and, for signed-in users, the account are kept)"
    )


class Channel(models.TextChoices):
    WEB = "web", _("online form")
    PAPER = "paper", _("paper questionnaire entered by an officer")
    GENERATED = "generated", _("generated (demonstration data)")


class SurveyQuerySet(models.QuerySet["Survey"]):
    def for_partnership(self, partnership) -> SurveyQuerySet:
        return self.filter(partnership=partnership)

    def published(self) -> SurveyQuerySet:
        return self.filter(results_published=True)


class Survey(models.Model):
    partnership = models.ForeignKey(
        "core.Partnership", on_delete=models.CASCADE, related_name="surveys"
    )
    # The public address is /p/<partnership>/s/<slug>/: short enough for a poster.
    slug = models.SlugField(_("short name in the address"), max_length=60)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    gdpr_clause = models.TextField(_("GDPR information clause"))
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until (inclusive)"))
    anonymity = models.CharField(
        _("anonymity"), max_length=20, choices=Anonymity.choices, default=Anonymity.ANONYMOUS
    )
    codes_required = models.BooleanField(
        _("only with a one-time code"), default=False,
        help_text=_("Each response needs a code from a printed card, accepted once."),
    )
    definition = models.JSONField(_("questions"), default=dict)
    template = models.CharField(_("copied from template"), max_length=40, blank=True)
    results_published = models.BooleanField(_("results published"), default=False)
    results_published_at = models.DateTimeField(null=True, blank=True)
    # Weighting targets entered by hand: [{"gmina", "sex", "age_group", "target"}];
    # empty means the portrait's population data are used (razem.surveys.population).
    population_targets = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="survey_slug_unique"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_opening",
            ),
        ]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:respond", args=[self.partnership.slug, self.slug])

    @property
    def questionnaire(self) -> definitions.SurveyDefinition:
        """The parsed definition, built once per instance.

        When the instance was loaded without its definition (the scoped loader defers it:
        it is tens of kilobytes of JSON), the parsed definition comes from a per-process
        cache keyed on updated_at, which every save of a survey moves. The public form is
        the busiest page of a survey, and without this it spent most of its time decoding
        and parsing the same JSON on every response.
        """
        if "definition" in self.get_deferred_fields() and self.pk is not None:
            return _cached_questionnaire(self.pk, self.updated_at)
        cached = self.__dict__.get("_questionnaire")
        if cached is None or cached[0] is not self.definition:
            cached = (self.definition, definitions.from_data(self.definition))
            self.__dict__["_questionnaire"] = cached
        return cached[1]

    def set_questionnaire(self, questionnaire: definitions.SurveyDefinition) -> None:
        self.definition = definitions.to_data(questionnaire)

    def is_open(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day <= self.closes_on

    @property
    def is_anonymous(self) -> bool:
        return self.anonymity == Anonymity.ANONYMOUS


# survey id -> (updated_at, parsed definition); bounded, as a process serves many surveys.
_QUESTIONNAIRES: dict[int, tuple[object, definitions.SurveyDefinition]] = {}
_QUESTIONNAIRES_MAX = 512


def _cached_questionnaire(pk: int, updated_at) -> definitions.SurveyDefinition:
    found = _QUESTIONNAIRES.get(pk)
    if found is not None and found[0] == updated_at:
        return found[1]
    data, current = Survey.objects.values_list("definition", "updated_at").get(pk=pk)
    parsed = definitions.from_data(data)
    if len(_QUESTIONNAIRES) >= _QUESTIONNAIRES_MAX:
        _QUESTIONNAIRES.clear()
    # Keyed on the version read with the data, so a stale instance never fills the
    # cache with an older definition under a newer version.
    _QUESTIONNAIRES[pk] = (current, parsed)
    return parsed


class Response(models.Model):
    # No index of its own: the unique (survey, submission_key) index starts with the
    # survey and serves every lookup by survey. Each index is one more B-tree written by
    # every response stored, the platform's busiest write.
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses",
                               db_index=False)
    answers = models.JSONField(default=dict)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.WEB)
    # Always kept, at day precision only (anonymous mode allows nothing finer).
    submitted_on = models.DateField(default=timezone.localdate)
    # Confidential mode only; always NULL in anonymous mode.
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Indexed only where set (see Meta.indexes): anonymous responses, nearly all of them,
    # then add no index entry.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )
    # A random key rendered into the form, so a double tap or a resent post stores one
    # response, not two; it says nothing about the respondent.
    submission_key = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "submission_key"], name="response_submission_key_unique"
            ),
        ]
        indexes = [
            # Deleting an account looks its responses up to clear the link; a lookup by
            # respondent implies IS NOT NULL, so both backends use this partial index.
            models.Index(fields=["respondent"], condition=models.Q(respondent__isnull=False),
                         name="response_respondent_set"),
        ]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


# Codes avoid look-alike characters (0/O, 1/I/L) so they can be typed from a card.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class CodeBatch(models.Model):
    """A set of one-time codes printed together, e.g. one per pupil of a class."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="code_batches")
    label = models.CharField(_("label"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("batch of codes")
        verbose_name_plural = _("batches of codes")

    def __str__(self) -> str:
        return self.label


class OneTimeCode(models.Model):
    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=16)
    # The day it was used, not the response: the card must not lead to the answers.
    used_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="code_unique_in_survey"),
        ]
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return self.code


class AnswerTag(models.Model):
    """A code (tag) a staff member assigned to one open answer, counted in the results."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="tags")
    question = models.CharField(max_length=100)
    tag = models.CharField(_("tag"), max_length=80)

    class Meta:
        ordering = ["tag"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "tag"], name="answer_tag_unique"
            ),
        ]
        verbose_name = _("open-answer tag")
        verbose_name_plural = _("open-answer tags")

    def __str__(self) -> str:
        return self.tag
