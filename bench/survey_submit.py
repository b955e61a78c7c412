"""The survey_submit scenario: wrk posts valid responses to an open demo survey.

Runs in the harness process, with Django set up on the bench database. Per round:
`SubmitLoad.start` gets the form once (for the CSRF cookie and token) and builds one valid
body with razem.surveys.answers.post_fields; wrk posts it (bench/survey_submit.lua) with a
fresh submission key per request and counts the 303 answers. `after` compares them with the
rows the survey gained: `survey_lost_responses` = acknowledged minus stored, which must be 0.

What the count cannot see: a request in flight when wrk stops (at most one per connection)
may still be stored without wrk seeing its 303. Those show as "stored without
acknowledgement" and are not losses; a loss hidden exactly behind one of them is the only
thing that could slip through.
"""

from __future__ import annotations

import html
import re
import secrets
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path

DEMO = "razem-dla-rozwoju"
# The demo's open business survey (no one-time codes); created from its template when the
# demo has not got it, so the scenario does not depend on what load_demo ships.
SURVEY_SLUG = "przedsiebiorcy"
TEMPLATE = "business"
PATH = f"/p/{DEMO}/s/{SURVEY_SLUG}/"
SCRIPT = Path(__file__).resolve().parent / "survey_submit.lua"
SETTLE_TIMEOUT_S = 10.0

_COUNTS = re.compile(r"^survey_submit: acknowledged (\d+), other (\d+)$", re.MULTILINE)
_TOKEN = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


def parse_counts(output: str) -> tuple[int, int] | None:
    """(acknowledged, other) from the Lua script's last line, or None when it is missing."""
    match = _COUNTS.search(output)
    return (int(match.group(1)), int(match.group(2))) if match else None


def lost_responses(acknowledged: int, stored: int) -> int:
    """Acknowledged responses that are not in the database (never negative: rows stored
    for requests wrk stopped waiting for are not a loss)."""
    return max(0, acknowledged - stored)


def ensure_survey():
    """The open, code-free survey the scenario posts to."""
    from django.utils import timezone

    from razem.core.models import Partnership
    from razem.surveys.models import Survey
    from razem.surveys.questionnaires import create_from_template

    partnership = Partnership.objects.get(slug=DEMO)
    survey = Survey.objects.filter(partnership=partnership, slug=SURVEY_SLUG).first()
    if survey is None:
        today = timezone.localdate()
        survey = create_from_template(partnership, TEMPLATE, slug=SURVEY_SLUG,
                                      opens_on=today - timedelta(days=30),
                                      closes_on=today + timedelta(days=30))
    if not survey.is_open() or survey.codes_required:
        raise RuntimeError(f"the survey {SURVEY_SLUG} must be open and need no one-time codes")
    return survey


