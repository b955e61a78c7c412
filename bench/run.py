"""`make bench`: load-test the production server and record the figures.

Runs every HTTP scenario in SCENARIOS with wrk against one gunicorn on an
isolated database, runs every non-HTTP benchmark in FIGURES, prints a table
and merges the figures into var/bench/latest.json.

Extending it (later issues):
  * an HTTP page: append `Scenario("name", "/path/")` to SCENARIOS;
  * anything else: append a callable returning {"figure_name": number} to
    FIGURES; Django is set up on the bench database before it is called.

Entry point: `.venv/bin/python -m bench.run [scenario-name ...]`.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bench import figures, strategy_figures, survey_submit

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "var" / "bench"
RUN_DIR = BENCH_DIR / "run"
LATEST = BENCH_DIR / "latest.json"
GUNICORN_LOG = BENCH_DIR / "gunicorn.log"

WRK_THREADS = 2
WRK_CONNECTIONS = 16
DEFAULT_DURATION = "10s"
STARTUP_TIMEOUT_S = 30.0
POLL_INTERVAL_S = 0.1
WARMUP_REQUESTS = 20
WARMUP_DURATION = "3s"
READY_PATH = "/health/"
# The survey form's rate limit stays on (its code runs on every post) but far above what
# wrk sends from one address, so it never refuses.
SURVEY_RATE_LIMIT = "1000000/60"


class Load(Protocol):
    """What a scenario that posts adds to a plain GET scenario (bench/survey_submit.py)."""

    def wrk_arguments(self) -> tuple[list[str], list[str]]:
        """(wrk options such as `-s script`, arguments after the URL); called per wrk run."""
        ...

    def begin(self) -> None:
        """Called just before the measured run."""
        ...

    def finish(self, output: str) -> tuple[dict[str, float], list[str]]:
        """(figures, failures) from the measured run's wrk output and the database."""
        ...


@dataclass(frozen=True)
class Scenario:
    """One URL load-tested with wrk; figures are named `<name>_rps` etc."""

    name: str
    path: str
    connections: int = WRK_CONNECTIONS
    # Builds the scenario's Load from the server's base URL, once per round.
    load: Callable[[str], Load] | None = None
    # Figures the Load reports beside rps and latencies.
    extra_keys: tuple[str, ...] = ()


# Later issues add their page here, one entry each.
SCENARIOS: list[Scenario] = [
    Scenario("partnership_page", "/p/razem-dla-rozwoju/"),
    # The demo publishes its portrait, so the overview is served to anonymous visitors.
    Scenario("portrait_overview", "/p/razem-dla-rozwoju/portret/"),
    # The cheapest response through the same middleware: the floor the page is compared to.
    Scenario("empty_view", "/health/"),
    # Valid responses posted to an open demo survey by 50 concurrent clients, each with its
    # own submission key; every acknowledged one must be in the database afterwards.
    Scenario("survey_submit", survey_submit.PATH, connections=50,
             load=survey_submit.SubmitLoad.start, extra_keys=("survey_lost_responses",)),
    # The floor for survey_submit, at the same concurrency.
    Scenario("empty_view_c50", "/health/", connections=50),
]

# Non-HTTP benchmarks: each returns a flat {"figure_name": number}.
FIGURES: list[Callable[[], dict[str, float]]] = [
    figures.portrait_compute,
    figures.portrait_pdf,
    figures.survey_analysis,
    figures.survey_export,
    figures.consultation_page,
    figures.consultation_report,
    strategy_figures.ranking_sensitivity,
    figures.bdl_import,  # last: it empties and refills the statistics the others read
]

# Ratios printed and recorded as `<key>`: numerator / denominator figures.
RATIOS: dict[str, tuple[str, str]] = {
    "partnership_page_ratio": ("partnership_page_rps", "empty_view_rps"),
    "survey_submit_ratio": ("survey_submit_rps", "empty_view_c50_rps"),
}

