"""Generated (demonstration) responses: plausible answers that obey the questionnaire.

Every generated response walks the questions in order like a respondent: a question is
answered only when its skip logic shows it, required questions always, others mostly;
answers meet the constraints (at most 3 priorities, "none" alone) and the limits of
numbers and texts. The respondents are deliberately unlike the population, as real
volunteers are: more women, more people aged 35–64, few under 25, so the weighted
results visibly differ from the unweighted ones. Older respondents rate life a little
better and young ones plan to leave more often, which is what makes the difference
show. Rows are marked `channel=generated` and are never mixed up with real answers.

Deterministic: the same survey definition, gminas, period and seed give the same answers.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from razem.surveys import expressions
from razem.surveys.definition import Choice, Question, QuestionType, SurveyDefinition

Q = QuestionType
OTHER = "other"
# Volunteers, not the population: women and the middle-aged answer more.
AGE_WEIGHTS = {
    "under_18": 0.02, "18_24": 0.06, "25_34": 0.12, "35_44": 0.22, "45_54": 0.24,
    "55_64": 0.21, "65_plus": 0.13,
}
WORKING_AGE = ("18_24", "25_34", "35_44", "45_54", "55_64")
FEMALE_SHARE = {"resident": 0.62, "youth": 0.55}
MOOD_BY_AGE = {"under_18": -0.3, "18_24": -0.4, "25_34": -0.2, "55_64": 0.2, "65_plus": 0.4}
# Mean shift of a Likert answer from the middle of the scale, by question or item name.
LIKERT_BIAS = {
    "quality_of_life": 0.4, "svc_schools": 0.6, "svc_health": -0.6, "svc_transport": -0.9,
    "svc_roads": -0.3, "svc_culture": 0.2, "svc_sport": 0.3, "svc_social_care": 0.0,
    "svc_internet": -0.4, "svc_water_sewage": 0.4, "svc_administration": 0.5,
    "coop_support": 0.9, "att_safe": 0.8, "att_environment": 0.6, "att_influence": -0.7,
    "att_informed": -0.2, "att_recommend": 0.3, "yatt_future": -0.6, "yatt_voice": -0.8,
    "yatt_leisure": -0.5, "yatt_transport": -0.3, "local_job": -0.7, "cap_staff": -0.4,
    "cap_funds": -0.7, "cap_trust": 0.2, "cap_leadership": -0.1, "cap_residents": 0.4,
    "cap_ngos": 0.0, "business_climate": -0.2, "hiring_ease": -1.0,
}
# Women, who use them more (with children and older relatives), rate these lower.
FEMALE_CRITICAL = frozenset({"svc_health", "svc_social_care", "svc_transport", "svc_culture"})
# Relative weights of choices, by question; other choices weigh 1.
CHOICE_WEIGHTS: dict[str, dict[str, float]] = {
    "priorities": {"roads": 5, "health": 5, "jobs": 5, "public_transport": 3.5,
                   "water_sewage": 3, "elderly_care": 2.5, "childcare": 2, "schools": 2,
                   "internet": 1.5, "sport": 1.5, "environment": 1.5, "safety": 1.2},
    "stay_plans": {"stay": 9, "move_nearby": 1.2, "move_city": 1.5, "move_abroad": 0.6,
                   "dont_know": 2},
    "leave_reasons": {"jobs": 6, "education": 2, "transport": 3, "services": 2.5,
                      "housing": 1.5, "leisure": 1.5},
    "coop_areas": {"transport": 5, "investors": 3, "tourism": 3, "eu_funds": 4,
                   "education": 2.5, "environment": 2.5},
    "quality_change": {"better": 5, "same": 4, "worse": 2, "dont_know": 1.5},
    "locality": {"village": 3, "town": 1},
    "work_place": {"same_gmina": 4, "other_gmina": 2.5, "city": 1.5, "remote": 0.6,
                   "none": 2},
    "commute_mode": {"car": 8, "bus": 2.5, "train": 0.5, "bike_walk": 1},
    "education": {"secondary": 4, "higher": 3, "vocational": 3, "primary": 1},
    "engagement": {"civic_budget": 3, "village_meeting": 3, "ngo": 1.5, "none": 3},
    "after_school": {"studies": 6, "work": 2, "work_abroad": 1, "vocational": 1.5,
                     "dont_know": 1.5},
    "youth_needs": {"meeting_places": 4, "transport": 4, "jobs": 3.5, "culture": 2.5},
    "stay_factors": {"good_jobs": 6, "housing": 3, "transport": 3, "remote_work": 2.5,
                     "family": 2.5},
    "school_type": {"lo": 5, "technikum": 4, "branzowa": 1.5},
    "obstacles": {"workers": 6, "labour_costs": 4, "roads": 2.5, "procedures": 2.5,
                  "demand": 2},
    "sector": {"agriculture": 3, "trade": 3, "construction": 2.5, "personal_services": 2},
    "firm_size": {"1": 4, "2_9": 5, "10_49": 1.5, "50_249": 0.3, "250_plus": 0.05},
    "hiring_plans": {"keep": 5, "increase": 2.5, "decrease": 1, "dont_know": 1.5},
    "gov_needs": {"roads": 4, "land": 3, "permits": 3, "tax_relief": 3.5, "vocational": 3},
    "barriers": {"funds": 6, "staff": 4, "competition": 3, "politics": 2.5},
    "leader_role": {"soltys": 4, "councillor": 3, "ngo": 3, "kgw": 2, "osp": 2,
                    "school_head": 1.5, "local_government": 2},
}
# Plausible ranges (low, high) of numbers, by question; others use their own limits.
NUMBER_RANGES = {
    "commute_minutes": (10, 70), "household_size": (1, 6), "expected_pay": (3500, 8000),
    "leader_years": (2, 30), "organisation_size": (5, 60), "new_jobs": (1, 6),
}
# Share of respondents who write anything in an optional open question.
TEXT_RATE = 0.35
PHRASES: dict[str, tuple[str, ...]] = {
    "missing_most": (
        "chodnika wzdłuż drogi do szkoły", "lekarza na miejscu", "autobusu do miasta wieczorem",
        "miejsca spotkań dla młodzieży", "placu zabaw", "sklepu", "kanalizacji",
        "oświetlenia ulic", "ścieżki rowerowej", "szybkiego internetu",
    ),
    "idea": (
        "Więcej kursów autobusowych do Siedlec, także w weekendy.",
        "Remont dróg gminnych i chodniki przy szkołach.",
        "Przychodnia z lekarzem specjalistą przynajmniej raz w tygodniu.",
        "Świetlica wiejska otwarta także dla młodzieży po lekcjach.",
        "Wspólna oferta turystyczna gmin: szlaki rowerowe i agroturystyka.",
        "Tereny pod inwestycje, żeby powstały miejsca pracy poza rolnictwem.",
        "Dzienny dom opieki dla osób starszych.",
        "Lepsza informacja o planach gminy, np. SMS-y i spotkania w sołectwach.",
        "Kanalizacja albo dofinansowanie przydomowych oczyszczalni.",
        "Basen lub hala sportowa dla kilku gmin razem.",
    ),
    "field_of_interest": (
        "informatyka", "pielęgniarstwo", "mechatronika", "logistyka", "rolnictwo",
        "psychologia", "budownictwo", "weterynaria", "fryzjerstwo", "ekonomia",
    ),
    "skills_needed": (
        "kierowcy z prawem jazdy kat. C", "elektrycy", "spawacze", "księgowa",
        "mechanik maszyn rolniczych", "operator wózka widłowego", "kucharz",
    ),
    "coop_example": (
        "Wspólny projekt szlaków rowerowych; udało się pozyskać dofinansowanie, gorzej "
        "z utrzymaniem po zakończeniu.",
        "Zakup wozu strażackiego razem z sąsiednią OSP.",
        "Festyn powiatowy organizowany przez kilka kół gospodyń.",
        "Wspólne zajęcia dla uczniów kilku szkół; zabrakło transportu.",
    ),
    "key_project": (
        "Wspólna komunikacja autobusowa łącząca wszystkie gminy z Siedlcami.",
        "Strefa inwestycyjna przy drodze krajowej, obsługiwana przez kilka gmin.",
        "Centrum opieki dla osób starszych dla całego partnerstwa.",
        "Szlak turystyczny wzdłuż Bugu z wspólną promocją.",
    ),
    "remarks": (
        "Potrzebujemy szybszych decyzji w sprawie warunków zabudowy.",
        "Szkoła zawodowa powinna uczyć zawodów, których szukają lokalne firmy.",
        "Brakuje terenów z prądem i drogą dojazdową.",
        "Dobrze byłoby mieć jeden punkt informacji o dotacjach dla firm.",
    ),
}
OTHER_PHRASES = (
    "oświetlenie ulic", "schronisko dla zwierząt", "cmentarz komunalny", "drogie mieszkania",
    "brak lekarzy specjalistów", "parking przy stacji", "ochrona zabytków",
)
CONSTRAINT_ATTEMPTS = 10
_COUNT_LIMIT = re.compile(r"count-selected\(\s*\.\s*\)\s*<=\s*(\d+)")


def generate_responses(survey, n: int, *, seed: int, today: date | None = None) -> list:
    """`n` unsaved generated Response rows for `survey` (for bulk_create)."""
    answer_sets = generate_answers(survey.questionnaire, n, seed=seed,
                                   gminas=gmina_weights(survey), audience=survey.audience)
    return responses_for(survey, answer_sets, seed=seed, today=today)


def responses_for(survey, answer_sets, *, seed: int, today: date | None = None) -> list:
    """Unsaved generated Response rows holding `answer_sets`, on days spread over the
    survey's period up to `today` (default: today)."""
    from razem.surveys.models import Channel, Response

    days = submission_days(survey, len(answer_sets), seed=seed, today=today)
    return [
        Response(survey=survey, answers=dict(answers), channel=Channel.GENERATED,
                 submitted_on=day)
        for answers, day in zip(answer_sets, days, strict=True)
    ]