def _candidates(question, choices) -> list[object]:
    from razem.surveys import answers as answer_rules
    from razem.surveys.definition import QuestionType as T

    names = [c.name for c in choices if c.name != answer_rules.OTHER]
    qtype = question.type
    if qtype == T.MULTIPLE_CHOICE:
        return [names[:2], names[:1]]
    if qtype == T.RANKING:
        return [names, names[:3], names[:1]]
    if qtype == T.NUMBER:
        low, high = question.min_value, question.max_value
        numbers = [n for n in (Decimal(3), Decimal(1), Decimal(10), Decimal(0), low, high)
                   if n is not None and (low is None or n >= low) and (high is None or n <= high)]
        return [format(n, "f") for n in numbers]
    if qtype in (T.SHORT_TEXT, T.LONG_TEXT):
        text = ("Lepsze drogi, więcej miejsc pracy i zajęć dla młodzieży; "
                "wspólne projekty gmin.")
        return [text[: answer_rules.text_limit(question)]]
    # Single choice, Likert, gmina, age group, sex: a choice from the middle of the list.
    return [names[len(names) // 2], names[0]] if names else []


def sample_answers(definition, gminas) -> dict:
    """One complete, valid response: every question that applies is answered."""
    from razem.surveys import answers as answer_rules
    from razem.surveys import expressions
    from razem.surveys.definition import QuestionType as T

    answers: dict = {}
    for question in definition.questions:
        if question.type == T.NOTE or not answer_rules.relevant(question, answers):
            continue
        choices = answer_rules.choices_for(definition, question, gminas)
        if question.type == T.LIKERT_MATRIX:
            middle = choices[len(choices) // 2].name
            answers.update({item.name: middle for item in question.items})
            continue
        for value in _candidates(question, choices):
            if expressions.satisfies(question.constraint, answers, value):
                answers[question.name] = value
                break
    cleaned, errors = answer_rules.clean_answers(
        definition, answer_rules.post_data(definition, answers), gminas)
    if errors:
        raise RuntimeError(f"the sample response is not valid: {errors}")
    return cleaned


def count_rows(survey_id: int) -> int:
    """Rows of the survey once in-flight requests have finished and the servers' spools
    (razem/surveys/spool.py) have stored what they took: the count has stopped moving
    for longer than a flush interval."""
    from django.conf import settings

    from razem.surveys.models import Response

    rows = Response.objects.filter(survey_id=survey_id)
    pause = max(0.2, 2 * (settings.RAZEM_SURVEY_SPOOL_INTERVAL or 0) + 0.2)
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    count = rows.count()
    while time.monotonic() < deadline:
        time.sleep(pause)
        again = rows.count()
        if again == count:
            break
        count = again
    return count


@dataclass
class SubmitLoad:
    survey_id: int
    cookie: str
    origin: str
    body: str
    token: str = ""
    before: int = 0

    @classmethod
    def start(cls, base_url: str) -> SubmitLoad:
        import django

        django.setup()
        from razem.surveys import answers as answer_rules
        from razem.surveys.collection import gmina_choices

        survey = ensure_survey()
        with urllib.request.urlopen(base_url + PATH, timeout=10) as page:
            cookie = SimpleCookie()
            for header in page.headers.get_all("Set-Cookie") or []:
                cookie.load(header)
            match = _TOKEN.search(page.read().decode())
        if match is None or "csrftoken" not in cookie:
            raise RuntimeError("the survey form has no CSRF token")
        definition = survey.questionnaire
        fields = answer_rules.post_fields(
            definition, sample_answers(definition, gmina_choices(survey.partnership)))
        fields.append(("csrfmiddlewaretoken", html.unescape(match.group(1))))
        return cls(
            survey_id=survey.pk,
            cookie="; ".join(f"{name}={morsel.value}" for name, morsel in cookie.items()),
            origin=base_url,
            body=urllib.parse.urlencode(fields),
        )

    def wrk_arguments(self) -> tuple[list[str], list[str]]:
        """(options before the URL, arguments after it); a new key prefix per wrk run."""
        self.token = secrets.token_hex(8)
        return ["-s", str(SCRIPT)], ["--", self.token, self.cookie, self.origin, self.body]

    def begin(self) -> None:
        self.before = count_rows(self.survey_id)

    def finish(self, output: str) -> tuple[dict[str, float], list[str]]:
        """Figures of a measured run and why it failed, if it did."""
        counts = parse_counts(output)
        if counts is None:
            return {}, ["the wrk script printed no counts"]
        acknowledged, other = counts
        stored = count_rows(self.survey_id) - self.before
        lost = lost_responses(acknowledged, stored)
        print(f"bench: survey_submit: {acknowledged} acknowledged, {stored} stored, "
              f"{lost} lost, {max(0, stored - acknowledged)} stored without acknowledgement "
              f"(in flight when wrk stopped)", flush=True)
        failures = [f"{other} responses were not acknowledged (status other than 303)"] \
            if other else []
        return {"survey_lost_responses": float(lost)}, failures
