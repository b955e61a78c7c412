"""The write-behind spool for web responses (razem/surveys/spool.py).

An acknowledged response is in a spool file before the 303 goes out, reaches the
database at the next flush exactly once, and is never lost: not when the database
refuses a batch, not when its process dies (its file is stored by the next flush that
looks for orphans), not when it is replayed after being stored already.
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from razem.conftest import client_for
from razem.surveys import collection, spool
from razem.surveys.answers import post_data
from razem.surveys.models import CodeBatch, OneTimeCode, Response
from razem.surveys.tests.factories import make_survey, small_definition

ADDRESS = "203.0.113.78"  # TEST-NET-3
ANSWERS = {"gmina": "1410023", "lives_here": "no", "idea": "ławki"}


@pytest.fixture
def spool_dir(settings, tmp_path):
    """Web responses go through a spool without a flusher thread: tests flush."""
    settings.RAZEM_SURVEY_SPOOL_DIR = str(tmp_path / "spool")
    settings.RAZEM_SURVEY_SPOOL_INTERVAL = None
    return tmp_path / "spool"


def queue():
    found = spool.configured_spool()
    assert found is not None
    return found


def segment_files(directory) -> list:
    return sorted(directory.glob(f"*{spool.SUFFIX}")) if directory.exists() else []


def post(survey, user=None, key: str = "ab" * 16, code: str | None = None):
    data = post_data(small_definition(), ANSWERS)
    data["submission_key"] = [key]
    if code:
        data["code"] = [code]
    return client_for(user).post(f"/p/{survey.partnership.slug}/s/{survey.slug}/", data,
                                 REMOTE_ADDR=ADDRESS)


def values(survey, key: str, **extra) -> dict:
    return {"survey_id": survey.pk, "answers": dict(ANSWERS), "channel": "web",
            "submitted_on": timezone.localdate(), "submission_key": key, **extra}


def test_a_posted_response_is_acknowledged_from_the_spool_and_stored_at_the_flush(
        partnership_a, spool_dir):
    survey = make_survey(partnership_a)

    response = post(survey)

    assert response.status_code == 303
    assert response["Location"].endswith(f"/s/{survey.slug}/dziekujemy/")
    assert not Response.objects.filter(survey=survey).exists()
    assert queue().pending() == 1
    [segment] = segment_files(spool_dir)
    assert ADDRESS not in segment.read_text()

    assert queue().flush() == 1

    stored = Response.objects.get(survey=survey)
    assert stored.answers == ANSWERS
    assert stored.channel == "web"
    assert stored.submitted_on == timezone.localdate()
    assert stored.submitted_at is None and stored.respondent is None
    assert stored.submission_key == "ab" * 16
    assert segment_files(spool_dir) == []
    assert queue().pending() == 0


def test_an_anonymous_line_holds_the_day_and_nothing_finer(partnership_a, coordinator,
                                                            spool_dir):
    survey = make_survey(partnership_a)
    assert post(survey, coordinator).status_code == 303
    [segment] = segment_files(spool_dir)
    line = segment.read_text()
    assert line.endswith("\n") and line.count("\n") == 1
    fields = json.loads(line)
    assert fields[:6] == [survey.pk, "web", timezone.localdate().isoformat(), None, None,
                          "ab" * 16]
    assert fields[6] == ANSWERS
    assert coordinator.email not in line and ADDRESS not in line
    assert oct(segment.stat().st_mode & 0o777) == oct(0o600)


def test_a_confidential_response_keeps_its_time_and_account_through_the_spool(
        partnership_a, coordinator, spool_dir):
    survey = make_survey(partnership_a, anonymity="confidential")
    before = timezone.now()
    assert post(survey, coordinator).status_code == 303
    queue().flush()
    stored = Response.objects.get(survey=survey)
    assert stored.respondent == coordinator
    assert stored.submitted_at is not None and stored.submitted_at >= before


def test_a_resent_post_is_one_response(partnership_a, spool_dir):
    survey = make_survey(partnership_a)
    assert post(survey).status_code == 303
    assert post(survey).status_code == 303  # the double tap, before any flush
    queue().flush()
    assert post(survey).status_code == 303  # and once more after it
    queue().flush()
    assert Response.objects.filter(survey=survey).count() == 1


def test_a_post_with_a_code_is_stored_at_once(partnership_a, spool_dir):
    # Using up the code and storing the answers commit together; nothing is spooled.
    survey = make_survey(partnership_a, codes_required=True)
    batch = CodeBatch.objects.create(survey=survey, label="klasa")
    OneTimeCode.objects.create(batch=batch, survey=survey, code="ABCDEFGH")
    assert post(survey, code="ABCDEFGH").status_code == 303
    assert Response.objects.filter(survey=survey).count() == 1
    assert segment_files(spool_dir) == []


def test_paper_entry_is_stored_at_once(partnership_a, officer, spool_dir):
    survey = make_survey(partnership_a)
    collection.enter_paper(survey, ANSWERS, officer=officer, submission_key="cd" * 16)
    assert Response.objects.filter(survey=survey, channel="paper").count() == 1
    assert segment_files(spool_dir) == []


def test_a_spool_that_cannot_be_written_stores_directly(partnership_a, spool_dir,
                                                        monkeypatch):
    survey = make_survey(partnership_a)

    def full_disk(self, values):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(spool.ResponseSpool, "append", full_disk)
    assert post(survey).status_code == 303
    assert Response.objects.filter(survey=survey).count() == 1


def test_a_batch_the_database_refuses_is_kept_and_stored_later(partnership_a, spool_dir,
                                                              monkeypatch):
    survey = make_survey(partnership_a)
    assert post(survey, key="01" * 16).status_code == 303
    real = spool._insert_ignoring_stored

    def locked(rows):
        raise spool.transaction.TransactionManagementError("database is locked")

    monkeypatch.setattr(spool, "_insert_ignoring_stored", locked)
    assert queue().flush() == 0
    assert queue().pending() == 1
    assert len(segment_files(spool_dir)) == 1
    assert post(survey, key="02" * 16).status_code == 303  # a new segment meanwhile

    monkeypatch.setattr(spool, "_insert_ignoring_stored", real)
    assert queue().flush() == 2
    assert sorted(Response.objects.filter(survey=survey).values_list(
        "submission_key", flat=True)) == ["01" * 16, "02" * 16]
    assert segment_files(spool_dir) == []


def write_orphan(directory, lines: list[bytes]):
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"99999-deadbeef0000{spool.SUFFIX}"
    path.write_bytes(b"".join(lines))
    return path


def test_a_dead_process_segment_is_stored_by_the_next_orphan_flush(partnership_a,
                                                                  spool_dir):
    survey = make_survey(partnership_a)
    good = spool._line(spool._row(values(survey, "0a" * 16)))
    other = spool._line(spool._row(values(survey, "0b" * 16)))
    # The process died in the middle of its last write: that line is torn.
    path = write_orphan(spool_dir, [good, other, good[:25]])

    assert queue().flush() == 0  # only this process's own rows without orphans=True
    assert queue().flush(orphans=True) == 2

    assert sorted(Response.objects.filter(survey=survey).values_list(
        "submission_key", flat=True)) == ["0a" * 16, "0b" * 16]
    assert not path.exists()


def test_a_segment_replayed_after_it_was_stored_adds_nothing(partnership_a, spool_dir):
    # A crash between the commit and the removal of the file replays stored rows.
    survey = make_survey(partnership_a)
    line = spool._line(spool._row(values(survey, "0c" * 16)))
    write_orphan(spool_dir, [line])
    queue().flush(orphans=True)
    write_orphan(spool_dir, [line])
    queue().flush(orphans=True)
    assert Response.objects.filter(survey=survey).count() == 1


def test_a_live_process_segment_is_left_alone(partnership_a, spool_dir):
    survey = make_survey(partnership_a)
    path = write_orphan(spool_dir, [spool._line(spool._row(values(survey, "0d" * 16)))])
    fd = os.open(path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as its writing process holds it
    try:
        assert queue().flush(orphans=True) == 0
        assert path.exists()
    finally:
        os.close(fd)
    assert queue().flush(orphans=True) == 1


def test_rows_of_a_deleted_survey_or_account_do_not_block_the_others(
        partnership_a, coordinator, spool_dir):
    kept = make_survey(partnership_a, slug="zostaje", anonymity="confidential")
    deleted = make_survey(partnership_a, slug="usunieta")
    queue().append(values(deleted, "0e" * 16))
    queue().append(values(kept, "0f" * 16, respondent_id=coordinator.pk,
                          submitted_at=timezone.now()))
    deleted.delete()
    coordinator.delete()

    assert queue().flush() == 2

    stored = Response.objects.get(survey=kept)
    assert stored.respondent is None and stored.submitted_at is not None


def test_a_line_reads_back_as_the_row_it_was(partnership_a):
    survey = make_survey(partnership_a)
    row = spool._row(values(survey, "10" * 16, submitted_at=timezone.now(),
                            respondent_id=7))
    assert spool._parse_line(spool._line(row).rstrip(b"\n")) == row
    for torn in (b"", b"[1,", b'{"a": 1}', b'[1,"web","2026-13-40",null,null,"k",{}]',
                 b'[1,"web","2026-12-02",null,null,"",{}]'):
        assert spool._parse_line(torn) is None
    assert date.fromisoformat(row[2]) == timezone.localdate()


@pytest.mark.django_db(transaction=True)
def test_the_flusher_thread_stores_and_stops_cleanly(settings, tmp_path):
    from razem.core.models import Partnership

    partnership = Partnership.objects.create(slug="watek", name="Wątek")
    survey = make_survey(partnership)
    flusher = spool.ResponseSpool(tmp_path, interval=0.01)
    flusher.append(values(survey, "11" * 16))
    assert flusher._thread is not None and flusher._thread.is_alive()

    flusher.close()  # joins the thread, then stores whatever it has not

    assert not flusher._thread.is_alive()
    assert Response.objects.filter(survey=survey).count() == 1
    assert segment_files(tmp_path) == []
    connection.close()


def test_a_forked_server_process_spools_into_its_own_segment(partnership_a, tmp_path):
    # gunicorn forks its workers: a child must neither reuse the parent's open segment
    # nor wait on a lock the parent held.
    survey = make_survey(partnership_a)
    parent = spool.spool_for(tmp_path, None)
    parent.append(values(survey, "12" * 16))
    pid = os.fork()
    if pid == 0:  # the child: no database, no pytest; the exit code is the verdict
        try:
            parent.append(values(survey, "13" * 16))
            ok = parent.pending() == 1 and len(segment_files(tmp_path)) == 2
        except BaseException:
            ok = False
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert parent.pending() == 1
    names = {path.name.split("-")[0] for path in segment_files(tmp_path)}
    assert names == {str(os.getpid()), str(pid)}
    # The child's segment is an orphan now that the child is gone.
    assert parent.flush(orphans=True) == 2
    assert Response.objects.filter(survey=survey).count() == 2
