"""Prioritisation pages: who may do what, weights (direct and AHP), one unit's scores,
and the ranking with TOPSIS, VIKOR and the sensitivity analysis on a small seeded case."""

from __future__ import annotations

from decimal import Decimal

import pytest

from razem.conftest import client_for
from razem.core.models import AuditLogEntry
from razem.strategy.models import Criterion, ProjectScore, Strategy
from razem.strategy.prioritisation import ahp
from razem.strategy.tests.test_ranking_fixtures import (  # noqa: F401 (fixtures)
    HUSZLEW,
    LOSICE,
    seeded,
    seeded_b,
)
from razem.territory.models import Unit

SLUG = "razem-dla-rozwoju"
BASE = f"/p/{SLUG}/strategia/ranking/"


def _rows(response) -> dict[str, dict]:
    return {row["code"]: row for row in response.context["result"]["rows"]}


def _weights(strategy: Strategy) -> list[Decimal | None]:
    return list(strategy.criteria.order_by("position").values_list("weight", flat=True))


def _add_third_criterion(seeded) -> Criterion:
    third = Criterion.objects.create(strategy=seeded.strategy, position=2, code="K3",
                                     name="Gotowość", polarity=1, weight=Decimal("0"))
    for teryt in (LOSICE, HUSZLEW):
        unit = Unit.objects.get(teryt=teryt)
        for number, project in seeded.projects.items():
            ProjectScore.objects.create(project=project, criterion=third, unit=unit,
                                        value=Decimal(number))
    return third


# --- permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "eksport.json"])
def test_an_unpublished_ranking_is_hidden_from_outsiders_and_the_public(seeded, outsider, path):
    assert client_for(None).get(BASE + path).status_code == 404
    assert client_for(outsider).get(BASE + path).status_code == 404


def test_a_published_ranking_is_public(partnership_a, coordinator):
    from razem.strategy.tests.test_ranking_fixtures import seed_ranking

    seed_ranking(partnership_a, coordinator, published=True)
    response = client_for(None).get(BASE)
    assert response.status_code == 200
    assert "result" in response.context
    # The working pages are not: anonymous visitors log in first.
    for path in ("kryteria/", "wagi/", "oceny/", "sprawdzenie/"):
        assert client_for(None).get(BASE + path).status_code == 302


@pytest.mark.parametrize("path", ["kryteria/", "wagi/", "oceny/", "sprawdzenie/"])
def test_staff_pages_give_outsiders_404(seeded, outsider, path):
    assert client_for(outsider).get(BASE + path).status_code == 404


@pytest.mark.parametrize("path,observer_status,officer_status",
                         [("kryteria/", 403, 403), ("wagi/", 403, 403), ("oceny/", 403, 200),
                          ("sprawdzenie/", 200, 200)])
def test_members_need_the_right_role(seeded, observer, officer, path, observer_status,
                                     officer_status):
    assert client_for(observer).get(BASE + path).status_code == observer_status
    assert client_for(officer).get(BASE + path).status_code == officer_status


def test_the_coordinator_reaches_every_page(seeded, coordinator):
    client = client_for(coordinator)
    for path in ("", "kryteria/", "wagi/", "oceny/", "sprawdzenie/", "eksport.json"):
        assert client.get(BASE + path).status_code == 200, path


# --- the ranking ---------------------------------------------------------------------------


def test_the_ranking_page_shows_topsis_and_vikor_ranks(seeded, observer):
    response = client_for(observer).get(BASE)
    assert response.status_code == 200
    rows = _rows(response)
    # Means over the two units: (7, 4), (5, 2), (9, 8); K1 60% more is better, K2 40% cost.
    assert [r["means"] for r in response.context["result"]["rows"]][0] == ["7,00", "4,00"]
    assert {code: row["methods"]["topsis"]["rank_value"] for code, row in rows.items()} == {
        "1": 1.0, "2": 2.0, "3": 3.0}
    assert {code: row["methods"]["vikor"]["rank_value"] for code, row in rows.items()} == {
        "1": 1.0, "2": 3.0, "3": 2.0}
    # Closeness of project 1, worked by hand with vector normalisation: 0.605.
    assert rows["1"]["methods"]["topsis"]["preference"] == "0,605"
    html = response.content.decode()
    assert 'id="project-1"' in html and 'data-method="vikor"' in html
    assert 'data-spec-id="rank-ranges-spec"' in html
    assert 'id="rank-ranges-spec"' in html


