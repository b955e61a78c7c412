from __future__ import annotations

from collections.abc import Iterator

import pytest

from razem.reports import registry
from razem.reports.document import Document
from razem.reports.registry import ReportError
from razem.reports.tests.samples import short_document

SAMPLE = "test-sample"
FAILING = "test-failing"
EXPLAINED = "test-explained"


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _sample_builder(partnership, *, language: str, progress) -> Document:
    progress(30, "Zbieranie danych")
    document = short_document()
    document.title = f"Portret partnerstwa {partnership.name}"
    document.language = language
    progress(70, "Składanie rozdziałów")
    return document


def _failing_builder(partnership, *, language: str, progress) -> Document:
    progress(10, "Zbieranie danych")
    raise RuntimeError("database exploded")


def _explained_builder(partnership, *, language: str, progress) -> Document:
    raise ReportError("Nie zaimportowano jeszcze żadnych danych.")


@pytest.fixture
def sample_kind() -> Iterator[str]:
    registry.register(SAMPLE, title="Portret partnerstwa (test)", builder=_sample_builder,
                      permission="core.view_partnership_internal")
    yield SAMPLE
    registry.unregister(SAMPLE)


@pytest.fixture
def failing_kind() -> Iterator[str]:
    registry.register(FAILING, title="Awaria", builder=_failing_builder,
                      permission="core.view_partnership_internal")
    registry.register(EXPLAINED, title="Brak danych", builder=_explained_builder,
                      permission="core.view_partnership_internal")
    yield FAILING
    registry.unregister(FAILING)
    registry.unregister(EXPLAINED)


@pytest.fixture
def coordinators_only_kind() -> Iterator[str]:
    registry.register("test-coordinators", title="Tylko koordynatorzy",
                      builder=_sample_builder, permission="core.manage_members")
    yield "test-coordinators"
    registry.unregister("test-coordinators")
