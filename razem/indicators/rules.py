"""Permission predicates for statistical data (django-rules); roles come from razem.core.rules."""

from __future__ import annotations

import rules

from razem.core.rules import is_coordinator, is_member

# Imports change data every partnership's portrait reads, so only coordinators run them.
rules.add_perm("indicators.import_data", is_coordinator)
rules.add_perm("indicators.view_data", is_member)