def test_the_sensitivity_table_gives_each_project_its_range(seeded, observer):
    rows = _rows(client_for(observer).get(BASE))
    for row in rows.values():
        raw = row["stability"]["raw"]
        assert raw.best <= raw.base_rank <= raw.worst
        assert 0 <= raw.share_same <= raw.share_within_one <= 1
    assert rows["1"]["stability"]["raw"].base_rank == 1.0


def test_the_rank_range_chart_is_a_vega_lite_spec_with_its_numbers(seeded, observer):
    result = client_for(observer).get(BASE).context["result"]
    spec = result["chart"]
    assert spec["$schema"].endswith("vega-lite/v5.json")
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "point"]
    assert [v["base"] for v in spec["data"]["values"]] == [1.0, 2.0, 3.0]


def test_a_missing_score_shows_why_there_is_no_ranking(seeded, observer):
    ProjectScore.objects.filter(project=seeded.projects[2], criterion=seeded.criteria["K2"]
                                ).delete()
    response = client_for(observer).get(BASE)
    assert response.status_code == 200
    assert "result" not in response.context
    assert response.context["error"]
    assert 'id="ranking-error"' in response.content.decode()


def test_dropped_projects_are_not_ranked(seeded, observer):
    seeded.projects[3].status = "dropped"
    seeded.projects[3].save()
    rows = _rows(client_for(observer).get(BASE))
    assert set(rows) == {"1", "2"}


# --- direct weights ------------------------------------------------------------------------


def _direct(seeded, k1: str, k2: str) -> dict[str, str]:
    return {"action": "direct", f"w-{seeded.criteria['K1'].pk}": k1,
            f"w-{seeded.criteria['K2'].pk}": k2}


def test_weights_that_do_not_add_up_to_100_are_refused_and_nothing_is_saved(seeded,
                                                                            coordinator):
    logged = AuditLogEntry.objects.count()
    response = client_for(coordinator).post(BASE + "wagi/", _direct(seeded, "70", "20"))
    assert response.status_code == 400
    assert "90" in response.context["error"]
    assert _weights(seeded.strategy) == [Decimal("0.6"), Decimal("0.4")]
    assert AuditLogEntry.objects.count() == logged


@pytest.mark.parametrize("k1,k2", [("-10", "110"), ("abc", "50"), ("", "100")])
def test_invalid_weights_are_refused(seeded, coordinator, k1, k2):
    response = client_for(coordinator).post(BASE + "wagi/", _direct(seeded, k1, k2))
    assert response.status_code == 400
    assert _weights(seeded.strategy) == [Decimal("0.6"), Decimal("0.4")]


def test_weights_in_percent_are_saved_as_fractions_and_logged(seeded, coordinator):
    response = client_for(coordinator).post(BASE + "wagi/", _direct(seeded, "72,5", "27,5"))
    assert response.status_code == 302
    assert _weights(seeded.strategy) == [Decimal("0.725"), Decimal("0.275")]
    entry = AuditLogEntry.objects.filter(action="strategy.weights").latest("id")
    assert entry.changes["K1"] == ["0.6000", "0.7250"]


def test_a_weight_of_another_partnership_s_criterion_is_ignored(seeded, seeded_b,
                                                                coordinator):
    data = _direct(seeded, "50", "50")
    data[f"w-{seeded_b.criteria['K1'].pk}"] = "100"
    assert client_for(coordinator).post(BASE + "wagi/", data).status_code == 302
    seeded_b.criteria["K1"].refresh_from_db()
    assert seeded_b.criteria["K1"].weight == Decimal("0.6")


# --- AHP -----------------------------------------------------------------------------------


