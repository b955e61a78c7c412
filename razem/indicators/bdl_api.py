"""Sync of statistical variables from the public GUS BDL API (https://bdl.stat.gov.pl/api/v1/).

Written on httpx rather than on pybdl (docs/decisions.md, "BDL API client"): the sync
needs one rate limiter shared by every request, a clock that tests can fake, and an
HTTP transport that tests replace with recorded responses.

Shape of a sync, per variable: one probe request (the voivodeships, one page) tells
the API's `lastUpdate` of the variable's data. Unchanged since the last sync and no
new years asked for: the variable is done, nothing else is fetched. Otherwise every
level is fetched page by page, and only then written, in one transaction per
variable, so a failure leaves earlier variables synced and this one untouched.
"""

from __future__ import annotations

import json
import math
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, Self

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from razem.core.actions import log_action
from razem.core.models import Partnership
from razem.indicators.models import (
    Flag,
    ImportRun,
    Observation,
    ObservationChange,
    Source,
    SyncState,
    Variable,
)
from razem.territory.models import Unit

DEFAULT_BASE_URL = "https://bdl.stat.gov.pl/api/v1"
PAGE_SIZE = 100  # the API's maximum page size
# Unit levels of the API (samples_raw_levels.json): 0 Poland, 1 macroregions,
# 2 voivodeships, 3 regions, 4 subregions, 5 powiats, 6 gminas. Poland is not fetched:
# no Unit can hold it (units are voivodeships, powiats and gminas), and every national
# figure the portrait needs is an aggregate of the gminas stored here. Level 2 comes
# first because its single page is the probe that carries `lastUpdate`.
LEVELS = (2, 5, 6)
# Attributes (samples_raw_attributes.json) whose value is not a figure: "x"/"X" no
# information or statistical secrecy, "-" not published at this level, "n" not yet
# available. All others ("a" below the precision, "s" estimate, "M" method change...)
# carry a real value.
MISSING_ATTRIBUTES = frozenset({4, 14, 15, 50, 91})
# Parts of gminas (4 town, 5 rural area of an urban-rural gmina, 8 Warsaw district,
# 9 delegation) are published at level 6 too, but are not units of their own.
GMINA_PART_TYPES = frozenset("4589")
VALUE_PLACES = Decimal("0.0001")  # Observation.value has four decimal places
MAX_PAGES = 1000


# --- BDL unit ids ------------------------------------------------------------------

def teryt_from_bdl_id(bdl_id: str) -> str | None:
    """The TERYT code a 12-digit BDL unit id encodes, or None for units without one.

    Layout `MMWWRSSPPGGT`: macroregion, voivodeship (TERYT WW), region, subregion
    (two digits), powiat (TERYT PP), gmina (TERYT GG) and gmina type (TERYT R).
    Macroregions, regions and subregions are statistical (NUTS) units, renumbered
    when NUTS changes, which is why matching goes through the TERYT part only.
    Poland (all zeros) and statistical localities (`…-0199020`) give None.
    """
    if not isinstance(bdl_id, str) or len(bdl_id) != 12 or not bdl_id.isascii() \
            or not bdl_id.isdigit():
        return None
    voivodeship, powiat, gmina, kind = bdl_id[2:4], bdl_id[7:9], bdl_id[9:11], bdl_id[11]
    if voivodeship == "00":
        return None
    if powiat == "00":
        # Voivodeship itself, or a region/subregion inside it (which have no TERYT).
        return voivodeship if bdl_id[4:] == "00000000" else None
    if gmina == "00":
        return voivodeship + powiat if kind == "0" else None
    return voivodeship + powiat + gmina + kind if kind != "0" else None


# --- errors ------------------------------------------------------------------------

class BdlApiError(Exception):
    """The API could not be used; the message says why, in the user's language."""


class BdlQuotaError(BdlApiError):
    """Going on would mean waiting longer than allowed for the rate limit."""


# --- rate limiting -----------------------------------------------------------------

