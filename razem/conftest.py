"""The small fixed cast every test uses (ARCHITECTURE.md, convention 10).

Partnership A is the demo "Razem dla Rozwoju" with its coordinator, an officer
of Łosice, an advisor and an observer; partnership B's coordinator is the outsider.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from razem.core.models import Partnership, User

PASSWORD = "razem-demo-2026"


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> None:
    # The production hasher is slow on purpose; tests create many users.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _reset_rate_limiter():
    # The limiter counts per process; each test starts with no posts counted.
    from razem.core import ratelimit

    ratelimit.reset()
    yield
    ratelimit.reset()


@pytest.fixture(autouse=True)
def _direct_response_writes(settings) -> None:
    # Responses are stored as they are posted, so a test sees its row at once. The
    # write-behind spool that production uses has its own tests (surveys/test_spool.py).
    settings.RAZEM_SURVEY_SPOOL_DIR = None


@pytest.fixture(autouse=True)
def _static_without_manifest(settings) -> None:
    # Production serves hashed files from collectstatic's manifest; tests don't run it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def cast(db) -> None:
    # The demo without the data pack: the 16 + 10 units from the repository, no boundaries.
    call_command("load_demo", data_dir=Path("/nonexistent"), stdout=io.StringIO())


@pytest.fixture
def partnership_a(cast) -> Partnership:
    return Partnership.objects.get(slug="razem-dla-rozwoju")


@pytest.fixture
def partnership_b(cast) -> Partnership:
    return Partnership.objects.get(slug="ziemia-wegrowska")


def _user(email: str) -> User:
    return User.objects.get(email=email)


@pytest.fixture
def coordinator(cast) -> User:
    return _user("koordynator@razem.demo")


@pytest.fixture
def officer(cast) -> User:
    return _user("urzednik.losice@razem.demo")


@pytest.fixture
def advisor(cast) -> User:
    return _user("doradca@razem.demo")


@pytest.fixture
def observer(cast) -> User:
    return _user("obserwator@razem.demo")


@pytest.fixture
def outsider(cast) -> User:
    return _user("koordynator@wegrow.demo")


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium for the browser tests, one per test module."""
    from razem.core.tests.browser import launched_chromium

    with launched_chromium() as chromium:
        yield chromium