def test_an_inconsistent_ahp_matrix_is_saved_reported_and_blocks_the_ranking(seeded,
                                                                            coordinator):
    _add_third_criterion(seeded)
    client = client_for(coordinator)
    # K1 9x K2, K2 9x K3, yet K3 9x K1: a cycle.
    response = client.post(BASE + "wagi/", {"action": "ahp", "p-0-1": "9", "p-0-2": "1/9",
                                             "p-1-2": "9"})
    assert response.status_code == 400
    assert response.context["ahp_error"]
    assert response.context["ahp"]["consistent"] is False
    seeded.strategy.refresh_from_db()
    assert seeded.strategy.weighting == "ahp"
    assert seeded.strategy.ahp_matrix[0][1] == 9
    assert seeded.strategy.ahp_matrix[1][0] == pytest.approx(1 / 9)
    page = client.get(BASE)
    assert page.status_code == 200
    assert "result" not in page.context
    assert "0,10" in page.context["error"]
    weights_page = client.get(BASE + "wagi/")
    assert 'data-consistent="false"' in weights_page.content.decode()


def test_a_consistent_ahp_matrix_gives_the_weights_the_ranking_uses(seeded, coordinator):
    _add_third_criterion(seeded)
    client = client_for(coordinator)
    response = client.post(BASE + "wagi/", {"action": "ahp", "p-0-1": "3", "p-0-2": "5",
                                             "p-1-2": "3"})
    assert response.status_code == 302
    page = client.get(BASE)
    result = page.context["result"]
    assert [round(w["value"], 3) for w in result["weights"]] == [0.637, 0.258, 0.105]
    assert result["ahp"]["cr"] == "0,033"
    expected = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    assert [w["value"] for w in result["weights"]] == pytest.approx(expected.weights)
    # Direct weights are kept for when the coordinator switches back.
    assert _weights(seeded.strategy)[:2] == [Decimal("0.6"), Decimal("0.4")]
    assert client.post(BASE + "wagi/", {"action": "weighting",
                                         "weighting": "direct"}).status_code == 302
    seeded.strategy.refresh_from_db()
    assert seeded.strategy.weighting == "direct"


@pytest.mark.parametrize("value", ["4.5", "10", "0", ""])
def test_a_comparison_off_saaty_s_scale_is_refused(seeded, coordinator, value):
    response = client_for(coordinator).post(BASE + "wagi/", {"action": "ahp", "p-0-1": value})
    assert response.status_code == 400
    seeded.strategy.refresh_from_db()
    assert seeded.strategy.ahp_matrix is None and seeded.strategy.weighting == "direct"


# --- scores --------------------------------------------------------------------------------


def _cell(seeded, number: int, code: str) -> str:
    return f"s-{seeded.projects[number].pk}-{seeded.criteria[code].pk}"


def _score(seeded, teryt: str, number: int, code: str) -> Decimal | None:
    score = ProjectScore.objects.filter(unit__teryt=teryt, project=seeded.projects[number],
                                        criterion=seeded.criteria[code]).first()
    return score.value if score else None


def test_an_officer_scores_for_their_own_unit(seeded, officer):
    client = client_for(officer)
    page = client.get(BASE + "oceny/")
    assert page.status_code == 200 and page.context["unit"].teryt == LOSICE
    response = client.post(BASE + "oceny/", {_cell(seeded, 1, "K1"): "9,5"})
    assert response.status_code == 302
    assert _score(seeded, LOSICE, 1, "K1") == Decimal("9.5")
    # Cells not sent stay as they were.
    assert _score(seeded, LOSICE, 1, "K2") == Decimal("3")
    entry = AuditLogEntry.objects.filter(action="strategy.scores").latest("id")
    assert entry.changes["unit"] == LOSICE


def test_an_officer_cannot_score_for_another_unit(seeded, officer):
    client = client_for(officer)
    assert client.get(BASE + "oceny/", {"unit": HUSZLEW}).status_code == 403
    response = client.post(BASE + "oceny/", {"unit": HUSZLEW, _cell(seeded, 1, "K1"): "1"})
    assert response.status_code == 403
    assert _score(seeded, HUSZLEW, 1, "K1") == Decimal("6")


