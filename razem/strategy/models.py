"""The supra-local strategy, its key projects, their ranking and advisors' opinions.

The strategy's required contents follow art. 10e-10g of the gmina self-government act
(DOMAIN.md); `razem.strategy.completeness` checks them. Goals cite their evidence: the
portrait's diagnosis conclusions (razem.portrait.models.DiagnosisConclusion, which cite
indicators). Money is Decimal in PLN with grosze (never float). A project's ranking is
reproducible: `razem.strategy.prioritisation.Problem` is built from these rows and can be
exported and recomputed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    # The three dimensions the act requires goals in.
    SOCIAL = "social", _("social")
    ECONOMIC = "economic", _("economic")
    SPATIAL = "spatial", _("spatial")


class Strategy(models.Model):
    """One partnership's strategy; its text parts beside goals, areas and projects."""

    partnership = models.OneToOneField(
        "core.Partnership", on_delete=models.CASCADE, related_name="strategy"
    )
    title = models.CharField(_("title"), max_length=300)
    horizon_year = models.PositiveSmallIntegerField(_("horizon (year)"), default=2030)
    vision = models.TextField(_("vision"), blank=True)
    # Required contents written as text (art. 10e ust. 3).
    spatial_model = models.TextField(_("model of the functional-spatial structure"), blank=True)
    spatial_policy = models.TextField(
        _("findings and recommendations for spatial policy"), blank=True)
    implementation_system = models.TextField(_("implementation system"), blank=True)
    financial_framework = models.TextField(_("financial framework"), blank=True)
    # Partners' involvement (Regulation 2021/1060 art. 29 for an EU territorial strategy).
    partners_involvement = models.TextField(_("how partners were involved"), blank=True)
    # The draft the strategy document is sent to consultation as (razem.consultations).
    draft = models.ForeignKey(
        "consultations.Draft", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    # Prioritisation settings: how the criteria are weighted, and the sensitivity analysis.
    weighting = models.CharField(
        _("weighting of criteria"), max_length=10, default="direct",
        choices=[("direct", _("weights given directly")),
                 ("ahp", _("pairwise comparisons (AHP)"))],
    )
    ahp_matrix = models.JSONField(_("pairwise comparisons"), null=True, blank=True)
    sensitivity_runs = models.PositiveIntegerField(default=1000)
    sensitivity_spread = models.DecimalField(max_digits=4, decimal_places=2, default=0.2)
    sensitivity_seed = models.PositiveIntegerField(default=2021)
    # Until published, the strategy, its projects and ranking are the members' working
    # material; then anyone may read them (pages and the API), like the portrait.
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return self.title


class StrategicGoal(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(_("number"))
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # The evidence: conclusions of the diagnosis (which cite portrait indicators).
    conclusions = models.ManyToManyField(
        "portrait.DiagnosisConclusion", blank=True, related_name="goals",
        verbose_name=_("diagnosis conclusions"),
    )

    class Meta:
        ordering = ["strategy", "number"]
        constraints = [models.UniqueConstraint(fields=["strategy", "number"],
                                               name="unique_goal_number")]
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ActionDirection(models.Model):
    goal = models.ForeignKey(StrategicGoal, on_delete=models.CASCADE, related_name="directions")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["goal__number", "number"]
        constraints = [models.UniqueConstraint(fields=["goal", "number"],
                                               name="unique_direction_number")]
        verbose_name = _("direction of action")
        verbose_name_plural = _("directions of action")

    def __str__(self) -> str:
        return f"{self.goal.number}.{self.number}. {self.title}"


class ExpectedResult(models.Model):
    """An expected result with its indicator: baseline (from the portrait's data, with its
    year), target and target year."""

    goal = models.ForeignKey(StrategicGoal, on_delete=models.CASCADE, related_name="results")
    title = models.CharField(_("expected result"), max_length=300)
    # A code of the indicator catalogue (razem/indicators/catalogue.toml); empty for an
    # indicator the portrait does not compute (then named and measured by hand).
    indicator_code = models.CharField(_("indicator"), max_length=100, blank=True)
    indicator_name = models.CharField(_("indicator name"), max_length=300, blank=True)
    measure_unit = models.CharField(_("unit of measure"), max_length=40, blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=20, decimal_places=4,
                                         null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=20, decimal_places=4,
                                       null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)

    class Meta:
        ordering = ["goal__number", "id"]
        constraints = [models.CheckConstraint(
            condition=Q(target_year__isnull=True) | Q(baseline_year__isnull=True)
            | Q(target_year__gt=models.F("baseline_year")),
            name="target_year_after_baseline")]
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")

    def __str__(self) -> str:
        return self.title


class ResultMeasurement(models.Model):
    """A value of a result's indicator in a year, for monitoring (entered by hand, or
    read from the portrait's data for catalogue indicators)."""

    result = models.ForeignKey(ExpectedResult, on_delete=models.CASCADE,
                               related_name="measurements")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["result", "year"]
        constraints = [models.UniqueConstraint(fields=["result", "year"],
                                               name="one_measurement_per_year")]


class AreaOrigin(models.TextChoices):
    VOIVODESHIP = "voivodeship", _("from the voivodeship strategy")
    OWN = "own", _("the partnership's own")


class InterventionArea(models.Model):
    """A strategic intervention area: a set of units, shown on a map."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE,
                                 related_name="intervention_areas")
    name = models.CharField(_("name"), max_length=300)
    origin = models.CharField(_("origin"), max_length=20, choices=AreaOrigin.choices)
    description = models.TextField(_("description"), blank=True)
    units = models.ManyToManyField("territory.Unit", related_name="+", verbose_name=_("units"))

    class Meta:
        ordering = ["strategy", "origin", "name"]
        verbose_name = _("strategic intervention area")
        verbose_name_plural = _("strategic intervention areas")

    def __str__(self) -> str:
        return self.name


class FundingSource(models.TextChoices):
    # DOMAIN.md's programmes; the measure and call are free text on the card.
    FEM = "fem", _("FEM 2021-2027 (regional programme of Mazowieckie)")
    FEM_ZIT_IIT = "fem_territorial", _("FEM 2021-2027, territorial instruments (ZIT/IIT)")
    FENIKS = "feniks", _("FEnIKS 2021-2027")
    FERS = "fers", _("FERS 2021-2027")
    KPO = "kpo", _("KPO (recovery plan)")
    INTERREG = "interreg", _("Interreg")
    RFRD = "rfrd", _("Rządowy Fundusz Rozwoju Dróg")
    RPOZ = "rpoz", _("Rządowy Program Odbudowy Zabytków")
    OWN = "own", _("own budgets of the units")
    OTHER = "other", _("other")


class Readiness(models.TextChoices):
    CONCEPT = "concept", _("concept")
    DOCUMENTATION = "documentation", _("documentation")
    PERMITS = "permits", _("permits")
    READY = "ready", _("ready to start")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted as key project")
    FUNDING = "funding", _("applying for funding")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    DROPPED = "dropped", _("dropped")


class ProjectCard(models.Model):
    """A project card (fiszka projektowa) of a key project."""

    partnership = models.ForeignKey("core.Partnership", on_delete=models.CASCADE,
                                    related_name="project_cards")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    lead_unit = models.ForeignKey("territory.Unit", on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("lead unit"))
    partner_units = models.ManyToManyField("territory.Unit", blank=True, related_name="+",
                                           verbose_name=_("partner units"))
    # Where the project is (TERYT units) and, in words, the place.
    location_units = models.ManyToManyField("territory.Unit", blank=True, related_name="+",
                                            verbose_name=_("location"))
    location = models.CharField(_("location (description)"), max_length=500, blank=True)
    goals = models.ManyToManyField(StrategicGoal, blank=True, related_name="projects",
                                   verbose_name=_("strategic goals"))
    directions = models.ManyToManyField(ActionDirection, blank=True, related_name="projects",
                                        verbose_name=_("directions of action"))
    problem = models.TextField(_("problem addressed"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    # [{"name": ..., "unit": ..., "target": "..."}]; targets as text of a Decimal.
    output_indicators = models.JSONField(_("output indicators"), default=list, blank=True)
    result_indicators = models.JSONField(_("result indicators"), default=list, blank=True)
    funding_source = models.CharField(_("planned funding source"), max_length=30,
                                      choices=FundingSource.choices, blank=True)
    funding_details = models.CharField(_("programme measure or call"), max_length=300,
                                       blank=True)
    readiness = models.CharField(_("readiness"), max_length=20, choices=Readiness.choices,
                                 default=Readiness.CONCEPT)
    is_integrated = models.BooleanField(_("integrated project"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices,
                              default=ProjectStatus.PROPOSED)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partnership", "number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"],
                                    name="unique_project_number"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")), name="project_ends_after_start"),
        ]
        verbose_name = _("project card")
        verbose_name_plural = _("project cards")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ProjectCost(models.Model):
    """The planned cost of a project in one year, and what was spent (monitoring)."""

    project = models.ForeignKey(ProjectCard, on_delete=models.CASCADE, related_name="costs")
    year = models.PositiveSmallIntegerField(_("year"))
    planned = models.DecimalField(_("planned (PLN)"), max_digits=14, decimal_places=2)
    spent = models.DecimalField(_("spent (PLN)"), max_digits=14, decimal_places=2,
                                null=True, blank=True)

    class Meta:
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_cost_per_year"),
            models.CheckConstraint(condition=Q(planned__gte=0), name="planned_not_negative"),
            models.CheckConstraint(condition=Q(spent__isnull=True) | Q(spent__gte=0),
                                   name="spent_not_negative"),
        ]


class Milestone(models.Model):
    project = models.ForeignKey(ProjectCard, on_delete=models.CASCADE,
                                related_name="milestones")
    name = models.CharField(_("milestone"), max_length=300)
    due_on = models.DateField(_("planned date"))
    done_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        ordering = ["project", "due_on", "id"]


class Criterion(models.Model):
    """A criterion of the project ranking, weighted directly or by AHP (Strategy.weighting)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("how to score"), blank=True)
    # +1: a higher score is better; -1: lower is better (e.g. cost to the budget).
    polarity = models.SmallIntegerField(
        _("direction"), default=1,
        choices=[(1, _("higher is better")), (-1, _("lower is better"))])
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=4,
                                 null=True, blank=True)

    class Meta:
        ordering = ["strategy", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="unique_criterion_code"),
            models.CheckConstraint(condition=Q(weight__isnull=True) | Q(weight__gte=0),
                                   name="weight_not_negative"),
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


