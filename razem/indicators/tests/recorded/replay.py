"""Recorded BDL API responses served through httpx.MockTransport, and a fake clock."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from razem.indicators.bdl_api import BdlClient

RECORDED = Path(__file__).resolve().parent
VARIABLE = "60270"
STAMP = "2024-06-17T09:12:44.127"


def load(name: str) -> Any:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


def standard_routes() -> dict[str, Any]:
    """Every request a full sync of variable 60270 makes, with its recorded answer."""
    return {
        f"variables/{VARIABLE}": load(f"variable_{VARIABLE}.json"),
        "subjects/P2392": load("subject_P2392.json"),
        f"data/by-variable/{VARIABLE} level=2 page=0": load(f"data_{VARIABLE}_level2.json"),
        f"data/by-variable/{VARIABLE} level=5 page=0": load(f"data_{VARIABLE}_level5.json"),
        f"data/by-variable/{VARIABLE} level=6 page=0": load(f"data_{VARIABLE}_level6_page0.json"),
        f"data/by-variable/{VARIABLE} level=6 page=1": load(f"data_{VARIABLE}_level6_page1.json"),
    }


def request_key(request: httpx.Request) -> str:
    """`path level=L page=P`: what tells recorded answers apart."""
    path = request.url.path.removeprefix("/api/v1/")
    parts = [path]
    if "unit-level" in request.url.params:
        parts.append(f"level={request.url.params['unit-level']}")
    if "page" in request.url.params:
        parts.append(f"page={request.url.params['page']}")
    return " ".join(parts)


class Successive:
    """Different answers to the same request, in turn (the last one repeats)."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)

    def next(self) -> Any:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


class Replay:
    """Answers requests from recorded responses; any other request fails the test."""

    def __init__(self, routes: dict[str, Any]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = request_key(request)
        if key not in self.routes:
            raise AssertionError(f"unexpected request {key!r}: {request.url}")
        answer = self.routes[key]
        if isinstance(answer, Successive):
            answer = answer.next()
        if callable(answer):
            return answer(request)
        if isinstance(answer, httpx.Response):
            # A fresh copy: one Response object is not meant to be sent twice.
            return httpx.Response(answer.status_code, headers=answer.headers,
                                  content=answer.content)
        if isinstance(answer, bytes):
            return httpx.Response(200, content=answer)
        return httpx.Response(200, json=answer)

    def keys(self) -> list[str]:
        return [request_key(request) for request in self.requests]


class FakeClock:
    """Time that passes only when the code under test sleeps."""

    def __init__(self) -> None:
        self.time = 1_000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.time += seconds


def client_on(replay: Callable[[httpx.Request], httpx.Response], *,
              clock: FakeClock | None = None, **options: Any) -> BdlClient:
    """A client on recorded responses, with a fake clock and pages of three."""
    options.setdefault("page_size", 3)
    return BdlClient(transport=httpx.MockTransport(replay), clock=clock or FakeClock(),
                     **options)
