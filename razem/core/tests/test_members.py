"""Invitations, roles and the audit log, as a coordinator uses them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from razem.conftest import client_for
from razem.core.models import AuditLogEntry, Invitation, Membership, User
from razem.territory.models import Unit


def _invite(client, partnership, **data):
    return client.post(reverse("members", args=[partnership.slug]), data)


def test_invitation_emails_a_working_link_that_creates_the_membership(
    partnership_a, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client_for(coordinator), partnership_a,
                           email="Sekretarz@Sarnaki.pl", role="officer",
                           unit=Unit.objects.get(teryt="1410052").pk)
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sekretarz@sarnaki.pl"]
    invitation = Invitation.objects.get(email="sekretarz@sarnaki.pl")
    assert invitation.get_absolute_url() in mail.outbox[0].body

    client = client_for(None)
    response = client.post(invitation.get_absolute_url(), {
        "full_name": "Zofia Sekretarz", "password1": "dluga-fraza-haslowa-42",
        "password2": "dluga-fraza-haslowa-42"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="sekretarz@sarnaki.pl")
    assert (membership.role, membership.unit.teryt) == ("officer", "1410052")
    assert client.get(reverse("partnership_dashboard", args=[partnership_a.slug])).status_code == 200


def test_invitation_link_works_once(partnership_a, coordinator):
    from razem.core.actions import invite_member

    invitation = invite_member(partnership=partnership_a, by=coordinator,
                               email="raz@example.pl", role="observer", unit=None)
    data = {"full_name": "Raz", "password1": "dluga-fraza-haslowa-42",
            "password2": "dluga-fraza-haslowa-42"}
    assert client_for(None).post(invitation.get_absolute_url(), data).status_code == 302
    assert client_for(None).get(invitation.get_absolute_url()).status_code == 410


def test_expired_invitation_is_refused(partnership_a, coordinator):
    from razem.core.actions import invite_member

    invitation = invite_member(partnership=partnership_a, by=coordinator,
                               email="pozno@example.pl", role="observer", unit=None)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    response = client_for(None).get(invitation.get_absolute_url())
    assert response.status_code == 410
    assert "nie jest już ważne" in response.content.decode()


def test_invitation_for_another_address_is_refused_to_a_logged_in_user(
    partnership_a, coordinator, outsider
):
    from razem.core.actions import invite_member

    invitation = invite_member(partnership=partnership_a, by=coordinator,
                               email="ktos@example.pl", role="advisor", unit=None)
    response = client_for(outsider).post(invitation.get_absolute_url())
    assert response.status_code == 403
    assert not partnership_a.memberships.filter(user=outsider).exists()


def test_weak_password_on_signup_is_refused_with_a_polish_message(partnership_a, coordinator):
    from razem.core.actions import invite_member

    invitation = invite_member(partnership=partnership_a, by=coordinator,
                               email="slabe@example.pl", role="observer", unit=None)
    response = client_for(None).post(invitation.get_absolute_url(), {
        "full_name": "Słabe", "password1": "12345", "password2": "12345"})
    assert response.status_code == 400
    assert "Hasło" in response.content.decode() or "hasło" in response.content.decode()
    assert not User.objects.filter(email="slabe@example.pl").exists()


def test_officer_invitation_without_unit_is_refused(partnership_a, coordinator):
    response = _invite(client_for(coordinator), partnership_a,
                       email="bez@example.pl", role="officer")
    assert response.status_code == 400
    assert "Wybierz jednostkę" in response.content.decode()
    assert not Invitation.objects.filter(email="bez@example.pl").exists()


def test_forged_unit_of_another_partnership_is_refused(partnership_a, coordinator):
    wegrow = Unit.objects.get(teryt="1433011")
    response = _invite(client_for(coordinator), partnership_a,
                       email="falsz@example.pl", role="officer", unit=wegrow.pk)
    assert response.status_code == 400
    assert not Invitation.objects.filter(email="falsz@example.pl").exists()


def test_malformed_email_is_refused_in_polish(partnership_a, coordinator):
    response = _invite(client_for(coordinator), partnership_a, email="to nie adres", role="observer")
    assert response.status_code == 400
    assert "adres e-mail" in response.content.decode().lower()


def test_role_change_is_logged_with_changed_fields(partnership_a, coordinator, advisor):
    membership = partnership_a.memberships.get(user=advisor)
    client_for(coordinator).post(
        reverse("membership_change", args=[partnership_a.slug, membership.pk]),
        {f"m{membership.pk}-role": "observer"})
    membership.refresh_from_db()
    assert membership.role == "observer"
    entry = AuditLogEntry.objects.filter(partnership=partnership_a).first()
    assert entry.action == "membership.changed"
    assert entry.actor == coordinator
    assert entry.changes == {"role": ["advisor", "observer"]}
    page = client_for(coordinator).get(reverse("audit_log", args=[partnership_a.slug]))
    assert "membership.changed" in page.content.decode()


def test_last_coordinator_cannot_be_demoted_or_removed(partnership_a, coordinator):
    membership = partnership_a.memberships.get(user=coordinator)
    client = client_for(coordinator)
    client.post(reverse("membership_change", args=[partnership_a.slug, membership.pk]),
                {f"m{membership.pk}-role": "observer"})
    client.post(reverse("membership_remove", args=[partnership_a.slug, membership.pk]))
    membership.refresh_from_db()
    assert membership.role == "coordinator"


def test_revoked_invitation_no_longer_opens(partnership_a, coordinator):
    from razem.core.actions import invite_member

    invitation = invite_member(partnership=partnership_a, by=coordinator,
                               email="wycofane@example.pl", role="observer", unit=None)
    client_for(coordinator).post(
        reverse("invitation_revoke", args=[partnership_a.slug, invitation.pk]))
    assert client_for(None).get(invitation.get_absolute_url()).status_code == 410
    assert AuditLogEntry.objects.filter(action="invitation.revoked").exists()


def test_members_page_query_count_does_not_grow_with_members(
    partnership_a, coordinator, django_assert_max_num_queries
):
    client = client_for(coordinator)
    for n in range(20):
        user = User.objects.create_user(f"czlonek{n}@example.pl", "x" * 12)
        Membership.objects.create(user=user, partnership=partnership_a, role="observer")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("members", args=[partnership_a.slug])).status_code == 200


@pytest.mark.parametrize("wrong", ["", "zle-haslo"])
def test_login_is_throttled_after_repeated_failures(coordinator, wrong, settings):
    client = client_for(None)
    url = reverse("login")
    for _ in range(settings.LOGIN_THROTTLE_ATTEMPTS):
        assert client.post(url, {"username": coordinator.email, "password": wrong}).status_code == 400
    response = client.post(url, {"username": coordinator.email, "password": "razem-demo-2026"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_with_correct_password_reaches_the_dashboard(coordinator):
    client = client_for(None)
    response = client.post(reverse("login"), {"username": "KOORDYNATOR@razem.demo",
                                              "password": "razem-demo-2026"})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_password_reset_sends_a_link(coordinator):
    client_for(None).post(reverse("password_reset"), {"email": coordinator.email})
    assert len(mail.outbox) == 1
    assert "/konto/haslo/reset/" in mail.outbox[0].body


def test_logout_requires_post_and_ends_the_session(coordinator):
    client = client_for(coordinator)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def _settings_post(partnership, **overrides):
    data = {"name": partnership.name, "legal_form": partnership.legal_form,
            "description": "Nowy opis", "leader_unit": partnership.leader_unit_id,
            "unit_codes": "\n".join(partnership.units.values_list("teryt", flat=True))}
    data.update(overrides)
    return data


def test_coordinator_edits_member_units_by_pasting_teryt_codes_and_it_is_logged(
    partnership_a, coordinator
):
    codes = "\n".join(partnership_a.units.exclude(teryt="1429092").values_list("teryt", flat=True))
    response = client_for(coordinator).post(
        reverse("partnership_settings", args=[partnership_a.slug]),
        _settings_post(partnership_a, unit_codes=codes + "\n"))
    assert response.status_code == 302
    assert partnership_a.units.count() == 15
    entry = AuditLogEntry.objects.get(action="partnership.changed")
    assert "1429092" in entry.changes["units"][0] and "1429092" not in entry.changes["units"][1]
    assert entry.changes["description"][1] == "Nowy opis"


@pytest.mark.parametrize("codes,message", [
    ("1410\n9999999", "9999999"),
    ("1410\nabc", "To nie są kody TERYT"),
])
def test_wrong_teryt_codes_are_refused_and_nothing_changes(partnership_a, coordinator, codes, message):
    response = client_for(coordinator).post(
        reverse("partnership_settings", args=[partnership_a.slug]),
        _settings_post(partnership_a, unit_codes=codes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert partnership_a.units.count() == 16
    assert not AuditLogEntry.objects.filter(action="partnership.changed").exists()


def test_leader_outside_the_member_units_is_refused(partnership_a, coordinator):
    response = client_for(coordinator).post(
        reverse("partnership_settings", args=[partnership_a.slug]),
        _settings_post(partnership_a, leader_unit=Unit.objects.get(teryt="1433").pk))
    assert response.status_code == 400
    assert Unit.objects.get(teryt="1410") == type(partnership_a).objects.get(
        pk=partnership_a.pk).leader_unit
