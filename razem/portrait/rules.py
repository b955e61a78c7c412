"""Who may see and change the portrait (django-rules).

Members see the portrait first; once a coordinator publishes it, anyone may
read it. Only coordinators write conclusions and publish.
"""

from __future__ import annotations

import rules

from razem.core.models import Partnership
from razem.core.rules import is_coordinator, is_member


def settings_for(partnership: Partnership):
    """The partnership's PortraitSettings or None, fetched once per partnership object."""
    from razem.portrait.models import PortraitSettings

    if not hasattr(partnership, "_portrait_settings_cache"):
        partnership._portrait_settings_cache = PortraitSettings.objects.filter(
            partnership=partnership
        ).first()
    return partnership._portrait_settings_cache


@rules.predicate
def is_published(user, partnership: Partnership) -> bool:
    if partnership is None:
        return False
    found = settings_for(partnership)
    return bool(found and found.published)


rules.add_perm("portrait.view", is_member | is_published)
rules.add_perm("portrait.change", is_coordinator)
