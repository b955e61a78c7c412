"""Whole-page caching of public pages for anonymous visitors.

Keys carry the version of the data the page shows (e.g. `Partnership.updated_at`)
so an entry is superseded, never invalidated: correct with any number of
processes, each with its own cache. Logged-in visitors are never served from
here because their header differs (name, CSRF token of the log-out form).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

TIMEOUT = 3600


def _cacheable(request: HttpRequest) -> bool:
    # A pending flash message must be shown (and consumed), not skipped.
    return not request.user.is_authenticated and "messages" not in request.COOKIES


def serve(request: HttpRequest, version: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The cached page for `version` of its data, or `build()` stored for next time."""
    if not _cacheable(request):
        return build()
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:16]
    key = f"page:{path}:{version}:{get_language()}"
    content = cache.get(key)
    if content is not None:
        return HttpResponse(content)
    response = build()
    if response.status_code == 200 and not response.cookies:
        cache.set(key, response.content, TIMEOUT)
    return response
