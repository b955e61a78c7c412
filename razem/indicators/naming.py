"""Stable identifiers of statistical variables, shared by imports and the catalogue.

A BDL web export names neither its variable nor its id: only the dimension
labels, year and unit per column. Two exports can even share a header
(women per 100 men and unemployed persons are both "ogółem;2018;[osoba]"), so
the dataset (the export's file name without its year suffix) is part of the key.
"""

from __future__ import annotations

import re
import unicodedata

# "wodkangaz18", "ludnosc_2016-2019", "dochody_na_mieszk_2016-2019" → drop the years part.
_YEAR_SUFFIX = re.compile(r"[_-]?(?:(?:19|20)\d{2}-(?:19|20)\d{2}|(?:19|20)?\d{2})$")


def dataset_from_filename(stem: str) -> str:
    """The dataset name of an export file: lower case, years suffix removed."""
    name = unicodedata.normalize("NFC", stem).strip().lower()
    name = re.sub(r"\s+", "_", name)
    # One suffix only: "swiadczenie_wychowawcze_500_18" keeps its "500".
    return _YEAR_SUFFIX.sub("", name, count=1) or name


def variable_code(dataset: str, dimensions: list[str], unit: str) -> str:
    """`dataset|dim1;dim2|unit`, e.g. `ludnosc_ogol_przed_poprod|ogółem;ogółem|osoba`."""
    dims = ";".join(d.strip() for d in dimensions)
    return f"{dataset}|{dims}|{unit.strip()}"
