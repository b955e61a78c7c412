"""Workflows that change memberships; each logs itself in the same transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from razem.core.models import (
    AuditLogEntry,
    Invitation,
    Membership,
    Partnership,
    Role,
    User,
)
from razem.territory.models import Unit


def log_action(
    *,
    actor: User | None,
    partnership: Partnership | None,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
) -> AuditLogEntry:
    return AuditLogEntry.objects.create(
        partnership=partnership,
        actor=actor if actor and actor.is_authenticated else None,
        actor_label=actor.email if actor and actor.is_authenticated else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:255],
        changes=changes or {},
    )


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """Changed fields as {field: [before, after]}, the audit log's format."""
    return {key: [old.get(key), value] for key, value in new.items() if old.get(key) != value}


def _unit_code(unit: Unit | None) -> str | None:
    return unit.teryt if unit else None


@transaction.atomic
def invite_member(
    *, partnership: Partnership, by: User, email: str, role: str, unit: Unit | None
) -> Invitation:
    email = email.strip().lower()
    # A fresh invitation replaces any pending one, so only the newest link works.
    partnership.invitations.pending().filter(email=email).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        partnership=partnership, email=email, role=role, unit=unit, invited_by=by
    )
    log_action(
        actor=by, partnership=partnership, action="invitation.created", obj=invitation,
        changes={"email": [None, email], "role": [None, role], "unit": [None, _unit_code(unit)]},
    )
    transaction.on_commit(lambda: send_invitation(invitation))
    return invitation


def send_invitation(invitation: Invitation) -> None:
    context = {
        "invitation": invitation,
        "url": settings.SITE_URL + invitation.get_absolute_url(),
        "role": invitation.get_role_display(),
    }
    send_mail(
        subject=_("Invitation to the partnership %(name)s") % {"name": invitation.partnership.name},
        message=render_to_string("core/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by: User) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    log_action(
        actor=by, partnership=invitation.partnership, action="invitation.revoked",
        obj=invitation, changes={"revoked": [False, True]},
    )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    membership, created = Membership.objects.get_or_create(
        user=user, partnership=invitation.partnership,
        defaults={"role": invitation.role, "unit": invitation.unit},
    )
    if not created:
        # Accepting a new invitation changes the role the coordinator chose.
        old = {"role": membership.role, "unit": _unit_code(membership.unit)}
        membership.role, membership.unit = invitation.role, invitation.unit
        membership.save(update_fields=["role", "unit"])
        changes = diff(old, {"role": membership.role, "unit": _unit_code(membership.unit)})
    else:
        changes = {"role": [None, membership.role], "unit": [None, _unit_code(membership.unit)]}
    log_action(
        actor=user, partnership=invitation.partnership, action="membership.created"
        if created else "membership.changed", obj=membership, changes=changes,
    )
    return membership


class LastCoordinatorError(Exception):
    """A partnership must always keep at least one coordinator."""


def _is_last_coordinator(membership: Membership) -> bool:
    return (
        membership.role == Role.COORDINATOR
        and not membership.partnership.memberships.filter(role=Role.COORDINATOR)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def change_membership(
    *, membership: Membership, by: User, role: str, unit: Unit | None
) -> Membership:
    if role != Role.COORDINATOR and _is_last_coordinator(membership):
        raise LastCoordinatorError
    old = {"role": membership.role, "unit": _unit_code(membership.unit)}
    membership.role, membership.unit = role, unit if role == Role.OFFICER else None
    changes = diff(old, {"role": membership.role, "unit": _unit_code(membership.unit)})
    if changes:
        membership.save(update_fields=["role", "unit"])
        log_action(
            actor=by, partnership=membership.partnership, action="membership.changed",
            obj=membership, changes=changes,
        )
    return membership


@transaction.atomic
def remove_membership(*, membership: Membership, by: User) -> None:
    if _is_last_coordinator(membership):
        raise LastCoordinatorError
    log_action(
        actor=by, partnership=membership.partnership, action="membership.removed",
        obj=membership, changes={"role": [membership.role, None]},
    )
    membership.delete()


def _partnership_state(partnership: Partnership) -> dict[str, Any]:
    return {
        "name": partnership.name,
        "legal_form": partnership.legal_form,
        "description": partnership.description,
        "leader_unit": _unit_code(partnership.leader_unit),
        "units": sorted(partnership.units.values_list("teryt", flat=True)),
    }


@transaction.atomic
def update_partnership(
    *, partnership: Partnership, by: User, name: str, legal_form: str, description: str,
    leader_unit: Unit | None, units: list[Unit],
) -> dict[str, list[Any]]:
    old = _partnership_state(partnership)
    partnership.name, partnership.legal_form = name, legal_form
    partnership.description, partnership.leader_unit = description, leader_unit
    partnership.save()
    partnership.units.set(units)
    changes = diff(old, _partnership_state(partnership))
    if changes:
        log_action(actor=by, partnership=partnership, action="partnership.changed",
                   obj=partnership, changes=changes)
    return changes
