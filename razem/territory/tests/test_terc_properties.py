"""Property tests of the TERC parser: no input crashes it, valid rows round-trip."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from razem.territory.importers import ImportFileError, parse_terc
from razem.territory.models import UnitKind
from razem.territory.tests.conftest import HEADER

# A name as GUS could write it: any printable text without the delimiter or line breaks.
names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters=";"),
    min_size=1, max_size=60,
).map(str.strip).filter(bool)
texts = st.one_of(
    st.text(),
    st.text().map(lambda tail: f"{HEADER}\n{tail}"),
    st.lists(st.sampled_from(["14", "10", "02", "3", "Łosice", "", "2020-01-01", "x"]),
             max_size=9).map(lambda fields: f"{HEADER}\n" + ";".join(fields)),
)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_arbitrary_text_raises_nothing_but_import_file_error(text: str) -> None:
    try:
        parse_terc(text.encode("utf-8", errors="surrogatepass"))
    except ImportFileError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_arbitrary_bytes_raise_nothing_but_import_file_error(data: bytes) -> None:
    try:
        parse_terc(data)
    except ImportFileError:
        pass


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.integers(min_value=0, max_value=99).map("{:02d}".format), names,
                       min_size=1, max_size=20),
       st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_generated_voivodeship_rows_round_trip(
    voivodeships: dict[str, str], newline: str, bom: bool
) -> None:
    lines = [HEADER] + [f"{code};;;;{name};województwo;2020-01-01"
                        for code, name in voivodeships.items()]
    data = ("\ufeff" if bom else "") + newline.join(lines) + newline

    rows = parse_terc(data.encode("utf-8")).rows

    assert {row.teryt: row.name for row in rows} == voivodeships
    assert {row.kind for row in rows} == {UnitKind.VOIVODESHIP}
