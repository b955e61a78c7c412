"""The results pages: who may see them, what the public sees, population figures pasted
by a coordinator, and the coding of open answers."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from razem.conftest import client_for
from razem.core.models import AuditLogEntry
from razem.surveys.models import AnswerTag, Response, Survey
from razem.surveys.tests.factories import make_survey

MEMBERS = ["coordinator", "officer", "advisor", "observer"]
CONTRIBUTORS = ["coordinator", "officer", "advisor"]
SECRET = "Tajny pomysł mieszkańca"


@pytest.fixture(autouse=True)
def _clean(cast, partnership_a):
    # The cast has no statistics: no population figures unless a test pastes some.
    cache.clear()
    Survey.objects.filter(partnership=partnership_a).delete()
    yield
    cache.clear()


@pytest.fixture
def gminas(partnership_a) -> list[str]:
    return list(partnership_a.units.filter(kind="gmina").order_by("teryt")
                .values_list("teryt", flat=True))


@pytest.fixture
def survey(partnership_a, gminas) -> Survey:
    survey = make_survey(partnership_a)
    answers = ([{"gmina": gminas[0], "sex": "female", "age": "25_34", "lives_here": "yes",
                 "needs": ["roads"], "idea": "Ścieżka rowerowa"}] * 20
               + [{"gmina": gminas[1], "sex": "male", "age": "35_44", "lives_here": "no",
                   "needs": ["jobs"], "idea": SECRET}] * 3)
    Response.objects.bulk_create([Response(survey=survey, answers=a) for a in answers])
    return survey


def _publish(survey: Survey) -> None:
    survey.results_published = True
    survey.results_published_at = timezone.now()
    survey.save()


def _url(name: str, survey: Survey, *extra) -> str:
    if name == "public_results":
        return reverse("surveys:public_results", args=[survey.partnership.slug, survey.slug])
    return reverse(f"surveys:{name}", args=[survey.partnership.slug, survey.pk, *extra])


# ------------------------------------------------------------------ permissions


@pytest.mark.parametrize("member", MEMBERS)
def test_members_read_the_results_population_and_public_preview(request, survey, member):
    client = client_for(request.getfixturevalue(member))
    for name in ("results", "population", "public_results"):
        assert client.get(_url(name, survey)).status_code == 200, name


@pytest.mark.parametrize("name", ["results", "population", "open_answers"])
def test_anonymous_visitors_are_sent_to_log_in(survey, name):
    args = ("idea",) if name == "open_answers" else ()
    response = client_for(None).get(_url(name, survey, *args))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["results", "population", "open_answers", "public_results"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404_everywhere_before_publication(survey, outsider, name, method):
    if name in ("results", "public_results") and method == "post":
        return  # read-only pages: 405 to anyone
    args = ("idea",) if name == "open_answers" else ()
    response = getattr(client_for(outsider), method)(_url(name, survey, *args))
    assert response.status_code == 404


def test_unpublished_public_page_is_404_for_anonymous(survey):
    assert client_for(None).get(_url("public_results", survey)).status_code == 404


def test_published_results_are_public_for_everyone(survey, outsider):
    _publish(survey)
    assert client_for(None).get(_url("public_results", survey)).status_code == 200
    assert client_for(outsider).get(_url("public_results", survey)).status_code == 200
    # ...but the members' pages stay with the members.
    assert client_for(outsider).get(_url("results", survey)).status_code == 404


def test_another_partnerships_survey_id_is_404(survey, partnership_b, outsider, coordinator):
    url = reverse("surveys:results", args=[partnership_b.slug, survey.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 404


@pytest.mark.parametrize("member", CONTRIBUTORS)
def test_contributors_read_and_tag_open_answers(request, survey, member):
    client = client_for(request.getfixturevalue(member))
    assert client.get(_url("open_answers", survey, "idea")).status_code == 200
    response_id = survey.responses.first().pk
    posted = client.post(_url("open_answers", survey, "idea"),
                         {"action": "add", "response": response_id, "tag": "transport"})
    assert posted.status_code == 302
    assert AnswerTag.objects.filter(response_id=response_id, tag="transport").exists()


def test_observer_may_not_read_or_tag_open_answers(survey, observer):
    client = client_for(observer)
    assert client.get(_url("open_answers", survey, "idea")).status_code == 403
    response_id = survey.responses.first().pk
    assert client.post(_url("open_answers", survey, "idea"),
                       {"action": "add", "response": response_id, "tag": "x"}).status_code == 403
    assert not AnswerTag.objects.exists()


@pytest.mark.parametrize("member", ["officer", "advisor", "observer"])
def test_only_the_coordinator_sets_population_figures(request, survey, gminas, member):
    response = client_for(request.getfixturevalue(member)).post(
        _url("population", survey), {"action": "save", "table": f"{gminas[0]};kobieta;25_34;10"})
    assert response.status_code == 403
    survey.refresh_from_db()
    assert survey.population_targets == []


# ------------------------------------------------------------------ members' results


def test_results_page_shows_every_count_with_a_chart_and_a_table(survey, observer):
    response = client_for(observer).get(_url("results", survey))
    html = response.content.decode()

    assert "Czy mieszkasz tu na stałe?" in html
    block = next(b for b in response.context["blocks"] if b.name == "lives_here")
    assert [(row.label, row.n, row.pct) for row in block.rows] == [("tak", "20", "87,0"),
                                                                   ("nie", "3", "13,0")]
    assert block.rows[1].small  # marked for members
    assert f'data-spec-id="{block.spec_id}"' in html
    spec = json.loads(re.search(rf'<script id="{block.spec_id}" type="application/json">'
                                r"(.*?)</script>", html, re.S).group(1))
    assert {row["label"] for row in spec["data"]["values"]} == {"tak", "nie"}
    assert f'id="{block.table_id}"' in html
    assert "<script>" not in html and 'style="' not in html  # the strict CSP


def test_breakdown_by_gmina_shows_a_table_per_question(survey, observer, partnership_a, gminas):
    response = client_for(observer).get(_url("results", survey) + "?podzial=gmina")
    breakdowns = {b.name: b for b in response.context["breakdowns"]}
    labels = [row["label"] for row in breakdowns["lives_here"].rows]
    names = dict(partnership_a.units.values_list("teryt", "name"))
    assert names[gminas[0]] in labels and names[gminas[1]] in labels
    # An unknown breakdown is not an error: the page shows none.
    response = client_for(observer).get(_url("results", survey) + "?podzial=<script>")
    assert response.status_code == 200 and response.context["breakdowns"] == []


def test_results_page_links_open_answers_for_contributors(survey, officer, observer):
    link = _url("open_answers", survey, "idea")
    assert link in client_for(officer).get(_url("results", survey)).content.decode()
    assert link not in client_for(observer).get(_url("results", survey)).content.decode()


def test_results_page_of_a_survey_without_responses(partnership_a, observer):
    empty = make_survey(partnership_a, slug="pusta")
    response = client_for(observer).get(_url("results", empty))
    assert response.status_code == 200 and response.context["blocks"] == []


# ------------------------------------------------------------------ public results


def test_public_page_never_shows_a_count_under_5(survey):
    _publish(survey)
    response = client_for(None).get(_url("public_results", survey))
    html = response.content.decode()

    block = next(b for b in response.context["blocks"] if b.name == "lives_here")
    no = next(row for row in block.rows if row.label == "nie")
    assert (no.n, no.pct, no.ci) == ("–", "–", "–")
    assert re.search(r'<th scope="row">nie</th>\s*<td class="numeric">–</td>', html)
    spec = json.loads(re.search(rf'<script id="{block.spec_id}" type="application/json">'
                                r"(.*?)</script>", html, re.S).group(1)) if block.spec else None
    assert spec is None or "nie" not in {row["label"] for row in spec["data"]["values"]}
    for candidate in response.context["blocks"]:
        for row in candidate.rows:
            assert row.n == "–" or int(row.n) >= 5, (candidate.name, row)


def test_public_page_shows_no_open_answer_texts(survey, coordinator):
    _publish(survey)
    responses = list(survey.responses.order_by("id"))
    AnswerTag.objects.bulk_create([AnswerTag(response=r, question="idea", tag="rower")
                                   for r in responses[:20]])
    html = client_for(None).get(_url("public_results", survey)).content.decode()
    assert SECRET not in html and "Ścieżka rowerowa" not in html
    assert "rower" in html  # the tag count passes the rule (20 answers)


def test_public_breakdown_is_suppressed_too(survey):
    _publish(survey)
    response = client_for(None).get(_url("public_results", survey) + "?podzial=sex")
    for block in response.context["breakdowns"]:
        for row in block.rows:
            for cell in row["cells"]:
                assert cell["masked"] or int(cell["n"]) >= 5


def test_public_page_with_fewer_than_5_responses_publishes_nothing(partnership_a):
    small = make_survey(partnership_a, slug="mala")
    Response.objects.bulk_create([Response(survey=small, answers={"lives_here": "yes"})] * 4)
    _publish(small)
    response = client_for(None).get(_url("public_results", small))
    assert response.status_code == 200 and response.context["blocks"] == []
    assert response.context["results"].summary.responses is None


# ------------------------------------------------------------------ population figures


def test_coordinator_pastes_population_figures_from_a_spreadsheet(survey, coordinator, gminas):
    table = ("TERYT\tpłeć\twiek\tliczba\n"
             f"{gminas[0]}\tkobieta\t25–34 lat\t1 200\n"
             f"{gminas[0]}\tmężczyzna\t25_34\t1100\n"
             f"{gminas[1]};female;35-44;900\n"
             f"{gminas[1]};male;35–44 lat;950\n")
    response = client_for(coordinator).post(_url("population", survey),
                                            {"action": "save", "table": table})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.population_targets == [
        {"gmina": gminas[0], "sex": "female", "age_group": "25_34", "target": 1200.0},
        {"gmina": gminas[0], "sex": "male", "age_group": "25_34", "target": 1100.0},
        {"gmina": gminas[1], "sex": "female", "age_group": "35_44", "target": 900.0},
        {"gmina": gminas[1], "sex": "male", "age_group": "35_44", "target": 950.0},
    ]
    assert AuditLogEntry.objects.filter(action="survey.population_set").exists()
    page = client_for(coordinator).get(_url("population", survey))
    assert len(page.context["rows"]) == 4
    # The results now use them: no man of the first gmina answered, so there sex is
    # not weighted separately, and the page says so.
    page = client_for(coordinator).get(_url("results", survey))
    weighting = page.context["results"].weighting
    assert weighting.is_weighted and set(weighting.collapsed) == {"sex"}
    assert page.context["weighting"]["collapsed"]


@pytest.mark.parametrize("line, number", [
    ("9999999;kobieta;25_34;10", "2"),  # not a gmina of the partnership
    ("{g};kot;25_34;10", "2"),  # unknown sex
    ("{g};kobieta;12_13;10", "2"),  # unknown age group
    ("{g};kobieta;25_34;dużo", "2"),  # not a number
    ("{g};kobieta;25_34;-5", "2"),  # negative
    ("{g};kobieta;25_34", "2"),  # a column short
])
def test_bad_population_table_is_refused_naming_the_line_and_nothing_is_saved(
        survey, coordinator, gminas, line, number):
    survey.population_targets = [{"gmina": gminas[0], "sex": "female", "age_group": "25_34",
                                  "target": 5.0}]
    survey.save()
    table = f"{gminas[0]};mężczyzna;25_34;10\n" + line.format(g=gminas[0])
    response = client_for(coordinator).post(_url("population", survey),
                                            {"action": "save", "table": table})
    assert response.status_code == 400
    errors = response.context["errors"]
    assert errors and all(re.search(rf"\b{number}\b", error) for error in errors)
    assert response.context["pasted"] == table  # kept for correcting
    survey.refresh_from_db()
    assert survey.population_targets == [{"gmina": gminas[0], "sex": "female",
                                          "age_group": "25_34", "target": 5.0}]


def test_a_repeated_line_is_refused(survey, coordinator, gminas):
    table = f"{gminas[0]};kobieta;25_34;10\n{gminas[0]};female;25_34;12"
    response = client_for(coordinator).post(_url("population", survey),
                                            {"action": "save", "table": table})
    assert response.status_code == 400
    survey.refresh_from_db()
    assert survey.population_targets == []


def test_empty_population_table_is_refused(survey, coordinator):
    response = client_for(coordinator).post(_url("population", survey),
                                            {"action": "save", "table": "  \n"})
    assert response.status_code == 400


def test_coordinator_clears_hand_entered_figures(survey, coordinator, gminas):
    survey.population_targets = [{"gmina": gminas[0], "sex": "female", "age_group": "25_34",
                                  "target": 5.0}]
    survey.save()
    response = client_for(coordinator).post(_url("population", survey), {"action": "clear"})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.population_targets == []


# ------------------------------------------------------------------ open answers


def test_open_answers_are_listed_fifty_a_page(partnership_a, officer):
    survey = make_survey(partnership_a, slug="duza")
    Response.objects.bulk_create([Response(survey=survey, answers={"idea": f"pomysł {i}"})
                                  for i in range(60)]
                                 + [Response(survey=survey, answers={"idea": ""})])
    client = client_for(officer)
    first = client.get(_url("open_answers", survey, "idea"))
    assert len(first.context["answers"]) == 50 and first.context["page"].paginator.count == 60
    second = client.get(_url("open_answers", survey, "idea") + "?strona=2")
    assert [a["text"] for a in second.context["answers"]][-1] == "pomysł 59"


def test_unknown_open_question_is_404(survey, officer):
    assert client_for(officer).get(_url("open_answers", survey, "lives_here")).status_code == 404
    assert client_for(officer).get(_url("open_answers", survey, "nic")).status_code == 404


def test_other_specify_texts_can_be_coded(partnership_a, officer):
    survey = make_survey(partnership_a, slug="inne")
    Response.objects.create(survey=survey, answers={"needs": ["other"],
                                                    "needs_other": "Chodniki"})
    response = client_for(officer).get(_url("open_answers", survey, "needs_other"))
    assert [a["text"] for a in response.context["answers"]] == ["Chodniki"]


def test_a_tag_is_added_once_and_removed(survey, officer):
    client = client_for(officer)
    response_id = survey.responses.first().pk
    url = _url("open_answers", survey, "idea")
    for _ in range(2):
        client.post(url, {"action": "add", "response": response_id, "tag": " rower  miejski "})
    assert list(AnswerTag.objects.values_list("tag", flat=True)) == ["rower miejski"]
    page = client.get(url)
    assert page.context["counts"] == [{"tag": "rower miejski", "n": 1}]
    client.post(url, {"action": "remove", "response": response_id, "tag": "rower miejski"})
    assert not AnswerTag.objects.exists()


@pytest.mark.parametrize("data", [
    {"action": "add", "response": "999999", "tag": "x"},  # no such answer
    {"action": "add", "response": "", "tag": "x"},
    {"action": "add", "response": "²", "tag": "x"},
    {"action": "add", "response": "{id}", "tag": ""},  # empty tag
    {"action": "add", "response": "{id}", "tag": "x" * 81},  # too long
    {"action": "explode", "response": "{id}", "tag": "x"},
])
def test_bad_tagging_requests_are_refused(survey, officer, data):
    response_id = survey.responses.first().pk
    data = {k: v.format(id=response_id) for k, v in data.items()}
    response = client_for(officer).post(_url("open_answers", survey, "idea"), data)
    assert response.status_code == 400 and response.context["error"]
    assert not AnswerTag.objects.exists()


def test_a_response_of_another_survey_cannot_be_tagged(survey, partnership_a, officer):
    other = make_survey(partnership_a, slug="inna")
    foreign = Response.objects.create(survey=other, answers={"idea": "cudzy"})
    response = client_for(officer).post(_url("open_answers", survey, "idea"),
                                        {"action": "add", "response": foreign.pk, "tag": "x"})
    assert response.status_code == 400
    assert not AnswerTag.objects.exists()


def test_pasted_figures_weight_the_results(survey, coordinator, gminas):
    table = f"{gminas[0]};kobieta;25_34;1000\n{gminas[1]};mężczyzna;35_44;1000\n"
    client = client_for(coordinator)
    assert client.post(_url("population", survey),
                       {"action": "save", "table": table}).status_code == 302
    results = client.get(_url("results", survey)).context["results"]
    assert results.weighting.is_weighted
    yes = next(row for row in results.rows("lives_here") if row["choice"] == "yes")
    # Both gminas count as much as their equal populations, whoever answered more.
    assert yes["pct"] == pytest.approx(20 / 23 * 100) and yes["w_pct"] == pytest.approx(50.0)


def test_results_page_takes_a_fixed_number_of_queries_once_computed(
        survey, partnership_a, observer, django_assert_max_num_queries):
    youth = make_survey(partnership_a, slug="mlodziez", audience="youth")
    Response.objects.bulk_create([Response(survey=youth, answers={"lives_here": "no"})] * 6)
    client = client_for(observer)
    client.get(_url("results", survey) + "?podzial=gmina")  # computes and caches
    with django_assert_max_num_queries(16):
        response = client.get(_url("results", survey) + "?podzial=gmina")
    assert response.context["comparison"]
