"""Placeholder: replaced by the helper that owns this module."""

from django.http import Http404



def public_results(request, slug, **kwargs):
    raise Http404


def results(request, slug, **kwargs):
    raise Http404


def population(request, slug, **kwargs):
    raise Http404


def open_answers(request, slug, **kwargs):
    raise Http404
