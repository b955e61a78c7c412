"""Staff pages that manage surveys: the list, creating from a template or an XLSForm,
the survey's page, editing, publication, QR code, poster and one-time codes.

Members read; coordinators change. Everything is loaded through razem.surveys.loading,
so an outsider gets 404 and a member without the role 403. One-time codes are
credentials: only coordinators see or print them, and those pages are never cached.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from razem.core.models import Partnership
from razem.core.views import load_partnership
from razem.reports.models import ReportFormat
from razem.surveys import actions, forms, printing, qr, questionnaires
from razem.surveys.loading import load_survey
from razem.surveys.models import Channel, Survey
from razem.surveys.xlsform import XlsFormError, read_xlsform, write_xlsform

MEMBER = "surveys.view_list"  # also answers for a Survey: the predicate reads .partnership
COORDINATOR = "surveys.change"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _member_survey(request: HttpRequest, slug: str, survey_id: int) -> Survey:
    return load_survey(request, slug, survey_id=survey_id, perm=MEMBER)


def _coordinator_survey(request: HttpRequest, slug: str, survey_id: int) -> Survey:
    return load_survey(request, slug, survey_id=survey_id, perm=COORDINATOR)


def _posted(request: HttpRequest):
    # Not `request.POST or None`: an empty post must still be a bound (and checked) form.
    return request.POST if request.method == "POST" else None


def _status(survey: Survey, today) -> tuple[str, str]:
    """(key, label): phases follow from the dates, never from a flag set by hand."""
    if today < survey.opens_on:
        return "upcoming", _("not open yet")
    if today > survey.closes_on:
        return "closed", _("closed")
    return "open", _("open")


def _file_name(survey: Survey, suffix: str) -> str:
    # Slugs are ASCII by construction; the filter guards names made some other way.
    base = "".join(c for c in f"ankieta-{survey.slug}"
                   if c.isascii() and (c.isalnum() or c in "-_"))
    return f"{base or 'ankieta'}{suffix}"


def _download(content: bytes, content_type: str, file_name: str, *,
              private: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    response["Cache-Control"] = "no-store" if private else "private, max-age=300"
    return response


# --- the list and creating ------------------------------------------------------------------


@login_required
@require_GET
def survey_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, MEMBER)
    today = timezone.localdate()
    # One query: the counts are aggregated, the long texts are not needed here.
    surveys = (partnership.surveys.annotate(response_count=Count("responses"))
               .defer("definition", "introduction", "gdpr_clause", "population_targets")
               .order_by("-opens_on", "title"))
    return render(request, "surveys/list.html", {
        "partnership": partnership,
        "rows": [(survey, *_status(survey, today)) for survey in surveys],
        "can_manage": request.user.has_perm("surveys.manage", partnership),
    })


# Short Polish address parts for the template audiences: a poster's address stays short.
SLUG_BASES = {"resident": "mieszkancy", "youth": "mlodziez", "leader": "liderzy",
              "business": "przedsiebiorcy"}


def _suggested_slug(partnership: Partnership, template: questionnaires.QuestionnaireTemplate,
                    opens_on) -> str:
    base = SLUG_BASES.get(template.audience) or forms.suggest_slug(template.title.pl,
                                                                    max_length=30)
    return _free_slug(partnership, f"{base}-{opens_on.year}")


def _free_slug(partnership: Partnership, base: str) -> str:
    base = base or "ankieta"
    taken = set(partnership.surveys.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base[:55]}-{number}" in taken:
        number += 1
    return f"{base[:55]}-{number}"


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "surveys.manage")
    templates = questionnaires.TEMPLATES
    if request.method == "POST":
        form = forms.CreateForm(request.POST, partnership=partnership)
        if form.is_valid():
            data = form.cleaned_data
            try:
                survey = actions.create_from_template(
                    partnership=partnership, by=request.user, key=data["template"],
                    slug=data["slug"], opens_on=data["opens_on"], closes_on=data["closes_on"],
                    title=data["title"] or None,
                )
            except ValueError as error:  # a slug taken meanwhile
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The survey “%(title)s” has been created from the "
                                            "template. Check its questions and dates before "
                                            "sharing the link.") % {"title": survey.title})
                return redirect("surveys:detail", slug, survey.pk)
        return _create_page(request, partnership, form, chosen=request.POST.get("template"),
                            status=400)
    chosen = request.GET.get("szablon")
    initial: dict[str, Any] = forms.default_dates()
    if chosen in templates:
        template = templates[chosen]
        initial |= {"template": chosen, "title": template.title.pl,
                    "slug": _suggested_slug(partnership, template, initial["opens_on"])}
    form = forms.CreateForm(initial=initial, partnership=partnership)
    return _create_page(request, partnership, form, chosen=chosen)


def _create_page(request: HttpRequest, partnership: Partnership, form: forms.CreateForm, *,
                 chosen: str | None, status: int = 200) -> HttpResponse:
    return render(request, "surveys/create.html", {
        "partnership": partnership,
        "form": form,
        "templates": list(questionnaires.TEMPLATES.values()),
        "chosen": chosen if chosen in questionnaires.TEMPLATES else None,
    }, status=status)


def _read_upload(form) -> tuple[Any, XlsFormError | None]:
    """The definition in the uploaded workbook, or the problems that prevent it."""
    upload = form.cleaned_data["file"]
    data = b"".join(upload.chunks())
    try:
        return read_xlsform(data), None
    except XlsFormError as error:
        return None, error


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "surveys.manage")
    if request.method != "POST":
        form = forms.ImportForm(partnership=partnership, initial={
            **forms.default_dates(),
            "gdpr_clause": questionnaires.default_gdpr_clause(partnership),
        })
        return _import_page(request, partnership, form)
    form = forms.ImportForm(request.POST, request.FILES, partnership=partnership)
    if not form.is_valid():
        return _import_page(request, partnership, form, status=400)
    definition, error = _read_upload(form)
    if error is not None:
        return _import_page(request, partnership, form, status=400, error=error)
    data = form.cleaned_data
    title = data["title"] or definition.title.pl or definition.title.en
    if not title:
        form.add_error("title", _("The workbook has no form title (form_title on the "
                                  "settings sheet); enter the title here."))
        return _import_page(request, partnership, form, status=400)
    try:
        survey = actions.import_survey(
            partnership=partnership, by=request.user, definition=definition,
            audience=data["audience"], slug=data["slug"], title=title[:200],
            opens_on=data["opens_on"], closes_on=data["closes_on"],
            gdpr_clause=data["gdpr_clause"],
        )
    except IntegrityError:  # the address taken meanwhile
        form.add_error("slug", forms.SLUG_TAKEN)
        return _import_page(request, partnership, form, status=400)
    messages.success(request, _("The survey “%(title)s” has been imported with %(count)s "
                                "questions.") % {"title": survey.title,
                                                 "count": len(definition.questions)})
    return redirect("surveys:detail", slug, survey.pk)


def _import_page(request: HttpRequest, partnership: Partnership, form, *, status: int = 200,
                 error: XlsFormError | None = None, survey: Survey | None = None,
                 blocked: str = "") -> HttpResponse:
    return render(request, "surveys/import.html", {
        "partnership": partnership,
        "survey": survey,
        "form": form,
        "problems": error.problems if error else (),
        "file_name": form.cleaned_data.get("file").name if error else "",
        "max_upload_bytes": forms.max_upload_bytes(),
        "blocked": blocked,
        "report_formats": ReportFormat.choices,
        "section": "overview",
    }, status=status)


# --- one survey ----------------------------------------------------------------------------


def _anonymity_explanation(survey: Survey) -> str:
    if survey.is_anonymous:
        return _("Each response keeps only the answers, the day it arrived and how it was "
                 "collected: no time of day, no IP address, no account, and no link to the "
                 "one-time code used.")
    return _("Each response also keeps the time it arrived and, when the respondent was "
             "signed in, the account. IP addresses are never stored. Results are shown "
             "only in aggregate.")


def _detail_context(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    by_channel = dict(survey.responses.order_by().values_list("channel")
                      .annotate(count=Count("id")).values_list("channel", "count"))
    channels = [(label, by_channel.get(value, 0)) for value, label in Channel.choices
                if value != Channel.GENERATED or by_channel.get(value)]
    can_change = request.user.has_perm(COORDINATOR, survey)
    codes = None
    if can_change:
        codes = survey.codes.aggregate(total=Count("id"),
                                       used=Count("id", filter=Q(used_on__isnull=False)))
    url = qr.public_url(survey, request)
    return {
        "partnership": survey.partnership,
        "survey": survey,
        "status": _status(survey, timezone.localdate()),
        "public_url": url,
        "anonymity_explanation": _anonymity_explanation(survey),
        "channels": channels,
        "response_total": sum(by_channel.values()),
        "question_count": len(survey.questionnaire.questions),
        "codes": codes,
        "can_change": can_change,
        "can_enter_paper": request.user.has_perm("surveys.enter_paper", survey),
        "can_export": request.user.has_perm("surveys.export", survey),
        "section": "overview",
    }


@login_required
@require_GET
def detail(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = _member_survey(request, slug, survey_id)
    return render(request, "surveys/detail.html", _detail_context(request, survey))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = _coordinator_survey(request, slug, survey_id)
    has_responses = survey.responses.exists()
    # The form works on a copy, so a rejected post does not show as the saved survey.
    form = forms.EditForm(_posted(request), instance=copy.copy(survey),
                          has_responses=has_responses)
    if request.method == "POST":
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in actions.EDITABLE_FIELDS}
            try:
                changes = actions.update_survey(survey=survey, by=request.user, **values)
            except IntegrityError:  # the address taken meanwhile
                form.add_error("slug", forms.SLUG_TAKEN)
            except actions.SurveyHasResponses:
                form.add_error("anonymity", _(
                    "Respondents have already answered on the promise of anonymity; "
                    "that promise cannot be changed. Create a new survey instead."))
            else:
                if changes:
                    messages.success(request, _("The survey has been saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("surveys:detail", slug, survey.pk)
    return render(request, "surveys/edit.html", {
        "partnership": survey.partnership, "survey": survey, "form": form,
        "has_responses": has_responses, "section": "overview",
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = _coordinator_survey(request, slug, survey_id)
    response_count = survey.responses.count()
    form = forms.DeleteForm(_posted(request), response_count=response_count)
    if request.method == "POST" and form.is_valid():
        title = survey.title
        actions.delete_survey(survey=survey, by=request.user)
        messages.success(request, _("The survey “%(title)s” has been deleted.") % {"title": title})
        return redirect("surveys:list", slug)
    return render(request, "surveys/delete.html", {
        "partnership": survey.partnership, "survey": survey, "form": form,
        "response_count": response_count, "section": "overview",
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def xlsform_download(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = _member_survey(request, slug, survey_id)
    return _download(write_xlsform(survey.questionnaire), XLSX, _file_name(survey, ".xlsx"))


@login_required
@require_http_methods(["GET", "POST"])
def xlsform_replace(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = _coordinator_survey(request, slug, survey_id)
    blocked = _("The survey already has responses, so its questions cannot be replaced: "
                "the answers must keep the questions they answered. Create a new survey "
                "instead.")
    partnership = survey.partnership
    if request.method != "POST":
        form = forms.XlsFormReplaceForm()
        return _import_page(request, partnership, form, survey=survey,
                            blocked=blocked if survey.responses.exists() else "")
    form = forms.XlsFormReplaceForm(request.POST, request.FILES)
    if survey.responses.exists():
        return _import_page(request, partnership, form, survey=survey, blocked=blocked,
                            status=409)
    if not form.is_valid():
        return _import_page(request, partnership, form, survey=survey, status=400)
    definition, error = _read_upload(form)
    if error is not None:
        return _import_page(request, partnership, form, survey=survey, status=400, error=error)
    try:
        actions.replace_questions(survey=survey, by=request.user, definition=definition)
    except actions.SurveyHasResponses:
        return _import_page(request, partnership, form, survey=survey, blocked=blocked,
                            status=409)
    messages.success(request, _("The questions have been replaced; the survey now has "
                                "%(count)s questions.") % {"count": len(definition.questions)})
    return redirect("surveys:detail", slug, survey.pk)


@login_required
@require_POST
def publication(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = _coordinator_survey(request, slug, survey_id)
    form = forms.PublicationForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, survey) | {"publication_form": form}
        return render(request, "surveys/detail.html", context, status=400)
    published = form.cleaned_data["published"]
    actions.set_publication(survey=survey, by=request.user, published=published)
    if published:
        messages.success(request, _("The results are now public (small groups stay hidden)."))
    else:
        messages.success(request, _("The results are no longer public."))
    return redirect("surveys:detail", slug, survey.pk)


# --- distribution: QR code, poster, one-time codes ------------------------------------------


@login_required
@require_GET
def qr_svg(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = _member_survey(request, slug, survey_id)
    url = qr.public_url(survey, request)
    title = _("QR code of the survey address %(url)s") % {"url": url}
    return _download(qr.svg(url, title=title), "image/svg+xml", _file_name(survey, "-qr.svg"))


@login_required
@require_GET
def qr_png(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = _member_survey(request, slug, survey_id)
    return _download(qr.png(qr.public_url(survey, request)), "image/png",
                     _file_name(survey, "-qr.png"))


@login_required
@require_GET
def poster(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = _member_survey(request, slug, survey_id)
    pdf = printing.poster_pdf(survey, qr.public_url(survey, request))
    return _download(pdf, "application/pdf", _file_name(survey, "-plakat.pdf"))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def code_batches(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = _coordinator_survey(request, slug, survey_id)
    form = forms.CodeBatchForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        batch = actions.create_code_batch(survey=survey, by=request.user,
                                          label=form.cleaned_data["label"],
                                          count=form.cleaned_data["count"])
        messages.success(request, _("%(count)s codes have been created in the batch "
                                    "“%(label)s”.") % {"count": form.cleaned_data["count"],
                                                       "label": batch.label})
        return redirect("surveys:codes", slug, survey.pk)
    batches = survey.code_batches.annotate(
        total=Count("codes"), used=Count("codes", filter=Q(codes__used_on__isnull=False)),
        unused=Count("codes", filter=Q(codes__used_on__isnull=True)),
    )
    return render(request, "surveys/codes.html", {
        "partnership": survey.partnership, "survey": survey, "form": form,
        "batches": batches, "section": "codes",
    }, status=400 if request.method == "POST" else 200)


def _batch_codes(survey: Survey, batch_id: int) -> tuple[Any, list[str]]:
    batch = get_object_or_404(survey.code_batches, pk=batch_id)
    # Only codes still usable are worth paper.
    codes = list(batch.codes.filter(used_on__isnull=True).values_list("code", flat=True))
    return batch, codes


@never_cache
@login_required
@require_GET
def code_cards(request: HttpRequest, slug: str, survey_id: int, batch_id: int) -> HttpResponse:
    survey = _coordinator_survey(request, slug, survey_id)
    batch, codes = _batch_codes(survey, batch_id)
    return render(request, "surveys/cards.html", {
        "partnership": survey.partnership, "survey": survey, "batch": batch, "codes": codes,
        "used": batch.codes.filter(used_on__isnull=False).count(),
        "public_url": qr.public_url(survey, request), "section": "codes",
    })


@login_required
@require_GET
def code_cards_pdf(request: HttpRequest, slug: str, survey_id: int,
                   batch_id: int) -> HttpResponse:
    survey = _coordinator_survey(request, slug, survey_id)
    batch, codes = _batch_codes(survey, batch_id)
    if not codes:
        messages.info(request, _("Every code of the batch “%(label)s” has been used; there is "
                                 "nothing left to print.") % {"label": batch.label})
        return redirect("surveys:codes", slug, survey.pk)
    pdf = printing.cards_pdf(survey, codes, qr.public_url(survey, request))
    return _download(pdf, "application/pdf", _file_name(survey, f"-kody-{batch.pk}.pdf"),
                     private=True)
