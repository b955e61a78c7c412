"""Write-behind for web responses: each process spools, one transaction stores a batch.

Why: storing a response row by row was the most expensive part of a post under load.
On its own a row costs SQLite about 0.2 ms, but with several server processes each
writing every few milliseconds, each commit found the others' pages changed, re-read
them and often waited for the write lock: about 0.5 ms of CPU per response
(bench/README.md, "Where submitting stands"). Batches written a few times a second
cost a fraction of that per row.

How: a post that needs no one-time code is validated as before, then appended as one
JSON line to this process's spool file (one write() to a file opened O_APPEND) and
acknowledged. A row in the spool survives the process dying, as a committed SQLite
transaction does under `synchronous=NORMAL`; neither survives the machine losing power
in the same instant. A flusher thread in the same process moves the spooled rows into
the database every `interval` seconds, one transaction per batch, then deletes the
segment file. The INSERT ignores rows whose (survey, submission_key) is already
stored, so a segment replayed after a crash between commit and deletion stores
nothing twice; every spooled row has a key (views_collect makes one when the form's
is missing).

Each process holds an exclusive flock on its own segment files. A file that nobody
holds belongs to a process that died; the next flusher to start (or `flush()` with
`orphans=True`) stores its rows. Rows of a survey deleted in the meantime are dropped,
as its responses would have been deleted with it.

Posts with a one-time code are not spooled: using up the code and storing the answers
must commit together, and a wrong code must be reported at once.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import logging
import os
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import close_old_connections, connections, router, transaction

from razem.surveys.models import Response, Survey

log = logging.getLogger(__name__)
# The answers are encoded as the model field encodes them (its encoder, if it has one).
_ANSWERS_ENCODER = Response._meta.get_field("answers").encoder

SUFFIX = ".jsonl"
# Orphaned segments are looked for at start and then every this many flushes.
ORPHAN_SCAN_EVERY = 200


@dataclass
class _Segment:
    path: Path
    fd: int
    rows: list[tuple] = field(default_factory=list)  # as _line's docstring lists


# The columns written, in the order of a row tuple.
COLUMNS = ("survey_id", "channel", "submitted_on", "submitted_at", "respondent_id",
           "submission_key", "answers")


def _row(values: dict) -> tuple:
    """(survey_id, channel, day, time or None, respondent or None, key, answers as JSON
    text): what a line holds and the INSERT takes. The answers are encoded once, as
    Django's JSONField writes them; dates as ISO text, which both backends read."""
    at = values.get("submitted_at")
    return (values["survey_id"], values["channel"], values["submitted_on"].isoformat(),
            at.isoformat() if at is not None else None, values.get("respondent_id"),
            values["submission_key"], json.dumps(values["answers"], cls=_ANSWERS_ENCODER))


def _line(row: tuple) -> bytes:
    # The answers text goes in as it is, so nothing is encoded twice.
    return f"[{json.dumps(row[:-1], ensure_ascii=False)[1:-1]},{row[-1]}]\n".encode()


def _parse_line(line: bytes) -> tuple | None:
    """A row read back from a segment; None for a line that is not one (a torn write)."""
    try:
        fields = json.loads(line)
        survey_id, channel, day, at, respondent_id, key, answers = fields
        date.fromisoformat(day)
        if at is not None:
            datetime.fromisoformat(at)
    except (ValueError, TypeError):
        return None
    if not isinstance(answers, dict) or not isinstance(survey_id, int) or not key:
        return None
    return (survey_id, channel, day, at, respondent_id, key,
            json.dumps(answers, cls=_ANSWERS_ENCODER))


