"""Who may do what with drafts and consultations (django-rules).

`consultations.view_list`, `consultations.manage` and `consultations.manage_drafts`
take the Partnership; the others take a Consultation. What the phase allows (commenting
only while open, positions only after the end) is decided in actions.py and the views
from Consultation.phase; these predicates say only who.

Anyone may read an announced consultation (its notice is published) and, once the
positions are published, its report; in preparation it is for members only.
"""

from __future__ import annotations

import rules

from razem.core import rules as core_rules


is_member = core_rules.on_partnership(core_rules.is_member, prefix="consultation")
is_coordinator = core_rules.on_partnership(core_rules.is_coordinator, prefix="consultation")
is_officer = core_rules.on_partnership(core_rules.is_officer, prefix="consultation")
is_contributor = core_rules.on_partnership(core_rules.is_contributor, prefix="consultation")


@rules.predicate
def is_announced(user, consultation) -> bool:
    return consultation is not None and consultation.notice_published_on is not None


@rules.predicate
def positions_published(user, consultation) -> bool:
    return consultation is not None and consultation.positions_published_at is not None


# On the Partnership
rules.add_perm("consultations.view_list", is_member)
rules.add_perm("consultations.manage", is_coordinator)
rules.add_perm("consultations.manage_drafts", is_coordinator | is_officer)
# On a Consultation
rules.add_perm("consultations.view", is_member | is_announced)
rules.add_perm("consultations.view_workspace", is_member)
rules.add_perm("consultations.change", is_coordinator)
rules.add_perm("consultations.enter_comments", is_coordinator | is_officer)
rules.add_perm("consultations.moderate", is_coordinator | is_officer)
# Officers and advisors draft positions; the coordinator publishes them.
rules.add_perm("consultations.decide_positions", is_contributor)
rules.add_perm("consultations.publish_positions", is_coordinator)
# Commenters' e-mail addresses and names are personal data: contributors only.
rules.add_perm("consultations.view_personal_data", is_contributor)
rules.add_perm("consultations.view_report", is_member | positions_published)
