"""The ranking's file: exported as an attachment, uploaded back, recomputed from the file
alone and compared with the current ranking; broken and oversized files are refused."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from razem.conftest import client_for
from razem.strategy import forms_ranking
from razem.strategy.prioritisation import Problem, compute
from razem.strategy.ranking_actions import problem_for
from razem.strategy.tests.test_ranking_fixtures import seeded  # noqa: F401 (fixture)

SLUG = "razem-dla-rozwoju"
BASE = f"/p/{SLUG}/strategia/ranking/"


def _upload(client, content: bytes, name: str = "ranking.json"):
    return client.post(BASE + "sprawdzenie/",
                       {"file": SimpleUploadedFile(name, content, "application/json")})


def test_the_export_is_an_attachment_holding_the_whole_problem(seeded, observer):
    response = client_for(observer).get(BASE + "eksport.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="razem-ranking-{SLUG}.json"')
    problem = Problem.from_json(response.content)
    assert problem == problem_for(seeded.strategy)
    assert problem.projects == ["1", "2", "3"] and len(problem.scores) == 12
    assert json.loads(response.content)["format"] == "razem-ranking/1"


def test_an_exported_file_recomputes_to_the_identical_ranking(seeded, observer):
    client = client_for(observer)
    exported = client.get(BASE + "eksport.json").content
    response = _upload(client, exported)
    assert response.status_code == 200
    assert response.context["same_ranking"] is True
    assert response.context["same_data"] is True
    assert 'data-same-ranking="true"' in response.content.decode()
    ranks = {row["code"]: row["methods"]["topsis"]["rank_value"]
             for row in response.context["result"]["rows"]}
    assert ranks == {"1": 1.0, "2": 2.0, "3": 3.0}
    # And the file alone, outside the platform, gives the same numbers.
    assert compute(Problem.from_json(exported)).ranks["topsis"] == [1.0, 2.0, 3.0]


def test_an_edited_file_is_recomputed_and_reported_as_different(seeded, observer):
    client = client_for(observer)
    data = json.loads(client.get(BASE + "eksport.json").content)
    for score in data["scores"]:
        if score["project"] == "3" and score["criterion"] == "K2":
            score["value"] = 0.0
    response = _upload(client, json.dumps(data).encode())
    assert response.status_code == 200
    assert response.context["same_data"] is False
    assert response.context["same_ranking"] is False
    ranks = {row["code"]: row["methods"]["topsis"]["rank_value"]
             for row in response.context["result"]["rows"]}
    assert ranks["3"] == 1.0


@pytest.mark.parametrize("content", [
    b"not json at all", b"\xff\xfe\x00", b"[]", b'{"format": "other"}',
    b'{"format": "razem-ranking/1", "criteria": []}',
    b'{"format": "razem-ranking/1", "criteria": [{"code": "K1", "name": "a", "polarity": 1,'
    b' "weight": 1}], "projects": ["1"], "scores": [{"unit": "u", "project": "1",'
    b' "criterion": "K1", "value": "abc"}]}',
    b'{"format": "razem-ranking/1", "criteria": [{"code": "K1", "name": "a", "polarity": 1,'
    b' "weight": 1}], "projects": ["1"], "scores": [{"unit": "u", "project": "1",'
    b' "criterion": "K1", "value": 1}], "sensitivity_runs": 1000000000}',
])
def test_a_broken_file_is_refused_with_a_message(seeded, observer, content):
    response = _upload(client_for(observer), content)
    assert response.status_code == 400
    assert response.context["error"] or response.context["form"].errors


def test_a_file_whose_ranking_cannot_be_computed_gets_the_reason(seeded, observer):
    data = json.loads(client_for(observer).get(BASE + "eksport.json").content)
    data["criteria"][0]["weight"] = 0.9  # 90% + 40%
    response = _upload(client_for(observer), json.dumps(data).encode())
    assert response.status_code == 400
    assert "130" in response.context["error"]


def test_an_oversized_file_is_refused_with_413(seeded, observer):
    content = b" " * (forms_ranking.MAX_VERIFY_BYTES + 1)
    response = _upload(client_for(observer), content)
    assert response.status_code == 413


def test_a_missing_file_is_a_400(seeded, observer):
    assert client_for(observer).post(BASE + "sprawdzenie/", {}).status_code == 400