def _insert_ignoring_stored(rows: list[tuple]) -> int:
    """Store rows in one transaction; rows already stored (same survey and key) and
    rows of deleted surveys are skipped. Returns the number of rows handled."""
    alias = router.db_for_write(Response)
    connection = connections[alias]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Response._meta.get_field(name).column) for name in COLUMNS)
    # PostgreSQL takes the JSON text (and the ISO dates) through casts; SQLite stores
    # the text as JSONField does.
    casts = ("", "", "::date", "::timestamptz", "", "", "::jsonb") \
        if connection.vendor == "postgresql" else ("",) * len(COLUMNS)
    sql = (f"INSERT INTO {quote(Response._meta.db_table)} ({columns}) "
           f"VALUES ({', '.join('%s' + cast for cast in casts)}) ON CONFLICT DO NOTHING")
    if connection.vendor == "sqlite":
        # Django keeps SQLite datetimes as naive UTC text with a space.
        rows = [row if row[3] is None else row[:3] + (
            connection.ops.adapt_datetimefield_value(datetime.fromisoformat(row[3])),
        ) + row[4:] for row in rows]
    with transaction.atomic(using=alias):
        surveys = set(Survey.objects.using(alias).filter(
            pk__in={row[0] for row in rows}).values_list("pk", flat=True))
        kept = [row for row in rows if row[0] in surveys]
        if len(kept) < len(rows):
            log.warning("spool: %d responses of deleted surveys dropped", len(rows) - len(kept))
        respondents = {row[4] for row in kept if row[4] is not None}
        if respondents:
            # An account deleted meanwhile: its link is cleared, as on_delete does.
            users = get_user_model()
            present = set(users.objects.using(alias).filter(
                pk__in=respondents).values_list("pk", flat=True))
            kept = [row if row[4] is None or row[4] in present else row[:4] + (None,) + row[5:]
                    for row in kept]
        if kept:
            with connection.cursor() as cursor:
                cursor.executemany(sql, kept)
    return len(rows)


class ResponseSpool:
    """The spool of one directory. Safe to share between the threads of a process; a
    forked child starts with no segment and its own flusher."""

    def __init__(self, directory: Path | str, interval: float | None) -> None:
        self.directory = Path(directory)
        self.interval = interval
        self._lock = threading.Lock()         # the open segment
        self._flush_lock = threading.Lock()   # one flush at a time
        self._segment: _Segment | None = None
        self._unstored: list[_Segment] = []   # closed segments a flush could not store
        self._pid = 0
        self._flushes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- the request side ---------------------------------------------------------

    def append(self, values: dict) -> None:
        """Spool one response: the values of a Response by attribute name (survey_id,
        answers, channel, submitted_on, submission_key; submitted_at, respondent_id).

        Raises OSError when the row cannot be written (disk full, directory gone): the
        caller then stores the row directly, so nothing acknowledged is only in memory."""
        row = _row(values)
        line = _line(row)
        with self._lock:
            if self._pid != os.getpid():
                self._start_in_this_process()
            segment = self._segment or self._open_segment()
            written = os.write(segment.fd, line)
            if written != len(line):
                # Only a full disk writes part of a line. The reader skips the torn
                # line; no later line may follow it in the same file.
                self._unstored.append(segment)
                self._segment = None
                raise OSError(f"spool: wrote {written} of {len(line)} bytes")
            segment.rows.append(row)

    def start(self) -> None:
        """Start this process's flusher now rather than at its first response, so that
        what dead processes left is stored at once (the flusher looks first thing)."""
        with self._lock:
            if self._pid != os.getpid():
                self._start_in_this_process()

    def _open_segment(self) -> _Segment:
        # Only this account reads the spool: it holds answers not yet in the database.
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.directory / f"{os.getpid()}-{secrets.token_hex(6)}{SUFFIX}"
        # Created under a name the orphan scan ignores and renamed once locked, so no
        # other process can take a new segment for an orphan in between.
        creating = path.with_suffix(".new")
        fd = os.open(creating, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.rename(creating, path)
        self._segment = _Segment(path, fd)
        return self._segment

    def _forget_parent(self) -> None:
        for segment in [self._segment, *self._unstored]:
            if segment is not None:
                os.close(segment.fd)
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._segment, self._unstored, self._thread, self._pid = None, [], None, 0

    def _start_in_this_process(self) -> None:
        # After a fork the parent's segment (its descriptor, its rows) is not ours.
        self._pid = os.getpid()
        self._segment = None
        self._unstored = []
        self._flush_lock = threading.Lock()
        if self.interval:
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._run, name="response-spool",
                                            daemon=True)
            self._thread.start()
            atexit.register(self.close)

    # --- the flushing side ----------------------------------------------------------

    def pending(self) -> int:
        """Rows spooled by this process and not yet stored."""
        with self._lock:
            rows = len(self._segment.rows) if self._segment else 0
            return rows + sum(len(segment.rows) for segment in self._unstored)

    def flush(self, *, orphans: bool = False) -> int:
        """Store what this process spooled (and, with orphans, what dead processes left).
        Returns the number of rows handled. A batch that cannot be stored stays in its
        file and is tried again at the next flush."""
        with self._flush_lock:
            with self._lock:
                if self._segment is not None:
                    self._unstored.append(self._segment)
                    self._segment = None
                segments, self._unstored = self._unstored, []
            done = 0
            for index, segment in enumerate(segments):
                try:
                    if segment.rows:
                        done += _insert_ignoring_stored(segment.rows)
                except Exception:
                    log.exception("spool: storing %d responses failed; kept in %s",
                                  len(segment.rows), segment.path)
                    with self._lock:
                        self._unstored[:0] = segments[index:]
                    break
                _remove(segment)
            if orphans:
                done += self._store_orphans()
            return done

    def _store_orphans(self) -> int:
        done = 0
        try:
            paths = sorted(self.directory.glob(f"*{SUFFIX}"))
        except OSError:
            return 0
        for path in paths:
            try:
                fd = os.open(path, os.O_RDWR)
            except FileNotFoundError:
                continue  # stored and removed by its owner meanwhile
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)  # its process is alive (or it is one of ours)
                continue
            segment = _Segment(path, fd, _read_rows(fd, path))
            try:
                if segment.rows:
                    done += _insert_ignoring_stored(segment.rows)
            except Exception:
                log.exception("spool: storing the orphaned %s failed", path)
                os.close(fd)
                continue
            _remove(segment)
        return done

    def _run(self) -> None:
        interval = float(self.interval or 0)
        while not self._stop.wait(interval):
            try:
                self.flush(orphans=self._flushes % ORPHAN_SCAN_EVERY == 0)
            except Exception:  # never let the flusher die; the rows stay on disk
                log.exception("spool: flush failed")
                close_old_connections()
            self._flushes += 1

    def close(self) -> None:
        """Stop the flusher and store what is left (at exit; gunicorn's graceful stop)."""
        self._stop.set()
        if self._pid != os.getpid():
            return
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)
        self.flush()