def submission_days(survey, n: int, *, seed: int, today: date | None = None) -> list[date]:
    """`n` days within the survey's period up to `today`, most soon after the opening."""
    period = _period(survey.opens_on, survey.closes_on, today or timezone.localdate())
    rng = random.Random(f"{seed}:days")
    return [_day(rng, period) for _ in range(n)]


def generate_answers(definition: SurveyDefinition, n: int, *, seed: int,
                     gminas: Mapping[str, float], audience: str = "resident") -> list[dict]:
    """`n` answer dicts in the stored shape (see razem.surveys.models)."""
    rng = random.Random(seed)
    generator = _Generator(definition, gminas, audience)
    # Residents' surveys are weighted by gmina × sex and gmina × age band, which needs at
    # least one respondent in every cell: the first respondents cover them all.
    cover = _coverage(list(gminas)) if audience == "resident" else []
    return [generator.respondent(rng, cover[i] if i < len(cover) else None)
            for i in range(n)]


def _coverage(gminas: list[str]) -> list[tuple[str, str, bool]]:
    """(gmina, sex, aged 65+) for every cell that weighting rakes to."""
    return [(gmina, sex, older) for gmina in gminas for sex in ("female", "male")
            for older in (False, True)]


def gmina_weights(survey) -> dict[str, float]:
    """The survey's gminas weighted by population where the portrait has it."""
    return partnership_gmina_weights(survey.partnership)


