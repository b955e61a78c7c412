"""The indicator catalogue: definitions kept as data (catalogue.toml), checked when loaded.

A bad catalogue fails at load with a message naming the indicator and the
problem, never later in the middle of a page: unknown aliases, formulas that do
not parse, polarity other than ±1, unknown dimensions and duplicate codes.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from razem.indicators import formula as fx

DEFAULT_PATH = Path(__file__).with_name("catalogue.toml")

# Order matters: pages and synthetic measures list dimensions in this order.
DIMENSIONS: tuple[str, ...] = ("social", "economic", "environmental_spatial")
DIMENSION_LABELS: dict[str, tuple[str, str]] = {
    "social": ("społeczny", "social"),
    "economic": ("gospodarczy", "economic"),
    "environmental_spatial": ("środowiskowo-przestrzenny", "environmental and spatial"),
    "overall": ("łącznie", "overall"),
}
POLARITY_LABELS: dict[int, tuple[str, str]] = {
    1: ("stymulanta", "stimulant"),
    -1: ("destymulanta", "destimulant"),
}
REQUIRED_CODES: tuple[str, ...] = (
    "population",
    "population_change",
    "old_age_dependency",
    "net_migration_per_1000",
    "unemployment_rate",
    "revenue_per_capita",
    "expenditure_per_capita",
)


class CatalogueError(ValueError):
    """The catalogue file is inconsistent; the message says where."""


@dataclass(frozen=True)
class Alias:
    """A short name for one quantity, with the variable codes that carry it."""

    name: str
    codes: tuple[str, ...]
    name_pl: str = ""
    name_en: str = ""
    bdl_id: str = ""
    # Where 0 cannot be true (a gmina budget) BDL's "0,00" marks a missing report.
    zero_is_missing: bool = False

    @property
    def api_code(self) -> str:
        """Variable code of the BDL API sync (razem.indicators.bdl_api.variable_code)."""
        return f"bdl:{self.bdl_id}" if self.bdl_id else ""

    @property
    def lookup_codes(self) -> tuple[str, ...]:
        """Codes read for this alias in order of preference: the exports, then the API."""
        return self.codes + ((self.api_code,) if self.bdl_id else ())

    @property
    def datasets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(code.split("|", 1)[0] for code in self.codes))


@dataclass(frozen=True)
class Indicator:
    code: str
    name_pl: str
    name_en: str
    numerator: str
    denominator: str | None
    scale: float
    polarity: int
    dimension: str
    unit_pl: str
    unit_en: str
    description_pl: str
    description_en: str
    decimals: int = 1
    synthetic: bool = True
    # Filled in at load from the aliases the formulas read.
    datasets: tuple[str, ...] = ()
    source_pl: str = ""
    source_en: str = ""
    numerator_ast: fx.Node | None = field(default=None, repr=False, compare=False)
    denominator_ast: fx.Node | None = field(default=None, repr=False, compare=False)

    @property
    def is_ratio(self) -> bool:
        """Ratios aggregate as sum/sum; counts (no denominator) aggregate as sums."""
        return self.denominator is not None

    @property
    def formula(self) -> str:
        """The definition as people read it, e.g. `post_working / (population − …) × 100`."""
        assert self.numerator_ast is not None
        if self.denominator_ast is None:
            text = fx.render(self.numerator_ast)
            return text if self.scale == 1 else f"({text}) × {self.scale:g}"
        # Brackets around any compound side keep "numerator / denominator" readable.
        numerator = fx.render(self.numerator_ast)
        if isinstance(self.numerator_ast, fx.BinOp):
            numerator = f"({numerator})"
        denominator = fx.render(self.denominator_ast)
        if isinstance(self.denominator_ast, fx.BinOp):
            denominator = f"({denominator})"
        text = f"{numerator} / {denominator}"
        return text if self.scale == 1 else f"{text} × {self.scale:g}"

    def references(self) -> set[fx.Ref]:
        refs = fx.references(self.numerator_ast) if self.numerator_ast is not None else set()
        if self.denominator_ast is not None:
            refs |= fx.references(self.denominator_ast)
        return refs

    def name(self, language: str = "pl") -> str:
        return self.name_en if language.startswith("en") else self.name_pl

    def unit(self, language: str = "pl") -> str:
        return self.unit_en if language.startswith("en") else self.unit_pl

    def description(self, language: str = "pl") -> str:
        return self.description_en if language.startswith("en") else self.description_pl

    # Properties for templates, which cannot pass arguments.
    @property
    def dimension_pl(self) -> str:
        return DIMENSION_LABELS[self.dimension][0]

    @property
    def dimension_en(self) -> str:
        return DIMENSION_LABELS[self.dimension][1]

    @property
    def polarity_pl(self) -> str:
        return POLARITY_LABELS[self.polarity][0]

    @property
    def polarity_en(self) -> str:
        return POLARITY_LABELS[self.polarity][1]


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[Indicator, ...]
    aliases: dict[str, Alias]
    source_pl: str
    source_en: str

    def get(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(f"no indicator {code!r} in the catalogue")

    def __contains__(self, code: object) -> bool:
        return any(indicator.code == code for indicator in self.indicators)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(indicator.code for indicator in self.indicators)

    def by_dimension(self) -> dict[str, list[Indicator]]:
        grouped: dict[str, list[Indicator]] = {dimension: [] for dimension in DIMENSIONS}
        for indicator in self.indicators:
            grouped[indicator.dimension].append(indicator)
        return grouped

    def variable_codes(self, *, include_api: bool = True) -> list[str]:
        """Every variable code the catalogue reads, in alias order (API codes `bdl:<id>` too)."""
        return list(dict.fromkeys(
            code
            for alias in self.aliases.values()
            for code in (alias.lookup_codes if include_api else alias.codes)
        ))

    def api_variables(self) -> dict[str, Alias]:
        """BDL API variable id → alias, for the aliases whose id is known."""
        return {alias.bdl_id: alias for alias in self.aliases.values() if alias.bdl_id}

    def polarity(self) -> dict[str, int]:
        return {indicator.code: indicator.polarity for indicator in self.indicators}


def _text(entry: dict, key: str, where: str, required: bool = True) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise CatalogueError(f"{where}: '{key}' must be a non-empty text")
    return value.strip()


def _alias(name: str, entry: dict) -> Alias:
    where = f"alias {name!r}"
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: expected a table")
    unknown_keys = sorted(set(entry) - {"codes", "name_pl", "name_en", "bdl_id", "zero_is_missing"})
    if unknown_keys:
        raise CatalogueError(f"{where}: unknown keys {', '.join(unknown_keys)}")
    zero_is_missing = entry.get("zero_is_missing", False)
    if not isinstance(zero_is_missing, bool):
        raise CatalogueError(f"{where}: zero_is_missing must be true or false")
    codes = entry.get("codes")
    if (
        not isinstance(codes, list)
        or not codes
        or not all(isinstance(code, str) and code.count("|") == 2 for code in codes)
    ):
        raise CatalogueError(f"{where}: 'codes' must list variable codes 'dataset|dimensions|unit'")
    return Alias(
        name=name,
        codes=tuple(codes),
        name_pl=_text(entry, "name_pl", where, required=False),
        name_en=_text(entry, "name_en", where, required=False),
        bdl_id=str(entry.get("bdl_id", "")).strip(),
        zero_is_missing=zero_is_missing,
    )


def _indicator(entry: dict, aliases: dict[str, Alias], source: tuple[str, str]) -> Indicator:
    code = entry.get("code")
    if not isinstance(code, str) or not code.strip():
        raise CatalogueError(f"indicator without a code: {entry!r}")
    where = f"indicator {code!r}"
    known = {
        "code", "name_pl", "name_en", "numerator", "denominator", "scale", "polarity",
        "dimension", "unit_pl", "unit_en", "description_pl", "description_en", "decimals",
        "synthetic",
    }
    unknown_keys = sorted(set(entry) - known)
    if unknown_keys:
        raise CatalogueError(f"{where}: unknown keys {', '.join(unknown_keys)}")
    polarity = entry.get("polarity")
    if polarity not in (1, -1) or isinstance(polarity, bool):
        raise CatalogueError(f"{where}: polarity must be 1 (stimulant) or -1 (destimulant)")
    dimension = entry.get("dimension")
    if dimension not in DIMENSIONS:
        raise CatalogueError(f"{where}: dimension must be one of {', '.join(DIMENSIONS)}")
    scale = entry.get("scale", 1)
    if isinstance(scale, bool) or not isinstance(scale, int | float) or scale == 0:
        raise CatalogueError(f"{where}: scale must be a non-zero number")
    decimals = entry.get("decimals", 1)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 6:
        raise CatalogueError(f"{where}: decimals must be a whole number 0–6")
    synthetic = entry.get("synthetic", True)
    if not isinstance(synthetic, bool):
        raise CatalogueError(f"{where}: synthetic must be true or false")
    numerator = _text(entry, "numerator", where)
    denominator = entry.get("denominator")
    if denominator is not None:
        denominator = _text(entry, "denominator", where)
    try:
        numerator_ast = fx.parse(numerator, aliases)
        denominator_ast = fx.parse(denominator, aliases) if denominator is not None else None
    except fx.FormulaError as error:
        raise CatalogueError(f"{where}: {error}") from error
    refs = fx.references(numerator_ast) | (
        fx.references(denominator_ast) if denominator_ast is not None else set()
    )
    used = sorted({ref.alias for ref in refs}, key=list(aliases).index)
    datasets = tuple(dict.fromkeys(d for name in used for d in aliases[name].datasets))
    return Indicator(
        code=code.strip(),
        name_pl=_text(entry, "name_pl", where),
        name_en=_text(entry, "name_en", where),
        numerator=numerator,
        denominator=denominator,
        scale=float(scale),
        polarity=int(polarity),
        dimension=dimension,
        unit_pl=_text(entry, "unit_pl", where),
        unit_en=_text(entry, "unit_en", where),
        description_pl=_text(entry, "description_pl", where),
        description_en=_text(entry, "description_en", where),
        decimals=decimals,
        synthetic=synthetic,
        datasets=datasets,
        source_pl=f"{source[0]} ({', '.join(datasets)})",
        source_en=f"{source[1]} ({', '.join(datasets)})",
        numerator_ast=numerator_ast,
        denominator_ast=denominator_ast,
    )


def parse_catalogue(text: str) -> Catalogue:
    """Build a catalogue from TOML text, or raise CatalogueError saying what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"catalogue is not valid TOML: {error}") from error
    source = data.get("source", {})
    source_pl = source.get("name_pl", "GUS, Bank Danych Lokalnych")
    source_en = source.get("name_en", "Statistics Poland (GUS), Local Data Bank (BDL)")
    raw_aliases = data.get("aliases", {})
    if not isinstance(raw_aliases, dict) or not raw_aliases:
        raise CatalogueError("the catalogue defines no aliases")
    aliases = {name: _alias(name, entry) for name, entry in raw_aliases.items()}
    bad_names = [name for name in aliases if not re.fullmatch(r"[a-z_][a-z0-9_]*", name)]
    if bad_names:
        raise CatalogueError(f"alias names must be lower-case identifiers: {', '.join(bad_names)}")
    raw_indicators = data.get("indicators", [])
    if not isinstance(raw_indicators, list) or not raw_indicators:
        raise CatalogueError("the catalogue defines no indicators")
    indicators = tuple(
        _indicator(entry, aliases, (source_pl, source_en)) for entry in raw_indicators
    )
    seen: set[str] = set()
    for indicator in indicators:
        if indicator.code in seen:
            raise CatalogueError(f"indicator code {indicator.code!r} is used twice")
        seen.add(indicator.code)
    return Catalogue(
        indicators=indicators, aliases=aliases, source_pl=source_pl, source_en=source_en
    )


@lru_cache(maxsize=8)
def _load(path: Path) -> Catalogue:
    return parse_catalogue(path.read_text(encoding="utf-8"))


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """The catalogue at `path` (default: the one shipped with the app), parsed once per process."""
    return _load(Path(path) if path is not None else DEFAULT_PATH)
