"""HTML of the portrait's data tables, written in Python.

The overview alone shows several hundred cells; Django's template loops
spend tens of milliseconds on them, a join of escaped strings well under one.
The markup follows razem.css: a named, focusable scrolling region around a
captioned table, row headers, numeric cells marked for alignment.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from razem.portrait.presenters import DataTable


def render(table: DataTable, language: str, table_id: str) -> SafeString:
    caption_id = f"{table_id}-caption"
    numeric = ' class="numeric"'
    head = "".join(
        f'<th scope="col"{numeric if column.numeric else ""}>{escape(column.label)}</th>'
        for column in table.columns
    )
    body = []
    for row in table.formatted(language):
        header = escape(row["header"])
        if row["href"]:
            header = f'<a href="{escape(row["href"])}">{header}</a>'
        cells = "".join(
            f'<td class="numeric">{escape(cell["text"])}</td>' if cell["numeric"]
            else f"<td>{escape(cell['text'])}</td>"
            for cell in row["cells"]
        )
        css = ' class="aggregate"' if row["emphasis"] else ""
        body.append(f'<tr{css}><th scope="row">{header}</th>{cells}</tr>')
    note = f'\n<p class="help">{escape(table.note)}</p>' if table.note else ""
    # Every piece of text above is escaped.
    return mark_safe(
        f'<div class="table-scroll" role="region" aria-labelledby="{caption_id}" tabindex="0">\n'
        f'<table>\n<caption id="{caption_id}">{escape(table.caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body)
        + f"\n</tbody>\n</table>\n</div>{note}"
    )
