"""Staff pages that run a consultation: setup, the notice, meetings, comments entered by
officers, moderation, positions and their publication, and the workspace that shows it all.

Everything is loaded through razem.consultations.loading (outsider 404, member without the
right 403). The phase decides what is allowed (manage_actions.allowed_steps); a step the
phase refuses is a 409 page that says why, bad input a 400 form with the errors.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from razem.consultations import forms_manage as forms
from razem.consultations import manage_actions as steps
from razem.consultations.actions import CommentInput, ConsultationError
from razem.consultations.loading import load_consultation
from razem.consultations.models import (
    Comment,
    CommentChannel,
    Consultation,
    Phase,
)
from razem.core.models import AuditLogEntry
from razem.core.views import load_partnership
from razem.reports import registry
from razem.reports.models import ReportFormat

COMMENTS_PER_PAGE = 50
REPORT_KIND = "consultation"


def _posted(request: HttpRequest):
    # Not `request.POST or None`: an empty post must still be a bound (and checked) form.
    return request.POST if request.method == "POST" else None


def _load(request: HttpRequest, slug: str, consultation_id: int, perm: str) -> Consultation:
    return load_consultation(request, slug, consultation_id=consultation_id, perm=perm)


def _refused(request: HttpRequest, consultation: Consultation, message: str, *,
             status: int = 409) -> HttpResponse:
    return render(request, "consultations/manage_refused.html", {
        "partnership": consultation.partnership, "consultation": consultation,
        "message": message,
    }, status=status)


def _back(consultation: Consultation) -> HttpResponse:
    return redirect("consultations:manage", consultation.partnership.slug, consultation.pk)


# --- setup -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "consultations.manage")
    form = forms.SetupForm(_posted(request), partnership=partnership,
                           initial=forms.SetupForm.initial_for(partnership))
    if request.method == "POST" and form.is_valid():
        try:
            consultation = steps.create_consultation(partnership=partnership, by=request.user,
                                                     **form.cleaned_data)
        except ConsultationError as error:
            form.add_error(None, str(error))
        except IntegrityError:  # the address taken meanwhile
            form.add_error("slug", forms.SLUG_TAKEN)
        else:
            messages.success(request, _("The consultation has been created. Check the notice, "
                                        "then publish it: the consultation starts that day."))
            return _back(consultation)
    return render(request, "consultations/manage_setup.html", {
        "partnership": partnership, "form": form, "consultation": None,
        "has_versions": form.fields["version"].queryset.exists(),
    }, status=400 if request.method == "POST" else 200)


def _setup_initial(consultation: Consultation) -> dict[str, Any]:
    return {name: getattr(consultation, name) for name in steps.SETUP_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, consultation_id: int) -> HttpResponse:
    consultation = _load(request, slug, consultation_id, "consultations.change")
    allowed = steps.allowed_steps(consultation)
    if steps.EXTEND in allowed:
        return _extend(request, consultation)
    if steps.EDIT not in allowed:
        return _refused(request, consultation, _(
            "The notice is published and the consultation has ended: its setup and dates "
            "can no longer change."))
    form = forms.SetupForm(_posted(request), partnership=consultation.partnership,
                           consultation=consultation, initial=_setup_initial(consultation))
    if request.method == "POST" and form.is_valid():
        try:
            changes = steps.update_consultation(consultation=consultation, by=request.user,
                                                **form.cleaned_data)
        except ConsultationError as error:
            return _refused(request, consultation, str(error))
        except IntegrityError:
            form.add_error("slug", forms.SLUG_TAKEN)
        else:
            if changes:
                messages.success(request, _("The consultation has been saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return _back(consultation)
    return render(request, "consultations/manage_setup.html", {
        "partnership": consultation.partnership, "form": form, "consultation": consultation,
        "has_versions": True,
    }, status=400 if request.method == "POST" else 200)


def _extend(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    """Once the notice is out only the end may move, and only later."""
    form = forms.ExtendForm(_posted(request), initial={"ends_on": consultation.ends_on})
    if request.method == "POST" and form.is_valid():
        try:
            steps.extend_end(consultation=consultation, by=request.user,
                             ends_on=form.cleaned_data["ends_on"])
        except ConsultationError as error:
            form.add_error("ends_on", str(error))
        else:
            messages.success(request, _("The consultation now ends on %(date)s. Announce the "
                                        "change where the notice was published.")
                             % {"date": form.cleaned_data["ends_on"].strftime("%d.%m.%Y")})
            return _back(consultation)
    return render(request, "consultations/manage_extend.html", {
        "partnership": consultation.partnership, "consultation": consultation, "form": form,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def publish_notice(request: HttpRequest, slug: str, consultation_id: int) -> HttpResponse:
    consultation = _load(request, slug, consultation_id, "consultations.change")
    try:
        consultation = steps.publish_notice(consultation=consultation, by=request.user)
    except ConsultationError as error:
        return _refused(request, consultation, str(error))
    messages.success(request, _("The notice is published: comments are accepted until "
                                "%(date)s.") % {"date": consultation.ends_on.strftime("%d.%m.%Y")})
    return _back(consultation)


# --- meetings --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest, slug: str, consultation_id: int) -> HttpResponse:
    consultation = _load(request, slug, consultation_id, "consultations.enter_comments")
    adding = request.method == "POST" and request.POST.get("action") != "minutes"
    add_form = forms.MeetingForm(request.POST if adding else None)
    minutes_form, minutes_for, status = None, None, 200
    if request.method == "POST" and request.POST.get("action") == "minutes":
        minutes_for = get_object_or_404(consultation.meetings,
                                        pk=_int(request.POST.get("meeting")) or 0)
        minutes_form = _minutes_form(minutes_for, request.POST)
        if minutes_form.is_valid():
            try:
                steps.record_minutes(meeting=minutes_for, by=request.user,
                                     minutes=minutes_form.cleaned_data["minutes"])
            except ConsultationError as error:
                return _refused(request, consultation, str(error))
            messages.success(request, _("The minutes have been saved."))
            return redirect("consultations:meetings", slug, consultation.pk)
        status = 400
    elif request.method == "POST":
        if add_form.is_valid():
            try:
                steps.add_meeting(consultation=consultation, by=request.user,
                                  **add_form.cleaned_data)
            except ConsultationError as error:
                add_form.add_error(None, str(error))
            else:
                messages.success(request, _("The meeting has been added; it appears in the "
                                            "notice."))
                return redirect("consultations:meetings", slug, consultation.pk)
        status = 400
    now = timezone.now()
    rows = [(meeting, meeting.starts_at <= now,
             minutes_form if minutes_for and minutes_for.pk == meeting.pk
             else _minutes_form(meeting))
            for meeting in consultation.meetings.all()]
    return render(request, "consultations/manage_meetings.html", {
        "partnership": consultation.partnership, "consultation": consultation,
        "rows": rows, "add_form": add_form,
        "can_add": steps.ADD_MEETING in steps.allowed_steps(consultation),
        "can_minute": consultation.phase != Phase.CONCLUDED,
    }, status=status)


def _minutes_form(meeting, data=None) -> forms.MinutesForm:
    # One form per meeting on the page: distinct ids keep each label tied to its field.
    return forms.MinutesForm(data, initial={"minutes": meeting.minutes},
                             auto_id=f"id_meeting{meeting.pk}_%s")


def _int(value: str | None) -> int | None:
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 10 else None


# --- comments entered by staff ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def enter_comment(request: HttpRequest, slug: str, consultation_id: int) -> HttpResponse:
    consultation = _load(request, slug, consultation_id, "consultations.enter_comments")
    if steps.ENTER_COMMENTS not in steps.allowed_steps(consultation):
        return _refused(request, consultation, _(
            "Comments can be entered from the day the notice is published until the "
            "positions are published."))
    form = forms.StaffCommentForm(_posted(request), consultation=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            comment = _enter(request, consultation, form)
        except ConsultationError as error:
            form.add_error(None, str(error))
        else:
            number = steps.comment_number(comment)
            if comment.is_late:
                messages.warning(request, _(
                    "Comment no. %(number)s has been saved, flagged as late: it was received "
                    "after the end (%(date)s), so it is kept but not considered.")
                    % {"number": number, "date": consultation.ends_on.strftime("%d.%m.%Y")})
            else:
                messages.success(request, _("Comment no. %(number)s has been saved.")
                                 % {"number": number})
            if request.POST.get("next") == "another":
                return redirect("consultations:enter_comment", slug, consultation.pk)
            return redirect("consultations:comment_detail", slug, consultation.pk, comment.pk)
    return render(request, "consultations/manage_enter_comment.html", {
        "partnership": consultation.partnership, "consultation": consultation, "form": form,
        "is_after_end": consultation.phase == Phase.REVIEW,
    }, status=400 if request.method == "POST" else 200)


def _enter(request: HttpRequest, consultation: Consultation,
           form: forms.StaffCommentForm) -> Comment:
    data = form.cleaned_data
    return steps.enter_comment(
        consultation=consultation, by=request.user,
        data=CommentInput(justification=data["justification"], author_name=data["author_name"],
                          category=data["category"], consent=data["consent"],
                          current_wording=data["current_wording"],
                          proposed_wording=data["proposed_wording"],
                          organisation=data["organisation"], email=data["email"]),
        channel=data["channel"], received_on=data["received_on"], **form.anchors(),
    )


# --- the workspace ---------------------------------------------------------------------------


def _counts(consultation: Consultation) -> dict[str, Any]:
    considered = Q(hidden_at__isnull=True, is_late=False)
    counts = consultation.comments.aggregate(
        total=Count("id"),
        considered=Count("id", filter=considered),
        late=Count("id", filter=Q(is_late=True)),
        hidden=Count("id", filter=Q(hidden_at__isnull=False)),
        with_position=Count("id", filter=considered & Q(position__isnull=False)),
    )
    counts["without_position"] = counts["considered"] - counts["with_position"]
    by_channel = dict(consultation.comments.order_by().values_list("channel")
                      .annotate(n=Count("id")).values_list("channel", "n"))
    counts["by_channel"] = [(label, by_channel.get(value, 0))
                            for value, label in CommentChannel.choices]
    return counts


def _deadline(consultation: Consultation, today) -> dict[str, Any]:
    due = consultation.report_due_on
    return {"due_on": due, "days_left": (due - today).days,
            "days_overdue": (today - due).days}


@login_required
@require_GET
def workspace(request: HttpRequest, slug: str, consultation_id: int) -> HttpResponse:
    consultation = _load(request, slug, consultation_id, "consultations.view_workspace")
    today = timezone.localdate()
    user = request.user
    filters = forms.CommentFilterForm(request.GET, consultation=consultation)
    comments = (consultation.comments.filter(**filters.filters())
                .select_related("position", "chapter", "paragraph")
                .defer("current_wording", "proposed_wording"))
    page = Paginator(comments, COMMENTS_PER_PAGE).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    phase = consultation.phase_on(today)
    report_kind = registry.get(REPORT_KIND)
    numbers = steps.comment_numbers(consultation)
    return render(request, "consultations/manage_workspace.html", {
        "partnership": consultation.partnership,
        "consultation": consultation,
        "phase": phase,
        "phase_label": Phase(phase).label,
        "allowed": steps.allowed_steps(consultation, today),
        "today": today,
        "deadline": _deadline(consultation, today),
        "notice_problems": (steps.notice_problems(consultation, today)
                            if phase == Phase.PREPARATION else []),
        "earliest_end": Consultation.earliest_end(today),
        "counts": _counts(consultation),
        "missing_positions": steps.missing_positions(consultation)
        if phase == Phase.REVIEW else 0,
        "meeting_count": consultation.meetings.count(),
        "filters": filters,
        "filtered": bool(filters.filters()),
        "page": page,
        "rows": [(numbers.get(comment.pk), comment) for comment in page.object_list],
        "ends_in": (consultation.ends_on - today).days,
        "query": query.urlencode(),
        "can_change": user.has_perm("consultations.change", consultation),
        "can_enter": user.has_perm("consultations.enter_comments", consultation),
        "can_publish": user.has_perm("consultations.publish_positions", consultation),
        "can_manage_drafts": user.has_perm("consultations.manage_drafts",
                                           consultation.partnership),
        "report_formats": ReportFormat.choices if report_kind else [],
        "report_kind": REPORT_KIND,
    })


# --- one comment: its history, the position, moderation --------------------------------------


def _comment(consultation: Consultation, comment_id: int) -> Comment:
    return get_object_or_404(
        consultation.comments.select_related("position", "chapter", "paragraph", "entered_by",
                                             "hidden_by"),
        pk=comment_id)


def _history(comment: Comment):
    return (AuditLogEntry.objects
            .filter(partnership=comment.consultation.partnership_id,
                    object_type=Comment._meta.label_lower, object_id=str(comment.pk))
            .select_related("actor").order_by("created_at", "id"))


def _position_form(comment: Comment, data=None) -> forms.PositionForm:
    position = getattr(comment, "position", None)
    initial = ({"outcome": position.outcome, "justification": position.justification,
                "next_paragraph": position.next_paragraph_id} if position else {})
    return forms.PositionForm(data, initial=initial,
                              paragraphs=steps.later_paragraphs(comment.consultation))


def _detail(request: HttpRequest, comment: Comment, *, position_form=None, hide_form=None,
            status: int = 200) -> HttpResponse:
    consultation = comment.consultation
    user = request.user
    return render(request, "consultations/manage_comment.html", {
        "partnership": consultation.partnership,
        "consultation": consultation,
        "comment": comment,
        "number": steps.comment_number(comment),
        "position": getattr(comment, "position", None),
        "history": _history(comment),
        "show_personal": user.has_perm("consultations.view_personal_data", consultation),
        "can_decide": user.has_perm("consultations.decide_positions", consultation),
        "can_moderate": (user.has_perm("consultations.moderate", consultation)
                         and steps.MODERATE in steps.allowed_steps(consultation)),
        "position_refusal": steps.position_refusal(comment),
        "position_form": position_form or _position_form(comment),
        "hide_form": hide_form or forms.HideForm(),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def comment_detail(request: HttpRequest, slug: str, consultation_id: int,
                   comment_id: int) -> HttpResponse:
    perm = ("consultations.decide_positions" if request.method == "POST"
            else "consultations.view_workspace")
    consultation = _load(request, slug, consultation_id, perm)
    comment = _comment(consultation, comment_id)
    if request.method != "POST":
        return _detail(request, comment)
    refusal = steps.position_refusal(comment)
    if refusal:
        return _refused(request, consultation, refusal)
    form = _position_form(comment, request.POST)
    if not form.is_valid():
        return _detail(request, comment, position_form=form, status=400)
    try:
        steps.set_position(comment=comment, by=request.user, **form.cleaned_data)
    except ConsultationError as error:
        return _refused(request, consultation, str(error))
    messages.success(request, _("The position on comment no. %(number)s has been saved.")
                     % {"number": steps.comment_number(comment)})
    return _back(consultation)


@login_required
@require_POST
def hide_comment(request: HttpRequest, slug: str, consultation_id: int,
                 comment_id: int) -> HttpResponse:
    consultation = _load(request, slug, consultation_id, "consultations.moderate")
    comment = _comment(consultation, comment_id)
    try:
        if request.POST.get("action") == "unhide":
            steps.unhide_comment(comment=comment, by=request.user)
            messages.success(request, _("The comment is visible again."))
        else:
            form = forms.HideForm(request.POST)
            if not form.is_valid():
                return _detail(request, comment, hide_form=form, status=400)
            steps.hide_comment(comment=comment, by=request.user,
                               reason=form.cleaned_data["reason"])
            messages.success(request, _("The comment is hidden; the reason is kept in the "
                                        "audit log."))
    except ConsultationError as error:
        return _refused(request, consultation, str(error))
    return redirect("consultations:comment_detail", slug, consultation.pk, comment.pk)


@login_required
@require_POST
def publish_positions(request: HttpRequest, slug: str, consultation_id: int) -> HttpResponse:
    consultation = _load(request, slug, consultation_id, "consultations.publish_positions")
    try:
        recipients = steps.publish_positions(consultation=consultation, by=request.user)
    except ConsultationError as error:
        return _refused(request, consultation, str(error))
    messages.success(request, _("The positions are published. %(count)s commenters who left "
                                "an e-mail address are being notified.") % {"count": recipients})
    return _back(consultation)
