"""Placeholder: being written."""

from django.http import Http404



def public_report(request, slug, **kwargs):
    raise Http404