def test_the_coordinator_scores_for_any_member_unit(seeded, coordinator):
    client = client_for(coordinator)
    page = client.get(BASE + "oceny/", {"unit": HUSZLEW})
    assert page.context["unit"].teryt == HUSZLEW
    response = client.post(BASE + "oceny/", {"unit": HUSZLEW, _cell(seeded, 2, "K2"): "4"})
    assert response.status_code == 302
    assert _score(seeded, HUSZLEW, 2, "K2") == Decimal("4")
    # A new unit's first score.
    response = client.post(BASE + "oceny/", {"unit": "1410032", _cell(seeded, 2, "K2"): "1"})
    assert response.status_code == 302
    assert _score(seeded, "1410032", 2, "K2") == Decimal("1")


def test_a_unit_outside_the_partnership_is_refused(seeded, coordinator):
    client = client_for(coordinator)
    assert client.get(BASE + "oceny/", {"unit": "1433011"}).status_code == 400
    response = client.post(BASE + "oceny/", {"unit": "1433011", _cell(seeded, 1, "K1"): "1"})
    assert response.status_code == 400
    assert not ProjectScore.objects.filter(unit__teryt="1433011").exists()


def test_a_project_or_criterion_of_another_partnership_is_refused(seeded, seeded_b,
                                                                  coordinator):
    client = client_for(coordinator)
    before = ProjectScore.objects.count()
    forged = [f"s-{seeded_b.projects[1].pk}-{seeded.criteria['K1'].pk}",
              f"s-{seeded.projects[1].pk}-{seeded_b.criteria['K1'].pk}", "s-x-y"]
    for key in forged:
        response = client.post(BASE + "oceny/", {"unit": LOSICE, key: "5",
                                                 _cell(seeded, 1, "K1"): "1"})
        assert response.status_code == 400, key
    assert ProjectScore.objects.count() == before
    assert _score(seeded, LOSICE, 1, "K1") == Decimal("8")


@pytest.mark.parametrize("value", ["11", "-1", "abc", "10.001", "NaN"])
def test_a_score_outside_the_scale_is_refused_and_nothing_is_saved(seeded, officer, value):
    response = client_for(officer).post(BASE + "oceny/", {_cell(seeded, 1, "K1"): "2",
                                                          _cell(seeded, 1, "K2"): value})
    assert response.status_code == 400
    assert response.context["error"]
    assert _score(seeded, LOSICE, 1, "K1") == Decimal("8")
    assert _score(seeded, LOSICE, 1, "K2") == Decimal("3")


def test_an_emptied_cell_clears_the_unit_s_score(seeded, officer):
    response = client_for(officer).post(BASE + "oceny/", {_cell(seeded, 3, "K2"): ""})
    assert response.status_code == 302
    assert _score(seeded, LOSICE, 3, "K2") is None
    assert _score(seeded, HUSZLEW, 3, "K2") == Decimal("8")


# --- criteria ------------------------------------------------------------------------------


