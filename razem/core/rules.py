"""Permission predicates for partnerships (django-rules).

Views and templates ask `user.has_perm("core.<name>", partnership)`; the role
logic lives only here.
"""

from __future__ import annotations

import rules

from razem.core.models import Partnership, Role


def _role(user, partnership: Partnership) -> str | None:
    if not getattr(user, "is_authenticated", False) or partnership is None:
        return None
    membership = user.membership_in(partnership)
    return membership.role if membership else None


@rules.predicate
def is_member(user, partnership: Partnership) -> bool:
    return _role(user, partnership) is not None


@rules.predicate
def is_coordinator(user, partnership: Partnership) -> bool:
    return _role(user, partnership) == Role.COORDINATOR


@rules.predicate
def is_officer(user, partnership: Partnership) -> bool:
    return _role(user, partnership) == Role.OFFICER


@rules.predicate
def is_advisor(user, partnership: Partnership) -> bool:
    return _role(user, partnership) == Role.ADVISOR


@rules.predicate
def is_observer(user, partnership: Partnership) -> bool:
    return _role(user, partnership) == Role.OBSERVER


def on_partnership(predicate, *, prefix: str, owner=None):
    """`predicate` (on a Partnership) as a predicate on an object of the partnership:
    a Survey, a Consultation, a ProjectCard... `owner(obj)` finds the partnership; by
    default `obj.partnership`, or `obj` itself when it is the partnership."""
    find = owner or (lambda obj: getattr(obj, "partnership", obj))

    @rules.predicate(name=f"{prefix}_{predicate.name}")
    def check(user, obj) -> bool:
        return obj is not None and predicate.test(user, find(obj))

    return check


# Contributors change the partnership's content; observers only read it.
is_contributor = is_coordinator | is_officer | is_advisor

rules.add_perm("core.view_partnership_internal", is_member)
rules.add_perm("core.manage_members", is_coordinator)
rules.add_perm("core.view_audit_log", is_coordinator)
rules.add_perm("core.change_partnership", is_coordinator)
rules.add_perm("core.contribute", is_contributor)
