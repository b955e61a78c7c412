from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from razem.reports.document import Column, Table, format_number, format_value, inline_data


def test_polish_numbers_use_a_decimal_comma_and_spaces_between_thousands():
    assert format_number(1234567.891, 2, "pl") == "1\u00a0234\u00a0567,89"


def test_english_numbers_use_a_decimal_point_and_commas():
    assert format_number(1234567.891, 1, "en") == "1,234,567.9"


def test_negative_numbers_keep_a_minus_a_spreadsheet_understands():
    assert format_number(-1500, 0, "pl") == "-1\u00a0500"


def test_missing_values_show_a_dash():
    assert format_value(None, Column("x", decimals=1), "pl") == "–"
    assert format_value(float("nan"), Column("x", decimals=1), "pl") == "–"


def test_numeric_columns_append_their_suffix():
    assert format_value(Decimal("12.345"), Column("Udział", decimals=1, suffix=" %"), "pl") == (
        "12,3 %"
    )


def test_text_columns_show_values_as_they_are():
    assert format_value(2023, Column("Rok"), "pl") == "2023"


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(0, 4))
def test_polish_numbers_read_back_to_the_rounded_value(value, decimals):
    text = format_number(value, decimals, "pl")
    assert float(text.replace("\u00a0", "").replace(",", ".")) == pytest.approx(
        round(value, decimals), abs=10 ** -decimals)


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError, match="row 2"):
        Table("t", ["a", "b"], [[1, 2], [3]])


def test_plain_column_labels_become_text_columns():
    table = Table("t", ["Gmina", Column("Ludność", decimals=0)], [["Łosice", 6843]])
    assert [c.numeric for c in table.columns] == [False, True]
    assert table.formatted_rows("pl") == [["Łosice", "6\u00a0843"]]


def test_inline_data_replaces_the_url_and_picks_out_the_geojson_features():
    spec = {"data": {"url": "/p/x/mapa.json", "format": {"type": "json", "property": "features"}},
            "mark": "geoshape"}
    collection = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": 1}]}
    printable = inline_data(spec, collection)
    assert printable["data"] == {"values": [{"type": "Feature", "id": 1}],
                                 "format": {"type": "json"}}
    assert spec["data"]["url"] == "/p/x/mapa.json"  # the page's spec is left alone


def test_inline_data_fills_a_named_dataset():
    spec = {"data": {"name": "units"}, "mark": "bar"}
    assert inline_data(spec, [{"a": 1}], name="units")["datasets"] == {"units": [{"a": 1}]}
