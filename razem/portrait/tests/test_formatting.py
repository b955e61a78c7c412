"""Numbers as Polish readers expect them: decimal comma, thin space between thousands."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from razem.portrait import formatting as fmt


@pytest.mark.parametrize("value,decimals,text", [
    (10787, 0, "10\u202f787"),
    (4300, 0, "4300"),  # four digits stay together, as in Polish typesetting
    (1234567.891, 2, "1\u202f234\u202f567,89"),
    (8.149, 1, "8,1"),
    (-15.25, 1, "−15,2"),
    (-0.04, 1, "0,0"),
    (Decimal("5310.12"), 2, "5310,12"),
    (None, 1, "–"),
    (float("nan"), 1, "–"),
])
def test_polish_numbers(value, decimals, text):
    assert fmt.number(value, decimals, "pl") == text


def test_english_numbers():
    assert fmt.number(10787.5, 1, "en") == "10,787.5"


def test_units_follow_the_number():
    assert fmt.with_unit(8.1, "%", 1) == "8,1%"
    assert fmt.with_unit(31.0, "% ludności", 1) == "31,0% ludności"
    assert fmt.with_unit(4213, "zł", 0) == "4213\u00a0zł"


def test_changes_carry_their_sign():
    assert (fmt.signed(1.25, 1), fmt.signed(-0.4, 1), fmt.signed(0.0, 1)) == ("+1,2", "−0,4", "0,0")


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_polish_text_reads_back_as_the_rounded_number(value):
    text = fmt.number(value, 2, "pl")
    parsed = float(text.replace("\u202f", "").replace(",", ".").replace("−", "-"))
    assert parsed == pytest.approx(round(value, 2), abs=0.006)
