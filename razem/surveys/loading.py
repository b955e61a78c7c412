"""The scoped loader for survey views: a survey is found only through its partnership.

Partnership-level survey pages (the list, creating, importing) use the project's one
partnership loader, razem.core.views.load_partnership."""

from __future__ import annotations

import time

from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from razem.core.models import Partnership
from razem.surveys.models import Survey


def _surveys():
    # The definition is read through Survey.questionnaire's per-process cache; views that
    # need the raw JSON still get it (Django loads a deferred field on first access).
    return Survey.objects.select_related("partnership").defer("definition")


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
    # partnership's survey are the same 404.
    survey = get_object_or_404(_surveys(), partnership__slug=slug, **lookup)
    partnership = survey.partnership
    if perm is None or request.user.has_perm(perm, survey):
        return survey
    if not request.user.has_perm("core.view_partnership_internal", partnership):
        raise Http404
    raise PermissionDenied


# (partnership slug, survey slug) -> (monotonic expiry, survey). The public form is the
# one page thousands of respondents hit in a short time; looking the survey up costs more
# than the rest of a response's work together (Django builds the query each time). Saves
# in this process clear the cache at once (signals below); other processes see a change
# (an earlier closing date, codes switched on) within PUBLIC_SURVEY_TTL seconds.
PUBLIC_SURVEY_TTL = 5.0
_PUBLIC: dict[tuple[str, str], tuple[float, Survey]] = {}


def load_public_survey(slug: str, survey_slug: str) -> Survey:
    """The survey behind a public address, for pages anyone may open (read only: the
    instance is shared by the requests of this process)."""
    key = (slug, survey_slug)
    found = _PUBLIC.get(key)
    now = time.monotonic()
    if found is not None and found[0] > now:
        return found[1]
    survey = get_object_or_404(_surveys(), partnership__slug=slug, slug=survey_slug)
    if len(_PUBLIC) > 1024:
        _PUBLIC.clear()
    _PUBLIC[key] = (now + PUBLIC_SURVEY_TTL, survey)
    return survey


@receiver([post_save, post_delete], sender=Survey)
@receiver([post_save, post_delete], sender=Partnership)
def _forget_public_surveys(**kwargs) -> None:
    _PUBLIC.clear()
