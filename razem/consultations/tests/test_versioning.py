"""Mapping a new version to the previous one, on a worked pair of drafts, and the word diff."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from razem.consultations.versioning import (
    Match,
    carry_chapter_anchors,
    map_paragraphs,
    normalise_title,
    word_diff,
)

# Version 1 of a diagnosis: (id, text) in document order.
OLD = [
    (1, "Diagnoza obejmuje 16 jednostek partnerstwa."),
    (2, "Dane pochodzą z Banku Danych Lokalnych GUS."),
    (3, "Liczba mieszkańców spada od 2010 roku."),
    (4, "Rośnie udział osób w wieku poprodukcyjnym."),
    (5, "Ten akapit zostanie usunięty w drugiej wersji dokumentu."),
    # the chapter on the economy, moved before demography in version 2
    (6, "Gospodarka obszaru opiera się na rolnictwie i przetwórstwie."),
    (7, "Brakuje terenów inwestycyjnych z dostępem do drogi ekspresowej."),
]
NEW = [
    "Diagnoza obejmuje 16 jednostek partnerstwa.",  # unchanged
    "Dane pochodzą z Banku Danych Lokalnych GUS oraz z ankiet mieszkańców.",  # edited
    "Gospodarka obszaru opiera się na rolnictwie i przetwórstwie.",  # moved
    "Brakuje terenów inwestycyjnych z dostępem do drogi ekspresowej S17.",  # moved, edited
    "Liczba mieszkańców spada od 2010 roku.",  # unchanged
    "Rośnie udział osób w wieku poprodukcyjnym, zwłaszcza na wsi.",  # edited
    "Partnerstwo przygotowuje wspólną strategię transportu zbiorowego.",  # new
]


def test_the_worked_pair_of_drafts():
    mapping = map_paragraphs(OLD, NEW)

    assert mapping.matches == [
        Match(1, "unchanged"),
        Match(2, "edited"),
        Match(6, "unchanged"),
        Match(7, "edited"),
        Match(3, "unchanged"),
        Match(4, "edited"),
        Match(None, "new"),
    ]
    assert mapping.removed == [5]


def test_an_identical_version_is_all_unchanged():
    mapping = map_paragraphs(OLD, [text for _, text in OLD])

    assert [m.change for m in mapping.matches] == ["unchanged"] * len(OLD)
    assert [m.old_id for m in mapping.matches] == [pk for pk, _ in OLD]
    assert mapping.removed == []


def test_a_rewritten_paragraph_is_removed_and_new_not_edited():
    mapping = map_paragraphs([(1, "Szkoły wymagają termomodernizacji.")],
                             ["Partnerstwo kupi trzy autobusy elektryczne."])

    assert mapping.matches == [Match(None, "new")]
    assert mapping.removed == [1]


def test_pairs_inside_a_replaced_stretch_keep_their_order():
    old = [(1, "alfa beta gamma delta"), (2, "epsilon zeta eta theta")]
    new = ["epsilon zeta eta theta iota", "alfa beta gamma delta kappa"]

    mapping = map_paragraphs(old, new)

    # Crossing pairs would be a move; inside one stretch only the best one is kept.
    assert sum(m.change == "edited" for m in mapping.matches) >= 1
    assert len({m.old_id for m in mapping.matches if m.old_id}) == sum(
        1 for m in mapping.matches if m.old_id)


def test_whitespace_alone_is_not_an_edit():
    mapping = map_paragraphs([(1, "Liczba  mieszkańców\nspada.")], ["Liczba mieszkańców spada."])

    assert mapping.matches == [Match(1, "unchanged")]


def test_three_hundred_paragraphs_rewritten_map_quickly():
    import time

    old = [(i, f"Akapit numer {i} o sprawach partnerstwa i gmin, wersja pierwsza.")
           for i in range(300)]
    new = [f"Całkiem inny tekst {i} zapisany od nowa przez zespół." for i in range(300)]
    start = time.perf_counter()
    map_paragraphs(old, new)
    assert time.perf_counter() - start < 5


def test_chapter_anchors_carry_over_by_title_even_when_renumbered():
    old = [("a1", ""), ("a2", "1. Demografia"), ("a3", "2. Gospodarka"), ("a4", "Załączniki")]
    new = ["", "1. Gospodarka", "2.  DEMOGRAFIA", "Nowy rozdział", "Załączniki"]

    assert carry_chapter_anchors(old, new) == ["a1", "a3", "a2", None, "a4"]


def test_normalised_titles():
    assert normalise_title("3. Gospodarka") == "gospodarka"
    assert normalise_title("1.1. Mocne strony") == "mocne strony"
    assert normalise_title("II. Cele") == "cele"
    assert normalise_title("Civil society") == "civil society"


def test_word_diff_marks_replaced_and_added_words():
    segments = word_diff("Liczba mieszkańców spada od 2010 roku.",
                         "Liczba mieszkańców rośnie od 2015 roku wyraźnie.")

    assert segments == [
        ("equal", "Liczba mieszkańców "), ("delete", "spada"), ("insert", "rośnie"),
        ("equal", " od "), ("delete", "2010"), ("insert", "2015"), ("equal", " roku"),
        ("insert", " wyraźnie"), ("equal", "."),
    ]


def test_word_diff_joins_a_replaced_phrase():
    assert word_diff("a b c d", "a x y d") == [
        ("equal", "a "), ("delete", "b c"), ("insert", "x y"), ("equal", " d")]


WORDS = st.lists(st.sampled_from(["gmina", "powiat", "droga", " ", "  ", ",", ".", "szkoła"]),
                 max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(WORDS, WORDS)
def test_word_diff_rebuilds_both_texts(old, new):
    segments = word_diff(old, new)

    assert "".join(t for op, t in segments if op != "insert") == old
    assert "".join(t for op, t in segments if op != "delete") == new
    assert all(text for _, text in segments)
