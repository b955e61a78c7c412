"""The demo partnership's surveys: the four templates, one closed and published.

Called by `manage.py load_demo` (and so by every test's cast): idempotent, and cheap
after the first call in a process because the generated answers are remembered.

* residents (`ankieta-mieszkancow`): closed two months ago, 400 generated responses,
  results published, so the results page, weighting and the report have something to show;
* youth, leaders and businesses (`ankieta-mlodziezy`, `ankieta-liderow`,
  `ankieta-przedsiebiorcow`): open now with a handful of generated responses, results not
  published; the youth survey takes one-time codes (a batch of 25 for one class), some of
  them already used.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.db import connection, transaction
from django.utils import timezone

from razem.surveys import actions
from razem.surveys.generate import generate_answers, partnership_gmina_weights, submission_days
from razem.surveys.models import Channel, OneTimeCode, Response, Survey
from razem.surveys.questionnaires import TEMPLATES


@dataclass(frozen=True)
class DemoSurvey:
    key: str
    slug: str
    responses: int
    closed: bool = False
    codes: str = ""  # label of a batch of one-time codes, when the survey needs them
    code_count: int = 0


DEMO_SURVEYS = (
    DemoSurvey("resident", "ankieta-mieszkancow", 400, closed=True),
    DemoSurvey("youth", "ankieta-mlodziezy", 18, codes="Klasa 4a, LO w Łosicach", code_count=25),
    DemoSurvey("leader", "ankieta-liderow", 12),
    DemoSurvey("business", "ankieta-przedsiebiorcow", 7),
)
SEED = 2026
# Rows per INSERT: 4 parameters each, well under SQLite's oldest limit of 999.
INSERT_CHUNK = 200


def dates(spec: DemoSurvey, today: date) -> tuple[date, date]:
    """A closed survey ran for 45 days ending two months ago; open ones started a week ago."""
    if spec.closed:
        closes_on = today - timedelta(days=60)
        return closes_on - timedelta(days=45), closes_on
    return today - timedelta(days=7), today + timedelta(days=60)


def ensure_demo_surveys(partnership, by, *, today: date | None = None,
                        with_responses: bool = True) -> list[Survey]:
    """Create the demo surveys the partnership does not have yet (by slug); returns the
    ones created. `by` is the coordinator named in the audit log; `with_responses=False`
    leaves them without generated responses (and without used codes)."""
    today = today or timezone.localdate()
    existing = set(
        Survey.objects.filter(partnership=partnership,
                              slug__in=[spec.slug for spec in DEMO_SURVEYS])
        .values_list("slug", flat=True)
    )
    missing = [spec for spec in DEMO_SURVEYS if spec.slug not in existing]
    if not missing:
        return []
    gminas = tuple(sorted(partnership_gmina_weights(partnership).items()))
    return [_create(partnership, by, spec, today, gminas, with_responses) for spec in missing]


@transaction.atomic
def _create(partnership, by, spec: DemoSurvey, today: date,
            gminas: tuple[tuple[str, float], ...], with_responses: bool) -> Survey:
    opens_on, closes_on = dates(spec, today)
    survey = actions.create_from_template(
        partnership=partnership, by=by, key=spec.key, slug=spec.slug,
        opens_on=opens_on, closes_on=closes_on,
    )
    # The same template, gminas and seed give the same answers: generated once per process.
    answers = _answer_texts(spec.key, gminas, spec.responses if with_responses else 0)
    days = submission_days(survey, len(answers), seed=SEED, today=today)
    _insert_responses(survey, answers, days)
    if spec.codes:
        actions.update_survey(survey=survey, by=by, codes_required=True)
        batch = actions.create_code_batch(survey=survey, by=by, label=spec.codes,
                                          count=spec.code_count)
        # The generated pupils used their cards on the days they answered: a code records
        # its day only, never the response.
        ids = list(batch.codes.order_by("id").values_list("id", flat=True)[: len(days)])
        by_day: dict[date, list[int]] = defaultdict(list)
        for code_id, day in zip(ids, days, strict=False):
            by_day[day].append(code_id)
        for day, code_ids in by_day.items():
            OneTimeCode.objects.filter(id__in=code_ids).update(used_on=day)
    if spec.closed:
        actions.set_publication(survey=survey, by=by, published=True)
    return survey


@lru_cache(maxsize=16)
def _answer_texts(key: str, gminas: tuple[tuple[str, float], ...], n: int) -> tuple[str, ...]:
    template = TEMPLATES[key]
    answer_sets = generate_answers(template.definition(), n, seed=SEED, gminas=dict(gminas),
                                   audience=template.audience)
    return tuple(json.dumps(answers) for answers in answer_sets)


def _insert_responses(survey: Survey, answers: Sequence[str], days: Sequence[date]) -> None:
    """Insert generated responses (answers as JSON text) in a few multi-row statements.

    Not bulk_create: the test cast loads the demo before every test, and building and
    preparing 400 model instances costs several times the insert itself (and on
    PostgreSQL bulk_create's UNNEST of JSON texts is slower still). Columns not named
    (time of day, respondent, submission key) stay NULL, as anonymous mode requires.
    """
    meta = Response._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column)
                        for name in ("survey", "answers", "channel", "submitted_on"))
    rows = [(survey.pk, text, Channel.GENERATED.value, day.isoformat())
            for text, day in zip(answers, days, strict=True)]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start:start + INSERT_CHUNK]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values}",
                           [value for row in chunk for value in row])
