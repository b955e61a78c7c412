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


PAGE_WARMUP = 5
PAGE_REQUESTS = 50


def consultation_page() -> dict[str, float]:
    """The public draft page of a consultation of 300 paragraphs and 2,000 comments, warm:
    in-process (django.test.Client), p50 of PAGE_REQUESTS requests after a warm-up; and
    the queries of one warm request (they must not grow with the number of comments)."""
    import statistics

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench import consultation_data
    from razem.core.models import Partnership

    partnership = Partnership.objects.get(slug=DEMO)
    with consultation_data.bench_consultation(partnership) as consultation:
        url = reverse("consultations:draft", args=[partnership.slug, consultation.slug])
        # The bench settings allow only the loopback names, not the test client's default.
        client = Client(HTTP_HOST="127.0.0.1")
        for _ in range(PAGE_WARMUP):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        timings = []
        for _ in range(PAGE_REQUESTS):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
    return {"consultation_page_p50_ms": round(statistics.median(timings), 2),
            "consultation_page_queries": len(queries)}


def consultation_report() -> dict[str, float]:
    """The consultation report (sprawozdanie) of 2,000 comments: the Document built and
    rendered to PDF (what a report job does); the DOCX is timed beside it."""
    from django.utils import translation

    from bench import consultation_data
    from razem.consultations.reports import build_consultation_document
    from razem.core.models import Partnership
    from razem.reports.render import render_docx, render_pdf

    partnership = Partnership.objects.get(slug=DEMO)
    with consultation_data.bench_consultation(partnership) as consultation, \
            translation.override("pl"):
        started = time.perf_counter()
        document = build_consultation_document(partnership, language="pl",
                                               progress=lambda *_: None, subject=consultation)
        built = time.perf_counter() - started
        pdf = render_pdf(document)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        build_consultation_document(partnership, language="pl", progress=lambda *_: None,
                                    subject=consultation)
        render_docx(document)
        docx_seconds = time.perf_counter() - started
    print(f"bench: consultation_report: document built in {built:.2f} s; PDF "
          f"{len(pdf) / 2**20:.1f} MB")
    return {"consultation_report_s": round(seconds, 3),
            "consultation_report_docx_s": round(docx_seconds, 3)}
