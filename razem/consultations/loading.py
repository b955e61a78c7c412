"""The scoped loaders for consultation views: objects are found only through their
partnership. Partnership-level pages use razem.core.views.load_partnership."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from razem.consultations.models import Consultation, Draft


def load_consultation(
    request: HttpRequest,
    slug: str,
    *,
    consultation_id: int | None = None,
    consultation_slug: str | None = None,
    perm: str = "consultations.view",
) -> Consultation:
    """Outsiders get 404 (also for a consultation still in preparation, which they may not
    know exists), members without the right 403. Another partnership's id under this
    partnership's address is 404 like any unknown id."""
    lookup = ({"pk": consultation_id} if consultation_id is not None
              else {"slug": consultation_slug})
    consultation = get_object_or_404(
        Consultation.objects.select_related("partnership", "version__draft"),
        partnership__slug=slug, **lookup,
    )
    if request.user.has_perm(perm, consultation):
        return consultation
    if not request.user.has_perm("consultations.view", consultation):
        raise Http404
    if not request.user.has_perm("core.view_partnership_internal", consultation.partnership):
        raise Http404
    raise PermissionDenied


def load_draft(request: HttpRequest, slug: str, draft_id: int,
               perm: str = "consultations.manage_drafts") -> Draft:
    """Drafts are staff pages: outsiders 404, members without the right 403."""
    draft = get_object_or_404(
        Draft.objects.select_related("partnership"), partnership__slug=slug, pk=draft_id
    )
    partnership = draft.partnership
    if not request.user.has_perm("core.view_partnership_internal", partnership):
        raise Http404
    if not request.user.has_perm(perm, partnership):
        raise PermissionDenied
    return draft
