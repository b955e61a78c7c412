"""A small, neutral model of a report document.

Every report (the partnership portrait, survey and consultation reports, the
strategy) is built as a `Document`, and `razem.reports.render` turns any
`Document` into PDF or DOCX. Builders therefore never touch HTML, WeasyPrint
or python-docx, and both formats always show the same content.

Pure: no Django, no database; numbers are formatted here so both renderers
(and tests) agree on "12 345,6".
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

Value = str | int | float | Decimal | None

# What a table shows where a value is missing (GUS uses a dash for "no data").
MISSING = "–"
# The Polish thousands separator is a (non-breaking) space, not d3's dot.
_NBSP = "\u00a0"


@dataclass(frozen=True)
class Column:
    """A table column. `decimals` set means the column holds numbers.

    Numbers are right-aligned and formatted for the document's language
    ("12 345,6" in Polish, "12,345.6" in English); `suffix` follows each
    number (" %", " zł").
    """

    label: str
    decimals: int | None = None
    suffix: str = ""

    @property
    def numeric(self) -> bool:
        return self.decimals is not None


@dataclass
class Meta:
    publisher: str = ""
    author: str = ""
    date: date | None = None


@dataclass
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str


@dataclass
class BulletList:
    kind: ClassVar[str] = "bullets"
    items: list[str]


@dataclass
class Table:
    """A table with a caption; `columns` may be plain labels or `Column`s."""

    kind: ClassVar[str] = "table"
    caption: str
    columns: Sequence[str | Column]
    rows: Sequence[Sequence[Value]]

    def __post_init__(self) -> None:
        self.columns = [c if isinstance(c, Column) else Column(c) for c in self.columns]
        width = len(self.columns)
        for number, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(
                    f"row {number} of table {self.caption!r} has {len(row)} cells, "
                    f"expected {width}"
                )

    def formatted_rows(self, language: str) -> list[list[str]]:
        return [
            [format_value(value, column, language) for value, column in zip(row, self.columns)]
            for row in self.rows
        ]


@dataclass
class Chart:
    """A Vega-Lite chart and the table with its numbers (every chart has one).

    The spec must carry its data inline (`data.values`): reports are rendered
    offline. A spec written for a page with a data URL is made printable with
    `inline_data(spec, values)`. `description` is the text alternative of the
    drawing; the title serves when it is empty.
    """

    kind: ClassVar[str] = "chart"
    title: str
    vega_lite_spec: dict[str, Any]
    table: Table
    description: str = ""

    @property
    def alt_text(self) -> str:
        return self.description or self.title


@dataclass
class Note:
    kind: ClassVar[str] = "note"
    text: str


@dataclass
class Source:
    """Where the numbers above come from, e.g. "Źródło: GUS, Bank Danych Lokalnych"."""

    kind: ClassVar[str] = "source"
    text: str


Block = Paragraph | BulletList | Table | Chart | Note | Source


@dataclass
class Section:
    heading: str
    level: int = 1
    blocks: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not 1 <= self.level <= 3:
            raise ValueError(f"section level must be 1, 2 or 3, got {self.level}")


@dataclass
class Document:
    title: str
    subtitle: str = ""
    meta: Meta = field(default_factory=Meta)
    sections: list[Section] = field(default_factory=list)
    language: str = "pl"

    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]


def format_number(value: float | Decimal, decimals: int, language: str) -> str:
    """Group thousands and round the way readers of `language` expect.

    Polish: decimal comma and a non-breaking space between thousands, also in
    four-digit numbers, as in GUS tables (columns of numbers stay aligned).
    The minus stays ASCII so that numbers copied into a spreadsheet parse.
    """
    text = f"{value:,.{decimals}f}"
    if language == "pl":
        integer, _, fraction = text.partition(".")
        text = integer.replace(",", _NBSP) + ("," + fraction if fraction else "")
    return text


def format_value(value: Value, column: Column, language: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if column.numeric and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        assert column.decimals is not None
        return format_number(value, column.decimals, language) + column.suffix
    return str(value)


def inline_data(spec: dict[str, Any], values: Any, *, name: str | None = None) -> dict[str, Any]:
    """A copy of `spec` whose data URL is replaced by `values`.

    Pages load big data (map GeoJSON) from a URL; reports must not fetch
    anything, so the caller passes the same data here. The `format` (e.g.
    `{"type": "json", "property": "features"}`) is kept, so a GeoJSON
    FeatureCollection can be given whole. With `name`, the named dataset in
    `datasets`/`data.name` is replaced instead of the top-level data.
    """
    spec = copy.deepcopy(spec)
    if name is not None:
        spec.setdefault("datasets", {})[name] = values
        return spec
    data = spec.get("data")
    if not isinstance(data, dict):
        raise ValueError("the spec has no top-level data to inline")
    data.pop("url", None)
    fmt = data.get("format") or {}
    prop = fmt.get("property")
    if prop and isinstance(values, dict):
        # Vega reads `format.property` only from loaded files; pick it out ourselves.
        for part in prop.split("."):
            values = values[part]
        fmt = {k: v for k, v in fmt.items() if k != "property"}
    data["values"] = values
    if fmt:
        data["format"] = fmt
    else:
        data.pop("format", None)
    return spec
