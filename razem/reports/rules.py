"""Permission predicates of report jobs (django-rules).

Who may request a report is each registered kind's own permission
(razem.reports.registry); a job once made is visible to every member.
"""

from __future__ import annotations

import rules

from razem.core.rules import is_member

rules.add_perm("reports.view_job", is_member)
