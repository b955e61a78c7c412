"""Candidate conclusions: indicators on which a member (or the partnership) stands
far from its comparison group, each with a sentence that says why.

Pure: it reads a Portrait (plain data) and returns dataclasses; no ORM. The
sentences are composed here for Polish and English rather than through
gettext, because Polish needs the grammatical gender of the indicator's name
and the genitive of the group's label, which a translation catalogue cannot
supply.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from razem.indicators.catalogue import Indicator
from razem.portrait import formatting as fmt
from razem.portrait.data import PARTNERSHIP, Portrait

# "Far" from the group: in the outer decile, or 1.5 standard deviations away.
PERCENTILE_LOW = 10.0
PERCENTILE_HIGH = 90.0
Z_THRESHOLD = 1.5
# In a smaller group a percentile says little ("higher than in 100%" of two gminas).
MIN_GROUP_SIZE = 10
# Counts grow with the size of a gmina and descriptive ratios are neither good nor
# bad, so neither makes a strength or a weakness.
DESCRIPTIVE = frozenset({"population_density", "women_per_100_men"})

_GROUP_GENITIVE_PL = {
    "gminy miejskie": "gmin miejskich",
    "gminy wiejskie": "gmin wiejskich",
    "gminy miejsko-wiejskie": "gmin miejsko-wiejskich",
}
# First words of indicator names that are plural: "Dochody … są wyższe".
_PLURAL_PL = frozenset({"dochody", "wydatki"})
# Plurals that cannot be "higher" themselves ("Mieszkańcy … są wyżsi" is wrong):
# the sentence then speaks of "the value of the indicator".
_UNSAFE_PL = frozenset({"mieszkańcy", "bezrobotni", "uczestnicy", "imprezy", "rodziny",
                        "osoby", "kobiety"})


@dataclass(frozen=True)
class Candidate:
    key: str  # "<indicator>:<teryt>" or "<indicator>:partnership"
    indicator: str
    teryt: str  # a gmina's code, or "partnership"
    unit_name: str
    dimension: str
    kind: str  # strength | weakness
    value: float | None
    percentile: float | None  # 100 = best in the group
    z_score: float | None
    sentence: str

    @property
    def strength(self) -> float:
        """How far from the group, for ordering: the larger, the more remarkable."""
        distance = abs(self.percentile - 50) / 50 if self.percentile is not None else 0.0
        return max(distance * Z_THRESHOLD, abs(self.z_score or 0.0))


def is_far(percentile: float | None, z_score: float | None) -> bool:
    if percentile is not None and (percentile <= PERCENTILE_LOW or percentile >= PERCENTILE_HIGH):
        return True
    return z_score is not None and abs(z_score) >= Z_THRESHOLD


def eligible(indicator: Indicator) -> bool:
    return indicator.is_ratio and indicator.code not in DESCRIPTIVE


def _gender_pl(name: str) -> str:
    """m, f, n, pl (plural) or "" (speak of the indicator's value instead)."""
    first = name.split()[0].lower() if name.split() else ""
    if first in _UNSAFE_PL:
        return ""
    if first in _PLURAL_PL:
        return "pl"
    if first.endswith(("ść", "a")):
        return "f"
    if first.endswith(("o", "e", "um")):
        return "n"
    if first.endswith(("y", "i")):
        return ""
    return "m"


_COMPARATIVE_PL = {
    # gender → (higher, lower)
    "m": ("jest wyższy", "jest niższy"),
    "f": ("jest wyższa", "jest niższa"),
    "n": ("jest wyższe", "jest niższe"),
    "pl": ("są wyższe", "są niższe"),
}


def group_genitive_pl(label: str) -> str:
    """"gminy wiejskie, 5–10 tys. mieszkańców" → "gmin wiejskich 5–10 tys. mieszkańców"."""
    kind, _, size = label.partition(", ")
    return f"{_GROUP_GENITIVE_PL.get(kind, kind)} {size}".strip()


def sentence(
    *, indicator: Indicator, unit_phrase: str, value: float, median: float | None,
    lower: float, higher: float, group_phrase: str, language: str,
) -> str:
    """One sentence: the value, the share of the group it exceeds (or falls below), the median.

    `unit_phrase`: "w gminie Sarnaki" / "in Sarnaki"; `group_phrase` is the
    group in the genitive ("gmin wiejskich 5–10 tys. mieszkańców") / "rural gminas …".
    """
    decimals = indicator.decimals
    unit = indicator.unit(language)
    shown = fmt.with_unit(value, unit, decimals, language)
    median_text = fmt.with_unit(median, unit, decimals, language)
    is_higher = higher <= lower
    # Rounded down: "100%" only when the value really beats every other gmina.
    share = math.floor(lower if is_higher else higher)
    if language.startswith("en"):
        direction = "higher" if is_higher else "lower"
        return (f"{indicator.name_en} {unit_phrase} ({shown}) is {direction} than in {share}% "
                f"of {group_phrase} (median {median_text}).")
    gender = _gender_pl(indicator.name_pl)
    if gender:
        subject = f"{indicator.name_pl} {unit_phrase} ({shown})"
        verb = _COMPARATIVE_PL[gender][0 if is_higher else 1]
    else:
        subject = f"Wartość wskaźnika „{indicator.name_pl}” {unit_phrase} ({shown})"
        verb = _COMPARATIVE_PL["f"][0 if is_higher else 1]
    return f"{subject} {verb} niż w {share}% {group_phrase} (mediana {median_text})."


def candidates(portrait: Portrait, language: str = "pl",
               group_label=None) -> list[Candidate]:
    """Every candidate of the portrait's reference year, most remarkable first.

    `group_label(group_id, language)` names a comparison group (compute.group_label).
    """
    from razem.indicators.compute import group_label as default_label

    label = group_label or default_label
    english = language.startswith("en")
    found: list[Candidate] = []
    for indicator in portrait.catalogue.indicators:
        if not eligible(indicator):
            continue
        for member in portrait.gminas:
            position = portrait.positions.get((member.teryt, indicator.code))
            if (position is None or position.value is None or position.lower is None
                    or position.higher is None or position.group_size < MIN_GROUP_SIZE
                    or not is_far(position.percentile, position.z_score)):
                continue
            group_name = label(position.group, language)
            found.append(Candidate(
                key=f"{indicator.code}:{member.teryt}",
                indicator=indicator.code, teryt=member.teryt, unit_name=member.name,
                dimension=indicator.dimension,
                kind="strength" if (position.percentile or 0) >= 50 else "weakness",
                value=position.value, percentile=position.percentile, z_score=position.z_score,
                sentence=sentence(
                    indicator=indicator,
                    unit_phrase=f"in {member.name}" if english else f"w gminie {member.name}",
                    value=position.value, median=position.group_median,
                    lower=position.lower, higher=position.higher,
                    group_phrase=(group_name.replace(", ", " with ", 1) if english
                                  else group_genitive_pl(group_name)),
                    language=language,
                ),
            ))
        found.extend(_partnership_candidate(portrait, indicator, language))
    found.sort(key=lambda c: (-c.strength, c.indicator, c.teryt))
    return found


def _partnership_candidate(portrait: Portrait, indicator: Indicator,
                           language: str) -> list[Candidate]:
    """The partnership as one area, against all gminas of Poland."""
    row = portrait.partnership_position.get(indicator.code)
    if not row or row.get("value") is None:
        return []
    # Percentile "100 = best" like compute.positions: the share beaten, by polarity.
    beaten = row["lower"] if indicator.polarity > 0 else row["higher"]
    percentile = beaten + (100 - row["lower"] - row["higher"]) / 2
    if not is_far(percentile, row.get("z_score")):
        return []
    english = language.startswith("en")
    return [Candidate(
        key=f"{indicator.code}:{PARTNERSHIP}", indicator=indicator.code, teryt=PARTNERSHIP,
        unit_name="the partnership" if english else "partnerstwo",
        dimension=indicator.dimension,
        kind="strength" if percentile >= 50 else "weakness",
        value=row["value"], percentile=percentile, z_score=row.get("z_score"),
        sentence=sentence(
            indicator=indicator,
            unit_phrase=("in the partnership as a whole" if english
                         else "w partnerstwie jako całości"),
            value=row["value"], median=row.get("median"), lower=row["lower"], higher=row["higher"],
            group_phrase="all gminas in Poland" if english else "wszystkich gmin w Polsce",
            language=language,
        ),
    )]


def find(portrait: Portrait, key: str, language: str = "pl") -> Candidate | None:
    return next((c for c in candidates(portrait, language) if c.key == key), None)