def partnership_gmina_weights(partnership) -> dict[str, float]:
    """The partnership's gminas weighted by population where the portrait has it."""
    from razem.surveys.population import population_frame

    teryts = sorted(partnership.units.filter(kind="gmina").values_list("teryt", flat=True))
    weights = {teryt: 1.0 for teryt in teryts}
    if teryts:
        frame = population_frame(teryts)
        known = dict(zip(frame["teryt"].to_list(), frame["population"].to_list(), strict=True))
        if known:
            average = sum(known.values()) / len(known)
            weights = {teryt: float(known.get(teryt, average)) for teryt in teryts}
    return weights


def _period(opens_on: date, closes_on: date, today: date) -> tuple[date, int]:
    last = min(closes_on, max(today, opens_on))
    return opens_on, (last - opens_on).days


def _day(rng: random.Random, period: tuple[date, int]) -> date:
    start, days = period
    # Most answers come soon after the launch, then fewer: a triangular spread.
    return start + timedelta(days=round(rng.triangular(0, days, 0)) if days else 0)


class _Generator:
    def __init__(self, definition: SurveyDefinition, gminas: Mapping[str, float],
                 audience: str) -> None:
        self.definition = definition
        self.audience = audience
        self.gminas = list(gminas)
        self.gmina_weights = [gminas[code] for code in self.gminas]
        self.relevant = {q.name: _parse(q.relevant) for q in definition.questions}
        self.constraints = {q.name: _parse(q.constraint) for q in definition.questions}

    def respondent(self, rng: random.Random, cell: tuple[str, str, bool] | None = None) -> dict:
        answers: dict = {}
        profile = _Profile(rng, self.audience, cell)
        for question in self.definition.questions:
            if question.type == Q.NOTE:
                continue
            if not expressions.is_relevant(self.relevant[question.name], answers):
                continue
            # A respondent covering a weighting cell must say who they are.
            if question.type == Q.AGE_GROUP or (question.type == Q.SEX and profile.gmina):
                answers[question.name] = (profile.age_group if question.type == Q.AGE_GROUP
                                          else profile.sex)
                continue
            if not question.required and rng.random() > self._answer_rate(question):
                continue
            self._answer_within_constraint(question, answers, profile, rng)
        return answers

    def _answer_within_constraint(self, question: Question, answers: dict, profile: _Profile,
                                  rng: random.Random) -> None:
        constraint = self.constraints[question.name]
        for _attempt in range(CONSTRAINT_ATTEMPTS):
            self._answer(question, answers, profile, rng)
            value = answers.get(question.name)
            if constraint is None or value is None:
                return
            earlier = {name: answer for name, answer in answers.items() if name != question.name}
            if expressions.satisfies(constraint, earlier, value):
                return
        # No plausible answer meets it: leave the question unanswered, as people do.
        answers.pop(question.name, None)
        answers.pop(f"{question.name}_other", None)

    def _answer_rate(self, question: Question) -> float:
        if question.type in (Q.SHORT_TEXT, Q.LONG_TEXT):
            return TEXT_RATE
        if question.type == Q.RANKING:
            return 0.75
        return 0.93

    def _answer(self, question: Question, answers: dict, profile: _Profile,
                rng: random.Random) -> None:
        name = question.name
        choices = self.definition.choice_lists.get(question.choice_list, ())
        qtype = question.type
        if qtype == Q.GMINA:
            if profile.gmina:
                answers[name] = profile.gmina
            elif self.gminas:
                answers[name] = rng.choices(self.gminas, self.gmina_weights)[0]
        elif qtype == Q.SEX:
            answers[name] = profile.sex
        elif qtype == Q.LIKERT:
            answers[name] = _likert(rng, choices, profile.bias(name))
        elif qtype == Q.LIKERT_MATRIX:
            for item in question.items:
                if question.required or rng.random() < 0.92:
                    answers[item.name] = _likert(rng, choices, profile.bias(item.name))
        elif qtype == Q.SINGLE_CHOICE:
            self._single(question, choices, answers, profile, rng)
        elif qtype == Q.MULTIPLE_CHOICE:
            self._multiple(question, choices, answers, rng)
        elif qtype == Q.RANKING:
            answers[name] = _weighted_order(rng, choices, CHOICE_WEIGHTS.get(name, {}))
        elif qtype == Q.NUMBER:
            answers[name] = _number(rng, question)
        elif qtype in (Q.SHORT_TEXT, Q.LONG_TEXT):
            text = rng.choice(PHRASES.get(name, OTHER_PHRASES))
            answers[name] = text[: question.max_length or len(text)]

    def _single(self, question: Question, choices: Sequence[Choice], answers: dict,
                profile: _Profile, rng: random.Random) -> None:
        weights = dict(CHOICE_WEIGHTS.get(question.name, {}))
        if question.name == "stay_plans" and profile.young:
            weights.update({"stay": 3, "move_city": 4, "move_abroad": 1.5})
        if question.name == "occupation":
            weights = _occupation_weights(profile.age_group)
        names = [choice.name for choice in choices]
        if question.or_other:
            names.append(OTHER)
            weights.setdefault(OTHER, 0.15)
        choice = rng.choices(names, [weights.get(name, 1.0) for name in names])[0]
        answers[question.name] = choice
        if choice == OTHER:
            answers[f"{question.name}_other"] = rng.choice(OTHER_PHRASES)

    def _multiple(self, question: Question, choices: Sequence[Choice], answers: dict,
                  rng: random.Random) -> None:
        name = question.name
        names = [choice.name for choice in choices]
        weights = dict(CHOICE_WEIGHTS.get(name, {}))
        if question.or_other:
            names.append(OTHER)
            weights.setdefault(OTHER, 0.3)
        limit = _count_limit(question.constraint) or min(4, len(names))
        if "none" in names and rng.random() < weights.get("none", 1.0) / 10:
            chosen = ["none"]
        else:
            pool = [n for n in names if n != "none"]
            count = rng.randint(1, min(limit, len(pool)))
            picked = set(_weighted_order(rng, pool, weights)[:count])
            chosen = [n for n in names if n in picked]  # in the list's order
        if not expressions.satisfies(self.constraints[name], answers, chosen):
            chosen = chosen[:1]
        answers[name] = chosen
        if OTHER in chosen:
            answers[f"{name}_other"] = rng.choice(OTHER_PHRASES)


