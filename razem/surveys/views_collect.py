"""Collecting responses: the public form, its thank-you page, and paper entry by staff.

The public form needs no login and is found only through its partnership's address.
Every bad input (forged choices, over-long texts, wrong codes) comes back as the same
form with a Polish message, the answers kept, and a 4xx status; nothing is half-saved.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from razem.core import ratelimit
from razem.surveys import collect_form, collection
from razem.surveys.answers import clean_answers
from razem.surveys.loading import load_public_survey, load_survey
from razem.surveys.models import Channel, Response, Survey

# Far above any honest form (a long text is at most 2000 characters per question);
# larger posts are refused before their answers are looked at.
MAX_FORM_BYTES = 512 * 1024


def _title(survey: Survey) -> str:
    """The survey's title, or the definition's English title on an English page."""
    english = survey.questionnaire.title.en.strip()
    return english if english and (get_language() or "").startswith("en") else survey.title


def _new_key() -> str:
    return secrets.token_hex(16)


def _notice(request: HttpRequest, survey: Survey, heading: str, message: str,
            status: int) -> HttpResponse:
    return render(request, "surveys/closed.html", {
        "survey": survey, "title": _title(survey), "heading": heading, "message": message,
    }, status=status)


def _closed(request: HttpRequest, survey: Survey, today: date) -> HttpResponse:
    if today < survey.opens_on:
        heading = _("The survey is not open yet")
        message = _("The survey opens on %(date)s. Please come back then.") % {
            "date": formats.date_format(survey.opens_on, "j E Y")}
    else:
        heading = _("The survey is closed")
        message = _("The survey closed on %(date)s. Thank you for your interest.") % {
            "date": formats.date_format(survey.closes_on, "j E Y")}
    return _notice(request, survey, heading, message, status=403)


@lru_cache(maxsize=1024)
def _thanks_url(slug: str, survey_slug: str) -> str:
    # Every accepted response redirects here; resolving the address once is enough.
    return reverse("surveys:thanks", args=[slug, survey_slug])


def _too_large(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_FORM_BYTES
    except ValueError:
        return True


@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, slug: str, survey: str) -> HttpResponse:
    return _respond(request, load_public_survey(slug, survey))


def _form_context(survey: Survey) -> dict:
    return {"survey": survey, "title": _title(survey),
            "minutes": collect_form.estimated_minutes(survey.questionnaire)}


def _respond(request: HttpRequest, survey: Survey) -> HttpResponse:
    today = timezone.localdate()
    if not survey.is_open(today):
        return _closed(request, survey, today)
    definition = survey.questionnaire
    gminas = collection.gmina_choices(survey.partnership)
    if request.method != "POST":
        questions, summary = collect_form.build(definition, gminas)
        return render(request, "surveys/respond.html", {
            **_form_context(survey), "questions": questions, "summary": summary,
            "submission_key": _new_key(), "code": "",
        })
    if not ratelimit.allow(request, f"survey:{survey.pk}", settings.RAZEM_SURVEY_RATE_LIMIT):
        return _notice(request, survey, _("Too many attempts"), _(
            "Too many forms have been sent from this connection in a short time. "
            "Please wait a few minutes and try again."), status=429)
    if _too_large(request):
        return _notice(request, survey, _("The form could not be accepted"),
                       _("The form sent is too large. Shorten the answers and try again."),
                       status=400)
    answers, errors = clean_answers(definition, request.POST, gminas)
    code = request.POST.get("code", "")
    key = collection.valid_submission_key(request.POST.get("submission_key")) or _new_key()
    code_error = ""
    if survey.codes_required and not collection.normalise_code(code):
        code_error = _("Enter the code from your card.")
    if not errors and not code_error:
        try:
            collection.submit(survey, answers, channel=Channel.WEB, code=code,
                              submission_key=key, user=request.user, today=today,
                              write_behind=True)
        except collection.CodeError as error:
            code_error = error.message
        else:
            # The success path renders nothing: a respondent's answers are stored and
            # acknowledged with a redirect, the thank-you page is a separate request.
            # Built by hand: HttpResponseRedirect re-checks the scheme of an address
            # that reverse() made, on every response.
            response = HttpResponse(status=303)
            response["Location"] = _thanks_url(survey.partnership.slug, survey.slug)
            return response
    questions, summary = collect_form.build(definition, gminas, request.POST, errors)
    if code_error:
        summary.insert(0, collect_form.SummaryError("q-code", code_error))
    return render(request, "surveys/respond.html", {
        **_form_context(survey), "questions": questions, "summary": summary,
        "submission_key": key, "code": code[:20], "code_error": code_error,
    }, status=400)


@require_GET
def thanks(request: HttpRequest, slug: str, survey: str) -> HttpResponse:
    survey_obj = load_public_survey(slug, survey)
    return render(request, "surveys/thanks.html",
                  {"survey": survey_obj, "title": _title(survey_obj)})


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = load_survey(request, slug, survey_id=survey_id, perm="surveys.enter_paper")
    definition = survey.questionnaire
    gminas = collection.gmina_choices(survey.partnership)
    papers = Response.objects.filter(survey=survey, channel=Channel.PAPER)
    context = {"survey": survey, "paper_count": papers.count(), "submission_key": _new_key()}
    if survey.codes_required:
        # A code card goes with the online form; typing paper answers in would bypass it.
        context["refusal"] = _(
            "This survey accepts responses only with one-time codes, so paper "
            "questionnaires cannot be entered.")
        return render(request, "surveys/paper_entry.html", context, status=403)
    if request.method != "POST":
        questions, summary = collect_form.build(definition, gminas, enforce_required=False)
        return render(request, "surveys/paper_entry.html",
                      {**context, "questions": questions, "summary": summary})
    if _too_large(request):
        context["refusal"] = _("The form sent is too large. Shorten the answers and try again.")
        return render(request, "surveys/paper_entry.html", context, status=400)
    # Paper respondents skip questions too; the officer types in what is there.
    answers, errors = clean_answers(definition, request.POST, gminas, enforce_required=False)
    if not errors:
        key = collection.valid_submission_key(request.POST.get("submission_key"))
        collection.enter_paper(survey, answers, officer=request.user, submission_key=key)
        messages.success(request, _("Paper questionnaire no. %(number)s has been saved.")
                         % {"number": papers.count()})
        return HttpResponseRedirect(request.path, status=303)
    questions, summary = collect_form.build(definition, gminas, request.POST, errors,
                                            enforce_required=False)
    context["submission_key"] = (
        collection.valid_submission_key(request.POST.get("submission_key")) or _new_key())
    return render(request, "surveys/paper_entry.html",
                  {**context, "questions": questions, "summary": summary}, status=400)
