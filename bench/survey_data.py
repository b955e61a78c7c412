"""Synthetic survey data for the export benchmark: a 30-question survey using every
question type, and random responses to it in the stored answer shape (models docstring).

No skip logic, so generation stays cheap; about one answer in ten is left out, as a
respondent skipping optional questions would.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from decimal import Decimal

from razem.surveys.definition import (
    AGE_GROUP_LIST,
    SEX_LIST,
    Choice,
    MatrixItem,
    Question,
    QuestionType,
    Settings,
    SurveyDefinition,
    Text,
    default_age_groups,
    default_sexes,
)

T = QuestionType
SKIP_RATE = 0.1
WORDS = ("droga", "szkoła", "praca", "przychodnia", "park", "autobus", "kanalizacja",
         "świetlica", "chodnik", "internet", "ścieżka rowerowa", "basen", "biblioteka")


def _list(prefix: str, size: int) -> tuple[Choice, ...]:
    return tuple(Choice(f"{prefix}{n}", Text(f"odpowiedź {n}", f"answer {n}"))
                 for n in range(1, size + 1))


def definition(n_questions: int = 30) -> SurveyDefinition:
    """`n_questions` questions (at least 10), cycling through the types after the
    respondent's gmina, age group and sex."""
    cycle = [
        (T.SINGLE_CHOICE, "five"), (T.LIKERT, "agree"), (T.MULTIPLE_CHOICE, "six"),
        (T.SINGLE_CHOICE, "five"), (T.LIKERT, "agree"), (T.NUMBER, ""),
        (T.LIKERT_MATRIX, "agree"), (T.RANKING, "five"), (T.SHORT_TEXT, ""),
        (T.LIKERT, "agree"), (T.LONG_TEXT, ""),
    ]
    questions = [
        Question("gmina", T.GMINA, Text("Gmina"), required=True),
        Question("age", T.AGE_GROUP, Text("Wiek"), choice_list=AGE_GROUP_LIST),
        Question("sex", T.SEX, Text("Płeć"), choice_list=SEX_LIST),
    ]
    for n in range(1, n_questions - len(questions) + 1):
        qtype, choice_list = cycle[(n - 1) % len(cycle)]
        name = f"q{n}"
        items = tuple(MatrixItem(f"{name}_{i}", Text(f"Element {i}")) for i in range(1, 6)) \
            if qtype == T.LIKERT_MATRIX else ()
        questions.append(Question(
            name, qtype, Text(f"Pytanie {n}", f"Question {n}"), choice_list=choice_list,
            or_other=qtype == T.MULTIPLE_CHOICE, items=items,
            min_value=Decimal(0) if qtype == T.NUMBER else None,
        ))
    return SurveyDefinition(
        title=Text("Ankieta do pomiaru eksportu", "Export benchmark survey"),
        settings=Settings(form_id="bench_export", version="1"),
        questions=tuple(questions),
        choice_lists={"five": _list("c", 5), "six": _list("m", 6), "agree": _list("", 5),
                      AGE_GROUP_LIST: default_age_groups(), SEX_LIST: default_sexes()},
    )


def answers(definition: SurveyDefinition, gminas: Sequence[str], count: int,
            seed: int = 4) -> Iterator[dict]:
    """`count` random responses; gminas are TERYT codes."""
    rng = random.Random(seed)
    lists = {name: [c.name for c in choices] for name, choices in definition.choice_lists.items()}
    questions = [q for q in definition.questions if q.type != T.NOTE]
    for _ in range(count):
        row: dict = {}
        for question in questions:
            if rng.random() < SKIP_RATE and not question.required:
                continue
            qtype, names = question.type, lists.get(question.choice_list, [])
            if qtype == T.GMINA:
                row[question.name] = rng.choice(gminas)
            elif qtype == T.LIKERT_MATRIX:
                row.update({item.name: rng.choice(names) for item in question.items})
            elif qtype == T.MULTIPLE_CHOICE:
                chosen = rng.sample(names, rng.randint(0, 3))
                if rng.random() < 0.1:
                    chosen.append("other")
                    row[f"{question.name}_other"] = rng.choice(WORDS)
                row[question.name] = chosen
            elif qtype == T.RANKING:
                row[question.name] = rng.sample(names, 3)
            elif qtype == T.NUMBER:
                row[question.name] = str(rng.randint(0, 40))
            elif qtype == T.SHORT_TEXT:
                row[question.name] = " ".join(rng.sample(WORDS, 3))
            elif qtype == T.LONG_TEXT:
                row[question.name] = " ".join(rng.choices(WORDS, k=rng.randint(5, 30)))
            else:
                row[question.name] = rng.choice(names)
        yield row
