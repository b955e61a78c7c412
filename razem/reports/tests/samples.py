"""Sample documents for the tests and for timing the renderers (the bench).

    from razem.reports.tests.samples import long_document
    from razem.reports.render import render_pdf
    render_pdf(long_document(charts=15))
"""

from __future__ import annotations

from datetime import date

from razem.reports.document import (
    BulletList,
    Chart,
    Column,
    Document,
    Meta,
    Note,
    Paragraph,
    Section,
    Source,
    Table,
)

GMINAS = ["Łosice", "Huszlew", "Olszanka", "Platerów", "Sarnaki", "Stara Kornica", "Żelechów"]
SOURCE = "Źródło: GUS, Bank Danych Lokalnych"


def population_chart(number: int = 1) -> Chart:
    values = [
        {"gmina": gmina, "rok": year, "ludnosc": 1000 * number + 250 * i - 3.5 * (year - 2015)}
        for i, gmina in enumerate(GMINAS)
        for year in range(2015, 2024)
    ]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container",
        "height": 240,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "rok", "type": "ordinal", "title": "Rok"},
            "y": {"field": "ludnosc", "type": "quantitative", "title": "Ludność"},
            "color": {"field": "gmina", "type": "nominal", "title": "Gmina"},
        },
    }
    table = Table(
        caption=f"Ludność gmin w latach 2015–2023 (dane do wykresu {number})",
        columns=["Gmina", "Rok", Column("Ludność", decimals=1)],
        rows=[[v["gmina"], v["rok"], v["ludnosc"]] for v in values],
    )
    return Chart(
        title=f"Wykres {number}. Ludność gmin partnerstwa",
        vega_lite_spec=spec,
        table=table,
        description="Liczba ludności maleje powoli we wszystkich gminach.",
    )


def short_document() -> Document:
    return Document(
        title="Portret partnerstwa „Razem dla Rozwoju”",
        subtitle="Diagnoza społeczno-gospodarcza",
        meta=Meta(publisher="Partnerstwo „Razem dla Rozwoju”", author="Zespół diagnozy",
                  date=date(2026, 3, 2)),
        sections=[
            Section("Demografia", level=1, blocks=[
                Paragraph("Wnioski: liczba ludności maleje w większości gmin partnerstwa."),
                Table(
                    caption="Ludność i gęstość zaludnienia, 2023",
                    columns=["Gmina", Column("Ludność", decimals=0),
                             Column("Gęstość (os./km²)", decimals=1)],
                    rows=[["Łosice", 6843, 1222.5], ["Żelechów", 3712, None]],
                ),
                population_chart(1),
                Source(SOURCE),
            ]),
            Section("Rynek pracy", level=2, blocks=[
                BulletList(["Bezrobocie spada.", "Przybywa podmiotów gospodarczych."]),
                Note("Dane za 2023 r. są wstępne."),
            ]),
        ],
    )


def long_document(charts: int = 15) -> Document:
    """About 20 pages of A4 with `charts` charts: the size of a partnership portrait."""
    text = (
        "Gminy partnerstwa leżą na wschodnim Mazowszu, przy granicy z Podlasiem. "
        "Ludność starzeje się, a młodzi wyjeżdżają do Warszawy i Siedlec. "
    ) * 6
    sections = []
    for number in range(1, charts + 1):
        sections.append(Section(f"Rozdział {number}. Demografia i gospodarka", level=1, blocks=[
            Paragraph(text),
            Paragraph("Wnioski: liczba ludności maleje w większości gmin partnerstwa."),
            population_chart(number),
            Source(SOURCE),
        ]))
    document = short_document()
    document.sections = sections
    return document
