"""A per-client limit on public forms posted without login: survey responses
(settings.RAZEM_SURVEY_RATE_LIMIT) and consultation comments
(settings.RAZEM_COMMENT_RATE_LIMIT).

Why: a public form without login invites scripted stuffing and guessing of one-time
codes. The limit is generous ("60/600" by default: 60 posts per 10 minutes) because a
school class answers from one address behind one router.

Design, and why it is kept in memory:

* The respondent's address is personal data, and in anonymous mode we promise to keep
  nothing that could identify a respondent. So the address is never written anywhere:
  the counter's key is HMAC-SHA256(address) under a random key drawn when the process
  starts and never persisted. Nobody, the operators included, can later recompute which
  address a key belonged to, and keys lose all meaning when the process exits.
* Counters live in a dict of this process: memory only, nothing on disk, in the
  database or in a cache server, each expiring with its window. (They were in Django's
  LocMemCache once; its pickling and locking cost every response more than the check.)
* Caveat: each worker process counts on its own (and forgets on restart), so with N
  workers a client may get up to N times the limit. That is acceptable for a brake on
  abuse, not an accounting of it; a shared cache would make the limit exact but would
  put the (hashed) keys outside the process.
* The client is REMOTE_ADDR. Behind a reverse proxy it must be the real client address
  (configure the proxy/WSGI server accordingly); otherwise all respondents share one
  counter and the limit should be raised or disabled.

Every POST to the form counts, valid or not, so guessing codes is limited as well.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from functools import lru_cache

# Drawn per process, kept only in memory (see above).
_PROCESS_KEY = secrets.token_bytes(32)
KEY_PREFIX = "razem:rate:"
# Beyond this many live counters the expired ones are dropped, and if that is not
# enough all of them: a flood of addresses must not grow the process without bound.
MAX_COUNTERS = 100_000

# key -> (end of the window on the monotonic clock, posts counted in it)
_COUNTERS: dict[str, tuple[float, int]] = {}
_LOCK = threading.Lock()  # the development server and live-server tests use threads


@lru_cache(maxsize=64)
def parse_limit(text: str | None) -> tuple[int, int] | None:
    """(count, seconds) from "count/seconds", or None when disabled ("0", "", invalid)."""
    try:
        count, seconds = (int(part) for part in (text or "").strip().split("/"))
    except ValueError:
        return None
    return (count, seconds) if count > 0 and seconds > 0 else None


def client_digest(address: str) -> str:
    return hmac.new(_PROCESS_KEY, address.encode(), hashlib.sha256).hexdigest()


def counter_key(scope: str, address: str) -> str:
    return f"{KEY_PREFIX}{scope}:{client_digest(address)}"


def counter_keys() -> list[str]:
    """The keys held now (for tests that check no address is among them)."""
    with _LOCK:
        return list(_COUNTERS)


def reset() -> None:
    """Forget every counter (tests; a restart does the same)."""
    with _LOCK:
        _COUNTERS.clear()


def _make_room(now: float) -> None:
    for key in [key for key, (ends, _count) in _COUNTERS.items() if ends <= now]:
        del _COUNTERS[key]
    if len(_COUNTERS) >= MAX_COUNTERS:
        _COUNTERS.clear()


def allow(request, scope: str, limit_text: str) -> bool:
    """Count one post by this client in `scope` (e.g. "survey:12"); False once over
    `limit_text` ("count/seconds", a setting)."""
    limit = parse_limit(limit_text)
    if limit is None:
        return True
    count, seconds = limit
    key = counter_key(scope, request.META.get("REMOTE_ADDR", ""))
    now = time.monotonic()
    with _LOCK:
        # A fixed window starting at the first post.
        ends, used = _COUNTERS.get(key, (0.0, 0))
        if ends <= now:
            if len(_COUNTERS) >= MAX_COUNTERS:
                _make_room(now)
            ends, used = now + seconds, 0
        _COUNTERS[key] = (ends, used + 1)
    return used + 1 <= count
