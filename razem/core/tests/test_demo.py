from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command

from razem.core.models import AuditLogEntry, Membership, Partnership, User
from razem.territory.models import Unit


def test_demo_runs_twice_without_duplicating_anything(cast):
    counts = (Partnership.objects.count(), User.objects.count(), Membership.objects.count(),
              Unit.objects.count(), AuditLogEntry.objects.count())
    call_command("load_demo", data_dir=Path("/nonexistent"), stdout=io.StringIO())
    assert counts == (Partnership.objects.count(), User.objects.count(),
                      Membership.objects.count(), Unit.objects.count(),
                      AuditLogEntry.objects.count())


def test_demo_without_data_pack_says_what_is_missing(db):
    out = io.StringIO()
    call_command("load_demo", data_dir=Path("/nonexistent"), stdout=out)
    assert "Brak rejestru TERYT" in out.getvalue()
    assert "Brak plików granic" in out.getvalue()


def test_demo_has_a_user_for_every_role_and_an_outsider(cast):
    roles = set(Membership.objects.filter(partnership__slug="razem-dla-rozwoju")
                .values_list("role", flat=True))
    assert roles == {"coordinator", "officer", "advisor", "observer"}
    assert Membership.objects.filter(partnership__slug="ziemia-wegrowska",
                                     role="coordinator").exists()


def test_demo_partnership_has_the_16_units_of_the_data_readme(partnership_a):
    codes = set(partnership_a.units.values_list("teryt", flat=True))
    assert codes == {"1410", "1410012", "1410023", "1410032", "1410042", "1410052", "1410062",
                     "1426022", "1426062", "1426072", "1429032", "1429042", "1429053",
                     "1429062", "1429072", "1429092"}