class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass(frozen=True)
class Quota:
    requests: int
    seconds: float


# The limits GUS publishes for the BDL API (api.stat.gov.pl/Home/BdlApi), the same
# figures pybdl enforces: anonymous clients, and clients sending their key in X-ClientId.
ANONYMOUS_QUOTAS = (
    Quota(5, 1), Quota(100, 15 * 60), Quota(1_000, 12 * 3600), Quota(10_000, 7 * 24 * 3600),
)
REGISTERED_QUOTAS = (
    Quota(10, 1), Quota(500, 15 * 60), Quota(5_000, 12 * 3600), Quota(50_000, 7 * 24 * 3600),
)


class RateLimiter:
    """At most `requests` in any window of `seconds`, for every quota at once.

    A log of request times rather than a token bucket: a bucket refilled at N per
    period lets almost 2N through in one period after an idle spell, while the API
    counts requests in rolling windows. The log is per process; a second sync
    running in parallel has its own, and the API's 429 answer is the safety net.
    """

    def __init__(self, quotas: Sequence[Quota], clock: Clock, *, max_wait: float,
                 margin: float = 0.05) -> None:
        self.quotas = tuple(quotas)
        self.clock = clock
        self.max_wait = max_wait
        # The API counts arrivals, not departures: a little slack against network jitter.
        self.margin = margin
        self._longest = max((q.seconds for q in self.quotas), default=0)
        self._log: deque[float] = deque(maxlen=max((q.requests for q in self.quotas), default=1))

    def wait_time(self) -> float:
        now = self.clock.now()
        wait = 0.0
        for quota in self.quotas:
            # Free when the quota.requests-th most recent request has left the window.
            if len(self._log) >= quota.requests:
                wait = max(wait, self._log[-quota.requests] + quota.seconds + self.margin - now)
        return wait

    def acquire(self) -> None:
        """Block (on the clock) until a request is allowed, then count it."""
        while (wait := self.wait_time()) > 0:
            if wait > self.max_wait:
                raise BdlQuotaError(_(
                    "The BDL API rate limit would require waiting %(minutes)d min, longer "
                    "than allowed (%(allowed)d min). What was synced so far is kept: run the "
                    "sync again later, or set BDL_API_KEY for higher limits."
                ) % {"minutes": math.ceil(wait / 60), "allowed": math.ceil(self.max_wait / 60)})
            self.clock.sleep(wait)
        now = self.clock.now()
        while self._log and self._log[0] <= now - self._longest:
            self._log.popleft()
        self._log.append(now)


