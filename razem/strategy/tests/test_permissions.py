"""Permission matrix of every address of the strategy app (razem/strategy/urls.py): each role,
anonymous and the outsider, with the strategy unpublished and published.

Expected statuses follow razem/strategy/rules.py and the loaders in razem/strategy/loading.py:
- reading pages (strategy.view): members always; everyone once published. Before that an
  anonymous visitor and the outsider get 404 (nobody outside learns what is being drafted);
- staff pages: @login_required (anonymous: 302 to log in), then the loader: an outsider gets
  404 whether or not the strategy is published (he asked for more than reading); a member
  without the right 403.
Partnership A's ids under partnership B's address are 404 for everyone.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from razem.conftest import client_for
from razem.core.models import User
from razem.strategy import urls as strategy_urls
from razem.strategy.models import (
    ActionDirection,
    AdvisorOpinion,
    ExpectedResult,
    InterventionArea,
    OpinionRequest,
    ProjectCard,
    StrategicGoal,
    Strategy,
)
from razem.territory.models import Unit

ROLES = ["anonymous", "coordinator", "officer", "advisor", "observer", "outsider"]
LOGIN = 302

MEMBERS_OR_404 = {"anonymous": 404, "coordinator": 200, "officer": 200, "advisor": 200,
                  "observer": 200, "outsider": 404}
PUBLIC = {role: 200 for role in ROLES}
# login_required, then the strategy loader: unpublished, the outsider may not learn it exists.
MEMBERS = {**MEMBERS_OR_404, "anonymous": LOGIN}
COORDINATOR = {"anonymous": LOGIN, "coordinator": 200, "officer": 403, "advisor": 403,
               "observer": 403, "outsider": 404}
EDITORS = {**COORDINATOR, "officer": 200}  # coordinator or officer


def _published(unpublished: dict[str, int]) -> dict[str, int]:
    # Publication opens the reading pages only; a staff page stays 404 to the outsider.
    return dict(unpublished)


def _post(expected: dict[str, int], status: int = 302) -> dict[str, int]:
    return {**expected, "coordinator": status}


# name -> (method, args builder, post data, unpublished expectations, published expectations)
def _slug(objs):
    return [objs["slug"]]


def _with(key):
    return lambda objs: [objs["slug"], objs[key]]


VIEWS = {
    # the strategy itself (core part)
    "overview": ("get", _slug, None, MEMBERS_OR_404, PUBLIC),
    # The strategy exists, so "create" sends the coordinator back to the main page.
    "create": ("get", _slug, None, _post(COORDINATOR), _post(_published(COORDINATOR))),
    "edit": ("get", _slug, None, COORDINATOR, _published(COORDINATOR)),
    "publish": ("post", _slug, {"published": "1"}, _post(COORDINATOR),
                _post(_published(COORDINATOR))),
    "goal_create": ("get", _slug, None, COORDINATOR, _published(COORDINATOR)),
    "goal_edit": ("get", _with("goal"), None, COORDINATOR, _published(COORDINATOR)),
    "goal_delete": ("get", _with("goal"), None, COORDINATOR, _published(COORDINATOR)),
    "direction_create": ("get", _with("goal"), None, COORDINATOR, _published(COORDINATOR)),
    "direction_edit": ("get", _with("direction"), None, COORDINATOR, _published(COORDINATOR)),
    "result_create": ("get", _with("goal"), None, COORDINATOR, _published(COORDINATOR)),
    "result_edit": ("get", _with("result"), None, COORDINATOR, _published(COORDINATOR)),
    "areas": ("get", _slug, None, MEMBERS_OR_404, PUBLIC),
    "areas_map": ("get", _slug, None, MEMBERS_OR_404, PUBLIC),
    "area_create": ("get", _slug, None, COORDINATOR, _published(COORDINATOR)),
    "area_edit": ("get", _with("area"), None, COORDINATOR, _published(COORDINATOR)),
    "monitoring": ("get", _slug, None, MEMBERS_OR_404, PUBLIC),
    # project cards and opinions (projects part)
    "projects": ("get", _slug, None, MEMBERS_OR_404, PUBLIC),
    "project_create": ("get", _slug, None, EDITORS, _published(EDITORS)),
    "project_detail": ("get", _with("project"), None, MEMBERS_OR_404, PUBLIC),
    "project_edit": ("get", _with("project"), None, EDITORS, _published(EDITORS)),
    "opinion_request": ("get", _with("project"), None, COORDINATOR, _published(COORDINATOR)),
    # Opinions are internal whatever the strategy: the core loader, contributors only.
    "opinion_answer": ("get", _with("opinion_request"), None, {**MEMBERS, "observer": 403},
                       {**MEMBERS, "observer": 403}),
    "opinion_publish": ("post", lambda objs: [objs["slug"], objs["opinion_request"], 1],
                        {"published": "1"}, _post(COORDINATOR), _post(COORDINATOR)),
    # prioritisation (ranking part)
    "ranking": ("get", _slug, None, MEMBERS_OR_404, PUBLIC),
    "criteria": ("get", _slug, None, COORDINATOR, _published(COORDINATOR)),
    "weights": ("get", _slug, None, COORDINATOR, _published(COORDINATOR)),
    "scores": ("get", _slug, None, EDITORS, _published(EDITORS)),
    "ranking_export": ("get", _slug, None, MEMBERS_OR_404, PUBLIC),
    "ranking_verify": ("get", _slug, None, MEMBERS, MEMBERS),
    # the document (document part): the core loader, members only.
    "document": ("get", _slug, None, MEMBERS, MEMBERS),
    # An over-long note is refused (400) before any document is built.
    "send_to_consultation": ("post", _slug, {"note": "x" * 600}, _post(COORDINATOR, 400),
                             _post(COORDINATOR, 400)),
}


def test_every_address_of_the_strategy_app_is_in_the_matrix():
    names = {pattern.name for pattern in strategy_urls.urlpatterns
             if isinstance(pattern, URLPattern)}
    assert names == set(VIEWS), (names ^ set(VIEWS))
    assert get_resolver()  # the app's urls load


@pytest.fixture
def objects(partnership_a, partnership_b, advisor, coordinator) -> dict:
    Strategy.objects.filter(partnership__in=[partnership_a, partnership_b]).delete()
    strategy = Strategy.objects.create(partnership=partnership_a, title="Strategia A")
    # B has a strategy of its own, so A's ids under B's address reach B's (empty) strategy.
    Strategy.objects.create(partnership=partnership_b, title="Strategia B")
    goal = StrategicGoal.objects.create(strategy=strategy, number=1, dimension="social",
                                        title="Cel")
    direction = ActionDirection.objects.create(goal=goal, number=1, title="Kierunek")
    result = ExpectedResult.objects.create(goal=goal, title="Rezultat", indicator_name="x",
                                           baseline_value=Decimal("1"), baseline_year=2020,
                                           target_value=Decimal("2"), target_year=2030)
    area = InterventionArea.objects.create(strategy=strategy, name="Obszar", origin="own")
    area.units.set(partnership_a.units.all()[:1])
    losice = Unit.objects.get(teryt="1410023")
    number = (ProjectCard.objects.filter(partnership=partnership_a)
              .order_by("-number").values_list("number", flat=True).first() or 0) + 1
    project = ProjectCard.objects.create(partnership=partnership_a, number=number,
                                         title="Projekt", lead_unit=losice)
    opinion_request = OpinionRequest.objects.create(project=project, advisor=advisor,
                                                    kind="opinion", requested_by=coordinator)
    AdvisorOpinion.objects.create(request=opinion_request, version=1,
                                  recommendation="recommended", author=advisor)
    return {"strategy": strategy, "slug": partnership_a.slug, "goal": goal.pk,
            "direction": direction.pk, "result": result.pk, "area": area.pk,
            "project": project.pk, "opinion_request": opinion_request.pk}


def _user(request, role: str) -> User | None:
    return None if role == "anonymous" else request.getfixturevalue(role)


def _call(client, method: str, url: str, data: dict | None):
    return getattr(client, method)(url, data or {})


@pytest.mark.parametrize("published", [False, True], ids=["unpublished", "published"])
@pytest.mark.parametrize("name", list(VIEWS))
def test_permission_matrix(request, objects, name, published):
    """Every role on one address (one test per address: the cast is loaded once for all)."""
    method, args, data, unpublished, public = VIEWS[name]
    url = reverse(f"strategy:{name}", args=args(objects))
    wrong = []
    for role in ROLES:
        # Reset before each role: the coordinator's post may have changed the publication.
        Strategy.objects.filter(pk=objects["strategy"].pk).update(
            published_at=timezone.now() if published else None)
        expected = (public if published else unpublished)[role]
        response = _call(client_for(_user(request, role)), method, url, data)
        if response.status_code != expected:
            wrong.append(f"{role}: {response.status_code}, expected {expected}")
        elif role == "anonymous" and expected == LOGIN:
            assert response["Location"].startswith(reverse("login"))
    assert not wrong, (name, "published" if published else "unpublished", wrong)


# Addresses that carry an id of one of A's objects.
WITH_IDS = [name for name, (_m, args, *_rest) in VIEWS.items() if args is not _slug]


@pytest.mark.parametrize("name", WITH_IDS)
def test_partnership_as_ids_are_not_found_under_partnership_bs_address(
        objects, partnership_a, partnership_b, coordinator, outsider, name):
    """A's goal, result, area, project or opinion id under B's address: 404 for B's
    coordinator (who may change everything of B) and for A's."""
    method, args, data, _unpublished, _public = VIEWS[name]
    url = reverse(f"strategy:{name}", args=args(objects))
    foreign = url.replace(f"/{partnership_a.slug}/", f"/{partnership_b.slug}/")
    assert foreign != url
    for user in (outsider, coordinator):
        response = _call(client_for(user), method, foreign, data)
        assert response.status_code == 404, (name, user.email, response.status_code)
