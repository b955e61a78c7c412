"""The upload page: permissions, validation before anything is kept, preview, confirmation."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from razem.conftest import client_for
from razem.core.models import AuditLogEntry, Membership, User
from razem.indicators.bdl_csv import parse_bdl_csv
from razem.indicators.importing import import_bdl_table
from razem.indicators.models import ImportRun, Observation, ObservationChange, PendingUpload
from razem.indicators.tests.bdl_samples import ROWS, export

ROLES = ["anonymous", "coordinator", "officer", "advisor", "observer", "outsider"]
LOGIN = 302
MEMBERS = {"anonymous": LOGIN, "coordinator": 200, "officer": 200, "advisor": 200,
           "observer": 200, "outsider": 404}
COORDINATOR = {**MEMBERS, "officer": 403, "advisor": 403, "observer": 403}
COORDINATOR_POST = {**COORDINATOR, "coordinator": 302}


def csv_file(data: bytes | None = None, name: str = "ludnosc_ogol_przed_poprod.csv"):
    return SimpleUploadedFile(name, export() if data is None else data, "text/csv")


def pending_for(user, partnership, data: bytes | None = None) -> PendingUpload:
    return PendingUpload.objects.create(
        token=f"token-{user.pk}-{partnership.pk}", partnership=partnership, user=user,
        file_name="ludnosc_ogol_przed_poprod.csv", dataset="ludnosc_ogol_przed_poprod",
        data=export() if data is None else data,
    )


def upload_url(partnership) -> str:
    return reverse("indicators:upload", args=[partnership.slug])


def preview_url(partnership, token: str) -> str:
    return reverse("indicators:preview", args=[partnership.slug, token])


def command_line_run() -> ImportRun:
    return import_bdl_table(parse_bdl_csv(export(), dataset="ludnosc"), source_name="cli.csv")


# (name, method, url builder, data builder, expected status per role)
VIEWS = [
    ("imports", "get", lambda p, c: reverse("indicators:imports", args=[p.slug]), None, MEMBERS),
    ("import_run", "get", lambda p, c: reverse(
        "indicators:import_run", args=[p.slug, command_line_run().pk]), None, MEMBERS),
    ("upload", "get", lambda p, c: upload_url(p), None, COORDINATOR),
    ("upload_post", "post", lambda p, c: upload_url(p),
     lambda: {"file": csv_file(), "dataset": ""}, COORDINATOR_POST),
    ("preview", "get", lambda p, c: preview_url(p, pending_for(c, p).token), None, COORDINATOR),
    ("confirm", "post", lambda p, c: preview_url(p, pending_for(c, p).token),
     lambda: {"action": "import", "dataset": "ludnosc_ogol_przed_poprod"}, COORDINATOR_POST),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,url,data,expected", VIEWS, ids=[v[0] for v in VIEWS])
def test_permission_matrix(request, partnership_a, coordinator, role, name, method, url, data,
                           expected):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    target = url(partnership_a, coordinator)

    response = getattr(client_for(user), method)(target, data() if data else {})

    assert response.status_code == expected[role], (name, role)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_only_the_coordinator_changes_data(partnership_a, coordinator, officer, outsider):
    pending = pending_for(coordinator, partnership_a)
    for user in (officer, outsider, None):
        client_for(user).post(upload_url(partnership_a), {"file": csv_file()})
        client_for(user).post(preview_url(partnership_a, pending.token),
                              {"action": "import", "dataset": "ludnosc_ogol_przed_poprod"})

    assert not Observation.objects.exists() and not ImportRun.objects.exists()
    assert PendingUpload.objects.count() == 1  # the one made for the test, not by the posts


# --- step 1: the upload ----------------------------------------------------------------------


def test_oversized_upload_is_refused_with_a_polish_message(partnership_a, coordinator,
                                                          settings):
    settings.RAZEM_MAX_UPLOAD_BYTES = 100

    response = client_for(coordinator).post(upload_url(partnership_a), {"file": csv_file()})

    assert response.status_code == 413
    assert "Plik jest za duży" in response.content.decode()
    assert not PendingUpload.objects.exists()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name,data", [
    ("wykres.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"),
    ("dane.docx", _docx()),
])
def test_not_a_csv_is_refused_with_a_polish_message(partnership_a, coordinator, name, data):
    response = client_for(coordinator).post(upload_url(partnership_a),
                                            {"file": SimpleUploadedFile(name, data)})

    assert response.status_code == 400
    assert "nie jest plikiem CSV" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_malformed_csv_shows_line_and_column_and_imports_nothing(partnership_a, coordinator):
    data = export(ROWS[0], '1410012;"Huszlew (2)";2870;12,3,4;')

    response = client_for(coordinator).post(upload_url(partnership_a),
                                            {"file": csv_file(data)})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Wiersz 3, kolumna 4" in page and "12,3,4" in page
    assert "niczego nie można zaimportować" in page
    assert not PendingUpload.objects.exists() and not Observation.objects.exists()


def test_empty_upload_is_refused(partnership_a, coordinator):
    response = client_for(coordinator).post(upload_url(partnership_a),
                                            {"file": SimpleUploadedFile("x.csv", b"")})

    assert response.status_code == 400


def test_upload_without_a_file_is_refused(partnership_a, coordinator):
    assert client_for(coordinator).post(upload_url(partnership_a), {}).status_code == 400


def test_invalid_dataset_name_is_refused(partnership_a, coordinator):
    response = client_for(coordinator).post(upload_url(partnership_a),
                                            {"file": csv_file(), "dataset": "a|b"})

    assert response.status_code == 400 and "zbioru danych" in response.content.decode()


# --- step 2: preview and confirmation --------------------------------------------------------


def test_successful_two_step_import(partnership_a, coordinator):
    client = client_for(coordinator)

    uploaded = client.post(upload_url(partnership_a), {"file": csv_file(), "dataset": ""})
    pending = PendingUpload.objects.get()
    assert uploaded["Location"] == preview_url(partnership_a, pending.token)
    assert pending.dataset == "ludnosc_ogol_przed_poprod"
    assert not Observation.objects.exists()

    page = client.get(uploaded["Location"]).content.decode()
    assert "ludnosc_ogol_przed_poprod|ogółem;ogółem|osoba" in page
    assert "2018, 2019" in page and "Łosice" in page and "10787" in page

    confirmed = client.post(uploaded["Location"], {"action": "import",
                                                   "dataset": "ludnosc_ogol_przed_poprod"})
    run = ImportRun.objects.get()
    assert confirmed["Location"] == reverse("indicators:import_run",
                                            args=[partnership_a.slug, run.pk])
    assert (run.partnership, run.user, run.created) == (partnership_a, coordinator, 6)
    assert Observation.objects.get(unit__teryt="1410023", year=2019).value == Decimal(10787)
    assert not PendingUpload.objects.exists()
    entry = AuditLogEntry.objects.get(action="indicators.imported")
    assert (entry.partnership, entry.actor, entry.changes["created"]) == (
        partnership_a, coordinator, [None, 6])


def test_preview_lists_unmatched_units_and_what_would_change(partnership_a, coordinator):
    data = export(ROWS[0], '0201011;"Bolesławiec (1)";1;2;')
    pending = pending_for(coordinator, partnership_a, data)

    page = client_for(coordinator).get(preview_url(partnership_a, pending.token))

    text = page.content.decode()
    assert "0201011 Bolesławiec (wiersz 3)" in text
    assert "nowe wartości: 2" in text
    assert not Observation.objects.exists()


def test_preview_of_a_reimport_shows_changes(partnership_a, coordinator):
    command_line_run_data = export()
    import_bdl_table(parse_bdl_csv(command_line_run_data, dataset="ludnosc_ogol_przed_poprod"),
                     source_name="first.csv")
    pending = pending_for(coordinator, partnership_a,
                          export('1410023;"Łosice (3)";10837;10790;', *ROWS[1:]))

    text = client_for(coordinator).get(preview_url(partnership_a, pending.token)).content.decode()

    assert "nowe wartości: 0, zmienione: 1, bez zmian: 5" in text


def test_changing_the_dataset_name_asks_for_a_second_look(partnership_a, coordinator):
    pending = pending_for(coordinator, partnership_a)
    client = client_for(coordinator)

    response = client.post(preview_url(partnership_a, pending.token),
                           {"action": "import", "dataset": "ludnosc_nowa"})

    assert response["Location"] == preview_url(partnership_a, pending.token)
    assert not ImportRun.objects.exists()
    pending.refresh_from_db()
    assert pending.dataset == "ludnosc_nowa"
    client.post(preview_url(partnership_a, pending.token),
                {"action": "import", "dataset": "ludnosc_nowa"})
    assert Observation.objects.filter(variable__code__startswith="ludnosc_nowa|").count() == 6


def test_discarding_removes_the_upload(partnership_a, coordinator):
    pending = pending_for(coordinator, partnership_a)

    response = client_for(coordinator).post(preview_url(partnership_a, pending.token),
                                            {"action": "discard"})

    assert response["Location"] == upload_url(partnership_a)
    assert not PendingUpload.objects.exists() and not ImportRun.objects.exists()


def test_invalid_dataset_in_preview_is_refused(partnership_a, coordinator):
    pending = pending_for(coordinator, partnership_a)

    response = client_for(coordinator).post(preview_url(partnership_a, pending.token),
                                            {"action": "import", "dataset": "a b"})

    assert response.status_code == 400 and not ImportRun.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_token_is_not_found(partnership_a, coordinator, method):
    pending_for(coordinator, partnership_a)

    response = getattr(client_for(coordinator), method)(
        preview_url(partnership_a, "forged-token"),
        {"action": "import", "dataset": "ludnosc_ogol_przed_poprod"})

    assert response.status_code == 404
    assert not ImportRun.objects.exists()


def test_token_of_another_partnership_is_not_found(partnership_a, partnership_b, coordinator,
                                                   outsider):
    theirs = pending_for(outsider, partnership_b)
    ours = pending_for(coordinator, partnership_a)

    assert client_for(coordinator).get(preview_url(partnership_a, theirs.token)).status_code == 404
    assert client_for(outsider).get(preview_url(partnership_b, ours.token)).status_code == 404
    assert client_for(outsider).post(
        preview_url(partnership_b, ours.token),
        {"action": "import", "dataset": "ludnosc_ogol_przed_poprod"}).status_code == 404
    assert not ImportRun.objects.exists()


def test_token_of_another_coordinator_is_not_found(partnership_a, coordinator):
    colleague = User.objects.create_user("drugi.koordynator@razem.demo", "haslo-testowe-123")
    Membership.objects.create(user=colleague, partnership=partnership_a, role="coordinator")
    pending = pending_for(coordinator, partnership_a)

    assert client_for(colleague).get(preview_url(partnership_a, pending.token)).status_code == 404


def test_stale_upload_is_not_found(partnership_a, coordinator):
    pending = pending_for(coordinator, partnership_a)
    PendingUpload.objects.update(created_at=timezone.now() - timedelta(days=2))

    assert client_for(coordinator).get(preview_url(partnership_a, pending.token)).status_code == 404


def test_confirming_twice_imports_once(partnership_a, coordinator):
    pending = pending_for(coordinator, partnership_a)
    client = client_for(coordinator)
    data = {"action": "import", "dataset": "ludnosc_ogol_przed_poprod"}

    client.post(preview_url(partnership_a, pending.token), data)
    second = client.post(preview_url(partnership_a, pending.token), data)

    assert second.status_code == 404 and ImportRun.objects.count() == 1


# --- the list and run pages ------------------------------------------------------------------


def test_imports_page_lists_runs_with_counts(partnership_a, observer, coordinator):
    import_bdl_table(parse_bdl_csv(export(), dataset="ludnosc"), source_name="pierwszy.csv",
                     user=coordinator, partnership=partnership_a)

    page = client_for(observer).get(reverse("indicators:imports", args=[partnership_a.slug]))

    text = page.content.decode()
    assert "pierwszy.csv" in text and "Anna Koordynator" in text
    assert "Importuj tabelę" not in text  # observers may look, not import


def test_imports_page_hides_other_partnerships_uploads(partnership_a, partnership_b, outsider,
                                                       coordinator):
    import_bdl_table(parse_bdl_csv(export(), dataset="ludnosc"), source_name="wegrow.csv",
                     user=outsider, partnership=partnership_b)
    run = ImportRun.objects.get()

    text = client_for(coordinator).get(
        reverse("indicators:imports", args=[partnership_a.slug])).content.decode()
    detail = client_for(coordinator).get(
        reverse("indicators:import_run", args=[partnership_a.slug, run.pk]))

    assert "wegrow.csv" not in text
    assert detail.status_code == 404


def test_run_page_lists_changed_values(partnership_a, coordinator):
    import_bdl_table(parse_bdl_csv(export(), dataset="ludnosc"), source_name="a.csv")
    run = import_bdl_table(parse_bdl_csv(export('1410023;"Łosice (3)";10837;10790,5;'),
                                         dataset="ludnosc"), source_name="b.csv")

    text = client_for(coordinator).get(
        reverse("indicators:import_run", args=[partnership_a.slug, run.pk])).content.decode()

    assert ObservationChange.objects.count() == 1
    assert "Łosice" in text and "10787" in text and "10790,5" in text