# Figures that count events (a lost response) are added up over the rounds: a median
# would hide what happened in one round.
TOTALS: set[str] = {"survey_lost_responses"}
# Figures that fail the run unless they are zero.
MUST_BE_ZERO: set[str] = {"survey_lost_responses"}


# --- wrk output parsing (pure, unit-tested in razem/core/tests/test_bench_parse.py) ---


@dataclass(frozen=True)
class WrkResult:
    requests_per_s: float | None
    p50_ms: float | None
    p99_ms: float | None
    requests: int
    non_2xx: int
    socket_errors: int

    @property
    def failures(self) -> list[str]:
        """Why the run can't be trusted as a speed figure (empty when it can)."""
        reasons = []
        if self.non_2xx:
            reasons.append(f"{self.non_2xx} non-2xx responses")
        if self.socket_errors:
            reasons.append(f"{self.socket_errors} socket errors")
        if not self.requests:
            reasons.append("no completed requests")
        if None in (self.requests_per_s, self.p50_ms, self.p99_ms):
            reasons.append("wrk output incomplete (run with --latency?)")
        return reasons


# wrk formats latencies as e.g. "812.00us", "1.15ms", "2.03s" (and m/h when very slow).
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def duration_to_ms(text: str) -> float:
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"unrecognised wrk duration {text!r}")
    return float(match.group(1)) * _UNIT_MS[match.group(2)]


def _percentile_ms(output: str, percent: int) -> float | None:
    match = re.search(rf"^\s*{percent}%\s+(\S+)\s*$", output, re.MULTILINE)
    try:
        return duration_to_ms(match.group(1)) if match else None
    except ValueError:
        return None  # e.g. "-nan" from a run with no responses: reported as incomplete.


def _int_after(pattern: str, output: str) -> int:
    match = re.search(pattern, output, re.MULTILINE)
    return int(match.group(1)) if match else 0


def parse_wrk(output: str) -> WrkResult:
    """Figures from `wrk --latency` output; missing counters mean zero (wrk omits them)."""
    rps = re.search(r"^Requests/sec:\s+([0-9.]+)", output, re.MULTILINE)
    # wrk prints "Socket errors: connect 0, read 0, write 0, timeout 0" only when any occur.
    errors = re.search(r"^\s*Socket errors:(.*)$", output, re.MULTILINE)
    socket_errors = sum(int(n) for n in re.findall(r"\d+", errors.group(1))) if errors else 0
    return WrkResult(
        requests_per_s=float(rps.group(1)) if rps else None,
        p50_ms=_percentile_ms(output, 50),
        p99_ms=_percentile_ms(output, 99),
        requests=_int_after(r"^\s*(\d+) requests in ", output),
        # wrk's wording; it counts status >= 400 (3xx are caught at warm-up instead).
        non_2xx=_int_after(r"^\s*Non-2xx or 3xx responses:\s+(\d+)", output),
        socket_errors=socket_errors,
    )


# --- environment -------------------------------------------------------------


def ensure_wrk() -> str:
    """Path of wrk, installing the Debian package when missing (the harness runs as root)."""
    found = shutil.which("wrk")
    if found:
        return found
    # Wait for a dpkg lock held by another apt run instead of failing at once.
    apt = ["apt-get", "-o", "DPkg::Lock::Timeout=120"]
    for command in ([*apt, "install", "-y", "-q", "wrk"],
                    # A fresh machine may have no package lists yet: refresh once and retry.
                    [*apt, "update", "-q"],
                    [*apt, "install", "-y", "-q", "wrk"]):
        print("bench: wrk not found, running:", " ".join(command), flush=True)
        try:
            subprocess.run(command, check=False)
        except FileNotFoundError:
            break
        if shutil.which("wrk"):
            return str(shutil.which("wrk"))
    sys.exit("bench: wrk is missing and `apt-get install -y wrk` failed; "
             "install the Debian package wrk (as root) and run again.")


