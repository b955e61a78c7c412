"""Placeholder: replaced by the helper that owns this module."""

from django.http import Http404



def export_csv(request, slug, **kwargs):
    raise Http404


def export_xlsx(request, slug, **kwargs):
    raise Http404
