"""The wrk output parser of the benchmark harness (bench/run.py).

Lives here because pytest collects only razem/; `bench` is importable because
pytest puts the repository root (the parent of the `razem` package) on sys.path.
"""

from __future__ import annotations

import pytest

from bench.run import duration_to_ms, parse_wrk

# Written by hand in the exact format of `wrk -t2 -c16 -d10s --latency` (wrk 4.1.0).
FAILING_RUN = """\
Running 10s test @ http://127.0.0.1:41235/p/razem-dla-rozwoju/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     9.87ms    3.12ms  48.20ms   81.44%
    Req/Sec   814.37     92.15     1.01k    71.00%
  Latency Distribution
     50%    9.41ms
     75%   11.02ms
     90%   13.57ms
     99%   21.66ms
  16215 requests in 10.01s, 98.37MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 120
Requests/sec:   1619.88
Transfer/sec:      9.83MB
"""

CLEAN_RUN = """\
Running 10s test @ http://127.0.0.1:41235/health/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.46ms  610.22us  12.04ms   88.10%
    Req/Sec     5.58k   402.17     6.21k    69.50%
  Latency Distribution
     50%  812.00us
     75%    1.60ms
     90%    2.01ms
     99%    1.02s
  111064 requests in 10.00s, 35.59MB read
Requests/sec:  11105.81
Transfer/sec:      3.56MB
"""


def test_clean_run_gives_throughput_and_percentiles_in_ms() -> None:
    result = parse_wrk(CLEAN_RUN)
    assert result.requests_per_s == pytest.approx(11105.81)
    assert result.p50_ms == pytest.approx(0.812)  # microseconds converted
    assert result.p99_ms == pytest.approx(1020.0)  # seconds converted
    assert result.requests == 111064
    assert (result.non_2xx, result.socket_errors) == (0, 0)
    assert result.failures == []


def test_non_2xx_and_socket_errors_make_the_run_a_failure() -> None:
    result = parse_wrk(FAILING_RUN)
    assert result.requests_per_s == pytest.approx(1619.88)
    assert result.p50_ms == pytest.approx(9.41)
    assert result.p99_ms == pytest.approx(21.66)
    assert result.non_2xx == 120
    assert result.socket_errors == 5
    assert result.failures == ["120 non-2xx responses", "5 socket errors"]


def test_output_without_latency_distribution_is_a_failure() -> None:
    # Without --latency wrk prints no percentiles: the run must not pass as a figure.
    without = "\n".join(line for line in CLEAN_RUN.splitlines() if "%" not in line)
    result = parse_wrk(without)
    assert result.p50_ms is None
    assert result.failures


def test_empty_output_is_a_failure() -> None:
    assert "no completed requests" in parse_wrk("").failures


@pytest.mark.parametrize(
    ("text", "ms"),
    [("250.00us", 0.25), ("1.50ms", 1.5), ("2.00s", 2000.0), ("1.00m", 60000.0)],
)
def test_duration_units(text: str, ms: float) -> None:
    assert duration_to_ms(text) == pytest.approx(ms)


def test_unknown_unit_is_rejected() -> None:
    with pytest.raises(ValueError):
        duration_to_ms("3.00 parsecs")


def test_unparsable_percentile_is_a_failure_not_a_crash() -> None:
    result = parse_wrk(CLEAN_RUN.replace("812.00us", "-nan"))
    assert result.p50_ms is None
    assert result.failures


def test_median_of_rounds_ignores_one_disturbed_round() -> None:
    from bench.run import median_figures

    rounds = [{"x_rps": 100.0}, {"x_rps": 10.0}, {"x_rps": 110.0}]
    assert median_figures(rounds) == {"x_rps": 100.0}


def test_a_failed_round_fails_the_scenario() -> None:
    from bench.run import median_figures

    assert median_figures([{"x_rps": 100.0}, {}]) == {}
