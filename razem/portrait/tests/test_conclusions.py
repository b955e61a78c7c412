"""Writing the conclusions of the diagnosis: scoping, validation, the audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from razem.conftest import client_for
from razem.core.models import AuditLogEntry
from razem.portrait.models import DiagnosisConclusion


def _url(partnership, name="portrait:conclusions", *args):
    return reverse(name, args=[partnership.slug, *args])


def _conclusion(partnership, text="Mocna strona.") -> DiagnosisConclusion:
    return DiagnosisConclusion.objects.create(partnership=partnership, kind="strength", text=text)


def test_a_coordinator_adds_a_conclusion_with_its_indicators(partnership_a, coordinator):
    response = client_for(coordinator).post(_url(partnership_a), {
        "kind": "weakness", "dimension": "economic", "text": "Wysokie bezrobocie w Sarnakach.",
        "indicator_codes": ["unemployment_rate", "unemployed_per_1000_working_age"],
    })

    assert response.status_code == 302
    conclusion = partnership_a.diagnosis_conclusions.get()
    assert (conclusion.kind, conclusion.dimension, conclusion.created_by) == (
        "weakness", "economic", coordinator)
    assert conclusion.indicator_codes == ["unemployment_rate", "unemployed_per_1000_working_age"]


def test_adding_a_conclusion_is_logged(partnership_a, coordinator):
    client_for(coordinator).post(_url(partnership_a), {"kind": "challenge", "text": "Starzenie."})

    entry = AuditLogEntry.objects.get(action="conclusion.created")
    assert entry.partnership == partnership_a and entry.actor == coordinator
    assert entry.changes["text"] == [None, "Starzenie."]


def test_editing_a_conclusion_logs_the_changed_fields_only(partnership_a, coordinator):
    conclusion = _conclusion(partnership_a, "Stara treść.")

    client_for(coordinator).post(_url(partnership_a, "portrait:conclusion_edit", conclusion.pk), {
        "kind": "strength", "text": "Nowa treść.", "order": str(conclusion.order)})

    entry = AuditLogEntry.objects.get(action="conclusion.changed")
    assert entry.changes == {"text": ["Stara treść.", "Nowa treść."]}
    conclusion.refresh_from_db()
    assert conclusion.text == "Nowa treść."


def test_deleting_a_conclusion_is_logged(partnership_a, coordinator):
    conclusion = _conclusion(partnership_a)

    client_for(coordinator).post(_url(partnership_a, "portrait:conclusion_delete", conclusion.pk))

    assert not DiagnosisConclusion.objects.exists()
    assert AuditLogEntry.objects.filter(action="conclusion.deleted",
                                        object_id=str(conclusion.pk)).exists()


@pytest.mark.parametrize("name,method", [
    ("portrait:conclusion_edit", "get"), ("portrait:conclusion_edit", "post"),
    ("portrait:conclusion_delete", "post"),
])
def test_another_partnerships_conclusion_is_not_found(partnership_a, partnership_b, coordinator,
                                                      name, method):
    other = _conclusion(partnership_b, "Cudzy wniosek.")

    response = getattr(client_for(coordinator), method)(
        _url(partnership_a, name, other.pk), {"kind": "strength", "text": "Przejęty."})

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.text == "Cudzy wniosek."


@pytest.mark.parametrize("form,message", [
    ({"kind": "strength", "text": ""}, "Wpisz treść wniosku."),
    ({"kind": "strength", "text": "   "}, "Wpisz treść wniosku."),
    ({"kind": "strength", "text": "x" * 2001}, "Wniosek może mieć najwyżej 2000 znaków (ma 2001)."),
    ({"kind": "strength", "text": "Tekst.", "indicator_codes": ["no_such_indicator"]},
     "W katalogu nie ma wskaźnika no_such_indicator."),
    ({"kind": "opportunity", "text": "Tekst."},
     "Wybierz, czy to mocna strona, słaba strona czy wyzwanie."),
    ({"kind": "strength", "text": "Tekst.", "dimension": "cultural"},
     "Wybierz jeden z wymiarów portretu."),
    ({"kind": "strength", "text": "Tekst.", "order": "pierwszy"}, "Wpisz liczbę całkowitą."),
], ids=["empty", "blank", "too-long", "unknown-indicator", "unknown-kind", "unknown-dimension",
        "bad-order"])
def test_bad_input_is_refused_with_a_polish_message_and_nothing_saved(
    partnership_a, coordinator, form, message,
):
    response = client_for(coordinator).post(_url(partnership_a), form)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DiagnosisConclusion.objects.exists()


def test_a_refused_edit_keeps_what_was_typed_and_the_old_text(partnership_a, coordinator):
    conclusion = _conclusion(partnership_a, "Stara treść.")

    response = client_for(coordinator).post(
        _url(partnership_a, "portrait:conclusion_edit", conclusion.pk),
        {"kind": "strength", "text": "Nowa, ale " + "x" * 2000})

    assert response.status_code == 400
    assert "Nowa, ale" in response.content.decode()
    conclusion.refresh_from_db()
    assert conclusion.text == "Stara treść."


def test_conclusions_show_on_the_overview_by_kind(small_data, partnership_a, observer):
    DiagnosisConclusion.objects.create(partnership=partnership_a, kind="challenge",
                                       text="Odpływ młodych mieszkańców.")

    page = client_for(observer).get(reverse("portrait:overview", args=[partnership_a.slug]))

    text = page.content.decode()
    assert "Wyzwania" in text and "Odpływ młodych mieszkańców." in text


def test_new_conclusions_go_to_the_end_of_their_kind(partnership_a, coordinator):
    client = client_for(coordinator)
    for text in ("Pierwszy.", "Drugi."):
        client.post(_url(partnership_a), {"kind": "strength", "text": text})

    assert list(partnership_a.diagnosis_conclusions.values_list("text", "order")) == [
        ("Pierwszy.", 0), ("Drugi.", 1)]