class _Profile:
    """What one generated respondent is like, drawn before the questions."""

    def __init__(self, rng: random.Random, audience: str,
                 cell: tuple[str, str, bool] | None = None) -> None:
        groups = list(AGE_WEIGHTS)
        if cell is not None:
            groups = ["65_plus"] if cell[2] else [g for g in groups if g in WORKING_AGE]
        self.age_group = rng.choices(groups, [AGE_WEIGHTS[g] for g in groups])[0]
        self.sex = "female" if rng.random() < FEMALE_SHARE.get(audience, 0.5) else "male"
        self.gmina = None
        if cell is not None:
            self.gmina, self.sex = cell[0], cell[1]
        self.young = audience == "youth" or self.age_group in ("under_18", "18_24", "25_34")
        base = -0.2 if audience == "youth" else 0.0
        if audience == "resident":
            base += MOOD_BY_AGE.get(self.age_group, 0.0)
        self.mood = base + rng.gauss(0, 0.6)

    def bias(self, name: str) -> float:
        """Mean shift of this respondent's Likert answer to the question or item `name`."""
        shift = LIKERT_BIAS.get(name, 0.0) + self.mood
        if self.sex == "female" and name in FEMALE_CRITICAL:
            shift -= 0.4
        return shift


def _parse(text: str) -> expressions.Expr | None:
    return expressions.parse(text) if text.strip() else None


