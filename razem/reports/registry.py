"""The kinds of report the platform can generate.

An app registers each of its reports once (in its AppConfig.ready()):

    from razem.reports import registry
    registry.register("portrait", title=_("Partnership portrait"),
                      builder=build_portrait_document,
                      permission="core.view_partnership_internal")

`builder(partnership, *, language, progress)` returns a `Document`; it may
call `progress(percent, message)` (0–80 is a good range: rendering the file
takes the rest) to show where it is. It runs in a background worker under
`translation.override(language)`, so gettext gives texts in that language.

A report about one object of the partnership (a survey, a consultation) names
a `subject` loader: `subject(partnership, subject_id)` returns the object, or
None when the partnership has no such object (the request is then a 404).
Such a kind is requested with the object's id (`przedmiot`), its permission is
checked against the object instead of the partnership, and its builder gets
the object as `subject=`:

    registry.register("survey", title=_("Survey results"), builder=build,
                      permission="surveys.view_internal_results",
                      subject=load_survey_of)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from razem.reports.document import Document

Progress = Callable[[int, str], None]


class Builder(Protocol):
    def __call__(self, partnership: Any, *, language: str, progress: Progress) -> Document: ...


SubjectLoader = Callable[[Any, int], Any]


@dataclass(frozen=True)
class ReportKind:
    kind: str
    title: Any  # str or a lazy translation
    builder: Builder
    permission: str
    subject: SubjectLoader | None = None

    @property
    def has_subject(self) -> bool:
        return self.subject is not None

    def load_subject(self, partnership: Any, subject_id: int | None) -> Any:
        """The object the report is about, or None (no loader, no id, or not found)."""
        if self.subject is None or subject_id is None:
            return None
        return self.subject(partnership, subject_id)


_registry: dict[str, ReportKind] = {}


def register(kind: str, *, title: Any, builder: Builder, permission: str,
             subject: SubjectLoader | None = None) -> ReportKind:
    if not kind.replace("-", "").replace("_", "").isalnum() or kind == "zadanie":
        # It is a URL segment next to "zadanie/<id>/" (razem/reports/urls.py).
        raise ValueError(f"a report kind must be a slug other than 'zadanie', got {kind!r}")
    entry = ReportKind(kind=kind, title=title, builder=builder, permission=permission,
                       subject=subject)
    # Re-registering replaces: tests and autoreload import modules twice.
    _registry[kind] = entry
    return entry


def unregister(kind: str) -> None:
    _registry.pop(kind, None)


def get(kind: str) -> ReportKind | None:
    return _registry.get(kind)


def kinds() -> list[ReportKind]:
    return list(_registry.values())


class ReportError(Exception):
    """A builder's way to fail with a message for the user (already translated),
    e.g. "No indicator data has been imported yet." Other exceptions show a
    generic message and are logged."""
