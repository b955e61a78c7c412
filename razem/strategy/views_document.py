"""Placeholder: being written."""

from django.http import Http404



def document(request, slug, **kwargs):
    raise Http404


def send_to_consultation(request, slug, **kwargs):
    raise Http404
