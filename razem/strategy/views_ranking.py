"""Placeholder: being written."""

from django.http import Http404



def ranking(request, slug, **kwargs):
    raise Http404


def criteria(request, slug, **kwargs):
    raise Http404


def weights(request, slug, **kwargs):
    raise Http404


def scores(request, slug, **kwargs):
    raise Http404


def ranking_export(request, slug, **kwargs):
    raise Http404


def ranking_verify(request, slug, **kwargs):
    raise Http404
