"""Project cards: creating and editing through the form, exact money, bad input, the list
with its filters and bounded queries, the card page and who may see and change what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from razem.conftest import client_for
from razem.core.models import AuditLogEntry
from razem.strategy.models import ProjectCard, ProjectCost
from razem.strategy.tests.test_project_support import (  # noqa: F401 (fixtures)
    LOSICE,
    clear_demo_strategy,
    card_post,
    make_card,
    rows,
    strategy_a,
    strategy_b,
)
from razem.strategy.views_projects import number_text, plain_decimal, pln

pytestmark = pytest.mark.django_db
SLUG = "razem-dla-rozwoju"


def create_url(slug: str = SLUG) -> str:
    return reverse("strategy:project_create", args=[slug])


def edit_url(project: ProjectCard) -> str:
    return reverse("strategy:project_edit", args=[project.partnership.slug, project.pk])


def detail_url(project: ProjectCard, slug: str | None = None) -> str:
    return reverse("strategy:project_detail", args=[slug or project.partnership.slug, project.pk])


def list_url(slug: str = SLUG) -> str:
    return reverse("strategy:projects", args=[slug])


# --- money as text --------------------------------------------------------------------------


def test_money_is_written_the_polish_way_exactly():
    assert pln(Decimal("1234567.89")) == "1\u00a0234\u00a0567,89\u00a0zł"
    assert pln(Decimal("0")) == "0,00\u00a0zł"
    assert pln(Decimal("999.5")) == "999,50\u00a0zł"
    assert pln(Decimal("1234567.89"), "en") == "1,234,567.89\u00a0PLN"
    # Beyond float's precision the text is still exact.
    assert number_text(Decimal("123456789012345.67"), "pl", 2).endswith("012\u00a0345,67")
    assert plain_decimal("4.2500") == "4,25"
    assert plain_decimal("1200.0000") == "1\u00a0200"


# --- creating and editing ---------------------------------------------------------------------


def test_the_coordinator_creates_a_card_with_exact_costs(coordinator, partnership_a, strategy_a):
    response = client_for(coordinator).post(create_url(), card_post(partnership_a))
    assert response.status_code == 302
    project = ProjectCard.objects.get(partnership=partnership_a)
    assert response["Location"] == detail_url(project)
    assert project.number == 1
    assert project.lead_unit.teryt == LOSICE
    assert project.partner_units.count() == 2
    assert list(project.goals.values_list("number", flat=True)) == [1]
    assert project.is_integrated and project.readiness == "documentation"
    assert project.starts_on == date(2026, 3, 1)
    assert project.output_indicators == [{"name": "Długość drogi", "unit": "km",
                                          "target": "4.25"}]
    costs = {cost.year: cost.planned for cost in project.costs.all()}
    assert costs == {2026: Decimal("1234567.89"), 2027: Decimal("0.01")}
    assert sum(costs.values()) == Decimal("1234567.90")
    assert project.milestones.get().due_on == date(2026, 6, 30)
    entry = AuditLogEntry.objects.get(action="strategy.project_created")
    assert entry.object_id == str(project.pk)
    assert entry.changes["costs"][1] == [[2026, "1234567.89", None], [2027, "0.01", None]]

    page = client_for(coordinator).get(detail_url(project))
    assert page.status_code == 200
    assert "1\u00a0234\u00a0567,90\u00a0zł" in page.content.decode()


def test_numbers_follow_each_other_per_partnership(coordinator, outsider, partnership_a,
                                                   partnership_b):
    clear_demo_strategy(partnership_a)
    first = make_card(partnership_a, coordinator)
    second = make_card(partnership_a, coordinator)
    other = make_card(partnership_b, outsider)
    assert (first.number, second.number, other.number) == (1, 2, 1)


def test_an_officer_creates_and_edits_any_card(officer, coordinator, partnership_a, strategy_a):
    project = make_card(partnership_a, coordinator)  # led by another unit than the officer's
    client = client_for(officer)
    assert client.post(create_url(), card_post(partnership_a)).status_code == 302
    response = client.post(edit_url(project), card_post(partnership_a, title="Nowy tytuł"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Nowy tytuł"


def test_an_edit_logs_only_the_changed_fields(coordinator, partnership_a, strategy_a):
    client = client_for(coordinator)
    client.post(create_url(), card_post(partnership_a))
    project = ProjectCard.objects.get()
    post = card_post(partnership_a, status="accepted", costs=[
        {"year": 2026, "planned": "1234567.89", "spent": "100.10"},
        {"year": 2027, "planned": "0.01", "spent": "", "DELETE": "on"},
    ])
    post.update(rows("costs", [{"year": 2026, "planned": "1234567.89", "spent": "100.10"},
                               {"year": 2027, "planned": "0.01", "spent": "",
                                "DELETE": "on"}], initial=2))
    assert client.post(edit_url(project), post).status_code == 302
    entry = AuditLogEntry.objects.get(action="strategy.project_changed")
    assert set(entry.changes) == {"status", "costs"}
    assert entry.changes["status"] == ["proposed", "accepted"]
    assert list(project.costs.values_list("year", "planned", "spent")) == [
        (2026, Decimal("1234567.89"), Decimal("100.10"))]


def test_the_edit_form_shows_the_saved_card(coordinator, partnership_a, strategy_a):
    client = client_for(coordinator)
    client.post(create_url(), card_post(partnership_a))
    project = ProjectCard.objects.get()
    page = client.get(edit_url(project))
    assert page.status_code == 200
    assert page.context["formsets"]["costs"].initial_form_count() == 2
    assert page.context["form"].initial["lead_unit"] == project.lead_unit_id


def test_saving_an_unchanged_card_logs_nothing(coordinator, partnership_a, strategy_a):
    client = client_for(coordinator)
    client.post(create_url(), card_post(partnership_a))
    project = ProjectCard.objects.get()
    assert client.post(edit_url(project), card_post(partnership_a)).status_code == 302
    assert not AuditLogEntry.objects.filter(action="strategy.project_changed").exists()


# --- bad input ------------------------------------------------------------------------------------


def _refused(client, url: str, post: dict) -> None:
    before = (ProjectCard.objects.count(), ProjectCost.objects.count())
    response = client.post(url, post)
    assert response.status_code == 400
    assert (ProjectCard.objects.count(), ProjectCost.objects.count()) == before


def test_a_negative_cost_is_refused(coordinator, partnership_a, strategy_a):
    _refused(client_for(coordinator), create_url(), card_post(
        partnership_a, costs=[{"year": 2026, "planned": "-1.00", "spent": ""}]))
    _refused(client_for(coordinator), create_url(), card_post(
        partnership_a, costs=[{"year": 2026, "planned": "1.00", "spent": "-0.01"}]))


def test_a_year_twice_is_refused(coordinator, partnership_a, strategy_a):
    _refused(client_for(coordinator), create_url(), card_post(
        partnership_a, costs=[{"year": 2026, "planned": "1.00", "spent": ""},
                              {"year": 2026, "planned": "2.00", "spent": ""}]))


def test_an_end_before_the_start_is_refused(coordinator, partnership_a, strategy_a):
    _refused(client_for(coordinator), create_url(),
             card_post(partnership_a, starts_on="2027-01-01", ends_on="2026-12-31"))


def test_more_decimals_than_grosze_are_refused(coordinator, partnership_a, strategy_a):
    _refused(client_for(coordinator), create_url(), card_post(
        partnership_a, costs=[{"year": 2026, "planned": "1.001", "spent": ""}]))


def test_units_and_goals_of_another_partnership_are_refused(
        coordinator, partnership_a, partnership_b, strategy_a, strategy_b):
    foreign_unit = partnership_b.units.exclude(pk__in=partnership_a.units.all()).first()
    foreign_goal = strategy_b.goals.get()
    foreign_direction = foreign_goal.directions.get()
    client = client_for(coordinator)
    _refused(client, create_url(), card_post(partnership_a, lead_unit=str(foreign_unit.pk)))
    _refused(client, create_url(), card_post(partnership_a,
                                             partner_units=[str(foreign_unit.pk)]))
    _refused(client, create_url(), card_post(partnership_a,
                                             location_units=[str(foreign_unit.pk)]))
    _refused(client, create_url(), card_post(partnership_a, goals=[str(foreign_goal.pk)]))
    _refused(client, create_url(), card_post(partnership_a,
                                             directions=[str(foreign_direction.pk)]))


def test_a_post_without_its_rows_is_refused_not_a_crash(coordinator, partnership_a, strategy_a):
    post = {key: value for key, value in card_post(partnership_a).items()
            if not key.startswith("costs-")}
    _refused(client_for(coordinator), create_url(), post)


def test_another_partnerships_card_is_not_found(coordinator, outsider, partnership_a,
                                                partnership_b, strategy_a):
    foreign = make_card(partnership_b, outsider)
    client = client_for(coordinator)
    # Through A's address, B's card does not exist.
    assert client.get(detail_url(foreign, SLUG)).status_code == 404
    assert client.get(reverse("strategy:project_edit", args=[SLUG, foreign.pk])).status_code == 404
    response = client.post(reverse("strategy:project_edit", args=[SLUG, foreign.pk]),
                           card_post(partnership_a))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Projekt"


# --- who may do what ------------------------------------------------------------------------------


@pytest.mark.parametrize("who, status", [
    ("coordinator", 200), ("officer", 200), ("advisor", 403), ("observer", 403),
    ("outsider", 404), (None, 302)])
def test_who_may_open_the_card_form(request, who, status, partnership_a, coordinator):
    project = make_card(partnership_a, coordinator)
    user = request.getfixturevalue(who) if who else None
    client = client_for(user)
    for url in (create_url(), edit_url(project)):
        response = client.get(url)
        assert response.status_code == status, url
        if who is None:
            assert "/konto/logowanie/" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("who", ["advisor", "observer", "outsider", None])
def test_who_may_not_save_a_card(request, who, partnership_a, strategy_a, coordinator):
    project = make_card(partnership_a, coordinator)
    user = request.getfixturevalue(who) if who else None
    client = client_for(user)
    assert client.post(create_url(), card_post(partnership_a)).status_code in (302, 403, 404)
    client.post(edit_url(project), card_post(partnership_a, title="Zmienione"))
    assert ProjectCard.objects.count() == 1
    project.refresh_from_db()
    assert project.title == "Projekt"


@pytest.mark.parametrize("who, status", [
    ("coordinator", 200), ("officer", 200), ("advisor", 200), ("observer", 200),
    ("outsider", 404), (None, 404)])
def test_unpublished_cards_are_for_members(request, who, status, partnership_a, strategy_a,
                                           coordinator):
    project = make_card(partnership_a, coordinator)
    client = client_for(request.getfixturevalue(who) if who else None)
    assert client.get(list_url()).status_code == status
    assert client.get(detail_url(project)).status_code == status


@pytest.mark.parametrize("who", ["outsider", None])
def test_published_cards_are_public(request, who, partnership_a, strategy_a, coordinator):
    project = make_card(partnership_a, coordinator)
    strategy_a.published_at = timezone.now()
    strategy_a.save()
    client = client_for(request.getfixturevalue(who) if who else None)
    assert client.get(list_url()).status_code == 200
    assert client.get(detail_url(project)).status_code == 200
    # Reading is public, changing is not.
    assert client.get(edit_url(project)).status_code in (302, 403, 404)


def test_cards_without_a_strategy_still_work(coordinator, partnership_a):
    response = client_for(coordinator).post(create_url(), card_post(partnership_a))
    assert response.status_code == 302
    assert client_for(coordinator).get(list_url()).status_code == 200


# --- the list -----------------------------------------------------------------------------------


def test_the_list_shows_totals_and_filters(coordinator, partnership_a, strategy_a):
    goal = strategy_a.goals.get(number=2)
    first = make_card(partnership_a, coordinator, title="Droga",
                      costs=[(2026, "1234567.89"), (2027, "0.01")])
    second = make_card(partnership_a, coordinator, title="Żłobek", status="accepted")
    second.goals.add(goal)
    client = client_for(coordinator)
    page = client.get(list_url())
    assert page.status_code == 200
    totals = {row["card"].pk: row["total"] for row in page.context["rows"]}
    assert totals[first.pk] == "1\u00a0234\u00a0567,90\u00a0zł"
    assert page.context["grand_total"] == "1\u00a0235\u00a0567,90\u00a0zł"

    def shown(query: dict) -> set[int]:
        return {row["card"].pk for row in client.get(list_url(), query).context["rows"]}

    assert shown({"status": "accepted"}) == {second.pk}
    assert shown({"goal": str(goal.pk)}) == {second.pk}
    assert shown({"readiness": "ready"}) == set()
    # Unknown values are ignored, not errors.
    assert shown({"status": "nonsense", "goal": "x'; --", "readiness": "999"}) == {
        first.pk, second.pk}
    # The timeline keeps all cards whatever the filters.
    assert len(client.get(list_url(), {"status": "accepted"}).context["timeline_cards"]) == 2


def test_the_list_needs_the_same_number_of_queries_for_many_cards(coordinator, partnership_a,
                                                                  strategy_a):
    client = client_for(coordinator)
    make_card(partnership_a, coordinator, milestones=2)
    client.get(list_url())  # warm the session and membership lookups

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(list_url()).status_code == 200
        return len(queries)

    few = count()
    for index in range(6):
        card = make_card(partnership_a, coordinator, milestones=3,
                         costs=[(2026, "1.00"), (2027, "2.00")])
        card.goals.add(strategy_a.goals.first())
    assert count() == few


def test_the_list_embeds_the_timeline_with_its_table(coordinator, partnership_a, strategy_a):
    make_card(partnership_a, coordinator, title="Droga")
    make_card(partnership_a, coordinator, title="Bez dat", starts_on=None, ends_on=None)
    page = client_for(coordinator).get(list_url())
    html = page.content.decode()
    assert 'data-spec-id="project-timeline-spec"' in html
    assert '<script id="project-timeline-spec" type="application/json">' in html
    assert 'id="project-timeline-table"' in html
    assert "vega-lite.min.js" in html
    bars = page.context["timeline"]["spec"]["layer"][0]["data"]["values"]
    assert [bar["project"] for bar in bars] == ["1. Droga"]


def test_the_card_page_shows_the_costs_by_year(coordinator, partnership_a, strategy_a):
    project = make_card(partnership_a, coordinator,
                        costs=[(2026, "1234567.89"), (2027, "0.01")])
    page = client_for(coordinator).get(detail_url(project))
    assert [row["year"] for row in page.context["cost_rows"]] == [2026, 2027]
    assert page.context["total_planned"] == "1\u00a0234\u00a0567,90\u00a0zł"
    assert 'id="project-costs"' in page.content.decode()
