"""The timeline spec: a bar per dated project, milestones as points, texts as given."""

from __future__ import annotations

import json
from datetime import date

from razem.strategy import timeline

TEXTS = timeline.Texts(description="Oś czasu", project="Projekt", start="Początek",
                       end="Koniec", status="Status", milestone="Kamień milowy",
                       due="Termin", reached="Osiągnięty", yes="tak", no="nie")


def _projects() -> list[timeline.TimelineProject]:
    return [
        timeline.TimelineProject(
            label="1. Droga", starts_on=date(2026, 3, 1), ends_on=date(2027, 10, 31),
            status="proponowany",
            milestones=(timeline.TimelineMilestone("Dokumentacja", date(2026, 6, 30),
                                                   date(2026, 6, 20)),
                        timeline.TimelineMilestone("Odbiór", date(2027, 10, 1)))),
        timeline.TimelineProject(label="2. Bez dat", starts_on=None, ends_on=None),
        timeline.TimelineProject(label="3. Żłobek", starts_on=date(2025, 1, 1),
                                 ends_on=date(2025, 12, 31)),
    ]


def test_each_dated_project_is_a_bar_from_start_to_end():
    spec = timeline.spec(_projects(), TEXTS)
    bars = spec["layer"][0]
    assert bars["mark"]["type"] == "bar"
    assert bars["data"]["values"] == [
        {"project": "1. Droga", "start": "2026-03-01", "end": "2027-10-31",
         "status": "proponowany"},
        {"project": "3. Żłobek", "start": "2025-01-01", "end": "2025-12-31", "status": ""},
    ]
    assert bars["encoding"]["x"]["field"] == "start"
    assert bars["encoding"]["x2"]["field"] == "end"
    # Rows keep the cards' order, not alphabetical.
    assert bars["encoding"]["y"]["sort"] == ["1. Droga", "3. Żłobek"]


def test_milestones_are_points_filled_when_reached():
    spec = timeline.spec(_projects(), TEXTS)
    points = spec["layer"][1]
    assert points["mark"]["type"] == "point"
    assert points["data"]["values"] == [
        {"project": "1. Droga", "milestone": "Dokumentacja", "due": "2026-06-30",
         "reached": "2026-06-20", "done": "tak"},
        {"project": "1. Droga", "milestone": "Odbiór", "due": "2027-10-01",
         "reached": None, "done": "nie"},
    ]
    assert "isValid(datum.reached)" in points["encoding"]["fill"]["condition"]["test"]


def test_the_spec_is_plain_json_with_the_given_texts():
    spec = timeline.spec(_projects(), TEXTS)
    assert spec["$schema"].endswith("vega-lite/v5.json")
    assert spec["description"] == "Oś czasu"
    assert json.loads(json.dumps(spec)) == spec
    tooltip_titles = [item["title"] for item in spec["layer"][0]["encoding"]["tooltip"]]
    assert tooltip_titles == ["Projekt", "Początek", "Koniec", "Status"]


def test_without_milestones_there_is_one_layer_and_height_grows_with_projects():
    few = timeline.spec(_projects()[1:], TEXTS)
    assert len(few["layer"]) == 1
    many = [timeline.TimelineProject(f"{i}. P", date(2026, 1, 1), date(2026, 2, 1))
            for i in range(20)]
    assert timeline.spec(many, TEXTS)["height"] == 20 * timeline.ROW_HEIGHT
    assert timeline.spec([], TEXTS)["layer"][0]["data"]["values"] == []
