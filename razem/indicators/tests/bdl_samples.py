"""Small BDL web exports written like the real ones, for the import tests."""

from __future__ import annotations

HEADER = '"Kod";"Nazwa";"ogółem;ogółem;2018;[osoba]";"ogółem;ogółem;2019;[osoba]";'
# Units of the demo cast (load_demo without the data pack), values as in the real export.
ROWS = [
    '1410023;"Łosice (3)";10837;10787;',
    '1410012;"Huszlew (2)";2870;2832;',
    '1410032;"Olszanka (2)";4701;4668;',
]


def export(*rows: str, header: str = HEADER, newline: str = "\n", bom: bool = False,
           encoding: str = "utf-8") -> bytes:
    """The bytes of an export: header, rows, and the final newline BDL writes."""
    lines = [header, *(rows or ROWS)]
    text = newline.join(lines) + newline
    return ("\ufeff" if bom else "").encode(encoding) + text.encode(encoding)
