"""Placeholder: being written."""

from django.http import Http404



def consultation_list(request, slug, **kwargs):
    raise Http404


def draft(request, slug, **kwargs):
    raise Http404


def notice(request, slug, **kwargs):
    raise Http404


def comment(request, slug, **kwargs):
    raise Http404


def thanks(request, slug, **kwargs):
    raise Http404