class ProjectScore(models.Model):
    """One member unit's score of one project on one criterion."""

    project = models.ForeignKey(ProjectCard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("score"), max_digits=8, decimal_places=2)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "criterion", "unit"],
                                               name="one_score_per_unit")]


class OpinionKind(models.TextChoices):
    ANALYSIS = "analysis", _("analysis")
    OPINION = "opinion", _("opinion")


class OpinionRequest(models.Model):
    """A coordinator asks an advisor for an analysis or opinion on a project card."""

    project = models.ForeignKey(ProjectCard, on_delete=models.CASCADE,
                                related_name="opinion_requests")
    advisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="opinion_requests")
    kind = models.CharField(_("kind"), max_length=20, choices=OpinionKind.choices)
    question = models.TextField(_("what the advisor is asked"), blank=True)
    due_on = models.DateField(_("answer by"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "-id"]


class Recommendation(models.TextChoices):
    RECOMMENDED = "recommended", _("recommended")
    WITH_CHANGES = "with_changes", _("recommended with changes")
    NOT_RECOMMENDED = "not_recommended", _("not recommended")


class AdvisorOpinion(models.Model):
    """One version of an advisor's answer; a new answer is a new version (never an edit).
    Internal until the coordinator publishes a version."""

    request = models.ForeignKey(OpinionRequest, on_delete=models.CASCADE,
                                related_name="opinions")
    version = models.PositiveIntegerField()
    recommendation = models.CharField(_("recommendation"), max_length=20,
                                      choices=Recommendation.choices)
    strengths = models.TextField(_("strengths"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    readiness = models.TextField(_("readiness"), blank=True)
    funding_fit = models.TextField(_("fit with funding"), blank=True)
    text = models.TextField(_("analysis or opinion"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                               null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["request", "-version"]
        constraints = [models.UniqueConstraint(fields=["request", "version"],
                                               name="unique_opinion_version")]
        verbose_name = _("advisor's opinion")
        verbose_name_plural = _("advisors' opinions")
