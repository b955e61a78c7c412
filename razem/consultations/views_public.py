"""The public pages of consultations: the list, the notice, the draft with its comments,
the comment form and its thank-you page.

Anyone may read an announced consultation; members see those in preparation too
(rules.py). Every bad input comes back as the same form with what was typed, a message
and a 4xx status (400 invalid, 409 not open, 429 too many posts); nothing is half-saved.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from razem.consultations import presenters
from razem.consultations.actions import ConsultationError, submit_comment
from razem.consultations.forms_public import CommentForm
from razem.consultations.loading import load_consultation
from razem.consultations.models import (
    Chapter,
    Comment,
    CommentChannel,
    Consultation,
    ConsultedGroup,
    Paragraph,
    Phase,
)
from razem.core import pagecache, ratelimit
from razem.core.views import load_partnership

logger = logging.getLogger(__name__)

THANKS_SALT = "consultations.thanks"
MAX_ANCHOR = Paragraph._meta.get_field("anchor").max_length
# The thank-you address is kept for a day; after that the page thanks without a number.
THANKS_MAX_AGE = 24 * 3600


def _date(day) -> str:
    return formats.date_format(day, "j E Y")


@require_GET
def consultation_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug)
    member = request.user.has_perm("core.view_partnership_internal", partnership)
    consultations = partnership.consultations.select_related("version__draft").annotate(
        comment_count=Count("comments", filter=Q(comments__hidden_at__isnull=True)))
    if not member:
        consultations = consultations.announced()
    today = timezone.localdate()
    rows = [{"consultation": c, "phase": c.phase_on(today),
             "phase_label": Phase(c.phase_on(today)).label}
            for c in consultations.order_by("-notice_published_on", "-created_at", "-id")]
    return render(request, "consultations/public_list.html", {
        "partnership": partnership, "rows": rows, "member": member,
        "can_manage": request.user.has_perm("consultations.manage", partnership),
        "can_draft": request.user.has_perm("consultations.manage_drafts", partnership),
    })


@require_GET
def notice(request: HttpRequest, slug: str, consultation: str) -> HttpResponse:
    consultation_obj = load_consultation(request, slug, consultation_slug=consultation)
    groups = [str(ConsultedGroup(g).label) for g in consultation_obj.groups
              if g in ConsultedGroup.values]
    channels = [str(CommentChannel(c).label) for c in consultation_obj.channels
                if c in CommentChannel.values]
    return render(request, "consultations/public_notice.html", {
        "consultation": consultation_obj, "partnership": consultation_obj.partnership,
        "phase": consultation_obj.phase, "groups": groups, "channels": channels,
        "meetings": consultation_obj.meetings.order_by("starts_at", "id"),
        "draft_url": request.build_absolute_uri(consultation_obj.get_absolute_url()),
        "comment_count": consultation_obj.comments.visible().count(),
    })


@require_GET
def draft(request: HttpRequest, slug: str, consultation: str) -> HttpResponse:
    consultation_obj = load_consultation(request, slug, consultation_slug=consultation)
    member = request.user.has_perm("consultations.view_workspace", consultation_obj)
    # The page follows the data (updated_at; the partnership's name is in the page too)
    # and the calendar (the phase).
    version = (f"consultation:{consultation_obj.pk}:{consultation_obj.updated_at.timestamp()}:"
               f"{consultation_obj.partnership.updated_at.timestamp()}:"
               f"{timezone.localdate().isoformat()}")
    return pagecache.serve(request, version,
                           lambda: _render_draft(request, consultation_obj, member))


def _render_draft(request: HttpRequest, consultation: Consultation,
                  member: bool) -> HttpResponse:
    return render(request, "consultations/public_draft.html", {
        "consultation": consultation, "partnership": consultation.partnership,
        "phase": consultation.phase, "member": member,
        "body": presenters.draft_body(consultation, member=member),
    })


# -- the comment form --

def _target(request: HttpRequest, consultation: Consultation
            ) -> tuple[Paragraph | None, Chapter | None] | None:
    """The paragraph or chapter named by ?akapit= / ?rozdzial=, (None, None) for the whole
    document, None when the consulted version has no such part."""
    paragraph_anchor = request.GET.get("akapit", "").strip()
    chapter_anchor = request.GET.get("rozdzial", "").strip()
    if len(paragraph_anchor) > MAX_ANCHOR or len(chapter_anchor) > MAX_ANCHOR:
        return None
    if paragraph_anchor:
        paragraph = (Paragraph.objects.select_related("chapter")
                     .filter(version=consultation.version_id, anchor=paragraph_anchor)
                     .first())
        return (paragraph, paragraph.chapter) if paragraph else None
    if chapter_anchor:
        chapter = Chapter.objects.filter(version=consultation.version_id,
                                         anchor=chapter_anchor).first()
        return (None, chapter) if chapter else None
    return None, None


def _comment_page(request: HttpRequest, consultation: Consultation, form: CommentForm, *,
                  paragraph: Paragraph | None, chapter: Chapter | None, phase: str,
                  error: str = "", status: int = 200) -> HttpResponse:
    return render(request, "consultations/public_comment.html", {
        "consultation": consultation, "partnership": consultation.partnership,
        "form": form, "paragraph": paragraph, "chapter": chapter, "phase": phase,
        "accepting": phase == Phase.OPEN, "error": error,
        "error_fields": _error_summary(form),
    }, status=status)


def _error_summary(form: CommentForm) -> list[tuple[str, str, str]]:
    """(field id, short name, message) of each field in error, for the summary's links."""
    if not form.is_bound:
        return []
    names = {"consent": _("Consent to the information clause")}
    return [(field.auto_id, names.get(field.name, field.label), " ".join(field.errors))
            for field in form if field.errors]


