"""Scoped loaders for strategy views: everything is found through its partnership.
Outsiders get 404 (also for an unpublished strategy), members without the right 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from razem.core.models import Partnership
from razem.core.views import load_partnership
from razem.strategy.models import OpinionRequest, ProjectCard, Strategy


def _check(request: HttpRequest, partnership: Partnership, obj, perm: str) -> None:
    if request.user.has_perm(perm, obj):
        return
    # Someone outside the partnership learns nothing from a refusal: 404, also when the
    # strategy is published and they could read it (they asked for more than reading).
    if not request.user.has_perm("core.view_partnership_internal", partnership):
        raise Http404
    raise PermissionDenied


def load_strategy_partnership(request: HttpRequest, slug: str,
                              perm: str = "strategy.view") -> Partnership:
    """The partnership, for strategy pages (its strategy may not exist yet)."""
    partnership = get_object_or_404(Partnership, slug=slug)
    _check(request, partnership, partnership, perm)
    return partnership


def strategy_of(partnership: Partnership) -> Strategy | None:
    return Strategy.objects.filter(partnership=partnership).first()


def load_strategy(request: HttpRequest, slug: str, perm: str = "strategy.view") -> Strategy:
    """The partnership's strategy; 404 when it has none yet."""
    partnership = load_strategy_partnership(request, slug, perm)
    strategy = strategy_of(partnership)
    if strategy is None:
        raise Http404
    return strategy


def load_project(request: HttpRequest, slug: str, project_id: int,
                 perm: str = "strategy.view") -> ProjectCard:
    project = get_object_or_404(
        ProjectCard.objects.select_related("partnership", "lead_unit"),
        partnership__slug=slug, pk=project_id)
    _check(request, project.partnership, project.partnership, perm)
    return project


def load_opinion_request(request: HttpRequest, slug: str, request_id: int,
                         perm: str = "strategy.view_internal") -> OpinionRequest:
    opinion_request = get_object_or_404(
        OpinionRequest.objects.select_related("project__partnership", "advisor"),
        project__partnership__slug=slug, pk=request_id)
    partnership = opinion_request.project.partnership
    if not request.user.has_perm("core.view_partnership_internal", partnership):
        raise Http404
    if not request.user.has_perm(perm, opinion_request):
        raise PermissionDenied
    return opinion_request


__all__ = ["load_partnership", "load_strategy", "load_strategy_partnership", "load_project",
           "load_opinion_request", "strategy_of"]
