"""The indicator catalogue loads, is complete, and refuses inconsistent definitions."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from razem.indicators.bdl_csv import default_dataset, parse_bdl_csv
from razem.indicators.catalogue import (
    DIMENSIONS,
    REQUIRED_CODES,
    CatalogueError,
    load_catalogue,
    parse_catalogue,
)

ALIAS = """
[aliases.population]
codes = ["ludnosc|ogółem|osoba"]
[aliases.pre_working]
codes = ["ludnosc|przed|osoba"]
"""


def indicator(**overrides: object) -> str:
    fields = {
        "code": '"share"', "name_pl": '"Udział"', "name_en": '"Share"',
        "numerator": '"pre_working"', "denominator": '"population"', "scale": "100",
        "polarity": "1", "dimension": '"social"', "unit_pl": '"%"', "unit_en": '"%"',
        "description_pl": '"Opis"', "description_en": '"Description"',
    }
    fields.update({key: value for key, value in overrides.items() if value is not None})
    for key in [key for key, value in overrides.items() if value is None]:
        del fields[key]
    return "[[indicators]]\n" + "\n".join(f"{key} = {value}" for key, value in fields.items())


def test_shipped_catalogue_loads_with_at_least_25_indicators():
    assert len(load_catalogue().indicators) >= 25


def test_shipped_catalogue_has_the_required_codes():
    catalogue = load_catalogue()
    assert set(REQUIRED_CODES) <= set(catalogue.codes)
    assert catalogue.get("population").unit_en == "persons"


def test_every_dimension_has_indicators_for_the_synthetic_measures():
    grouped = load_catalogue().by_dimension()
    assert list(grouped) == list(DIMENSIONS)
    for dimension, indicators in grouped.items():
        assert sum(i.synthetic for i in indicators) >= 2, dimension


def test_every_indicator_names_its_source():
    for indicator in load_catalogue().indicators:
        assert indicator.source_pl.startswith("GUS, Bank Danych Lokalnych (")
        assert indicator.datasets


def test_loading_twice_returns_the_cached_catalogue():
    assert load_catalogue() is load_catalogue()


def test_get_unknown_code_raises_key_error():
    with pytest.raises(KeyError):
        load_catalogue().get("nope")


def test_formula_text_shows_numerator_denominator_and_scale():
    formula = load_catalogue().get("old_age_dependency").formula
    assert formula == "post_working / (population − pre_working − post_working) × 100"


def test_aliases_with_an_api_id_also_read_the_api_variable():
    catalogue = load_catalogue()
    population = catalogue.aliases["population"]
    assert population.lookup_codes[-1] == "bdl:72305"
    assert "bdl:72305" in catalogue.variable_codes()
    assert catalogue.api_variables()["72305"] is population


def test_minimal_catalogue_parses():
    catalogue = parse_catalogue(ALIAS + indicator())
    assert catalogue.get("share").is_ratio
    assert catalogue.get("share").formula == "pre_working / population × 100"


def test_unknown_alias_fails_at_load_naming_the_indicator():
    with pytest.raises(CatalogueError, match=r"indicator 'share'.*unknown alias area"):
        parse_catalogue(ALIAS + indicator(denominator='"area"'))


def test_bad_formula_syntax_fails_at_load():
    with pytest.raises(CatalogueError, match=r"indicator 'share'.*position"):
        parse_catalogue(ALIAS + indicator(numerator='"pre_working + * 2"'))


@pytest.mark.parametrize("polarity", ["0", "2", '"+1"', "true"])
def test_polarity_must_be_plus_or_minus_one(polarity):
    with pytest.raises(CatalogueError, match="polarity"):
        parse_catalogue(ALIAS + indicator(polarity=polarity))


def test_unknown_dimension_is_refused():
    with pytest.raises(CatalogueError, match="dimension"):
        parse_catalogue(ALIAS + indicator(dimension='"cultural"'))


def test_duplicate_codes_are_refused():
    with pytest.raises(CatalogueError, match="used twice"):
        parse_catalogue(ALIAS + indicator() + "\n" + indicator())


def test_missing_name_is_refused():
    with pytest.raises(CatalogueError, match="name_en"):
        parse_catalogue(ALIAS + indicator(name_en=None))


def test_misspelt_key_is_refused():
    with pytest.raises(CatalogueError, match="unknown keys polarty"):
        parse_catalogue(ALIAS + indicator(polarty="1"))


def test_alias_code_must_have_three_parts():
    with pytest.raises(CatalogueError, match="alias 'area'"):
        parse_catalogue(ALIAS + '[aliases.area]\ncodes = ["powierzchnia"]\n' + indicator())


def test_invalid_toml_is_a_catalogue_error():
    with pytest.raises(CatalogueError, match="TOML"):
        parse_catalogue("[aliases\n")


def _export_variable_codes(directory: Path) -> set[str]:
    codes = set()
    for path in sorted(directory.glob("*.csv")):
        table = parse_bdl_csv(path.read_bytes(), dataset=default_dataset(path.name))
        codes.update(column.variable_code for column in table.columns)
    return codes


def test_every_alias_code_exists_in_the_real_exports():
    directory = Path(settings.RAZEM_DATA_DIR) / "bdl" / "exports"
    if not directory.is_dir():
        pytest.skip(f"data pack not found at {directory} (set RAZEM_DATA_DIR)")
    present = _export_variable_codes(directory)
    catalogue = load_catalogue()
    missing = [code for code in catalogue.variable_codes(include_api=False) if code not in present]
    assert not missing
    # And every export column is read by some alias (nothing imported goes unused).
    assert present <= set(catalogue.variable_codes(include_api=False))
