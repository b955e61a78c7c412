"""Conclusions citing survey questions of their own partnership."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from razem.conftest import client_for
from razem.core.models import AuditLogEntry
from razem.portrait.models import DiagnosisConclusion
from razem.portrait.reports import _conclusions as report_conclusions
from razem.portrait.survey_questions import (
    cited_questions,
    cited_questions_for,
    survey_question_choices,
)
from razem.reports import document as doc
from razem.surveys.tests.factories import make_survey


def _url(partnership, name="portrait:conclusions", *args):
    return reverse(name, args=[partnership.slug, *args])


def _conclusion(partnership, refs, text="Mieszkańcy chcą lepszych dróg.") -> DiagnosisConclusion:
    return DiagnosisConclusion.objects.create(partnership=partnership, kind="weakness",
                                              text=text, survey_questions=refs)


def test_the_choices_are_the_partnerships_questions_without_notes(partnership_a, partnership_b):
    survey = make_survey(partnership_a)
    foreign = make_survey(partnership_b)

    with translation.override("en"):
        choices = dict(survey_question_choices(partnership_a))

    assert choices[f"{survey.pk}:needs"] == "Ankieta testowa: What needs improving?"
    assert f"{survey.pk}:intro" not in choices  # a note has no answer to cite
    own = {str(pk) for pk in partnership_a.surveys.values_list("pk", flat=True)}
    assert {value.split(":")[0] for value in choices} == own
    assert f"{foreign.pk}:needs" not in choices


def test_a_coordinator_saves_a_conclusion_citing_questions_and_it_is_logged(partnership_a,
                                                                            coordinator):
    survey = make_survey(partnership_a)

    response = client_for(coordinator).post(_url(partnership_a), {
        "kind": "weakness", "text": "Drogi wymagają poprawy.",
        "survey_questions": [f"{survey.pk}:needs", f"{survey.pk}:satisfaction"],
    })

    assert response.status_code == 302
    conclusion = partnership_a.diagnosis_conclusions.get()
    expected = [{"survey": survey.pk, "question": "needs"},
                {"survey": survey.pk, "question": "satisfaction"}]
    assert conclusion.survey_questions == expected
    entry = AuditLogEntry.objects.get(action="conclusion.created")
    assert entry.changes["survey_questions"] == [None, expected]


def test_editing_the_cited_questions_logs_the_change(partnership_a, coordinator):
    survey = make_survey(partnership_a)
    conclusion = _conclusion(partnership_a, [{"survey": survey.pk, "question": "needs"}])

    response = client_for(coordinator).post(
        _url(partnership_a, "portrait:conclusion_edit", conclusion.pk),
        {"kind": "weakness", "text": conclusion.text, "order": str(conclusion.order),
         "survey_questions": [f"{survey.pk}:priority"]})

    assert response.status_code == 302
    entry = AuditLogEntry.objects.get(action="conclusion.changed")
    assert entry.changes == {"survey_questions": [
        [{"survey": survey.pk, "question": "needs"}],
        [{"survey": survey.pk, "question": "priority"}]]}


def test_the_edit_form_shows_the_cited_questions_checked(partnership_a, coordinator):
    survey = make_survey(partnership_a)
    conclusion = _conclusion(partnership_a, [{"survey": survey.pk, "question": "needs"}])

    response = client_for(coordinator).get(
        _url(partnership_a, "portrait:conclusion_edit", conclusion.pk))

    assert response.context["form"]["survey_questions"].value() == [f"{survey.pk}:needs"]


def test_a_question_of_another_partnerships_survey_is_refused(partnership_a, partnership_b,
                                                              coordinator):
    make_survey(partnership_a)
    foreign = make_survey(partnership_b)

    response = client_for(coordinator).post(_url(partnership_a), {
        "kind": "weakness", "text": "Przejęte pytanie.",
        "survey_questions": [f"{foreign.pk}:needs"],
    })

    assert response.status_code == 400
    assert response.context["form"].errors["survey_questions"]
    assert not DiagnosisConclusion.objects.exists()
    assert not AuditLogEntry.objects.filter(action="conclusion.created").exists()


def test_an_unknown_question_is_refused_on_edit_and_nothing_changes(partnership_a, coordinator):
    survey = make_survey(partnership_a)
    conclusion = _conclusion(partnership_a, [{"survey": survey.pk, "question": "needs"}])

    for forged in (f"{survey.pk}:no_such_question", f"{survey.pk}:intro", "needs", "x:needs"):
        response = client_for(coordinator).post(
            _url(partnership_a, "portrait:conclusion_edit", conclusion.pk),
            {"kind": "weakness", "text": "Zmieniona treść.", "survey_questions": [forged]})

        assert response.status_code == 400, forged
    conclusion.refresh_from_db()
    assert conclusion.text == "Mieszkańcy chcą lepszych dróg."
    assert conclusion.survey_questions == [{"survey": survey.pk, "question": "needs"}]


def test_the_conclusions_page_shows_the_question_label_and_a_link_to_the_results(
        partnership_a, coordinator):
    survey = make_survey(partnership_a)
    _conclusion(partnership_a, [{"survey": survey.pk, "question": "needs"}])

    with translation.override("pl"):
        response = client_for(coordinator).get(_url(partnership_a))

    html = response.content.decode()
    staff_url = reverse("surveys:results", args=[partnership_a.slug, survey.pk])
    assert f'<a href="{staff_url}">Ankieta testowa: Co wymaga poprawy?</a>' in html


def test_published_results_are_linked_publicly(partnership_a):
    survey = make_survey(partnership_a)
    survey.results_published = True
    survey.save()
    conclusion = _conclusion(partnership_a, [{"survey": survey.pk, "question": "needs"}])

    [cited] = cited_questions(conclusion)

    assert cited["url"] == reverse("surveys:public_results",
                                   args=[partnership_a.slug, survey.slug])
    assert cited["published"] is True


def test_cited_questions_skip_a_deleted_survey_and_unknown_questions(partnership_a):
    kept, deleted = make_survey(partnership_a), make_survey(partnership_a, slug="old")
    conclusion = _conclusion(partnership_a, [
        {"survey": deleted.pk, "question": "needs"},
        {"survey": kept.pk, "question": "renamed_since"},
        {"survey": kept.pk, "question": "satisfaction"},
    ])
    deleted.delete()

    conclusion.refresh_from_db()  # deleting a survey never deletes the conclusion
    assert [q["question"] for q in cited_questions(conclusion)] == ["satisfaction"]


def test_cited_questions_ignore_another_partnerships_survey(partnership_a, partnership_b):
    foreign = make_survey(partnership_b)
    conclusion = _conclusion(partnership_a, [{"survey": foreign.pk, "question": "needs"}])

    assert cited_questions(conclusion) == []


def test_cited_questions_for_many_conclusions_use_one_query(partnership_a,
                                                           django_assert_num_queries):
    surveys = [make_survey(partnership_a, slug=f"s{n}") for n in range(3)]
    conclusions = [_conclusion(partnership_a, [{"survey": s.pk, "question": "needs"}])
                   for s in surveys for _ in range(3)]

    with django_assert_num_queries(1):
        found = cited_questions_for(conclusions)

    assert all(len(found[c.pk]) == 1 for c in conclusions)


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_conclusions_page_needs_no_more_queries_for_more_citing_conclusions(
        partnership_a, coordinator):
    surveys = [make_survey(partnership_a, slug=f"s{n}") for n in range(2)]
    client, url = client_for(coordinator), _url(partnership_a)
    _conclusion(partnership_a, [{"survey": surveys[0].pk, "question": "needs"}])
    client.get(url)  # warm per-process caches (catalogue, sessions)
    few = _page_queries(client, url)

    for n in range(10):
        _conclusion(partnership_a, [{"survey": surveys[n % 2].pk, "question": "needs"},
                                    {"survey": surveys[1].pk, "question": "satisfaction"}],
                    text=f"Wniosek {n}.")
    many = _page_queries(client, url)

    assert many == few


def test_the_report_names_the_cited_questions(partnership_a):
    survey = make_survey(partnership_a)
    _conclusion(partnership_a, [{"survey": survey.pk, "question": "needs"}])

    with translation.override("en"):
        section = report_conclusions(partnership_a, "en")

    [items] = [block.items for block in section.blocks if isinstance(block, doc.BulletList)]
    assert items == ["Mieszkańcy chcą lepszych dróg.\n"
                     "Survey questions: Ankieta testowa: What needs improving?"]


def test_a_published_portrait_links_unpublished_results_for_members_only(
        small_data, partnership_a, coordinator):
    from razem.portrait import actions

    survey = make_survey(partnership_a)
    _conclusion(partnership_a, [{"survey": survey.pk, "question": "needs"}])
    actions.set_published(partnership=partnership_a, by=coordinator, published=True)
    staff_url = reverse("surveys:results", args=[partnership_a.slug, survey.pk])
    url = reverse("portrait:overview", args=[partnership_a.slug])

    with translation.override("pl"):
        public = client_for(None).get(url).content.decode()
        member = client_for(coordinator).get(url).content.decode()

    assert "Ankieta testowa: Co wymaga poprawy?" in public and staff_url not in public
    assert staff_url in member


def test_the_strategy_document_names_the_cited_questions(partnership_a, coordinator, officer,
                                                          advisor):
    from razem.strategy.demo import ensure_strategy
    from razem.strategy.document import build_strategy_document

    strategy = ensure_strategy(partnership_a, coordinator, officer, advisor)
    survey = make_survey(partnership_a)
    conclusion = _conclusion(partnership_a, [{"survey": survey.pk, "question": "needs"}],
                             text="Drogi do poprawy.")
    goal = strategy.goals.order_by("pk").first()
    goal.conclusions.add(conclusion)

    with translation.override("en"):
        document = build_strategy_document(partnership_a, language="en",
                                           progress=lambda *_args: None)

    items = [item for s in document.sections for b in s.blocks
             if isinstance(b, doc.BulletList) for item in b.items if "Drogi do poprawy." in item]
    assert len(items) == 2  # the diagnosis and the goal
    assert "(survey questions: Ankieta testowa: What needs improving?)" in items[0]
    assert "[Ankieta testowa: What needs improving?]" in items[1]
