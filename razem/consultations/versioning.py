"""How a new version of a draft relates to the previous one. Pure: no database.

Each block of the new version is mapped to the paragraph it continues (unchanged or
edited) or marked new; paragraphs of the old version nobody continues are removed.
A continued paragraph keeps its anchor, so comments stay tied to the text they are about.

The alignment is difflib's: matching runs of identical paragraphs are unchanged; inside a
replaced stretch, paragraphs are paired by similarity (best pairs first, never crossing,
so order is kept) and counted as edited. Paragraphs moved elsewhere (a chapter moved as a
whole) are then found by identical text, and left-overs paired by similarity once more.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

ChangeName = Literal["unchanged", "edited", "new"]
Op = Literal["equal", "insert", "delete"]

# Two paragraphs at least this similar (difflib ratio over words) are one edited paragraph.
SIMILAR = 0.5
# Pairs compared inside one replaced stretch / among moved left-overs: bounds the work
# when a version is rewritten as a whole (every pair costs a word diff).
MAX_PAIRS = 20_000

_WORDS = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Match:
    old_id: Hashable | None
    change: ChangeName


@dataclass(frozen=True)
class Mapping:
    matches: list[Match]  # one per new block, in order
    removed: list[Hashable]  # old ids nobody continues, in their old order


def normalise(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.casefold())


def similarity(a: str, b: str) -> float:
    """difflib's ratio over the words of two paragraphs (0 to 1)."""
    return _Texts([a], [b]).similarity(0, 0)


class _Texts:
    """Words of both versions, tokenised once; a pair is compared only when difflib's
    cheap upper bounds (lengths, shared words) let it reach SIMILAR."""

    def __init__(self, old_texts: Sequence[str], new_texts: Sequence[str]) -> None:
        self.old = [_words(text) for text in old_texts]
        self.new = [_words(text) for text in new_texts]
        self.old_counts = [Counter(words) for words in self.old]
        self.new_counts = [Counter(words) for words in self.new]
        self.matchers: dict[int, SequenceMatcher] = {}

    def similarity(self, i: int, j: int) -> float:
        a, b = self.old[i], self.new[j]
        total = len(a) + len(b)
        if not total:
            return 1.0
        if 2 * min(len(a), len(b)) / total < SIMILAR:
            return 0.0
        shared = (self.old_counts[i] & self.new_counts[j]).total()
        if 2 * shared / total < SIMILAR:
            return 0.0
        matcher = self.matchers.get(j)
        if matcher is None:
            # difflib indexes its second sequence: one matcher per new paragraph.
            matcher = self.matchers[j] = SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(b)
        matcher.set_seq1(a)
        return matcher.ratio()