def _likert(rng: random.Random, choices: Sequence[Choice], bias: float) -> str:
    points = [choice.name for choice in choices]
    middle = (len(points) - 1) / 2
    index = round(middle + bias + rng.gauss(0, 0.8))
    return points[max(0, min(len(points) - 1, index))]


def _weighted_order(rng: random.Random, items: Sequence, weights: Mapping[str, float]) -> list:
    """The items in a random order where heavier ones tend to come first."""
    names = [item.name if isinstance(item, Choice) else item for item in items]
    keys = {name: rng.random() ** (1.0 / weights.get(name, 1.0)) for name in names}
    return sorted(names, key=lambda name: -keys[name])


def _count_limit(constraint: str) -> int | None:
    match = _COUNT_LIMIT.search(constraint or "")
    return int(match.group(1)) if match else None


def _number(rng: random.Random, question: Question) -> str:
    low, high = NUMBER_RANGES.get(question.name, (None, None))
    minimum = question.min_value if question.min_value is not None else Decimal(0)
    maximum = question.max_value if question.max_value is not None else minimum + 100
    low = max(Decimal(low), minimum) if low is not None else minimum
    high = min(Decimal(high), maximum) if high is not None else min(maximum, low + 20)
    value = rng.triangular(float(low), float(high), float(low + (high - low) / 3))
    step = 100 if high - low > 2000 else (5 if high - low > 40 else 1)
    number = Decimal(round(value / step) * step)
    return str(max(minimum, min(maximum, number)))


def _occupation_weights(age_group: str) -> dict[str, float]:
    if age_group in ("under_18", "18_24"):
        return {"student": 6, "employee": 3, "unemployed": 1}
    if age_group == "65_plus":
        return {"retired": 9, "farmer": 1}
    return {"employee": 6, "self_employed": 1.5, "farmer": 2, "unemployed": 0.7, "home": 1,
            "retired": 0.5 if age_group == "55_64" else 0.05, "student": 0.1}
