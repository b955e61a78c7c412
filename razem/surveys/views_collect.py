"""Placeholder: replaced by the helper that owns this module."""

from django.http import Http404



def respond(request, slug, **kwargs):
    raise Http404


def thanks(request, slug, **kwargs):
    raise Http404


def paper_entry(request, slug, **kwargs):
    raise Http404
