"""The figures and the table of the consultation report; pure (no Django ORM).

reports.py reads the comments into `CommentFact`s (plain values, texts already
translated where they are labels) and this module counts them and orders the
rows. Every comment falls in exactly one status: hidden by moderation, late
(received after the end: kept, not considered) or considered; hidden wins over
late, because a hidden comment's text is not published at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

CONSIDERED = "considered"
LATE = "late"
HIDDEN = "hidden"
STATUSES = (CONSIDERED, LATE, HIDDEN)
# The outcome key of a considered comment that has no position yet.
NO_POSITION = ""
# The chapter key of comments on the whole document.
WHOLE_DOCUMENT = ""


@dataclass(frozen=True)
class CommentFact:
    """One comment as the report sees it. `number` is its "uwaga nr N"."""

    number: int
    scope: str
    chapter_key: str  # the chapter's anchor, WHOLE_DOCUMENT for the whole document
    part: str  # the part of the document, as written in the table
    author: str  # Comment.public_author: never a natural person's name
    category: str
    channel: str
    proposed_wording: str
    justification: str
    is_late: bool
    is_hidden: bool
    hidden_reason: str = ""
    outcome: str = NO_POSITION
    position_justification: str = ""
    next_paragraph: str = ""  # where the next version carries the change, when it does

    @property
    def status(self) -> str:
        if self.is_hidden:
            return HIDDEN
        if self.is_late:
            return LATE
        return CONSIDERED


@dataclass(frozen=True)
class Tally:
    """Comments of one category, chapter or channel, by status."""

    key: str
    label: str
    total: int
    considered: int
    late: int
    hidden: int


def tally(facts: Iterable[CommentFact], key: Callable[[CommentFact], str],
          labels: Sequence[tuple[str, str]], *, keep_empty: bool = True) -> list[Tally]:
    """Counts per key in the order of `labels` ((key, label) pairs); keys not in `labels`
    are counted under their own key as label, after the others, so no comment is lost."""
    counts: dict[str, Counter[str]] = {}
    for fact in facts:
        counts.setdefault(key(fact), Counter())[fact.status] += 1
    order = list(labels) + [(k, k) for k in counts if k not in dict(labels)]
    rows = []
    for code, label in order:
        found = counts.get(code, Counter())
        total = sum(found.values())
        if total or keep_empty:
            rows.append(Tally(key=code, label=label, total=total, considered=found[CONSIDERED],
                              late=found[LATE], hidden=found[HIDDEN]))
    return rows


def by_category(facts: Sequence[CommentFact], labels: Sequence[tuple[str, str]]) -> list[Tally]:
    return tally(facts, lambda f: f.category, labels)


def by_channel(facts: Sequence[CommentFact], labels: Sequence[tuple[str, str]]) -> list[Tally]:
    return tally(facts, lambda f: f.channel, labels)


def by_chapter(facts: Sequence[CommentFact], labels: Sequence[tuple[str, str]]) -> list[Tally]:
    """`labels`: the whole document (WHOLE_DOCUMENT) and the chapters in their order."""
    return tally(facts, lambda f: f.chapter_key, labels)


def by_outcome(facts: Sequence[CommentFact], labels: Sequence[tuple[str, str]]
               ) -> list[tuple[str, str, int]]:
    """(outcome, label, count) of the considered comments; `labels` should include
    NO_POSITION, shown only when some comment still lacks a position."""
    counts = Counter(f.outcome for f in facts if f.status == CONSIDERED)
    known = dict(labels)
    rows = [(code, label, counts.get(code, 0)) for code, label in labels
            if code != NO_POSITION or counts.get(NO_POSITION)]
    rows += [(code, code, n) for code, n in counts.items() if code not in known]
    return rows


@dataclass(frozen=True)
class Totals:
    total: int
    considered: int
    late: int
    hidden: int
    with_position: int


def totals(facts: Sequence[CommentFact]) -> Totals:
    statuses = Counter(f.status for f in facts)
    return Totals(total=len(facts), considered=statuses[CONSIDERED], late=statuses[LATE],
                  hidden=statuses[HIDDEN],
                  with_position=sum(1 for f in facts
                                    if f.status == CONSIDERED and f.outcome != NO_POSITION))


@dataclass(frozen=True)
class TableTexts:
    """The translated sentences the table needs (kept out of this pure module's gettext)."""

    late: str  # "not considered: received after the end"
    hidden: str  # "hidden by moderation: %(reason)s"
    no_position: str  # "no position yet"
    proposed: str  # "Proposed wording: %(text)s"
    next_paragraph: str  # "The change is in %(where)s."
    outcome_labels: dict[str, str]
    category_labels: dict[str, str]
    channel_labels: dict[str, str]
    dash: str = "–"


def table_rows(facts: Iterable[CommentFact], texts: TableTexts) -> list[list[str | int]]:
    """Every comment once, in number order: nr, part, author, category, channel, the
    comment (proposed wording and justification), position, its justification."""
    rows: list[list[str | int]] = []
    for fact in sorted(facts, key=lambda f: f.number):
        if fact.status == HIDDEN:
            comment = texts.dash
            position = texts.hidden % {"reason": fact.hidden_reason or texts.dash}
            reason = texts.dash
        else:
            comment = fact.justification
            if fact.proposed_wording:
                comment = (texts.proposed % {"text": fact.proposed_wording}) + "\n" + comment
            if fact.status == LATE:
                position, reason = texts.late, texts.dash
            elif fact.outcome == NO_POSITION:
                position, reason = texts.no_position, texts.dash
            else:
                position = texts.outcome_labels.get(fact.outcome, fact.outcome)
                reason = fact.position_justification or texts.dash
                if fact.next_paragraph:
                    reason += " " + texts.next_paragraph % {"where": fact.next_paragraph}
        rows.append([fact.number, fact.part, fact.author,
                     texts.category_labels.get(fact.category, fact.category),
                     texts.channel_labels.get(fact.channel, fact.channel),
                     comment, position, reason])
    return rows