def use_bench_environment() -> None:
    """Point this process (and so every child) at a throwaway production-like instance."""
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "razem.settings",
        "RAZEM_VAR_DIR": str(RUN_DIR),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "RAZEM_SURVEY_RATE_LIMIT": SURVEY_RATE_LIMIT,
    })
    # Never benchmark (and migrate) the developer's own database by accident.
    os.environ.pop("DATABASE_URL", None)
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    # Production mode redirects plain HTTP to HTTPS: every request would be a 301.
    os.environ.pop("RAZEM_PRODUCTION", None)


def manage(*args: str) -> None:
    command = [sys.executable, "manage.py", *args]
    print("bench:", " ".join(command[1:]), flush=True)
    # Output only matters when the step fails; the demo import is chatty otherwise.
    result = subprocess.run(command, cwd=REPO, check=False, capture_output=True, text=True)
    if result.returncode:
        print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
        sys.exit(f"bench: `manage.py {' '.join(args)}` failed (exit {result.returncode})")


def prepare_database() -> None:
    # A fresh directory each run, so figures never depend on a previous run's rows.
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    manage("migrate", "--no-input", "-v", "0")
    manage("collectstatic", "--no-input", "-v", "0")
    manage("load_demo")


# --- server ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_answering(base_url: str, server: subprocess.Popen[bytes]) -> None:
    # Any HTTP status (even 404) means the workers are serving; the cheap view keeps the
    # server log free of errors from pages that are not ready yet.
    url = base_url + READY_PATH
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(POLL_INTERVAL_S)
    raise RuntimeError(f"gunicorn did not answer within {STARTUP_TIMEOUT_S:.0f} s")


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the master and its workers: they share the process group started for them."""
    for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def gunicorn() -> Iterator[str]:
    """A production gunicorn on a free loopback port; yields its base URL."""
    port = free_port()
    # As in production (README): one sync worker per core. More workers than cores
    # measured slower for every page (bench/README.md).
    workers = int(os.environ.get("BENCH_WORKERS") or os.cpu_count() or 1)
    # No --access-logfile: gunicorn then writes no access log, which would cost time per request.
    # No control socket: its default path is shared by every gunicorn of this user, so a
    # bench beside another gunicorn (make demo, a second bench) would take over its socket.
    command = [sys.executable, "-m", "gunicorn", "razem.wsgi:application",
               "-b", f"127.0.0.1:{port}", "-w", str(workers), "--no-control-socket"]
    print(f"bench: gunicorn, {workers} workers, port {port}, log {GUNICORN_LOG}", flush=True)
    with open(GUNICORN_LOG, "wb") as log:
        server = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_until_answering(base_url, server)
        except RuntimeError as error:
            print(GUNICORN_LOG.read_text(errors="replace")[-3000:], file=sys.stderr)
            sys.exit(f"bench: {error}; its log is above and in {GUNICORN_LOG}")
        yield base_url
    finally:
        stop(server)


# --- running -----------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # A redirect is a failed scenario, not something to follow.


def warm_up(url: str) -> str | None:
    """Fill the workers' caches; returns why the URL is unfit for a benchmark, if it is."""
    opener = urllib.request.build_opener(_NoRedirect)
    for _ in range(WARMUP_REQUESTS):
        try:
            with opener.open(url, timeout=10) as response:
                response.read()
        except urllib.error.HTTPError as error:
            # wrk does not count 3xx as errors, so this is where redirects are caught.
            return f"warm-up got HTTP {error.code}"
        except (urllib.error.URLError, OSError) as error:
            return f"warm-up failed: {error}"
    return None


def wrk_duration() -> str:
    value = os.environ.get("BENCH_DURATION", DEFAULT_DURATION).strip()
    if value.isdigit():
        value += "s"
    if not re.fullmatch(r"\d+[smh]", value):
        sys.exit(f"bench: BENCH_DURATION must look like 10 or 10s or 1m, got {value!r}")
    return value


