"""Rules about TERYT codes shared by every import of outside data."""

from __future__ import annotations

from collections.abc import Iterable


def gminas_by_number(gmina_codes: Iterable[str], file_codes: set[str]) -> dict[str, str]:
    """Current gmina codes by their number WWPPGG, for gminas a file names only by a former code.

    A gmina whose village gained town rights changes its last TERYT digit
    (rural 2 → urban-rural 3) but keeps its territory, so data published before
    the change (boundaries, statistics) still fits it. Gminas the file names
    under their current code are left out, and only unambiguous numbers are used.
    """
    candidates: dict[str, list[str]] = {}
    for teryt in gmina_codes:
        if teryt not in file_codes:
            candidates.setdefault(teryt[:6], []).append(teryt)
    return {number: found[0] for number, found in candidates.items() if len(found) == 1}
