"""Who may do what with surveys (django-rules).

Every permission takes the Survey as its object, except `surveys.view_list` and
`surveys.manage`, which take the Partnership. Results are for members until the
coordinator publishes them; then anyone may read the public (suppressed) results.
Raw answers (exports, open texts) stay with the partnership's contributors.
"""

from __future__ import annotations

import rules

from razem.core import rules as core_rules


is_member = core_rules.on_partnership(core_rules.is_member, prefix="survey")
is_coordinator = core_rules.on_partnership(core_rules.is_coordinator, prefix="survey")
is_officer = core_rules.on_partnership(core_rules.is_officer, prefix="survey")
is_contributor = core_rules.on_partnership(core_rules.is_contributor, prefix="survey")


@rules.predicate
def is_published(user, survey) -> bool:
    return bool(survey is not None and getattr(survey, "results_published", False))


rules.add_perm("surveys.view_list", is_member)
rules.add_perm("surveys.manage", is_coordinator)
rules.add_perm("surveys.change", is_coordinator)
rules.add_perm("surveys.enter_paper", is_coordinator | is_officer)
rules.add_perm("surveys.view_results", is_member | is_published)
rules.add_perm("surveys.view_internal_results", is_member)
rules.add_perm("surveys.view_answers", is_contributor)
rules.add_perm("surveys.tag_answers", is_contributor)
rules.add_perm("surveys.export", is_contributor)
