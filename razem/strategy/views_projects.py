"""Placeholder: being written."""

from django.http import Http404



def project_list(request, slug, **kwargs):
    raise Http404


def project_create(request, slug, **kwargs):
    raise Http404


def project_detail(request, slug, **kwargs):
    raise Http404


def project_edit(request, slug, **kwargs):
    raise Http404


def opinion_request(request, slug, **kwargs):
    raise Http404


def opinion_answer(request, slug, **kwargs):
    raise Http404


def opinion_publish(request, slug, **kwargs):
    raise Http404
