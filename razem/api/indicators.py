"""The indicator catalogue and one indicator's values for a partnership's units."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from razem.core.models import Partnership
from razem.indicators.catalogue import load_catalogue
from razem.portrait import data

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    dimension: str
    polarity: int
    unit: str
    description: str
    source: str


class GroupOut(Schema):
    id: str
    label: str
    median: float | None
    q1: float | None
    q3: float | None
    size: int


class UnitValueOut(Schema):
    teryt: str
    name: str
    kind: str
    value: float | None
    comparison_group: GroupOut | None = None
    percentile: float | None = None
    z_score: float | None = None
    rank: int | None = None


class PartnershipValueOut(Schema):
    value: float | None
    units_with_data: int
    units_total: int


class IndicatorValuesOut(Schema):
    code: str
    name: str
    name_en: str
    unit: str
    polarity: int
    dimension: str
    year: int | None
    years: list[int]
    units: list[UnitValueOut]
    partnership: PartnershipValueOut
    comparison_groups: list[GroupOut]
    source: str


class YearQuery(Schema):
    year: int | None = None


def _visible_partnership(request, slug: str) -> Partnership:
    """The portrait's numbers are public once published; before that, members only."""
    partnership = get_object_or_404(Partnership, slug=slug)
    if not request.user.has_perm("portrait.view", partnership):
        raise Http404
    return partnership


@router.get("/{slug}/indicators/", response=list[IndicatorOut], summary="Indicator catalogue")
def list_indicators(request, slug: str):
    get_object_or_404(Partnership, slug=slug)
    return [
        {
            "code": i.code, "name": i.name_pl, "name_en": i.name_en, "dimension": i.dimension,
            "polarity": i.polarity, "unit": i.unit_pl, "description": i.description_pl,
            "source": i.source_pl,
        }
        for i in load_catalogue().indicators
    ]


@router.get("/{slug}/indicators/{code}/", response=IndicatorValuesOut,
            summary="One indicator for the member units, the partnership and comparison groups")
def indicator_values(request, slug: str, code: str, query: Query[YearQuery]):
    partnership = _visible_partnership(request, slug)
    try:
        return data.indicator_for(partnership, code, query.year)
    except (data.UnknownIndicator, data.NoData):
        raise Http404 from None
