"""Placeholder: being written."""

from django.http import Http404



def overview(request, slug, **kwargs):
    raise Http404


def create(request, slug, **kwargs):
    raise Http404


def edit(request, slug, **kwargs):
    raise Http404


def publish(request, slug, **kwargs):
    raise Http404


def goal_create(request, slug, **kwargs):
    raise Http404


def goal_edit(request, slug, **kwargs):
    raise Http404


def goal_delete(request, slug, **kwargs):
    raise Http404


def direction_create(request, slug, **kwargs):
    raise Http404


def direction_edit(request, slug, **kwargs):
    raise Http404


def result_create(request, slug, **kwargs):
    raise Http404


def result_edit(request, slug, **kwargs):
    raise Http404


def areas(request, slug, **kwargs):
    raise Http404


def areas_map(request, slug, **kwargs):
    raise Http404


def area_create(request, slug, **kwargs):
    raise Http404


def area_edit(request, slug, **kwargs):
    raise Http404


def monitoring(request, slug, **kwargs):
    raise Http404
