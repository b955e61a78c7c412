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


EXPORT_RESPONSES = 100_000
EXPORT_QUESTIONS = 30
EXPORT_BATCH = 5_000


def survey_export() -> dict[str, float]:
    """The CSV export (codes) of 100,000 generated responses to a 30-question survey.

    Timed end to end as the view streams it: the query, decoding, formatting, encoding
    (the bytes are counted and dropped, as a socket would take them). The peak memory is
    tracemalloc's peak of Python allocations during a second, untimed pass (tracemalloc
    slows the code it watches): what the export itself holds, independent of the
    process's earlier history, which is why the RSS high-water mark (ru_maxrss) is only
    printed. The survey and its rows are deleted afterwards.
    """
    import itertools
    import resource
    import tracemalloc

    from django.db import transaction
    from django.utils import timezone

    from bench import survey_data
    from razem.core.models import Partnership
    from razem.surveys import exports
    from razem.surveys.models import Channel, Response, Survey

    partnership = Partnership.objects.get(slug=DEMO)
    gminas = list(partnership.units.filter(kind="gmina").values_list("teryt", flat=True))
    today = timezone.localdate()
    survey = Survey(partnership=partnership, slug="bench-eksport", audience="resident",
                    title="Ankieta do pomiaru eksportu", gdpr_clause="-", opens_on=today,
                    closes_on=today)
    survey.set_questionnaire(survey_data.definition(EXPORT_QUESTIONS))
    survey.save()
    try:
        rows = survey_data.answers(survey.questionnaire, gminas, EXPORT_RESPONSES)
        while True:
            batch = [Response(survey=survey, answers=answers, channel=Channel.GENERATED,
                              submitted_on=today)
                     for answers in itertools.islice(rows, EXPORT_BATCH)]
            if not batch:
                break
            with transaction.atomic():
                Response.objects.bulk_create(batch)

        def export() -> int:
            return sum(len(piece) for piece in exports.csv_chunks(survey))

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        size = export()
        seconds = time.perf_counter() - started
        rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
        tracemalloc.start()
        try:
            export()
            peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()
    finally:
        survey.delete()
    print(f"bench: survey_export: {size / 2**20:.1f} MB of CSV; RSS high-water mark grew "
          f"{rss_growth_mb:.1f} MB during the timed pass (earlier benchmarks set it)")
    return {"survey_export_s": round(seconds, 3), "survey_export_peak_mb": round(peak_mb, 2)}
