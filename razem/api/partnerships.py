from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from razem.core.models import Partnership

router = Router(tags=["partnerships"])


class UnitOut(Schema):
    teryt: str
    name: str
    kind: str


class PartnershipSummaryOut(Schema):
    slug: str
    name: str
    legal_form: str
    url: str


class PartnershipOut(PartnershipSummaryOut):
    description: str
    leader_unit: UnitOut | None
    units: list[UnitOut]


def _unit(unit) -> dict:
    return {"teryt": unit.teryt, "name": unit.display_name, "kind": unit.kind}


def _summary(partnership: Partnership) -> dict:
    return {
        "slug": partnership.slug,
        "name": partnership.name,
        "legal_form": partnership.legal_form,
        "url": partnership.get_absolute_url(),
    }


@router.get("/", response=list[PartnershipSummaryOut], summary="List partnerships")
def list_partnerships(request):
    return [_summary(p) for p in Partnership.objects.all()]


@router.get("/{slug}/", response=PartnershipOut, summary="One partnership with its units")
def get_partnership(request, slug: str):
    partnership = get_object_or_404(
        Partnership.objects.select_related("leader_unit"), slug=slug
    )
    return {
        **_summary(partnership),
        "description": partnership.description,
        "leader_unit": _unit(partnership.leader_unit) if partnership.leader_unit else None,
        "units": [_unit(u) for u in partnership.units.order_by("teryt")],
    }
