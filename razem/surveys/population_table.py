"""Population figures for weighting, pasted from a spreadsheet by a coordinator.

A line per gmina, sex and age group: TERYT code of the gmina, sex, age group,
number of residents; columns separated by tabs (what Excel and LibreOffice put on
the clipboard) or semicolons (a Polish CSV). Sex and age group are the survey's own
choices, by name or by label. Every problem names its line; nothing is saved unless
the whole table is right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from razem.surveys.definition import (
    AGE_GROUP_LIST,
    SEX_LIST,
    Text,
    default_age_groups,
    default_sexes,
)
from razem.surveys.models import Survey

MAX_LINES = 5000
_SPACES = re.compile(r"[\s\u00a0\u202f']+")


class TableError(ValueError):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Options:
    gminas: dict[str, str]  # TERYT -> name
    sexes: dict[str, Text]  # choice name -> label
    age_groups: dict[str, Text]

    @classmethod
    def for_survey(cls, survey: Survey) -> Options:
        lists = survey.questionnaire.choice_lists
        sexes = lists.get(SEX_LIST) or default_sexes()
        ages = lists.get(AGE_GROUP_LIST) or default_age_groups()
        gminas = dict(survey.partnership.units.filter(kind="gmina").order_by("name")
                      .values_list("teryt", "name"))
        return cls(gminas, {c.name: c.label for c in sexes}, {c.name: c.label for c in ages})


def _lookup(choices: dict[str, Text]) -> dict[str, str]:
    found: dict[str, str] = {}
    for code, label in choices.items():
        # "18_24", "18–24 lat", "18-24", "18–24 years" all name the same group.
        for key in (code, code.replace("_", "-"), label.pl, label.en,
                    label.pl.removesuffix(" lat"), label.en.removesuffix(" years")):
            if key:
                found.setdefault(_key(key), code)
    return found


def _key(value: str) -> str:
    return " ".join(value.replace("\u2013", "-").split()).casefold()


def _cells(line: str) -> list[str]:
    separator = "\t" if "\t" in line else ";"
    return [cell.strip().strip('"').strip() for cell in line.split(separator)]


def _is_header(cells: list[str]) -> bool:
    # A header names its columns: no code in the first, no number in the last.
    return not any(ch.isdigit() for ch in cells[0]) and _count(cells[-1]) is None


def parse(text: str, options: Options) -> list[dict[str, Any]]:
    """The rows to store in Survey.population_targets, or TableError listing every problem."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
             if line.strip()]
    if not lines:
        raise TableError([_("Paste a table with at least one line.")])
    if len(lines) > MAX_LINES:
        raise TableError([_("The table has more than %(count)s lines.") % {"count": MAX_LINES}])
    if _is_header(_cells(lines[0][1])):
        lines = lines[1:]
    sexes, ages = _lookup(options.sexes), _lookup(options.age_groups)
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, line in lines:
        cells = _cells(line)
        if len(cells) != 4:
            problems.append(_("Line %(line)s: expected 4 columns (TERYT code of the gmina, sex, "
                              "age group, number of residents), found %(count)s.")
                            % {"line": number, "count": len(cells)})
            continue
        code, sex_text, age_text, count_text = cells
        line_problems = []
        gmina = code.zfill(7) if code.isdigit() and len(code) == 6 else code
        if gmina not in options.gminas:
            line_problems.append(_("Line %(line)s: %(code)s is not the TERYT code of a gmina of "
                                   "the partnership.") % {"line": number, "code": code or "''"})
        sex = sexes.get(_key(sex_text))
        if sex is None:
            line_problems.append(_("Line %(line)s: unknown sex “%(value)s” (use one of: "
                                   "%(choices)s).") % {
                "line": number, "value": sex_text,
                "choices": ", ".join(label.pl for label in options.sexes.values())})
        age = ages.get(_key(age_text))
        if age is None:
            line_problems.append(_("Line %(line)s: unknown age group “%(value)s” (use one of: "
                                   "%(choices)s).") % {
                "line": number, "value": age_text,
                "choices": ", ".join(label.pl for label in options.age_groups.values())})
        target = _count(count_text)
        if target is None:
            line_problems.append(_("Line %(line)s: “%(value)s” is not a number of residents "
                                   "(a whole number, zero or more).")
                                 % {"line": number, "value": count_text})
        if not line_problems:
            key = (gmina, sex, age)
            if key in seen:
                line_problems.append(_("Line %(line)s repeats line %(first)s (the same gmina, "
                                       "sex and age group).") % {"line": number,
                                                                 "first": seen[key]})
            seen.setdefault(key, number)
        if line_problems:
            problems.extend(line_problems)
            continue
        rows.append({"gmina": gmina, "sex": sex, "age_group": age, "target": target})
    if problems:
        raise TableError(problems)
    if not rows:
        raise TableError([_("Paste a table with at least one line.")])
    if sum(row["target"] for row in rows) <= 0:
        raise TableError([_("All the numbers of residents are zero.")])
    return rows


def _count(text: str) -> float | None:
    cleaned = _SPACES.sub("", text).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value != value.to_integral_value():
        return None
    return float(value)


def example(options: Options) -> str:
    gmina = next(iter(options.gminas), "1410023")
    sex = next(iter(options.sexes.values()), Text("kobieta")).pl
    age = next(iter(options.age_groups.values()), Text("18–24 lat")).pl
    return f"{gmina}\t{sex}\t{age}\t1250"


# ------------------------------------------------------------------ showing the figures in use


def targets_in_use(survey: Survey):
    """razem.surveys.population.targets_for(survey), or None."""
    from razem.surveys.results import _targets

    return _targets(survey)[0]


def display_rows(targets, options: Options, language: str) -> list[dict[str, Any]]:
    from razem.surveys.population import BAND_LABELS
    from razem.surveys.results_present import number, text

    frame = targets.frame
    columns = frame.columns
    rows = []
    for row in frame.sort([c for c in ("gmina", "sex", "age_group") if c in columns]).to_dicts():
        sex = options.sexes.get(row.get("sex") or "")
        age = (options.age_groups.get(row.get("age_group") or "")
               or BAND_LABELS.get(row.get("age_group") or ""))
        rows.append({
            "gmina": options.gminas.get(str(row["gmina"]), str(row["gmina"])),
            "teryt": str(row["gmina"]),
            "sex": text(sex, language) if sex else (row.get("sex") or ""),
            "age_group": (text(age, language) if age else (row.get("age_group") or ""))
            if "age_group" in columns else "",
            "target": number(row["target"], 0, language),
        })
    return rows
