"""The scoped loader for survey views: a survey is found only through its partnership."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from razem.core.models import Partnership
from razem.surveys.models import Survey


def load_survey(
    request: HttpRequest,
    slug: str,
    *,
    survey_id: int | None = None,
    survey_slug: str | None = None,
    perm: str | None = None,
) -> Survey:
    """Outsiders get 404, members without the right 403. Another partnership's survey id
    under this partnership's address is 404 like any unknown id."""
    lookup = {"pk": survey_id} if survey_id is not None else {"slug": survey_slug}
    # One query through the partnership's slug: an unknown partnership and another
    # partnership's survey are the same 404. The definition is read through
    # Survey.questionnaire's per-process cache; views that need the raw JSON still get
    # it (Django loads a deferred field on first access).
    queryset = Survey.objects.select_related("partnership").defer("definition")
    survey = get_object_or_404(queryset, partnership__slug=slug, **lookup)
    partnership = survey.partnership
    if perm is None or request.user.has_perm(perm, survey):
        return survey
    if not request.user.has_perm("core.view_partnership_internal", partnership):
        raise Http404
    raise PermissionDenied


def load_partnership_for_surveys(request: HttpRequest, slug: str, perm: str) -> Partnership:
    """For the partnership-level pages (the list, creating, importing)."""
    partnership = get_object_or_404(Partnership, slug=slug)
    if request.user.has_perm(perm, partnership):
        return partnership
    if not request.user.has_perm("core.view_partnership_internal", partnership):
        raise Http404
    raise PermissionDenied
