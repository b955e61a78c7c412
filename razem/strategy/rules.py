"""Who may do what with the strategy, its projects, ranking and opinions (django-rules).

Permissions on the Partnership unless noted. The strategy and everything under it are
the members' working material until the coordinator publishes the strategy; then anyone
may read it (pages and API), except opinions, which each need their own publication.
"""

from __future__ import annotations

import rules

from razem.core import rules as core_rules


def _partnership(obj):
    # A Strategy, ProjectCard, OpinionRequest... all reach the partnership.
    for path in ("partnership", "strategy.partnership", "project.partnership"):
        target = obj
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        return target
    return obj

def _on_partnership(predicate):
    return core_rules.on_partnership(predicate, prefix="strategy", owner=_partnership)


is_member = _on_partnership(core_rules.is_member)
is_coordinator = _on_partnership(core_rules.is_coordinator)
is_officer = _on_partnership(core_rules.is_officer)
is_advisor = _on_partnership(core_rules.is_advisor)
is_contributor = _on_partnership(core_rules.is_contributor)


@rules.predicate
def strategy_published(user, obj) -> bool:
    partnership = _partnership(obj)
    strategy = getattr(partnership, "strategy", None) if partnership is not None else None
    return bool(strategy is not None and strategy.published_at is not None)


@rules.predicate
def is_requested_advisor(user, opinion_request) -> bool:
    return (opinion_request is not None and getattr(user, "is_authenticated", False)
            and opinion_request.advisor_id == user.pk
            and core_rules.is_advisor.test(user, _partnership(opinion_request)))


# Reading: members always, everyone once published.
rules.add_perm("strategy.view", is_member | strategy_published)
rules.add_perm("strategy.view_internal", is_member)
# Writing the strategy (text, goals, results, areas, criteria and weights): the coordinator.
rules.add_perm("strategy.change", is_coordinator)
rules.add_perm("strategy.publish", is_coordinator)
# Project cards are proposed and kept up to date by the units' officers too.
rules.add_perm("strategy.edit_projects", is_coordinator | is_officer)
# Scoring: officers for their own unit (checked in the view), the coordinator for any.
rules.add_perm("strategy.score", is_coordinator | is_officer)
rules.add_perm("strategy.request_opinion", is_coordinator)
rules.add_perm("strategy.publish_opinion", is_coordinator)
# Unpublished opinions: the coordinator, officers and advisors (not observers, not public).
rules.add_perm("strategy.view_unpublished_opinions", is_contributor)
# On an OpinionRequest: only the advisor it was addressed to answers.
rules.add_perm("strategy.answer_opinion", is_requested_advisor)
