"""Polish is the default language: every interface string must have its Polish text."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _entries(language: str) -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr) of every entry but the header; plural entries use msgstr[0].

    An entry with a context (msgctxt) has the msgid "<context>\x04<msgid>", the key
    under which gettext's catalogue stores it."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n")[1:]:
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        flags = " ".join(re.findall(r"^#,(.*)$", block, re.M))
        msgid = "".join(re.findall(r'"(.*)"', re.search(r"^msgid ((?:\".*\"\n?)+)", block, re.M)
                                   .group(1)))
        context = re.search(r'^msgctxt "(.*)"', block, re.M)
        if context:
            msgid = f"{context.group(1)}\x04{msgid}"
        found = re.search(r"^msgstr(?:\[0\])? ((?:\".*\"\n?)+)", block, re.M)
        entries.append((flags, msgid, "".join(re.findall(r'"(.*)"', found.group(1)))))
    return entries


def test_every_string_has_a_polish_translation():
    missing = [msgid for flags, msgid, msgstr in _entries("pl") if not msgstr or "fuzzy" in flags]
    assert not missing, missing[:10]


def test_strings_written_in_polish_have_an_english_translation():
    polish = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
    missing = [msgid for flags, msgid, msgstr in _entries("en")
               if polish.search(msgid) and (not msgstr or "fuzzy" in flags)]
    assert not missing, missing[:10]


def test_compiled_catalogue_matches_the_sources():
    catalogue = gettext.GNUTranslations(
        (LOCALE / "pl" / "LC_MESSAGES" / "django.mo").open("rb"))
    for _flags, msgid, msgstr in _entries("pl"):
        if "\\" not in msgid and "%(counter)s" not in msgid:
            assert catalogue.gettext(msgid) == msgstr.replace('\\"', '"'), msgid
