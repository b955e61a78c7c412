"""The strategy document: the legal structure, exact money, notes for what is missing,
the PDF and DOCX files, the page and sending the document to consultation."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation

from razem.conftest import client_for
from razem.core.models import AuditLogEntry
from razem.reports import document as doc
from razem.reports import registry
from razem.reports.registry import ReportError
from razem.strategy import document as strategy_document
from razem.strategy.demo import PROJECTS, ensure_strategy
from razem.strategy.document import build_strategy_document, section_headings
from razem.strategy.models import ProjectCost, Strategy

pytestmark = pytest.mark.django_db


def _noop(*_args) -> None:
    return None


@pytest.fixture
def registered():
    previous = registry.get(strategy_document.KIND)
    strategy_document.register_report()
    yield registry.get(strategy_document.KIND)
    if previous is not None:
        registry.register(previous.kind, title=previous.title, builder=previous.builder,
                          permission=previous.permission, subject=previous.subject)
    else:
        registry.unregister(strategy_document.KIND)


@pytest.fixture
def strategy(partnership_a, coordinator, officer, advisor) -> Strategy:
    return ensure_strategy(partnership_a, coordinator, officer, advisor)


def _build(partnership, language: str = "pl") -> doc.Document:
    with translation.override(language):
        return build_strategy_document(partnership, language=language, progress=_noop)


def _section(document: doc.Document, key: str) -> doc.Section:
    index = [k for k, _label in strategy_document.SECTIONS].index(key)
    with translation.override(document.language):
        heading = section_headings()[index]
    return next(s for s in document.sections if s.heading == heading)


def _tables(section: doc.Section) -> list[doc.Table]:
    return [b for b in section.blocks if isinstance(b, doc.Table)]


def test_the_document_follows_the_order_of_the_act(strategy):
    document = _build(strategy.partnership)
    with translation.override("pl"):
        expected = [str(translation.gettext("Introduction")), *section_headings()]
    assert [s.heading for s in document.sections if s.level == 1] == expected
    assert len(expected) == 12
    assert document.title == strategy.title


def test_every_part_of_the_demo_strategy_is_filled(strategy):
    document = _build(strategy.partnership, "en")
    results = _tables(_section(document, "results"))[0]
    assert len(results.rows) == 6
    areas = _tables(_section(document, "areas"))[0]
    assert sorted(row[1] for row in areas.rows) == ["from the voivodeship strategy",
                                                    "the partnership's own"]
    goals = [s for s in document.sections if s.level == 2 and s.heading.startswith("Goal ")]
    # Each goal once under "goals" and once under "directions".
    assert len(goals) == 6
    for key in ("goals", "results", "spatial_model", "spatial_policy", "areas", "projects",
                "implementation", "financing", "monitoring"):
        # The test cast has no boundaries, so only the maps are missing.
        notes = [b.text for b in _section(document, key).blocks
                 if isinstance(b, doc.Note) and "boundaries" not in b.text]
        assert notes == [], key


def test_the_results_table_shows_baseline_and_target_with_years(strategy):
    document = _build(strategy.partnership, "en")
    rows = _tables(_section(document, "results"))[0].rows
    seniors = next(row for row in rows if row[1] == "Więcej miejsc opieki dziennej dla "
                                                   "seniorów")
    assert seniors[2:] == ["Miejsca w dziennych domach seniora", "miejsca", "15 (2021)",
                           "90 (2030)"]


def test_the_diagnosis_names_the_indicators_of_each_conclusion(strategy, coordinator):
    from razem.portrait.actions import create_conclusion

    create_conclusion(partnership=strategy.partnership, by=coordinator, kind="weakness",
                      dimension="environmental_spatial", text="Mało kanalizacji.",
                      indicator_codes=["sewage_share"])
    document = _build(strategy.partnership, "en")
    items = [item for s in document.sections if s.level == 2
             for b in s.blocks if isinstance(b, doc.BulletList) for item in b.items]
    assert any("Mało kanalizacji." in item and "[sewage_share]" in item for item in items)


def test_money_is_summed_exactly(strategy):
    document = _build(strategy.partnership, "en")
    expected = sum((Decimal(amount) for spec in PROJECTS for amount in spec.costs.values()),
                   Decimal("0"))
    assert expected == ProjectCost.objects.filter(
        project__partnership=strategy.partnership).aggregate(total=Sum("planned"))["total"]
    projects = _tables(_section(document, "projects"))[0]
    assert len(projects.rows) == 13
    assert projects.rows[-1][3] == expected
    assert sum(row[3] for row in projects.rows[:-1]) == expected
    assert all(isinstance(row[3], Decimal) for row in projects.rows)
    by_source, by_year = _tables(_section(document, "financing"))[:2]
    assert by_source.rows[-1][2] == expected == by_year.rows[-1][1]
    assert sum(row[1] for row in by_year.rows[:-1]) == expected
    # The grosze survive: two projects' costs end in ,50 and ,25.
    assert expected % 1 == Decimal("0.75")
    assert projects.formatted_rows("pl")[-1][3].endswith(",75")


def test_the_financing_chart_carries_its_data_and_table(strategy):
    document = _build(strategy.partnership, "en")
    charts = [b for b in _section(document, "financing").blocks if isinstance(b, doc.Chart)]
    assert len(charts) == 1
    chart = charts[0]
    assert chart.vega_lite_spec["data"]["values"]
    assert len(chart.table.rows) == len(chart.vega_lite_spec["data"]["values"])


def test_the_ranking_is_summarised_when_it_can_be_computed(strategy):
    pytest.importorskip("razem.strategy.ranking_actions")
    document = _build(strategy.partnership, "en")
    ranking = next(t for t in _tables(_section(document, "projects"))
                   if t.caption == "Ranking of the key projects")
    assert len(ranking.rows) == 12
    assert sorted(row[0] for row in ranking.rows) == list(range(1, 13))


def test_a_strategy_with_nothing_still_builds_with_notes(partnership_b):
    Strategy.objects.create(partnership=partnership_b, title="Strategia w budowie")
    document = _build(partnership_b, "en")
    headings = [s.heading for s in document.sections if s.level == 1]
    with translation.override("en"):
        assert headings[1:] == section_headings()
    notes = [b.text for s in document.sections for b in s.blocks if isinstance(b, doc.Note)]
    assert "No strategic goals have been set yet." in notes
    assert "No project cards have been written yet." in notes
    assert len(notes) >= 11


def test_no_strategy_is_a_report_error(partnership_b):
    with pytest.raises(ReportError):
        _build(partnership_b)


def test_the_document_renders_to_pdf_and_docx(strategy):
    import docx
    from pypdf import PdfReader

    from razem.reports.render import render_docx, render_pdf

    document = _build(strategy.partnership)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(
        render_pdf(document))).pages)
    assert "Nadbużański szlak rowerowy" in text
    word = docx.Document(io.BytesIO(render_docx(document)))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    for heading in section_headings_pl():
        assert heading in headings


def section_headings_pl() -> list[str]:
    with translation.override("pl"):
        return section_headings()


def test_the_report_kind_is_registered_for_members(registered):
    assert registered.permission == "strategy.view_internal"
    assert registered.builder is build_strategy_document


# --- the page -------------------------------------------------------------------------


def _document_url(partnership) -> str:
    return reverse("strategy:document", args=[partnership.slug])


@pytest.mark.parametrize("who", ["coordinator", "officer", "advisor", "observer"])
def test_members_see_the_document_page(request, strategy, registered, who):
    response = client_for(request.getfixturevalue(who)).get(
        _document_url(strategy.partnership))
    assert response.status_code == 200
    assert reverse("reports:request", args=[strategy.partnership.slug, "strategy", "pdf"]) \
        in response.content.decode()


def test_only_the_coordinator_is_offered_the_consultation_form(strategy, coordinator,
                                                               officer):
    url = reverse("strategy:send_to_consultation", args=[strategy.partnership.slug])
    assert url in client_for(coordinator).get(_document_url(strategy.partnership)).content.decode()
    assert url not in client_for(officer).get(_document_url(strategy.partnership)).content.decode()


def test_the_page_works_before_the_strategy_exists(partnership_b, outsider):
    response = client_for(outsider).get(_document_url(partnership_b))
    assert response.status_code == 200
    assert b'action="/p/' not in response.content.split(b"<main")[1]


def test_an_outsider_gets_404_even_for_a_published_strategy(strategy, outsider):
    assert strategy.published_at is not None
    assert client_for(outsider).get(_document_url(strategy.partnership)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(strategy):
    assert client_for(None).get(_document_url(strategy.partnership)).status_code == 302
    url = reverse("strategy:send_to_consultation", args=[strategy.partnership.slug])
    assert client_for(None).post(url).status_code == 302


# --- sending to consultation -----------------------------------------------------------


def _send_url(partnership) -> str:
    return reverse("strategy:send_to_consultation", args=[partnership.slug])


@pytest.mark.parametrize("who, status", [("officer", 403), ("advisor", 403),
                                         ("observer", 403), ("outsider", 404)])
def test_only_the_coordinator_sends_to_consultation(request, strategy, who, status):
    response = client_for(request.getfixturevalue(who)).post(_send_url(strategy.partnership))
    assert response.status_code == status
    strategy.refresh_from_db()
    assert strategy.draft is None


def test_sending_creates_a_draft_then_a_new_version(strategy, coordinator):
    pytest.importorskip("razem.consultations.drafting_actions")
    client = client_for(coordinator)
    response = client.post(_send_url(strategy.partnership))
    strategy.refresh_from_db()
    draft = strategy.draft
    assert draft is not None and draft.kind == "strategy" and draft.title == strategy.title
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:draft_detail",
                                           args=[strategy.partnership.slug, draft.pk])
    first = draft.latest_version()
    assert first.number == 1
    assert first.chapters.filter(level=1).count() == 12

    response = client.post(_send_url(strategy.partnership), {"note": "Poprawione cele"})
    assert response.status_code == 302
    strategy.refresh_from_db()
    assert strategy.draft == draft
    second = draft.latest_version()
    assert second.number == 2 and second.note == "Poprawione cele"
    assert AuditLogEntry.objects.filter(action="strategy.send_to_consultation",
                                        partnership=strategy.partnership).count() == 2


def test_a_too_long_note_is_refused_and_nothing_is_saved(strategy, coordinator):
    pytest.importorskip("razem.consultations.drafting_actions")
    client = client_for(coordinator)
    client.post(_send_url(strategy.partnership))
    strategy.refresh_from_db()
    response = client.post(_send_url(strategy.partnership), {"note": "x" * 501})
    assert response.status_code == 400
    assert strategy.draft.latest_version().number == 1


def test_sending_needs_a_strategy(partnership_b, outsider):
    assert client_for(outsider).post(_send_url(partnership_b)).status_code == 404


def test_sending_only_by_post(strategy, coordinator):
    assert client_for(coordinator).get(_send_url(strategy.partnership)).status_code == 405


def _give_square_boundaries(partnership) -> None:
    # Gminas side by side in a row of 0.1° squares, so neighbours share an edge; rings
    # clockwise, as in the data pack (d3 reads a counter-clockwise ring as the globe).
    for index, unit in enumerate(partnership.units.filter(kind="gmina").order_by("teryt")):
        west, south = 22.0 + 0.1 * index, 52.0
        ring = [[west, south], [west, south + 0.1], [west + 0.1, south + 0.1],
                [west + 0.1, south], [west, south]]
        unit.boundary = {"type": "Polygon", "coordinates": [ring]}
        unit.bbox_min_lon, unit.bbox_min_lat = west, south
        unit.bbox_max_lon, unit.bbox_max_lat = west + 0.1, south + 0.1
        unit.save()
    partnership.save()  # a new updated_at: the cached map is rebuilt


def test_the_maps_are_drawn_when_the_boundaries_exist(strategy):
    from razem.reports.render import chart_svg

    _give_square_boundaries(strategy.partnership)
    document = _build(strategy.partnership, "en")
    for key in ("spatial_model", "areas"):
        charts = [b for b in _section(document, key).blocks if isinstance(b, doc.Chart)]
        assert len(charts) == 1, key
        chart = charts[0]
        assert "url" not in chart.vega_lite_spec["data"]
        assert len(chart.table.rows) == 15
        assert chart_svg(chart, "en").lstrip().startswith("<svg")
    areas_map = next(b for b in _section(document, "areas").blocks if isinstance(b, doc.Chart))
    labels = {row[2] for row in areas_map.table.rows}
    assert {"Dolina Bugu", "outside the intervention areas"} <= labels
    assert labels == set(areas_map.vega_lite_spec["encoding"]["color"]["scale"]["domain"])
