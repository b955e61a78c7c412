from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    BDL_CSV = "bdl_csv", _("GUS Local Data Bank, web export")
    BDL_API = "bdl_api", _("GUS Local Data Bank, API")
    MANUAL = "manual", _("entered by hand")


class Variable(models.Model):
    """A statistical variable as its source publishes it (one measure, fixed dimensions)."""

    # Stable key (see naming.variable_code); the indicator catalogue refers to it.
    code = models.CharField(_("code"), max_length=300, unique=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # The BDL API variable id where known (web exports carry none).
    source_id = models.CharField(_("source id"), max_length=40, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=300)
    dimensions = models.JSONField(_("dimensions"), default=list, blank=True)
    measure_unit = models.CharField(_("unit of measure"), max_length=40, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("variable")
        verbose_name_plural = _("variables")

    def __str__(self) -> str:
        return self.name


class Flag(models.TextChoices):
    NONE = "", _("value")
    MISSING = "missing", _("no data")
    CONFIDENTIAL = "confidential", _("confidential (statistical secrecy)")


class Observation(models.Model):
    unit = models.ForeignKey("territory.Unit", on_delete=models.CASCADE, related_name="observations")
    variable = models.ForeignKey(Variable, on_delete=models.CASCADE, related_name="observations")
    year = models.PositiveSmallIntegerField(_("year"))
    # Decimal: the sources publish exact decimals (money per resident among them).
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    flag = models.CharField(_("flag"), max_length=20, choices=Flag.choices, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "variable", "year"], name="one_value_per_unit_year")
        ]
        indexes = [models.Index(fields=["variable", "year"])]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.variable_id} {self.year}: {self.value}"


class ImportRun(models.Model):
    """One import of a file or an API sync: what it did and which values it changed."""

    partnership = models.ForeignKey(
        "core.Partnership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    file_name = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    unmatched = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name or self.get_source_display()} ({self.started_at:%Y-%m-%d %H:%M})"


class ObservationChange(models.Model):
    """A value that a later import changed: the log the issue asks for."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="changes")
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="changes")
    old_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    new_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    old_flag = models.CharField(max_length=20, blank=True)
    new_flag = models.CharField(max_length=20, blank=True)


class SyncState(models.Model):
    """What the last BDL API sync stored for one variable, so the next one fetches only news."""

    variable = models.OneToOneField(Variable, on_delete=models.CASCADE, related_name="sync_state")
    # The API's own stamp of the variable's data; compared as text, equal means unchanged.
    last_update = models.CharField(max_length=40, blank=True)
    # Years fetched since that stamp; `all_years` when the sync asked for every year.
    years = models.JSONField(default=list, blank=True)
    all_years = models.BooleanField(default=False)
    synced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("BDL API sync state")
        verbose_name_plural = _("BDL API sync states")

    def __str__(self) -> str:
        return f"{self.variable_id} {self.last_update}"


class PendingUpload(models.Model):
    """An uploaded export between its preview and the coordinator's confirmation.

    Kept in the database, not in the client or on one server's disk: the confirm
    step re-reads exactly the bytes that were previewed, from any app process,
    and only for the partnership and user who uploaded them.
    """

    token = models.CharField(max_length=64, unique=True)
    partnership = models.ForeignKey("core.Partnership", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    dataset = models.CharField(max_length=100)
    data = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.file_name