def _criteria_post(rows: list[dict], initial: int) -> dict[str, str]:
    data = {"c-TOTAL_FORMS": str(len(rows)), "c-INITIAL_FORMS": str(initial),
            "c-MIN_NUM_FORMS": "0", "c-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"c-{i}-{key}"] = value
    return data


def _existing(seeded, key: str, **overrides) -> dict[str, str]:
    c = seeded.criteria[key]
    return {"id": str(c.pk), "code": c.code, "name": c.name, "description": "",
            "polarity": str(c.polarity), **overrides}


def test_criteria_are_added_and_renamed(seeded, coordinator):
    rows = [_existing(seeded, "K1", name="Korzyść"), _existing(seeded, "K2"),
            {"id": "", "code": "K3", "name": "Gotowość", "description": "", "polarity": "1"}]
    response = client_for(coordinator).post(BASE + "kryteria/", _criteria_post(rows, 2))
    assert response.status_code == 302
    assert list(seeded.strategy.criteria.values_list("code", "name")) == [
        ("K1", "Korzyść"), ("K2", "Koszt dla budżetów"), ("K3", "Gotowość")]
    assert AuditLogEntry.objects.filter(action="strategy.criteria").exists()


def test_fewer_than_two_criteria_are_refused(seeded, coordinator):
    rows = [_existing(seeded, "K1"), _existing(seeded, "K2", DELETE="on")]
    response = client_for(coordinator).post(BASE + "kryteria/", _criteria_post(rows, 2))
    assert response.status_code == 400
    assert seeded.strategy.criteria.count() == 2


def test_duplicate_codes_are_refused(seeded, coordinator):
    rows = [_existing(seeded, "K1"), _existing(seeded, "K2", code="K1")]
    response = client_for(coordinator).post(BASE + "kryteria/", _criteria_post(rows, 2))
    assert response.status_code == 400
    assert set(seeded.strategy.criteria.values_list("code", flat=True)) == {"K1", "K2"}


def test_a_criterion_of_another_partnership_cannot_be_edited(seeded, seeded_b, coordinator):
    rows = [_existing(seeded, "K1"), _existing(seeded_b, "K2", name="Przejęte")]
    response = client_for(coordinator).post(BASE + "kryteria/", _criteria_post(rows, 2))
    assert response.status_code == 400
    seeded_b.criteria["K2"].refresh_from_db()
    assert seeded_b.criteria["K2"].name == "Koszt dla budżetów"


def test_deleting_a_criterion_keeps_the_comparisons_of_the_others(seeded, coordinator):
    third = _add_third_criterion(seeded)
    client = client_for(coordinator)
    client.post(BASE + "wagi/", {"action": "ahp", "p-0-1": "3", "p-0-2": "5", "p-1-2": "3"})
    rows = [_existing(seeded, "K1"), _existing(seeded, "K2"),
            {"id": str(third.pk), "code": "K3", "name": "Gotowość", "description": "",
             "polarity": "1", "DELETE": "on"}]
    assert client.post(BASE + "kryteria/", _criteria_post(rows, 3)).status_code == 302
    seeded.strategy.refresh_from_db()
    assert seeded.strategy.ahp_matrix == [[1.0, 3.0], [pytest.approx(1 / 3), 1.0]]


def test_two_criteria_may_swap_codes_in_one_save(seeded, coordinator):
    rows = [_existing(seeded, "K1", code="K2"), _existing(seeded, "K2", code="K1")]
    response = client_for(coordinator).post(BASE + "kryteria/", _criteria_post(rows, 2))
    assert response.status_code == 302
    seeded.criteria["K1"].refresh_from_db()
    assert seeded.criteria["K1"].code == "K2"


def test_the_weights_page_shows_the_ahp_weights_lambda_and_ratio(seeded, coordinator):
    _add_third_criterion(seeded)
    client = client_for(coordinator)
    client.post(BASE + "wagi/", {"action": "ahp", "p-0-1": "3", "p-0-2": "5", "p-1-2": "3"})
    page = client.get(BASE + "wagi/")
    ahp_context = page.context["ahp"]
    assert ahp_context["lambda_max"] == "3,039" and ahp_context["cr"] == "0,033"
    assert [weight for _c, weight in ahp_context["weights"]] == ["63,7%", "25,8%", "10,5%"]
    html = page.content.decode()
    assert 'data-consistent="true"' in html
    # The form shows the saved comparisons.
    assert page.context["ahp_form"]["p-0-2"].initial == "5"


def test_the_coordinator_starts_with_a_member_unit_and_sees_the_progress(seeded, coordinator):
    page = client_for(coordinator).get(BASE + "oceny/")
    assert page.status_code == 200
    assert page.context["unit"] in list(seeded.strategy.partnership.units.all())
    progress = {unit.teryt: (done, cells) for unit, done, cells in page.context["progress"]}
    assert progress[LOSICE] == (6, 6) and progress["1410032"] == (0, 6)


def test_the_ranking_page_uses_a_bounded_number_of_queries(seeded, observer,
                                                            django_assert_max_num_queries):
    client = client_for(observer)
    with django_assert_max_num_queries(15):
        assert client.get(BASE).status_code == 200
