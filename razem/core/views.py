from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from razem.consultations.manage_actions import running_deadlines
from razem.core import actions, pagecache, throttle
from razem.core.forms import InvitationForm, PartnershipForm, RoleForm, SignupForm
from razem.core.models import Invitation, Partnership, User
from razem.territory import maps


def load_partnership(request: HttpRequest, slug: str, perm: str | None = None) -> Partnership:
    """The one scoped loader: outsiders get 404, members without the right get 403."""
    partnership = get_object_or_404(Partnership, slug=slug)
    if perm is None:
        return partnership
    if not request.user.has_perm("core.view_partnership_internal", partnership):
        raise Http404
    if not request.user.has_perm(perm, partnership):
        raise PermissionDenied
    return partnership


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("OK", content_type="text/plain")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    partnerships = Partnership.objects.all()
    return render(request, "core/home.html", {"partnerships": partnerships})


@require_GET
def partnership(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug)
    version = f"{partnership.pk}:{partnership.updated_at.timestamp()}"
    return pagecache.serve(request, version, lambda: _render_partnership(request, partnership))


def _render_partnership(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    slug = partnership.slug
    units = partnership.units.select_related("parent").order_by("kind", "name")
    language = get_language()
    # Lazy: the template's fragment cache usually holds the result, so these run
    # only when the partnership changed.
    return render(request, "core/partnership.html", {
        "partnership": partnership,
        "units": units,
        # Publication touches the partnership, so the cached page follows it.
        "portrait_visible": request.user.has_perm("portrait.view", partnership),
        # Publishing the strategy touches the partnership too.
        "strategy_visible": request.user.has_perm("strategy.view", partnership),
        "map": SimpleLazyObject(lambda: maps.cached_map(partnership, language)),
        # Templates call callables, so the spec is built only on a cache miss.
        "map_spec": lambda: maps.map_spec(
            reverse("partnership_map", args=[slug]),
            _("Map of the member gminas of %(name)s and their neighbours")
            % {"name": partnership.name},
        ),
    })


@require_GET
def partnership_map(request: HttpRequest, slug: str) -> JsonResponse:
    partnership = load_partnership(request, slug)
    data = maps.cached_map(partnership, get_language())
    response = JsonResponse(data["geojson"])
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """Set the interface language and go back.

    A plain link rather than Django's POST-only form: public pages then carry
    no CSRF token and can be cached whole; the only state changed is a preference.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()},
                                           require_https=request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("partnership", "unit")
    return render(request, "core/dashboard.html", {"memberships": memberships})


@login_required
@require_GET
def partnership_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "core.view_partnership_internal")
    return render(request, "core/partnership_dashboard.html", {
        "partnership": partnership,
        "membership": request.user.membership_in(partnership),
        "member_count": partnership.memberships.count(),
        "pending_invitations": partnership.invitations.pending().count(),
        "units": partnership.units.order_by("kind", "name"),
        "consultation_deadlines": running_deadlines(partnership),
    })


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "core.manage_members")
    form = InvitationForm(request.POST or None, partnership=partnership)
    if request.method == "POST":
        if form.is_valid():
            actions.invite_member(
                partnership=partnership, by=request.user, email=form.cleaned_data["email"],
                role=form.cleaned_data["role"], unit=form.cleaned_data["unit"],
            )
            messages.success(request, _("The invitation has been sent to %(email)s.")
                             % {"email": form.cleaned_data["email"]})
            return redirect("members", slug)
    status = 400 if request.method == "POST" else 200
    memberships = partnership.memberships.select_related("user", "unit")
    unit_choices = list(form.fields["unit"].choices)
    return render(request, "core/members.html", {
        "partnership": partnership,
        "form": form,
        "memberships": [
            (m, RoleForm(initial={"role": m.role, "unit": m.unit_id}, partnership=partnership,
                         prefix=f"m{m.pk}", unit_choices=unit_choices))
            for m in memberships
        ],
        "invitations": partnership.invitations.pending().select_related("unit"),
    }, status=status)


@login_required
@require_POST
def membership_change(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    partnership = load_partnership(request, slug, "core.manage_members")
    membership = get_object_or_404(partnership.memberships, pk=membership_id)
    form = RoleForm(request.POST, partnership=partnership, prefix=f"m{membership.pk}")
    if not form.is_valid():
        errors = "; ".join(e for errs in form.errors.values() for e in errs)
        messages.error(request, _("The role was not changed: %(errors)s") % {"errors": errors})
        return redirect("members", slug)
    try:
        actions.change_membership(membership=membership, by=request.user,
                                  role=form.cleaned_data["role"], unit=form.cleaned_data["unit"])
    except actions.LastCoordinatorError:
        messages.error(request, _("The partnership must keep at least one coordinator."))
    else:
        messages.success(request, _("The role of %(user)s has been saved.")
                         % {"user": membership.user})
    return redirect("members", slug)


@login_required
@require_POST
def membership_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    partnership = load_partnership(request, slug, "core.manage_members")
    membership = get_object_or_404(partnership.memberships, pk=membership_id)
    try:
        actions.remove_membership(membership=membership, by=request.user)
    except actions.LastCoordinatorError:
        messages.error(request, _("The partnership must keep at least one coordinator."))
    else:
        messages.success(request, _("%(user)s is no longer a member.") % {"user": membership.user})
    return redirect("members", slug)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    partnership = load_partnership(request, slug, "core.manage_members")
    invitation = get_object_or_404(partnership.invitations.pending(), pk=invitation_id)
    actions.revoke_invitation(invitation=invitation, by=request.user)
    messages.success(request, _("The invitation for %(email)s has been withdrawn.")
                     % {"email": invitation.email})
    return redirect("members", slug)


@login_required
def partnership_settings(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "core.change_partnership")
    form = PartnershipForm(request.POST or None, instance=partnership)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            actions.update_partnership(
                partnership=Partnership.objects.get(pk=partnership.pk), by=request.user,
                name=data["name"], legal_form=data["legal_form"],
                description=data["description"], leader_unit=data["leader_unit"],
                units=data["unit_codes"],
            )
            messages.success(request, _("The partnership's details have been saved."))
            return redirect("partnership_dashboard", slug)
    return render(request, "core/partnership_settings.html",
                  {"partnership": partnership, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "core.view_audit_log")
    entries = partnership.audit_log.select_related("actor")[:500]
    return render(request, "core/audit_log.html", {"partnership": partnership, "entries": entries})


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("partnership"), token=token)
    if not invitation.is_pending:
        return render(request, "core/invitation_invalid.html", {"invitation": invitation},
                      status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    user = request.user
    if user.is_authenticated and user.email.lower() != invitation.email:
        return render(request, "core/invitation_wrong_user.html", {"invitation": invitation},
                      status=403)
    if existing and not user.is_authenticated:
        messages.info(request, _("Log in as %(email)s to accept the invitation.")
                      % {"email": invitation.email})
        return redirect(f"{reverse('login')}?next={invitation.get_absolute_url()}")
    form = SignupForm(request.POST or None) if not existing else None
    if request.method == "POST":
        if form is not None and not form.is_valid():
            return render(request, "core/accept_invitation.html",
                          {"invitation": invitation, "form": form}, status=400)
        if form is not None:
            user = User.objects.create_user(invitation.email, form.cleaned_data["password1"],
                                            full_name=form.cleaned_data["full_name"])
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        actions.accept_invitation(invitation=invitation, user=user)
        messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.partnership})
        return redirect("partnership_dashboard", invitation.partnership.slug)
    return render(request, "core/accept_invitation.html", {"invitation": invitation, "form": form})


class ThrottledLoginView(LoginView):
    """Django's login with a limit on failed attempts per address and per client."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        keys = throttle.keys_for(request.POST.get("username", ""),
                                 request.META.get("REMOTE_ADDR", ""))
        if throttle.is_throttled(keys):
            # An unbound form: validating would try the password once more.
            form = self.get_form_class()(request)
            return self.render_to_response(
                self.get_context_data(form=form, throttled=True), status=429
            )
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            throttle.clear(keys[:1])
        else:
            throttle.record_failure(keys)
        return response

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