# --- the client --------------------------------------------------------------------

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class BdlClient:
    """GET requests to the BDL API: rate-limited, retried, decoded, paged."""

    def __init__(
        self,
        *,
        api_key: str = "",
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        max_wait: float = 15 * 60,
        retries: int = 4,
        backoff: float = 1.0,
        timeout: float = 60.0,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.api_key = api_key.strip()
        self.page_size = max(1, min(page_size, PAGE_SIZE))
        self.base_url = base_url.rstrip("/")
        self.clock = clock or SystemClock()
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.requests_made = 0
        quotas = REGISTERED_QUOTAS if self.api_key else ANONYMOUS_QUOTAS
        self.limiter = RateLimiter(quotas, self.clock, max_wait=max_wait)
        headers = {"Accept": "application/json", "User-Agent": "Razem (platforma partnerstw JST)"}
        if self.api_key:
            headers["X-ClientId"] = self.api_key
        self._http = httpx.Client(headers=headers, transport=transport, timeout=timeout)

    @classmethod
    def from_settings(cls, **overrides: Any) -> BdlClient:
        options: dict[str, Any] = {
            "api_key": getattr(settings, "BDL_API_KEY", "") or "",
            "base_url": getattr(settings, "BDL_API_URL", "") or DEFAULT_BASE_URL,
        }
        return cls(**{**options, **overrides})

    @property
    def registered(self) -> bool:
        return bool(self.api_key)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        url = f"{self.base_url}/{path.lstrip('/')}"
        query = {"format": "json", "lang": "pl", **(params or {})}
        problem = ""
        for attempt in range(self.retries + 1):
            self.limiter.acquire()
            self.requests_made += 1
            retry_after = 0.0
            try:
                response = self._http.get(url, params=query)
            except httpx.TransportError as error:
                problem = _("network error: %(error)s") % {"error": error.__class__.__name__}
            else:
                if response.status_code == 200:
                    return _decode(response, url)
                if response.status_code not in RETRY_STATUSES:
                    raise _refusal(response, url)
                if response.status_code == 429:
                    problem = _("too many requests (HTTP 429)")
                else:
                    problem = f"HTTP {response.status_code}"
                retry_after = _retry_after(response)
            if attempt == self.retries:
                break
            delay = max(self.backoff * 2**attempt, retry_after)
            if delay > self.max_wait:
                break
            self.clock.sleep(delay)
        raise BdlApiError(_(
            "The BDL API did not answer correctly (%(problem)s) for %(url)s; attempts made: "
            "%(attempts)d. Try again later."
        ) % {"attempts": attempt + 1, "problem": problem, "url": url})

    def pages(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every page of a collection, in order.

        Pages are asked for by number with our own parameters instead of following
        `links.next` verbatim: that way the key in X-ClientId only ever goes to the
        configured address. `totalRecords` says when to stop; without it, `links.next`.
        """
        page = 0
        while True:
            body = self.get_json(path, {**params, "page": page, "page-size": self.page_size})
            yield body
            results = body.get("results")
            total = body.get("totalRecords")
            size = body.get("pageSize")
            size = size if isinstance(size, int) else self.page_size
            if not results:
                return
            if isinstance(total, int):
                if (page + 1) * max(size, 1) >= total:
                    return
            elif not (body.get("links") or {}).get("next"):
                return
            page += 1
            if page >= MAX_PAGES:
                raise _malformed(path, _("too many pages"))

    def variable(self, variable_id: str) -> dict[str, Any]:
        return self.get_json(f"variables/{variable_id}")

    def subject(self, subject_id: str) -> dict[str, Any]:
        return self.get_json(f"subjects/{subject_id}")

    def data_by_variable(
        self, variable_id: str, *, level: int, years: Sequence[int] | None
    ) -> Iterator[DataPage]:
        path = f"data/by-variable/{variable_id}"
        params: dict[str, Any] = {"unit-level": level}
        if years:
            params["year"] = list(years)
        for body in self.pages(path, params):
            yield parse_data_page(body, f"{self.base_url}/{path}")


def _decode(response: httpx.Response, url: str) -> dict[str, Any]:
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        raise _malformed(url, _("not JSON")) from None
    if not isinstance(body, dict):
        raise _malformed(url, _("expected a JSON object"))
    return body


def _malformed(url: str, problem: str) -> BdlApiError:
    return BdlApiError(_("The BDL API returned malformed data for %(url)s: %(problem)s.")
                       % {"url": url, "problem": problem})


def _refusal(response: httpx.Response, url: str) -> BdlApiError:
    if response.status_code == 404:
        return BdlApiError(_("The BDL API has no such resource (HTTP 404): %(url)s. "
                             "Check the variable id.") % {"url": url})
    detail = response.text.strip().replace("\n", " ")[:200]
    return BdlApiError(_("The BDL API refused the request (HTTP %(status)d) for %(url)s: "
                         "%(detail)s") % {"status": response.status_code, "url": url,
                                          "detail": detail})


def _retry_after(response: httpx.Response) -> float:
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else 0.0


# --- data pages --------------------------------------------------------------------

@dataclass(frozen=True)
class DataRow:
    bdl_id: str
    name: str
    year: int
    value: Decimal | None
    flag: str


@dataclass(frozen=True)
class DataPage:
    last_update: str
    rows: list[DataRow]


def parse_data_page(body: dict[str, Any], url: str) -> DataPage:
    """Rows of one `data/by-variable` page; anything unexpected is a malformed response."""
    results = body.get("results")
    if not isinstance(results, list):
        raise _malformed(url, _("no list of results"))
    rows = []
    for result in results:
        if not isinstance(result, dict) or not isinstance(result.get("id"), str) \
                or not isinstance(result.get("values", []), list):
            raise _malformed(url, _("a result without a unit id or values"))
        for item in result.get("values", []):
            rows.append(_row(result, item, url))
    # Without a stamp the variable never counts as unchanged: fetched again, never missed.
    return DataPage(last_update=str(body.get("lastUpdate") or ""), rows=rows)


def _row(result: dict[str, Any], item: Any, url: str) -> DataRow:
    unit = result["id"]
    if not isinstance(item, dict):
        raise _malformed(url, _("a value that is not an object for unit %(unit)s")
                         % {"unit": unit})
    year_text, raw, attribute = item.get("year"), item.get("val"), item.get("attrId")
    try:
        year = int(str(year_text))
    except ValueError:
        raise _malformed(url, _("bad year %(year)s for unit %(unit)s")
                         % {"year": year_text, "unit": unit}) from None
    if attribute in MISSING_ATTRIBUTES or raw is None:
        value, flag = None, Flag.MISSING
    else:
        value, flag = _decimal(raw), Flag.NONE
        if value is None:
            raise _malformed(url, _("bad value %(value)s for unit %(unit)s, year %(year)d")
                             % {"value": raw, "unit": unit, "year": year})
    return DataRow(unit, str(result.get("name", "")), year, value, flag)


def _decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    try:
        value = Decimal(str(raw)).quantize(VALUE_PLACES)
    except InvalidOperation:  # NaN, infinity, beyond the precision
        return None
    return value if value.is_finite() and abs(value) < Decimal(10) ** 16 else None


# --- the sync ----------------------------------------------------------------------

@dataclass
class VariableOutcome:
    variable_id: str
    code: str
    name: str = ""
    skipped: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class SyncReport:
    label: str = ""
    run: ImportRun | None = None
    outcomes: list[VariableOutcome] = field(default_factory=list)
    unmatched: set[str] = field(default_factory=set)
    requests: int = 0

    @property
    def created(self) -> int:
        return sum(o.created for o in self.outcomes)

    @property
    def updated(self) -> int:
        return sum(o.updated for o in self.outcomes)

    @property
    def unchanged(self) -> int:
        return sum(o.unchanged for o in self.outcomes)


def variable_code(variable_id: str) -> str:
    """The Variable.code of an API variable; catalogue aliases with `bdl_id` resolve to it."""
    return f"bdl:{variable_id}"


def sync_variables(
    *,
    client: BdlClient,
    variable_ids: Sequence[str],
    years: Sequence[int] | None = None,
    partnership: Any = None,
    user: Any = None,
    on_variable: Callable[[VariableOutcome], None] | None = None,
) -> SyncReport:
    """Fetch and store the given API variables for every voivodeship, powiat and gmina.

    All gminas rather than the partnership's: one paged request per level covers the
    members and every comparison group at once. `years=None` asks for every year.
    Raises BdlApiError; variables finished before the error stay stored.
    """
    units = _UnitIndex()
    report = SyncReport(label=("API BDL: " + ", ".join(map(str, variable_ids)))[:255])
    try:
        for variable_id in variable_ids:
            outcome = _sync_one(client, str(variable_id), years, units, report, partnership,
                                user)
            report.outcomes.append(outcome)
            if on_variable:
                on_variable(outcome)
    except Exception:
        _finish(report, client, partnership, user, completed=False)
        raise
    _finish(report, client, partnership, user, completed=True)
    return report


def _finish(report: SyncReport, client: BdlClient, partnership: Any, user: Any, *,
            completed: bool) -> None:
    report.requests = client.requests_made
    if report.run is None and not completed:
        return  # a failed sync that stored nothing leaves no trace
    with transaction.atomic():
        if report.run is None:
            report.run = ImportRun.objects.create(
                partnership=partnership, user=user, source=Source.BDL_API,
                file_name=report.label)
        report.run.unmatched = sorted(report.unmatched)
        report.run.finished_at = timezone.now()
        report.run.save(update_fields=["unmatched", "finished_at"])


def _sync_one(client: BdlClient, variable_id: str, years: Sequence[int] | None,
              units: _UnitIndex, report: SyncReport, partnership: Any,
              user: Any) -> VariableOutcome:
    code = variable_code(variable_id)
    outcome = VariableOutcome(variable_id, code)
    variable = Variable.objects.filter(code=code).first()
    state = SyncState.objects.filter(variable=variable).first() if variable else None

    probe_pages = client.data_by_variable(variable_id, level=LEVELS[0], years=years)
    first = next(probe_pages)
    to_fetch = _years_to_fetch(state, first.last_update, years)
    if to_fetch is False:
        outcome.name = variable.name if variable else ""
        outcome.skipped = True
        return outcome

    rows = list(first.rows)
    for page in probe_pages:
        rows.extend(page.rows)
    for level in LEVELS[1:]:
        for page in client.data_by_variable(variable_id, level=level, years=to_fetch or None):
            rows.extend(page.rows)
    meta = None if variable else _metadata(client, variable_id)

    run = report.run
    with transaction.atomic():
        if variable is None:
            variable = Variable.objects.create(code=code, source=Source.BDL_API,
                                               source_id=variable_id, **meta)
        outcome.name = variable.name
        if run is None:
            # Created with the first stored variable, so a failed sync leaves no empty run.
            run = ImportRun.objects.create(partnership=partnership, user=user,
                                           source=Source.BDL_API, file_name=report.label)
        _store_rows(variable, rows, units, run, report.unmatched, outcome)
        _save_state(variable, state, first.last_update, years)
        # The outcome joins report.outcomes only once this transaction is through.
        run.created = report.created + outcome.created
        run.updated = report.updated + outcome.updated
        run.unchanged = report.unchanged + outcome.unchanged
        run.save(update_fields=["created", "updated", "unchanged"])
        if outcome.created or outcome.updated:
            log_action(actor=user, partnership=partnership, action="import.bdl_api",
                       obj=run, changes={"variable": code, "created": outcome.created,
                                         "updated": outcome.updated})
            Partnership.objects.touch()
    report.run = run
    return outcome


def _years_to_fetch(state: SyncState | None, last_update: str,
                    years: Sequence[int] | None) -> list[int] | None | bool:
    """False: nothing to fetch. None: every year. A list: just those years."""
    fresh = state is not None and bool(last_update) and state.last_update == last_update
    if not fresh:
        return sorted(years) if years else None
    if years is None:
        return False if state.all_years else None
    missing = [] if state.all_years else sorted(set(years) - set(state.years))
    return missing or False


def _save_state(variable: Variable, state: SyncState | None, last_update: str,
                years: Sequence[int] | None) -> None:
    unchanged_stamp = state is not None and state.last_update == last_update and last_update
    if state is None:
        state = SyncState(variable=variable)
    if not unchanged_stamp:
        # A new stamp invalidates what earlier syncs fetched.
        state.years, state.all_years = [], False
    if years is None:
        state.all_years = True
    else:
        state.years = sorted(set(state.years) | set(years))
    state.last_update = last_update
    state.synced_at = timezone.now()
    state.save()


def _metadata(client: BdlClient, variable_id: str) -> dict[str, Any]:
    """Name, dimensions and unit of measure of a variable new to the database."""
    detail = client.variable(variable_id)
    dimensions = [str(detail[key]) for key in sorted(detail)
                  if key[:1] == "n" and key[1:].isdigit() and detail[key]]
    subject_name = ""
    if isinstance(detail.get("subjectId"), str):
        subject_name = str(client.subject(detail["subjectId"]).get("name", "")).strip()
    name = subject_name or f"BDL {variable_id}"
    if dimensions:
        name = f"{name}: {'; '.join(dimensions)}"
    return {
        "name": name[:300],
        "dimensions": dimensions,
        "measure_unit": str(detail.get("measureUnitName", ""))[:40],
    }


class _UnitIndex:
    """Our units by TERYT code, and by the BDL id the boundary import recorded."""

    def __init__(self) -> None:
        self.by_teryt: dict[str, int] = {}
        self.by_bdl_id: dict[str, int] = {}
        for pk, teryt, bdl_id in Unit.objects.values_list("pk", "teryt", "bdl_id"):
            self.by_teryt[teryt] = pk
            if bdl_id:
                self.by_bdl_id[bdl_id] = pk

    def find(self, bdl_id: str) -> int | None | bool:
        """The unit's pk; None if it has no match; False if it is a part of a gmina."""
        teryt = teryt_from_bdl_id(bdl_id)
        if teryt and len(teryt) == 7 and teryt[-1] in GMINA_PART_TYPES:
            return False
        if teryt and teryt in self.by_teryt:
            return self.by_teryt[teryt]
        return self.by_bdl_id.get(bdl_id)


def _store_rows(variable: Variable, rows: list[DataRow], units: _UnitIndex, run: ImportRun,
                unmatched: set[str], outcome: VariableOutcome) -> None:
    """Create, update or leave each value; a changed value is logged with its old one."""
    incoming: dict[tuple[int, int], DataRow] = {}
    for row in rows:
        unit_id = units.find(row.bdl_id)
        if unit_id is False:
            continue
        if unit_id is None:
            unmatched.add(f"{row.bdl_id} {row.name}".strip())
            continue
        incoming[(unit_id, row.year)] = row
    years = {year for _unit, year in incoming}
    existing = {
        (o.unit_id, o.year): o
        for o in Observation.objects.filter(variable=variable, year__in=years)
    }
    now = timezone.now()
    new, changed, changes = [], [], []
    for (unit_id, year), row in incoming.items():
        old = existing.get((unit_id, year))
        if old is None:
            new.append(Observation(unit_id=unit_id, variable=variable, year=year,
                                   value=row.value, flag=row.flag, source=Source.BDL_API,
                                   imported_at=now))
        elif old.value == row.value and old.flag == row.flag:
            outcome.unchanged += 1
        else:
            changes.append(ObservationChange(run=run, observation=old,
                                             old_value=old.value, new_value=row.value,
                                             old_flag=old.flag, new_flag=row.flag))
            old.value, old.flag, old.source, old.imported_at = (
                row.value, row.flag, Source.BDL_API, now)
            changed.append(old)
    Observation.objects.bulk_create(new, batch_size=500)
    Observation.objects.bulk_update(changed, ["value", "flag", "source", "imported_at"],
                                    batch_size=500)
    ObservationChange.objects.bulk_create(changes, batch_size=500)
    outcome.created += len(new)
    outcome.updated += len(changed)



# --- years -------------------------------------------------------------------------

FIRST_YEAR, LAST_YEAR = 1995, 2100  # BDL starts in 1995


def parse_years(text: str) -> list[int]:
    """`2019`, `2016-2019` or `2016,2018,2019` → sorted list of years."""
    message = _("Give years as YYYY, YYYY-YYYY or a comma-separated list, e.g. 2016-2019 "
                "(between %(first)d and %(last)d).") % {"first": FIRST_YEAR, "last": LAST_YEAR}
    years: set[int] = set()
    for part in text.replace(" ", "").split(","):
        bounds = part.split("-")
        if len(bounds) > 2 or not all(b.isascii() and b.isdigit() and len(b) == 4
                                      for b in bounds):
            raise ValueError(message)
        start, end = int(bounds[0]), int(bounds[-1])
        if start > end or start < FIRST_YEAR or end > LAST_YEAR:
            raise ValueError(message)
        years.update(range(start, end + 1))
    return sorted(years)
