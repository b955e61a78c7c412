"""Identity of the demo units, so the demo starts even without the data pack.

Codes and names as in the TERC register (state 2020-01-01); the full register
and the boundaries are read from the data pack when it is present.
"""

from __future__ import annotations

from typing import NamedTuple


class DemoUnit(NamedTuple):
    teryt: str
    name: str
    kind: str
    gmina_type: str = ""


VOIVODESHIP = DemoUnit("14", "MAZOWIECKIE", "voivodeship")
POWIATS = [
    DemoUnit("1410", "łosicki", "powiat"),
    DemoUnit("1426", "siedlecki", "powiat"),
    DemoUnit("1429", "sokołowski", "powiat"),
    DemoUnit("1433", "węgrowski", "powiat"),
]

RAZEM_DLA_ROZWOJU = [
    DemoUnit("1410", "łosicki", "powiat"),
    DemoUnit("1410012", "Huszlew", "gmina", "rural"),
    DemoUnit("1410023", "Łosice", "gmina", "urban-rural"),
    DemoUnit("1410032", "Olszanka", "gmina", "rural"),
    DemoUnit("1410042", "Platerów", "gmina", "rural"),
    DemoUnit("1410052", "Sarnaki", "gmina", "rural"),
    DemoUnit("1410062", "Stara Kornica", "gmina", "rural"),
    DemoUnit("1426022", "Korczew", "gmina", "rural"),
    DemoUnit("1426062", "Paprotnia", "gmina", "rural"),
    DemoUnit("1426072", "Przesmyki", "gmina", "rural"),
    DemoUnit("1429032", "Ceranów", "gmina", "rural"),
    DemoUnit("1429042", "Jabłonna Lacka", "gmina", "rural"),
    DemoUnit("1429053", "Kosów Lacki", "gmina", "urban-rural"),
    DemoUnit("1429062", "Repki", "gmina", "rural"),
    DemoUnit("1429072", "Sabnie", "gmina", "rural"),
    DemoUnit("1429092", "Sterdyń", "gmina", "rural"),
]

# A second, fictional partnership: its coordinator is the outsider of the demo.
ZIEMIA_WEGROWSKA = [
    DemoUnit("1433", "węgrowski", "powiat"),
    DemoUnit("1433011", "Węgrów", "gmina", "urban"),
    DemoUnit("1433022", "Grębków", "gmina", "rural"),
    DemoUnit("1433032", "Korytnica", "gmina", "rural"),
    DemoUnit("1433042", "Liw", "gmina", "rural"),
    DemoUnit("1433053", "Łochów", "gmina", "urban-rural"),
    DemoUnit("1433062", "Miedzna", "gmina", "rural"),
    DemoUnit("1433072", "Sadowne", "gmina", "rural"),
    DemoUnit("1433082", "Stoczek", "gmina", "rural"),
    DemoUnit("1433092", "Wierzbno", "gmina", "rural"),
]


class DemoUser(NamedTuple):
    email: str
    full_name: str
    partnership: str
    role: str
    unit: str | None = None


DEMO_USERS = [
    DemoUser("koordynator@razem.demo", "Anna Koordynator", "razem-dla-rozwoju", "coordinator"),
    DemoUser("urzednik.losice@razem.demo", "Piotr Urzędnik", "razem-dla-rozwoju", "officer",
             "1410023"),
    DemoUser("doradca@razem.demo", "Ewa Doradczyni (ZMP)", "razem-dla-rozwoju", "advisor"),
    DemoUser("obserwator@razem.demo", "Jan Obserwator (MFiPR)", "razem-dla-rozwoju", "observer"),
    DemoUser("koordynator@wegrow.demo", "Marek Inny", "ziemia-wegrowska", "coordinator"),
]
