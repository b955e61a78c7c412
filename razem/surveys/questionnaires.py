"""Ready questionnaires for the four audiences (content: see TEMPLATES) and copying one
into a partnership's survey. Placeholder API; the content is being written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from razem.surveys.definition import SurveyDefinition, Text


@dataclass(frozen=True)
class QuestionnaireTemplate:
    key: str  # e.g. "resident"
    audience: str  # a razem.surveys.models.Audience value
    title: Text
    introduction: Text
    build: Callable[[], SurveyDefinition]

    def definition(self) -> SurveyDefinition:
        return self.build()


TEMPLATES: dict[str, QuestionnaireTemplate] = {}


def default_gdpr_clause(partnership) -> str:
    """The Polish GDPR information clause (art. 13 RODO) naming the partnership."""
    raise NotImplementedError


def create_from_template(partnership, key: str, *, slug: str, opens_on: date, closes_on: date,
                         title: str | None = None):
    """Create and return a saved Survey copied from TEMPLATES[key] (KeyError if unknown)."""
    raise NotImplementedError
