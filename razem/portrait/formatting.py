"""Numbers as Polish (and English) readers expect them; pure, no Django.

Polish: decimal comma and a narrow no-break space (U+202F, the thin space
that does not wrap) between thousands, from five digits on ("10 787",
"4300"), as the Polish CLDR rules and GUS text do. English: "10,787.5".
Django's own localisation is not used: USE_THOUSAND_SEPARATOR is off
project-wide, and the portrait needs the same text in pages, the API
sentences and the report.
"""

from __future__ import annotations

import math
from decimal import Decimal

THIN_SPACE = "\u202f"
MISSING = "–"


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | Decimal | None, decimals: int = 1, language: str = "pl") -> str:
    if is_missing(value):
        return MISSING
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0,0"
    text = f"{abs(rounded):,.{decimals}f}"
    integer, _, fraction = text.partition(".")
    if language == "pl":
        digits = integer.replace(",", "")
        integer = digits if len(digits) < 5 else integer.replace(",", THIN_SPACE)
        text = integer + ("," + fraction if fraction else "")
    # A real minus sign reads better; screen readers announce it as "minus".
    return ("−" if rounded < 0 else "") + text


def signed(value: float | None, decimals: int = 1, language: str = "pl") -> str:
    """A change with its sign: "+1,2", "−0,4", "0,0"."""
    if is_missing(value):
        return MISSING
    text = number(value, decimals, language)
    return "+" + text if round(float(value), decimals) > 0 else text


def with_unit(value: float | None, unit: str, decimals: int, language: str = "pl") -> str:
    """"8,1%", "4 213 zł", "54 osoby/km²" style: a percent sign sticks to the number."""
    text = number(value, decimals, language)
    if text == MISSING or not unit:
        return text
    if unit.startswith("%"):
        return text + unit  # "31,0% ludności"
    return f"{text}\u00a0{unit}"


# Units of measure whose values are counts or money: no decimals needed.
_WHOLE_UNITS = {"osoba", "osoby", "osób", "os.", "zł", "zł/mieszk.", "szt.", "km2", "km²"}


def decimals_for(unit: str, sample: float | None = None) -> int:
    """How many decimals an indicator's values deserve."""
    unit = (unit or "").strip()
    if unit in _WHOLE_UNITS:
        return 0
    if unit == "%":
        return 1
    if sample is not None and not is_missing(sample) and abs(sample) >= 1000:
        return 0
    return 1 if sample is None or abs(sample) >= 10 or sample == 0 else 2


def percentile_text(value: float | None, language: str = "pl") -> str:
    """A percentile as a whole percent: "92%"."""
    if is_missing(value):
        return MISSING
    return f"{round(float(value))}%"
