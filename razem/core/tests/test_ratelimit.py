"""The public forms' rate limiter: a fixed window per client, memory bounded, no address kept."""

from __future__ import annotations

from django.test import RequestFactory

from razem.core import ratelimit

ADDRESS = "203.0.113.7"


def _post(address: str = ADDRESS):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_the_limit_allows_that_many_posts_then_refuses() -> None:
    results = [ratelimit.allow(_post(), "survey:1", "3/600") for _ in range(5)]
    assert results == [True, True, True, False, False]
    # Another client and another form count separately.
    assert ratelimit.allow(_post("198.51.100.1"), "survey:1", "3/600")
    assert ratelimit.allow(_post(), "survey:2", "3/600")


def test_a_new_window_starts_when_the_old_one_ends(monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: now[0])
    assert [ratelimit.allow(_post(), "s", "2/60") for _ in range(3)] == [True, True, False]
    now[0] += 59.9
    assert not ratelimit.allow(_post(), "s", "2/60")
    now[0] += 0.2
    assert ratelimit.allow(_post(), "s", "2/60")


def test_disabled_or_malformed_limits_allow_everything() -> None:
    for text in ("0", "", "abc", "5/0", "-1/60", None):
        assert all(ratelimit.allow(_post(), "s", text) for _ in range(10))  # type: ignore[arg-type]


def test_keys_are_keyed_hashes_not_addresses() -> None:
    ratelimit.allow(_post(), "survey:1", "3/600")
    (key,) = ratelimit.counter_keys()
    assert ADDRESS not in key and key.startswith(ratelimit.KEY_PREFIX)


def test_the_counters_stay_bounded_under_a_flood_of_addresses(monkeypatch) -> None:
    monkeypatch.setattr(ratelimit, "MAX_COUNTERS", 50)
    for number in range(500):
        ratelimit.allow(_post(f"10.0.{number // 256}.{number % 256}"), "s", "5/600")
    assert len(ratelimit.counter_keys()) <= 50
