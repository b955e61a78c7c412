"""The portrait's data layer: caching by data version, areas, edge cases."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from razem.conftest import client_for
from razem.indicators.models import ImportRun, Observation, Source
from razem.portrait import data
from razem.portrait.tests.conftest import SARNAKI
from razem.territory.models import Unit


def test_a_warm_portrait_is_reused(small_data, partnership_a):
    assert data.portrait_for(partnership_a) is data.portrait_for(partnership_a)


def test_new_observations_replace_the_cached_portrait(small_data, partnership_a,
                                                      add_observations):
    before = data.portrait_for(partnership_a)
    add_observations({SARNAKI: {"area": {2019: 250}}})

    after = data.portrait_for(partnership_a)

    assert after is not before
    assert after.value(SARNAKI, "area") == 250


def test_a_value_changed_by_an_import_replaces_the_cached_portrait(small_data, partnership_a):
    data.portrait_for(partnership_a)
    observation = Observation.objects.get(unit__teryt=SARNAKI, year=2019,
                                          variable__code__startswith="bezrobocie|")
    # An import that changes a value in place leaves the count alone but adds a run.
    ImportRun.objects.create(source=Source.BDL_CSV, finished_at=timezone.now())
    observation.value = 2
    observation.save()

    assert data.portrait_for(partnership_a).value(SARNAKI, "unemployment_rate") == 2


def test_areas_are_the_partnership_powiats_voivodeship_country_and_groups(small_data,
                                                                          partnership_a):
    portrait = data.portrait_for(partnership_a)

    kinds = [area.kind for area in portrait.areas]
    assert kinds[0] == "partnership" and kinds.count("powiat") == 3
    assert {"voivodeship", "country", "group"} <= set(kinds)


def test_a_partnership_of_a_powiat_alone_still_renders(small_data, partnership_a, coordinator):
    partnership_a.units.set([Unit.objects.get(teryt="1410")])
    partnership_a.touch()

    response = client_for(coordinator).get(reverse("portrait:overview",
                                                   args=[partnership_a.slug]))

    assert response.status_code == 200


def test_without_observations_there_is_no_portrait(partnership_a):
    with pytest.raises(data.NoData):
        data.portrait_for(partnership_a)