def _not_open_message(consultation: Consultation, phase: str) -> str:
    if phase == Phase.PREPARATION:
        return _("This consultation has not started yet: comments cannot be sent.")
    return _("The consultation ended on %(date)s; comments can no longer be sent through "
             "this form. Your text is kept below so that you can copy it.") % {
        "date": _date(consultation.ends_on)}


@require_http_methods(["GET", "POST"])
def comment(request: HttpRequest, slug: str, consultation: str) -> HttpResponse:
    consultation_obj = load_consultation(request, slug, consultation_slug=consultation)
    target = _target(request, consultation_obj)
    phase = consultation_obj.phase
    if target is None:
        if request.method != "POST":
            raise Http404
        form = CommentForm(request.POST)
        return _comment_page(request, consultation_obj, form, paragraph=None, chapter=None,
                             phase=phase, status=400,
                             error=_("The consulted draft has no such part. Go back to the "
                                     "draft and choose the paragraph again."))
    paragraph, chapter = target
    context = {"paragraph": paragraph, "chapter": chapter, "phase": phase}
    if request.method != "POST":
        return _comment_page(request, consultation_obj,
                             CommentForm(quoted=paragraph is not None), **context)
    form = CommentForm(request.POST, quoted=paragraph is not None)
    if not ratelimit.allow(request, f"consultation:{consultation_obj.pk}",
                           settings.RAZEM_COMMENT_RATE_LIMIT):
        return _comment_page(request, consultation_obj, form, status=429, **context, error=_(
            "Too many comments have been sent from this connection in a short time. Wait a "
            "few minutes and send the form again; your text is kept below."))
    if phase != Phase.OPEN:
        return _comment_page(request, consultation_obj, form, status=409, **context,
                             error=_not_open_message(consultation_obj, phase))
    if not form.is_valid():
        return _comment_page(request, consultation_obj, form, status=400, **context)
    try:
        saved = submit_comment(
            consultation=consultation_obj, data=form.comment_input(),
            paragraph_anchor=paragraph.anchor if paragraph else None,
            chapter_anchor=chapter.anchor if chapter and not paragraph else None,
        )
    except ConsultationError as refusal:
        # The phase may have ended between loading the page and saving.
        status = 400 if consultation_obj.phase == Phase.OPEN else 409
        return _comment_page(request, consultation_obj, form, status=status, **context,
                             error=str(refusal))
    number = Comment.objects.filter(consultation=consultation_obj, id__lte=saved.id).count()
    if saved.email:
        transaction.on_commit(lambda: _send_confirmation(request, consultation_obj, saved,
                                                         number))
    token = signing.dumps([consultation_obj.pk, number], salt=THANKS_SALT)
    thanks_url = reverse("consultations:thanks", args=[slug, consultation_obj.slug])
    return HttpResponseRedirect(f"{thanks_url}?nr={token}", status=303)


def _send_confirmation(request: HttpRequest, consultation: Consultation, saved: Comment,
                       number: int) -> None:
    subject = _("Your comment no. %(number)s in the consultation “%(title)s”") % {
        "number": number, "title": consultation.title}
    body = _(
        "Thank you for your comment in the consultation “%(title)s” run by %(partnership)s.\n\n"
        "Your comment has been registered as comment no. %(number)s.\n"
        "The consulted draft and all comments: %(url)s\n"
        "Comments are accepted until %(end)s. The partnership will take a position on every "
        "comment and publish a report on the consultation; if you gave this address, we will "
        "let you know when the positions are published.\n\n"
        "This message was sent automatically; please do not reply to it."
    ) % {"title": consultation.title, "partnership": consultation.partnership.name,
         "number": number, "end": _date(consultation.ends_on),
         "url": request.build_absolute_uri(consultation.get_absolute_url())}
    try:
        send_mail(subject, body, None, [saved.email])
    except Exception:  # the comment is saved; a mail server's failure must not undo that
        logger.exception("confirmation of comment %s not sent", saved.pk)


@require_GET
def thanks(request: HttpRequest, slug: str, consultation: str) -> HttpResponse:
    consultation_obj = load_consultation(request, slug, consultation_slug=consultation)
    number = None
    try:
        pk, number = signing.loads(request.GET.get("nr", ""), salt=THANKS_SALT,
                                   max_age=THANKS_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        pass
    else:
        if pk != consultation_obj.pk:
            number = None
    return render(request, "consultations/public_thanks.html", {
        "consultation": consultation_obj, "partnership": consultation_obj.partnership,
        "number": number, "phase": consultation_obj.phase,
    })