def run_wrk(wrk: str, url: str, duration: str, connections: int = WRK_CONNECTIONS,
            load: Load | None = None) -> str:
    """wrk's output (parse it with parse_wrk; a Load's script adds its own lines)."""
    options, arguments = load.wrk_arguments() if load else ([], [])
    command = [wrk, f"-t{WRK_THREADS}", f"-c{connections}", f"-d{duration}", "--latency",
               *options, url, *arguments]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode or result.stderr.strip():
        print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
    return result.stdout


def run_scenario(wrk: str, base_url: str, scenario: Scenario, duration: str) -> dict[str, float]:
    """Figures of one scenario, or {} (with the reason printed) when it failed."""
    url = base_url + scenario.path
    try:
        # First: a Load may create what its URL needs.
        load = scenario.load(base_url) if scenario.load else None
    except Exception as error:  # noqa: BLE001 - reported as this scenario's failure.
        print(f"bench: FAILED {scenario.name} ({scenario.path}): {error!r}; "
              f"server log: {GUNICORN_LOG.relative_to(REPO)}", flush=True)
        return {}
    problem = warm_up(url)  # A GET, also for a posting scenario: its form must be served.
    if problem:
        print(f"bench: FAILED {scenario.name} ({scenario.path}): {problem}; "
              f"server log: {GUNICORN_LOG.relative_to(REPO)}", flush=True)
        return {}
    # A short unmeasured load first: every gunicorn worker builds its own caches on its
    # first requests (the portrait computes all gminas once per process), and a single
    # warm-up request reaches only one of them.
    run_wrk(wrk, url, WARMUP_DURATION, scenario.connections, load)
    if load:
        load.begin()
    print(f"bench: {scenario.name}: wrk -c{scenario.connections} {duration} on {scenario.path}",
          flush=True)
    output = run_wrk(wrk, url, duration, scenario.connections, load)
    result = parse_wrk(output)
    extra, failures = load.finish(output) if load else ({}, [])
    failures = result.failures + failures
    if failures:
        print(f"bench: FAILED {scenario.name} ({scenario.path}): {', '.join(failures)}")
        return {}
    assert result.requests_per_s is not None and result.p50_ms is not None
    assert result.p99_ms is not None
    return {f"{scenario.name}_rps": result.requests_per_s,
            f"{scenario.name}_p50_ms": result.p50_ms,
            f"{scenario.name}_p99_ms": result.p99_ms, **extra}


def bench_rounds() -> int:
    value = os.environ.get("BENCH_ROUNDS", "3").strip()
    if not value.isdigit() or int(value) < 1:
        sys.exit(f"bench: BENCH_ROUNDS must be a positive integer, got {value!r}")
    return int(value)


def median_figures(results: list[dict[str, float]]) -> dict[str, float]:
    """Per-figure median over rounds (the sum for TOTALS); {} when any round failed (a
    failure is never averaged away)."""
    if not results or not all(results):
        return {}
    return {key: sum(r[key] for r in results) if key in TOTALS
            else round(statistics.median(r[key] for r in results), 2) for key in results[0]}


def run_figures() -> tuple[dict[str, float], list[str]]:
    """Run the FIGURES hooks in-process, with Django set up on the bench database."""
    figures: dict[str, float] = {}
    failed: list[str] = []
    # BENCH_FIGURES=0 skips them for a quick look at the HTTP scenarios alone.
    if not FIGURES or os.environ.get("BENCH_FIGURES", "1") == "0":
        return figures, failed
    import django

    django.setup()
    for hook in FIGURES:
        name = getattr(hook, "__name__", repr(hook))
        try:
            figures.update(hook())
        except Exception as error:  # noqa: BLE001 - one broken hook must not hide the rest.
            print(f"bench: FAILED {name}: {error!r}")
            failed.append(name)
    return figures, failed


def add_ratios(figures: dict[str, float]) -> None:
    for key, (numerator, denominator) in RATIOS.items():
        if figures.get(numerator) and figures.get(denominator):
            figures[key] = figures[numerator] / figures[denominator]


# --- reporting ---------------------------------------------------------------


def scenario_keys(scenarios: list[Scenario]) -> set[str]:
    keys = {f"{s.name}_{suffix}" for s in scenarios for suffix in ("rps", "p50_ms", "p99_ms")}
    return keys | {key for s in scenarios for key in s.extra_keys}


