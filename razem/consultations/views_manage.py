"""Placeholder: being written."""

from django.http import Http404



def create(request, slug, **kwargs):
    raise Http404


def workspace(request, slug, **kwargs):
    raise Http404


def edit(request, slug, **kwargs):
    raise Http404


def publish_notice(request, slug, **kwargs):
    raise Http404


def meetings(request, slug, **kwargs):
    raise Http404


def enter_comment(request, slug, **kwargs):
    raise Http404


def comment_detail(request, slug, **kwargs):
    raise Http404


def hide_comment(request, slug, **kwargs):
    raise Http404


def publish_positions(request, slug, **kwargs):
    raise Http404
