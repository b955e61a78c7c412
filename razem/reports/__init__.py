"""Reports: one way to turn any page into PDF and DOCX.

1. Build a `razem.reports.document.Document` (sections of paragraphs, lists,
   tables, Vega-Lite charts each with its data table, notes and sources).
   Give page specs that load data from a URL their data with
   `document.inline_data(spec, values)`: rendering never touches the network.
2. Register the builder once, in your AppConfig.ready():
   `razem.reports.registry.register(kind, title=..., builder=..., permission=...)`.
3. Put the buttons on your page:
   `{% include "reports/includes/request_buttons.html" with partnership=partnership kind="portrait" title=... %}`
   They POST to /p/<slug>/raporty/<kind>/<pdf|docx>/, which queues a
   `ReportJob` run by `manage.py db_worker` and shows its progress.

`render.render_pdf(document)` and `render.render_docx(document)` give the bytes
directly (tests, benchmarks).
"""
