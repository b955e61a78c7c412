"""Property tests of the BDL export parser: no input crashes it, valid tables round-trip."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from razem.indicators.bdl_csv import BdlCsvError, parse_bdl_csv
from razem.indicators.tests.bdl_samples import HEADER

DATASET = "zbior"

texts = st.one_of(
    st.text(),
    st.text().map(lambda tail: f"{HEADER}\n{tail}"),
    st.lists(st.sampled_from(["1410023", '"Łosice (3)"', "10787", "1 234,5", "-", "", "x",
                              '"', "12,3,4", "\r"]), max_size=8)
    .map(lambda fields: f"{HEADER}\n" + ";".join(fields)),
)


@settings(max_examples=300, deadline=None)
@given(st.binary())
def test_arbitrary_bytes_raise_nothing_but_bdl_csv_error(data: bytes) -> None:
    try:
        parse_bdl_csv(data, dataset=DATASET)
    except BdlCsvError:
        pass


@settings(max_examples=300, deadline=None)
@given(texts)
def test_arbitrary_text_raises_nothing_but_bdl_csv_error(text: str) -> None:
    try:
        parse_bdl_csv(text.encode("utf-8", errors="surrogatepass"), dataset=DATASET)
    except BdlCsvError:
        pass


# Labels as GUS could write them: printable text without the separators the format uses.
labels = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                           blacklist_characters=';|[]"'),
    min_size=1, max_size=20,
).map(str.strip).filter(lambda s: s and not re.fullmatch(r"[0-9]{4}", s))
names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
    max_size=30,
).map(str.strip).filter(lambda s: s and not re.fullmatch(r".*\([0-9]\)", s, re.DOTALL))
columns = st.lists(
    st.tuples(st.lists(labels, max_size=3).map(tuple), labels, st.integers(1990, 2030)),
    min_size=1, max_size=6, unique_by=lambda column: (column[0], column[1], column[2]),
)
values = st.one_of(
    st.none(),
    st.tuples(st.booleans(), st.integers(0, 10**16 - 1), st.text("0123456789", max_size=4)),
)
codes = st.sampled_from([2, 4, 7]).flatmap(
    lambda length: st.integers(0, 10**length - 1).map(lambda n: f"{n:0{length}d}"))


def _number(value: tuple[bool, int, str] | None, grouped: bool) -> tuple[str, Decimal | None]:
    if value is None:
        return "-", None
    negative, whole, fraction = value
    digits = f"{whole:,}".replace(",", "\u00a0") if grouped else str(whole)
    text = ("-" if negative else "") + digits + (f",{fraction}" if fraction else "")
    return text, Decimal(("-" if negative else "") + str(whole) + (f".{fraction}" if fraction
                                                                     else ""))


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@settings(max_examples=150, deadline=None)
@given(
    columns=columns,
    rows=st.lists(st.tuples(codes, names, st.sampled_from([None, "1", "2", "3"])),
                  min_size=1, max_size=8, unique_by=lambda row: row[0]),
    data=st.data(),
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    grouped=st.booleans(),
)
def test_generated_tables_round_trip(columns, rows, data, newline, bom, grouped) -> None:
    header = ['"Kod"', '"Nazwa"'] + [
        _quote(";".join([*dims, str(year), f"[{unit}]"])) for dims, unit, year in columns]
    lines, expected = [";".join(header) + ";"], []
    for code, name, gmina_type in rows:
        cells = [_number(v, grouped) for v in data.draw(st.lists(
            values, min_size=len(columns), max_size=len(columns)))]
        label = f"{name} ({gmina_type})" if gmina_type else name
        lines.append(";".join([code, _quote(label), *(text for text, _ in cells)]) + ";")
        expected.append((code, name, gmina_type, tuple(value for _, value in cells)))
    raw = ("\ufeff" if bom else "") + newline.join(lines) + newline

    table = parse_bdl_csv(raw.encode("utf-8"), dataset=DATASET)

    assert [(r.code, r.name, r.gmina_type, r.values) for r in table.rows] == expected
    assert [(c.dimensions, c.unit, c.year) for c in table.columns] == columns
    assert [r.line for r in table.rows] == list(range(2, len(rows) + 2))
