from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    VOIVODESHIP = "voivodeship", _("voivodeship")
    POWIAT = "powiat", _("powiat")
    GMINA = "gmina", _("gmina")


class GminaType(models.TextChoices):
    # Codes follow the TERC "RODZ" digit: 1 urban, 2 rural, 3 urban-rural.
    URBAN = "urban", _("urban gmina")
    RURAL = "rural", _("rural gmina")
    URBAN_RURAL = "urban-rural", _("urban-rural gmina")


class UnitQuerySet(models.QuerySet["Unit"]):
    def gminas(self) -> UnitQuerySet:
        return self.filter(kind=UnitKind.GMINA)

    def powiats(self) -> UnitQuerySet:
        return self.filter(kind=UnitKind.POWIAT)

    def voivodeships(self) -> UnitQuerySet:
        return self.filter(kind=UnitKind.VOIVODESHIP)

    def intersecting_bbox(self, bbox: tuple[float, float, float, float]) -> UnitQuerySet:
        """Units whose bounding box overlaps (min_lon, min_lat, max_lon, max_lat)."""
        min_lon, min_lat, max_lon, max_lat = bbox
        return self.filter(
            bbox_min_lon__lte=max_lon,
            bbox_max_lon__gte=min_lon,
            bbox_min_lat__lte=max_lat,
            bbox_max_lat__gte=min_lat,
        )


class Unit(models.Model):
    """A territorial self-government unit identified by its TERYT (TERC) code.

    Codes: voivodeship `WW`, powiat `WWPP`, gmina `WWPPGGR` (R = gmina type digit).
    """

    teryt = models.CharField(_("TERYT code"), max_length=7, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=UnitKind.choices)
    gmina_type = models.CharField(
        _("gmina type"), max_length=12, choices=GminaType.choices, blank=True
    )
    is_city_with_powiat_rights = models.BooleanField(_("city with powiat rights"), default=False)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent unit"),
    )
    bdl_id = models.CharField(_("BDL unit id"), max_length=12, blank=True)
    # GeoJSON geometry (WGS84). Kept as JSON rather than a spatial column so the
    # embedded SQLite default needs no SpatiaLite; the bounding box columns make
    # "what lies near here" a plain indexed query on both databases.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    bbox_min_lon = models.FloatField(null=True, blank=True)
    bbox_min_lat = models.FloatField(null=True, blank=True)
    bbox_max_lon = models.FloatField(null=True, blank=True)
    bbox_max_lat = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["teryt"]
        verbose_name = _("territorial unit")
        verbose_name_plural = _("territorial units")
        indexes = [models.Index(fields=["kind", "bbox_min_lon", "bbox_max_lon"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == UnitKind.POWIAT and not self.is_city_with_powiat_rights:
            return f"Powiat {self.name}"
        if self.kind == UnitKind.VOIVODESHIP:
            return f"Województwo {self.name.lower()}"
        return self.name

    @property
    def kind_label(self) -> str:
        if self.kind == UnitKind.GMINA and self.gmina_type:
            return str(self.get_gmina_type_display())
        if self.is_city_with_powiat_rights:
            return str(_("city with powiat rights"))
        return str(self.get_kind_display())
