"""Placeholder: being written."""

from django.http import Http404



def draft_list(request, slug, **kwargs):
    raise Http404


def draft_create(request, slug, **kwargs):
    raise Http404


def draft_from_portrait(request, slug, **kwargs):
    raise Http404


def draft_detail(request, slug, **kwargs):
    raise Http404


def version_create(request, slug, **kwargs):
    raise Http404


def version_detail(request, slug, **kwargs):
    raise Http404


def version_diff(request, slug, **kwargs):
    raise Http404
