"""Placeholder: replaced by the helper that owns this module."""

from django.http import Http404



def survey_list(request, slug, **kwargs):
    raise Http404


def create(request, slug, **kwargs):
    raise Http404


def import_upload(request, slug, **kwargs):
    raise Http404


def detail(request, slug, **kwargs):
    raise Http404


def edit(request, slug, **kwargs):
    raise Http404


def delete(request, slug, **kwargs):
    raise Http404


def xlsform_download(request, slug, **kwargs):
    raise Http404


def xlsform_replace(request, slug, **kwargs):
    raise Http404


def publication(request, slug, **kwargs):
    raise Http404


def qr_svg(request, slug, **kwargs):
    raise Http404


def qr_png(request, slug, **kwargs):
    raise Http404


def poster(request, slug, **kwargs):
    raise Http404


def code_batches(request, slug, **kwargs):
    raise Http404


def code_cards(request, slug, **kwargs):
    raise Http404


def code_cards_pdf(request, slug, **kwargs):
    raise Http404
