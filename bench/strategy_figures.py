"""Non-HTTP benchmark of the strategy's prioritisation (registered in bench.run.FIGURES).

Pure computation: it reads and writes nothing in the database.
"""

from __future__ import annotations

import time

RANKING_PROJECTS = 200
RANKING_CRITERIA = 10
RANKING_RUNS = 1000


def ranking_sensitivity() -> dict[str, float]:
    """Ranking 200 projects on 10 criteria (16 units' scores, TOPSIS and VIKOR) with a
    1,000-run sensitivity analysis: best of 3 (issue 6 asks for under 2 s)."""
    from dataclasses import replace

    from razem.strategy.prioritisation import benchmark_problem, compute

    problem = replace(benchmark_problem(RANKING_PROJECTS, RANKING_CRITERIA),
                      sensitivity_runs=RANKING_RUNS)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        ranking = compute(problem)
        timings.append(time.perf_counter() - started)
    seconds = min(timings)
    print(f"bench: ranking_sensitivity: {len(ranking.projects)} projects, "
          f"{len(problem.criteria)} criteria, {problem.sensitivity_runs} runs: {seconds:.3f} s "
          f"(best of 3)")
    return {"ranking_sensitivity_s": round(seconds, 3)}
