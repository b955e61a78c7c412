"""Non-HTTP benchmarks of the portrait (registered in bench.run.FIGURES).

Each runs in the harness's process on the bench database that `load_demo`
filled, and leaves it as it found it.
"""

from __future__ import annotations

import time
from pathlib import Path

DEMO = "razem-dla-rozwoju"


def bdl_import() -> dict[str, float]:
    """All files of the data pack's BDL exports into an empty statistics table."""
    from django.conf import settings
    from django.db import transaction

    from razem.indicators.importing import import_paths
    from razem.indicators.models import ImportRun, Observation, Variable

    exports = Path(settings.RAZEM_DATA_DIR) / "bdl" / "exports"
    with transaction.atomic():
        Observation.objects.all().delete()
        Variable.objects.all().delete()
        ImportRun.objects.all().delete()
    started = time.perf_counter()
    import_paths([exports])
    return {"bdl_import_s": round(time.perf_counter() - started, 3)}


def portrait_compute() -> dict[str, float]:
    """All catalogue indicators and both synthetic measures, every gmina and year."""
    from razem.indicators import compute
    from razem.indicators.catalogue import load_catalogue
    from razem.indicators.models import Observation

    catalogue = load_catalogue()
    rows = Observation.objects.filter(
        variable__code__in=catalogue.variable_codes(), unit__kind="gmina"
    ).values_list("unit__teryt", "variable__code", "year", "value")
    frame = compute.observations_frame(list(rows))
    seconds = min(compute.benchmark_compute(frame, catalogue) for _ in range(3))
    return {"portrait_compute_s": round(seconds, 3)}


def portrait_pdf() -> dict[str, float]:
    """The whole "Portret partnerstwa" PDF of the demo partnership, built and rendered."""
    from django.utils import translation

    from razem.core.models import Partnership
    from razem.reports import registry
    from razem.reports.render import render_pdf

    partnership = Partnership.objects.get(slug=DEMO)
    kind = registry.get("portrait")
    with translation.override("pl"):
        started = time.perf_counter()
        document = kind.builder(partnership, language="pl", progress=lambda *_: None)
        pdf = render_pdf(document)
        seconds = time.perf_counter() - started
    return {"portrait_pdf_s": round(seconds, 3), "portrait_pdf_kb": round(len(pdf) / 1024, 1)}


def survey_analysis() -> dict[str, float]:
    """Weighting and every table of 100,000 synthetic responses to 30 questions."""
    from razem.surveys.analysis import benchmark_analysis

    return {"survey_analysis_s": round(min(benchmark_analysis(100_000, 30) for _ in range(3)), 3)}