def _read_rows(fd: int, path: Path) -> list[tuple]:
    with open(fd, "rb", closefd=False) as file:
        lines = file.read().splitlines()
    rows = [_parse_line(line) for line in lines if line.strip()]
    if None in rows:
        log.warning("spool: %d unreadable lines skipped in %s", rows.count(None), path)
    return [row for row in rows if row is not None]


def _remove(segment: _Segment) -> None:
    # Unlink before close: while the lock is held nobody else can take the file.
    try:
        segment.path.unlink()
    except FileNotFoundError:
        pass
    os.close(segment.fd)


# (directory, interval) -> the process's spool: one per directory, so one flusher.
_SPOOLS: dict[tuple[str, float | None], ResponseSpool] = {}
_SPOOLS_LOCK = threading.Lock()


def _after_fork_in_child() -> None:
    # A lock the parent's flusher held at the fork would stay held in the child forever,
    # and the parent's segment descriptors would keep its flocks alive: start afresh.
    global _SPOOLS_LOCK
    _SPOOLS_LOCK = threading.Lock()
    for found in _SPOOLS.values():
        found._forget_parent()


os.register_at_fork(after_in_child=_after_fork_in_child)


def spool_for(directory: Path | str, interval: float | None) -> ResponseSpool:
    key = (str(directory), interval)
    found = _SPOOLS.get(key)
    if found is None:
        with _SPOOLS_LOCK:
            found = _SPOOLS.setdefault(key, ResponseSpool(directory, interval))
    return found


def start_flusher() -> None:
    """Called by razem/wsgi.py in each server process (gunicorn imports it after forking
    its workers; with --preload it would run in the master instead, which stores the
    orphans and leaves each worker to start its own flusher at its first response)."""
    found = configured_spool()
    if found is not None and found.interval:
        found.start()


def configured_spool() -> ResponseSpool | None:
    """The spool the settings ask for, or None when responses are written directly."""
    directory = settings.RAZEM_SURVEY_SPOOL_DIR
    return spool_for(directory, settings.RAZEM_SURVEY_SPOOL_INTERVAL) if directory else None
