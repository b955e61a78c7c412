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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from razem.reports.document import Document

Progress = Callable[[int, str], None]


class Builder(Protocol):
    def __call__(self, partnership: Any, *, language: str, progress: Progress) -> Document: ...


@dataclass(frozen=True)
class ReportKind:
    kind: str
    title: Any  # str or a lazy translation
    builder: Builder
    permission: str


_registry: dict[str, ReportKind] = {}


def register(kind: str, *, title: Any, builder: Builder, permission: str) -> ReportKind:
    if not kind.replace("-", "").replace("_", "").isalnum() or kind == "zadanie":
        # It is a URL segment next to "zadanie/<id>/" (razem/reports/urls.py).
        raise ValueError(f"a report kind must be a slug other than 'zadanie', got {kind!r}")
    entry = ReportKind(kind=kind, title=title, builder=builder, permission=permission)
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