def map_paragraphs(old: Sequence[tuple[Hashable, str]], new: Sequence[str]) -> Mapping:
    old_texts = [normalise(text) for _, text in old]
    new_texts = [normalise(text) for text in new]
    texts = _Texts(old_texts, new_texts)
    pairs: dict[int, tuple[int, ChangeName]] = {}  # new index -> (old index, change)
    matcher = SequenceMatcher(None, old_texts, new_texts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                pairs[j1 + offset] = (i1 + offset, "unchanged")
        elif tag == "replace":
            for i, j in _pair_similar(texts, range(i1, i2), range(j1, j2), ordered=True):
                pairs[j] = (i, "unchanged" if old_texts[i] == new_texts[j] else "edited")
    _pair_moved(old_texts, new_texts, texts, pairs)
    used = {i for i, _ in pairs.values()}
    matches = [
        Match(old[pairs[j][0]][0], pairs[j][1]) if j in pairs else Match(None, "new")
        for j in range(len(new))
    ]
    return Mapping(matches, [old[i][0] for i in range(len(old)) if i not in used])


def _pair_moved(old_texts: list[str], new_texts: list[str], texts: _Texts,
                pairs: dict[int, tuple[int, ChangeName]]) -> None:
    used = {i for i, _ in pairs.values()}
    by_text: dict[str, list[int]] = {}
    for i in range(len(old_texts)):
        if i not in used:
            by_text.setdefault(old_texts[i], []).append(i)
    for j in range(len(new_texts)):
        if j not in pairs and by_text.get(new_texts[j]):
            pairs[j] = (by_text[new_texts[j]].pop(0), "unchanged")
    used = {i for i, _ in pairs.values()}
    free_old = [i for i in range(len(old_texts)) if i not in used]
    free_new = [j for j in range(len(new_texts)) if j not in pairs]
    # A moved and edited paragraph is looked for only among few left-overs; a version
    # rewritten as a whole has nothing to gain from comparing everything with everything.
    if len(free_old) * len(free_new) > MAX_PAIRS:
        return
    for i, j in _pair_similar(texts, free_old, free_new, ordered=False):
        pairs[j] = (i, "edited")


def _pair_similar(texts: _Texts, old_range: Sequence[int], new_range: Sequence[int], *,
                  ordered: bool) -> list[tuple[int, int]]:
    """Greedy best-first pairing of similar paragraphs; with `ordered`, no accepted pair
    crosses another (a paragraph cannot move inside a replaced stretch)."""
    old_range, new_range = list(old_range), list(new_range)
    if not old_range or not new_range:
        return []
    candidates = []
    band = _band(len(old_range), len(new_range))
    for b, j in enumerate(new_range):
        for a, i in enumerate(old_range):
            # A long replaced stretch compares each paragraph with its neighbourhood only.
            if band is not None and abs(a * len(new_range) / len(old_range) - b) > band:
                continue
            score = texts.similarity(i, j)
            if score >= SIMILAR:
                candidates.append((-score, abs(a - b), i, j))
    candidates.sort()
    accepted: list[tuple[int, int]] = []
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for _, _, i, j in candidates:
        if i in taken_old or j in taken_new:
            continue
        if ordered and any((i - i2) * (j - j2) < 0 for i2, j2 in accepted):
            continue
        accepted.append((i, j))
        taken_old.add(i)
        taken_new.add(j)
    return accepted


def _band(old_count: int, new_count: int) -> int | None:
    if old_count * new_count <= MAX_PAIRS:
        return None
    return max(1, MAX_PAIRS // (2 * max(old_count, new_count)))


_NUMBERING = re.compile(
    r"^\s*(?:(?:rozdział|rozdzial|chapter)\s+)?(?:\d+(?:[.)]\d+)*[.):]?|[IVXLC]+[.):])\s+",
    re.IGNORECASE)


def normalise_title(title: str) -> str:
    """Titles compared without case, spacing or leading numbers ("3. Gospodarka" is
    "2. Gospodarka" after a chapter moves)."""
    title = _NUMBERING.sub("", title)
    return normalise(title).casefold()


def carry_chapter_anchors(old: Sequence[tuple[str, str]], new_titles: Sequence[str]
                          ) -> list[str | None]:
    """For each new chapter title, the anchor of the old chapter with the same normalised
    title (each old anchor used once, in order), or None."""
    free: dict[str, list[str]] = {}
    for anchor, title in old:
        free.setdefault(normalise_title(title), []).append(anchor)
    carried: list[str | None] = []
    for title in new_titles:
        anchors = free.get(normalise_title(title))
        carried.append(anchors.pop(0) if anchors else None)
    return carried


def word_diff(old: str, new: str) -> list[tuple[Op, str]]:
    """Word-level differences from `old` to `new`, as segments to show with <del>/<ins>."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    segments: list[tuple[Op, str]] = []

    def add(op: Op, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1][0] == op:
            segments[-1] = (op, segments[-1][1] + text)
        else:
            segments.append((op, text))

    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return _absorb_spaces(segments)


def _absorb_spaces(segments: list[tuple[Op, str]]) -> list[tuple[Op, str]]:
    # A lone space kept "equal" between two changes splits one replaced phrase into four
    # marks; readers see one replaced phrase.
    groups: list[list[str] | str] = []  # [deleted, inserted] for a change, str for equal
    for op, text in segments:
        if op == "equal":
            groups.append(text)
        else:
            if not groups or isinstance(groups[-1], str):
                groups.append(["", ""])
            groups[-1][0 if op == "delete" else 1] += text
    merged: list[list[str] | str] = []
    index = 0
    while index < len(groups):
        group = groups[index]
        if (isinstance(group, str) and not group.strip() and merged
                and isinstance(merged[-1], list) and index + 1 < len(groups)
                and isinstance(groups[index + 1], list)):
            before, after = merged[-1], groups[index + 1]
            if (before[0] or after[0]) and (before[1] or after[1]):
                merged[-1] = [before[0] + group + after[0], before[1] + group + after[1]]
                index += 2
                continue
        merged.append(group)
        index += 1
    result: list[tuple[Op, str]] = []
    for group in merged:
        if isinstance(group, str):
            result.append(("equal", group))
        else:
            result.extend((op, text) for op, text in zip(("delete", "insert"), group) if text)
    return result