def print_table(scenarios: list[Scenario], figures: dict[str, float]) -> None:
    print(f"\n{'scenario':<24}{'requests/s':>12}{'p50 ms':>10}{'p99 ms':>10}")
    for scenario in scenarios:
        name = scenario.name
        if f"{name}_rps" not in figures:
            print(f"{name:<24}{'FAILED':>12}")
            continue
        rps, p50, p99 = (figures[f"{name}_{key}"] for key in ("rps", "p50_ms", "p99_ms"))
        print(f"{name:<24}{rps:>12.1f}{p50:>10.2f}{p99:>10.2f}")
        for key in scenario.extra_keys:
            print(f"  {key}: {figures[key]:g}")
    for ratio, (numerator, denominator) in RATIOS.items():
        if ratio in figures:
            print(f"\n{ratio} = {numerator} / {denominator} = {figures[ratio]:.3f}")
    shown = scenario_keys(scenarios) | RATIOS.keys()
    for key, value in figures.items():
        if key not in shown:
            print(f"{key}: {value:.3f}")


def merge_latest(figures: dict[str, float], stale: set[str]) -> None:
    """Merge into latest.json, keeping other issues' figures and dropping this run's failed ones."""
    try:
        data = json.loads(LATEST.read_text())
    except FileNotFoundError:
        data = {}
    except ValueError:
        print(f"bench: {LATEST} was not valid JSON; starting it afresh")
        data = {}
    for key in stale:
        data.pop(key, None)
    data.update({key: round(value, 4) for key, value in figures.items()})
    tmp = LATEST.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    tmp.replace(LATEST)  # Atomic, so a reader never sees half a file.
    print(f"bench: figures written to {LATEST.relative_to(REPO)}")


def stale_keys(scenarios: list[Scenario], figures: dict[str, float]) -> set[str]:
    """Keys a failed scenario or ratio leaves behind from an earlier run: they'd look current."""
    keys = scenario_keys(scenarios)
    keys |= {ratio for ratio, pair in RATIOS.items() if keys & set(pair)}
    return keys - figures.keys()


def selected_scenarios(names: list[str]) -> list[Scenario]:
    if not names:
        return list(SCENARIOS)
    unknown = set(names) - {s.name for s in SCENARIOS}
    if unknown:
        sys.exit(f"bench: unknown scenario(s) {', '.join(sorted(unknown))}")
    return [s for s in SCENARIOS if s.name in names]


def main(argv: list[str]) -> int:
    scenarios = selected_scenarios(argv)
    duration = wrk_duration()
    wrk = ensure_wrk()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    # The harness's own environment becomes the bench one, so FIGURES hooks see it too.
    use_bench_environment()
    # `kill` of the harness must still stop gunicorn: turn SIGTERM into the finally path.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    prepare_database()
    figures: dict[str, float] = {}
    runs: dict[str, list[dict[str, float]]] = {s.name: [] for s in scenarios}
    with gunicorn() as base_url:
        # Rounds interleave the scenarios so a burst of load from elsewhere on the
        # machine hits all of them alike; the median of the rounds is reported.
        for _ in range(bench_rounds()):
            for scenario in scenarios:
                runs[scenario.name].append(run_scenario(wrk, base_url, scenario, duration))
    for results in runs.values():
        figures.update(median_figures(results))
    hook_figures, failed_hooks = run_figures()
    figures.update(hook_figures)
    add_ratios(figures)
    print_table(scenarios, figures)
    merge_latest(figures, stale_keys(scenarios, figures))
    failed = [s.name for s in scenarios if f"{s.name}_rps" not in figures] + failed_hooks
    failed += [f"{key} = {figures[key]:g}" for key in sorted(MUST_BE_ZERO) if figures.get(key)]
    if failed:
        print(f"bench: FAILED: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit("bench: interrupted")  # gunicorn is already stopped by the finally in gunicorn().
