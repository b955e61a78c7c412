"""Error pages in the site's layout and language, never a bare Django page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _error(request: HttpRequest, status: int, template: str) -> HttpResponse:
    return render(request, template, {"status": status}, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(request, 400, "errors/400.html")


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(request, 403, "errors/403.html")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(request, 404, "errors/404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "errors/500.html")
