"""The demo partnership's strategy (called by `manage.py load_demo`, so by every test's
cast): idempotent and cheap (a few hundred rows, no ranking or file rendering).

* the strategy draft "Strategia rozwoju ponadlokalnego Partnerstwa „Razem dla Rozwoju” na
  lata 2021-2030", published so observers and the API see it: a vision, one goal per
  dimension tied to the portrait's conclusions (when the data pack gave them), directions,
  expected results with catalogue indicators (baselines from the portrait's data when
  imported, else plausible values with their years), two intervention areas and the
  text parts;
* twelve project cards of key projects with yearly costs, funding sources, readiness,
  statuses and milestones;
* five criteria with direct weights summing to 1, and every criterion of every project
  scored by five member units (pseudo-random with a fixed seed, so every load is the same);
* an advisor's opinion on the sewage project in two versions, the second published.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from razem.core.actions import log_action
from razem.core.models import Partnership, User
from razem.indicators.catalogue import load_catalogue
from razem.portrait.models import DiagnosisConclusion
from razem.strategy.models import (
    ActionDirection,
    AdvisorOpinion,
    AreaOrigin,
    Criterion,
    Dimension,
    ExpectedResult,
    FundingSource,
    InterventionArea,
    Milestone,
    OpinionKind,
    OpinionRequest,
    ProjectCard,
    ProjectCost,
    ProjectScore,
    ProjectStatus,
    Readiness,
    Recommendation,
    ResultMeasurement,
    StrategicGoal,
    Strategy,
)
from razem.territory.models import Unit

TITLE = "Strategia rozwoju ponadlokalnego Partnerstwa „Razem dla Rozwoju” na lata 2021-2030"
SEED = 2021
# Who scores: the officer's Łosice, the leader powiat and three gminas of different kinds.
SCORING_UNITS = ["1410023", "1410", "1410052", "1410012", "1429053"]
# The portrait's dimension codes behind each strategy dimension.
CONCLUSION_DIMENSIONS = {Dimension.SOCIAL: "social", Dimension.ECONOMIC: "economic",
                         Dimension.SPATIAL: "environmental_spatial"}

VISION = (
    "W 2030 roku obszar Partnerstwa „Razem dla Rozwoju” to miejsce, w którym młodzi ludzie "
    "chcą zostać, a seniorzy mogą liczyć na pomoc blisko domu. Gminy wspólnie dbają o czyste "
    "środowisko doliny Bugu, o dobry dojazd do Siedlec i Białej Podlaskiej oraz o miejsca "
    "pracy poza rolnictwem.\n\n"
    "Partnerzy planują, finansują i prowadzą kluczowe inwestycje razem, bo razem są w stanie "
    "więcej niż każda gmina osobno."
)
SPATIAL_MODEL = (
    "Strukturę funkcjonalno-przestrzenną obszaru tworzą: ośrodek lokalny Łosice (usługi "
    "ponadlokalne, węzeł transportowy), ośrodki gminne pełniące funkcje usługowe dla "
    "otaczających je wsi, dolina Bugu o funkcjach przyrodniczych i turystycznych (Natura 2000, "
    "Nadbużański Park Krajobrazowy) oraz rolnicze obszary wiejskie w centrum i na południu.\n\n"
    "Główne osie powiązań to droga krajowa nr 19 i drogi wojewódzkie prowadzące do Siedlec, "
    "Białej Podlaskiej i Sokołowa Podlaskiego. Wzmacniane będą powiązania transportem "
    "zbiorowym między ośrodkami gminnymi a Łosicami."
)
SPATIAL_POLICY = (
    "Nowa zabudowa mieszkaniowa powinna powstawać przede wszystkim w zasięgu istniejących "
    "sieci wodociągowych i kanalizacyjnych oraz przystanków transportu zbiorowego.\n\n"
    "W dolinie Bugu należy chronić tereny zalewowe i otwarte krajobrazy, kierując ruch "
    "turystyczny na wyznaczone szlaki i miejsca obsługi. Plany ogólne gmin powinny wskazywać "
    "tereny pod instalacje odnawialnych źródeł energii poza obszarami cennymi przyrodniczo."
)
IMPLEMENTATION = (
    "Strategię realizują wspólnie jednostki Partnerstwa na podstawie porozumienia "
    "międzygminnego. Koordynatorem jest Starostwo Powiatowe w Łosicach, które prowadzi "
    "sekretariat Partnerstwa, zbiera informacje o postępie projektów i raz w roku "
    "przygotowuje raport z monitoringu.\n\n"
    "Rada Partnerstwa (wójtowie, burmistrzowie i starosta) zatwierdza listę projektów "
    "kluczowych i jej zmiany. Zespoły robocze przygotowują projekty zintegrowane i wnioski "
    "o dofinansowanie."
)
FINANCIAL_FRAMEWORK = (
    "Ramy finansowe obejmują szacunkowe koszty projektów kluczowych w latach 2024-2029. "
    "Głównym źródłem finansowania będą Fundusze Europejskie dla Mazowsza 2021-2027, w tym "
    "instrumenty terytorialne, uzupełniane programami krajowymi i budżetami jednostek.\n\n"
    "Wkład własny jednostek zostanie ujęty w wieloletnich prognozach finansowych gmin i "
    "powiatu po zatwierdzeniu projektów do realizacji."
)
PARTNERS = (
    "Strategia powstała z udziałem mieszkańców (ankiety i konsultacje), młodzieży szkół "
    "średnich, lokalnych liderów i przedsiębiorców, przy wsparciu doradców Związku Miast "
    "Polskich w programie Centrum Wsparcia Doradczego."
)


@dataclass(frozen=True)
class ResultSpec:
    title: str
    code: str = ""
    name: str = ""
    unit: str = ""
    # Used when the portrait has no data (or for an indicator outside the catalogue).
    baseline: str = "0"
    baseline_year: int = 2021
    target: str = "0"
    # From a baseline read from the data: the target (a relative or absolute step).
    factor: str | None = None
    step: str | None = None


@dataclass(frozen=True)
class GoalSpec:
    dimension: str
    title: str
    description: str
    directions: list[tuple[str, str]]
    results: list[ResultSpec] = field(default_factory=list)


GOALS = [
    GoalSpec(
        Dimension.SOCIAL, "Dostępne usługi publiczne i aktywni mieszkańcy",
        "Mieszkańcy w każdym wieku mają blisko domu opiekę, edukację i sprawnie działające "
        "urzędy; młodzi widzą dla siebie przyszłość na miejscu.",
        [("Usługi opiekuńcze dla osób starszych",
          "Dzienne domy seniora i usługi opiekuńcze świadczone wspólnie przez gminy."),
         ("Kształcenie zawodowe odpowiadające lokalnemu rynkowi pracy",
          "Nowe kierunki kształcenia uzgodnione z pracodawcami."),
         ("Wspólne usługi administracyjne",
          "Centrum usług wspólnych obsługujące księgowość szkół i zamówienia publiczne.")],
        [ResultSpec("Mniejszy odpływ mieszkańców", code="net_migration_per_1000",
                    baseline="-4.1", baseline_year=2021, target="-2.0", factor="0.5"),
         ResultSpec("Więcej miejsc opieki dziennej dla seniorów", name="Miejsca w dziennych "
                    "domach seniora", unit="miejsca", baseline="15", baseline_year=2021,
                    target="90")]),
    GoalSpec(
        Dimension.ECONOMIC, "Miejsca pracy poza rolnictwem i dobra dostępność komunikacyjna",
        "Firmy mają gdzie się rozwijać, a mieszkańcy dojeżdżają do pracy i szkoły transportem "
        "zbiorowym; turystyka doliny Bugu daje dochody gospodarstwom.",
        [("Transport zbiorowy i drogi łączące gminy z ośrodkami regionalnymi",
          "Węzeł przesiadkowy w Łosicach, linie do Siedlec i Białej Podlaskiej, przebudowa dróg."),
         ("Turystyka doliny Bugu",
          "Wspólna oferta, szlaki rowerowe i kajakowe, miejsca obsługi turystów."),
         ("Szybki internet i cyfrowe usługi",
          "Dostęp do internetu szerokopasmowego w miejscowościach wiejskich.")],
        [ResultSpec("Niższe bezrobocie", code="unemployment_rate", baseline="5.8",
                    baseline_year=2021, target="4.5", factor="0.75"),
         ResultSpec("Częstsze połączenia transportem zbiorowym do Siedlec",
                    name="Kursy autobusów z Łosic do Siedlec w dzień roboczy",
                    unit="kursy dziennie", baseline="24", baseline_year=2022, target="40")]),
    GoalSpec(
        Dimension.SPATIAL, "Czyste środowisko, nowoczesna infrastruktura i energia z OZE",
        "Ścieki trafiają do oczyszczalni, woda jest dobrej jakości, budynki publiczne zużywają "
        "mniej energii, a gminy wytwarzają ją ze źródeł odnawialnych.",
        [("Kanalizacja i zaopatrzenie w wodę",
          "Sieci kanalizacyjne w gminach z najniższym dostępem i modernizacja stacji "
          "uzdatniania wody."),
         ("Efektywność energetyczna i odnawialne źródła energii",
          "Termomodernizacja budynków publicznych i klaster energii."),
         ("Ład przestrzenny doliny Bugu",
          "Wspólne zasady zabudowy i ochrony krajobrazu w planach ogólnych gmin.")],
        [ResultSpec("Więcej mieszkańców korzysta z kanalizacji", code="sewage_share",
                    baseline="38.5", baseline_year=2021, target="60.0", step="20"),
         ResultSpec("Więcej energii ze źródeł odnawialnych w budynkach publicznych",
                    name="Moc instalacji OZE na budynkach publicznych", unit="MW",
                    baseline="0.4", baseline_year=2021, target="6.0")]),
]

AREAS = [
    ("Obszar zagrożony trwałą marginalizacją", AreaOrigin.VOIVODESHIP,
     "Obszar strategicznej interwencji wskazany w Strategii rozwoju województwa "
     "mazowieckiego 2030+: gminy o najsłabszych wskaźnikach społeczno-gospodarczych.",
     ["1410012", "1410032", "1410052", "1410062", "1426062", "1426072", "1429032", "1429072"]),
    ("Dolina Bugu", AreaOrigin.OWN,
     "Obszar własny Partnerstwa: gminy nad Bugiem, w których rozwój turystyki łączy się z "
     "ochroną przyrody.",
     ["1410042", "1410052", "1426022", "1429042", "1429053"]),
]


@dataclass(frozen=True)
class ProjectSpec:
    title: str
    lead: str
    partners: list[str]
    goals: list[int]
    directions: list[tuple[int, int]]
    problem: str
    scope: str
    costs: dict[int, str]
    source: str
    details: str
    readiness: str
    status: str
    integrated: bool
    starts: date
    ends: date
    outputs: list[tuple[str, str, str]]
    results: list[tuple[str, str, str]]
    milestones: list[tuple[str, date, date | None]]
    location: str = ""
    # How good the project is on each criterion (0-10) before the units' own judgement.
    profile: tuple[int, int, int, int, int] = (5, 5, 5, 5, 5)


PROJECTS = [
    ProjectSpec(
        "Budowa sieci kanalizacji sanitarnej w gminach Sarnaki i Platerów", "1410052",
        ["1410042"], [3], [(3, 1)],
        "Z sieci kanalizacyjnej korzysta niewielka część mieszkańców; ścieki z nieszczelnych "
        "szamb trafiają do gleby i wód doliny Bugu.",
        "Budowa 38 km sieci kanalizacji sanitarnej z przepompowniami i przyłączami oraz "
        "rozbudowa oczyszczalni ścieków w Sarnakach.",
        {2025: "6850000.00", 2026: "9420000.00", 2027: "5130500.50"},
        FundingSource.FEM, "Priorytet II, działanie 2.4 Gospodarka wodno-ściekowa",
        Readiness.PERMITS, ProjectStatus.ACCEPTED, False, date(2025, 3, 1), date(2027, 11, 30),
        [("Długość sieci kanalizacyjnej", "km", "38"), ("Przyłącza", "szt.", "640")],
        [("Mieszkańcy przyłączeni do sieci", "osoby", "2100")],
        [("Pozwolenie na budowę", date(2024, 9, 30), date(2024, 9, 12)),
         ("Wybór wykonawcy", date(2025, 2, 28), None),
         ("Odbiór końcowy", date(2027, 11, 30), None)],
        "Sarnaki, Platerów i okoliczne wsie", (9, 7, 8, 4, 6)),
    ProjectSpec(
        "Zintegrowany węzeł przesiadkowy z dworcem autobusowym w Łosicach", "1410023",
        ["1410"], [2], [(2, 1)],
        "Brak miejsca przesiadek między liniami do Siedlec, Białej Podlaskiej i gmin "
        "partnerstwa; przystanki bez zadaszenia i informacji.",
        "Dworzec autobusowy z poczekalnią, parking „parkuj i jedź”, parking rowerowy, "
        "dynamiczna informacja pasażerska i wspólny rozkład jazdy linii gminnych.",
        {2025: "1200000.00", 2026: "4800000.00", 2027: "2150000.00"},
        FundingSource.FEM_ZIT_IIT, "Instrument terytorialny IIT, mobilność miejska",
        Readiness.DOCUMENTATION, ProjectStatus.ACCEPTED, True, date(2025, 6, 1),
        date(2027, 9, 30),
        [("Węzły przesiadkowe", "szt.", "1"), ("Miejsca parkingowe P&R", "szt.", "60")],
        [("Pasażerowie transportu zbiorowego", "osoby/rok", "180000")],
        [("Dokumentacja projektowa", date(2025, 5, 31), None),
         ("Otwarcie dworca", date(2027, 9, 30), None)],
        "Łosice, ul. Kolejowa", (8, 9, 6, 5, 8)),
    ProjectSpec(
        "Nadbużański szlak rowerowy", "1410", ["1410052", "1410042", "1426022", "1429042"],
        [2, 3], [(2, 2)],
        "Dolina Bugu przyciąga turystów, ale brak bezpiecznej trasy rowerowej łączącej gminy "
        "i miejsca obsługi.",
        "Wyznaczenie i budowa 62 km trasy rowerowej wzdłuż Bugu z miejscami odpoczynku, "
        "oznakowaniem i wspólnym portalem informacji turystycznej.",
        {2026: "3100000.00", 2027: "5600000.00", 2028: "2400000.00"},
        FundingSource.FEM_ZIT_IIT, "Instrument terytorialny IIT, turystyka i kultura",
        Readiness.CONCEPT, ProjectStatus.PROPOSED, True, date(2026, 4, 1), date(2028, 10, 31),
        [("Długość trasy rowerowej", "km", "62"), ("Miejsca obsługi rowerzystów", "szt.", "8")],
        [("Turyści korzystający z trasy", "osoby/rok", "25000")],
        [("Koncepcja przebiegu trasy", date(2025, 12, 31), None),
         ("Otwarcie trasy", date(2028, 10, 31), None)],
        "wzdłuż Bugu od Sarnak do Kosowa Lackiego", (7, 6, 3, 5, 9)),
    ProjectSpec(
        "Termomodernizacja szkół podstawowych", "1410032", ["1410062", "1410012", "1426072"],
        [3], [(3, 2)],
        "Budynki szkół zużywają dużo energii; koszty ogrzewania obciążają budżety gmin.",
        "Ocieplenie ścian i dachów, wymiana okien i źródeł ciepła na pompy ciepła, instalacje "
        "fotowoltaiczne w siedmiu szkołach.",
        {2025: "2350000.00", 2026: "4100000.00"},
        FundingSource.FENIKS, "Priorytet I, efektywność energetyczna budynków publicznych",
        Readiness.DOCUMENTATION, ProjectStatus.FUNDING, False, date(2025, 5, 1),
        date(2026, 12, 15),
        [("Budynki poddane termomodernizacji", "szt.", "7")],
        [("Zmniejszenie zużycia energii", "GJ/rok", "4200")],
        [("Audyty energetyczne", date(2024, 12, 31), date(2024, 11, 20)),
         ("Złożenie wniosku", date(2025, 3, 31), None)],
        "", (7, 6, 7, 6, 5)),
    ProjectSpec(
        "Centrum usług wspólnych Partnerstwa", "1410023",
        ["1410012", "1410032", "1410042", "1410052", "1410062"], [1], [(1, 3)],
        "Małe gminy z trudem obsługują zamówienia publiczne, księgowość szkół i projekty "
        "unijne.",
        "Wspólna jednostka obsługująca księgowość oświaty, zamówienia publiczne i "
        "przygotowanie wniosków o dofinansowanie dla gmin partnerstwa.",
        {2025: "450000.00", 2026: "620000.00", 2027: "640000.00", 2028: "655000.00"},
        FundingSource.OWN, "Budżety gmin, porozumienie międzygminne",
        Readiness.CONCEPT, ProjectStatus.PROPOSED, True, date(2025, 9, 1), date(2028, 12, 31),
        [("Gminy obsługiwane przez centrum", "szt.", "6")],
        [("Wnioski o dofinansowanie przygotowane wspólnie", "szt./rok", "12")],
        [("Porozumienie międzygminne", date(2025, 6, 30), None)],
        "Łosice", (6, 4, 5, 8, 8)),
    ProjectSpec(
        "Szerokopasmowy internet w miejscowościach wiejskich", "1410",
        ["1410062", "1426062", "1429072", "1429032"], [2], [(2, 3)],
        "W wielu wsiach brak dostępu do internetu o przepustowości co najmniej 100 Mb/s.",
        "Budowa sieci światłowodowej dostępowej do 1 800 gospodarstw domowych i budynków "
        "użyteczności publicznej.",
        {2025: "2800000.00", 2026: "3900000.00"},
        FundingSource.KPO, "Inwestycja C1.1.1",
        Readiness.DOCUMENTATION, ProjectStatus.FUNDING, False, date(2025, 4, 1),
        date(2026, 10, 31),
        [("Gospodarstwa domowe z dostępem do sieci", "szt.", "1800")],
        [("Gospodarstwa korzystające z usługi", "szt.", "900")],
        [("Umowa o dofinansowanie", date(2025, 3, 31), None)],
        "", (6, 8, 6, 6, 7)),
    ProjectSpec(
        "Dzienne domy seniora w Kosowie Lackim i Huszlewie", "1429053", ["1410012"],
        [1], [(1, 1)],
        "Udział osób starszych rośnie, a usługi opiekuńcze są dostępne głównie w miastach "
        "powiatowych.",
        "Adaptacja dwóch budynków na dzienne domy seniora i usługi opiekuńcze świadczone "
        "w domach przez wspólny zespół opiekunek.",
        {2025: "980000.00", 2026: "1450000.00", 2027: "720000.00"},
        FundingSource.FEM, "Priorytet VI, usługi społeczne (EFS+)",
        Readiness.DOCUMENTATION, ProjectStatus.ACCEPTED, True, date(2025, 7, 1),
        date(2027, 12, 31),
        [("Miejsca w dziennych domach seniora", "miejsca", "60")],
        [("Seniorzy objęci usługami opiekuńczymi", "osoby", "140")],
        [("Adaptacja budynku w Kosowie Lackim", date(2026, 6, 30), None)],
        "", (8, 6, 7, 5, 5)),
    ProjectSpec(
        "Przebudowa dróg powiatowych łączących gminy z drogą krajową nr 19", "1410",
        ["1410023", "1410042", "1410062"], [2], [(2, 1)],
        "Drogi powiatowe są wąskie i zniszczone; dojazd do drogi krajowej nr 19 i węzła "
        "w Łosicach jest wolny i niebezpieczny.",
        "Przebudowa 14 km dróg powiatowych w odcinkach po około 1 km w każdej gminie, "
        "z chodnikami i oświetleniem przy szkołach.",
        {2024: "2100000.00", 2025: "3350000.00", 2026: "2900000.00"},
        FundingSource.RFRD, "Nabór 2024, dofinansowanie do 80% zgodnie z dochodami własnymi",
        Readiness.READY, ProjectStatus.IN_PROGRESS, False, date(2024, 4, 1),
        date(2026, 10, 31),
        [("Długość przebudowanych dróg", "km", "14")],
        [("Skrócenie czasu dojazdu do Łosic", "min", "6")],
        [("Pierwsze odcinki oddane do użytku", date(2024, 11, 30), date(2024, 11, 22)),
         ("Zakończenie przebudowy", date(2026, 10, 31), None)],
        "", (6, 7, 10, 6, 7)),
    ProjectSpec(
        "Modernizacja stacji uzdatniania wody w Huszlewie", "1410012", [], [3], [(3, 1)],
        "Woda z wodociągu w Huszlewie ma podwyższoną zawartość żelaza i manganu; stacja ma "
        "ponad 40 lat.",
        "Nowa technologia uzdatniania, zbiornik wody czystej, zasilanie z fotowoltaiki i "
        "wymiana 3 km sieci magistralnej.",
        {2025: "1680000.00", 2026: "540000.25"},
        FundingSource.FEM, "Priorytet II, działanie 2.4 Gospodarka wodno-ściekowa",
        Readiness.READY, ProjectStatus.FUNDING, False, date(2025, 5, 1), date(2026, 9, 30),
        [("Zmodernizowane stacje uzdatniania wody", "szt.", "1")],
        [("Mieszkańcy z lepszą jakością wody", "osoby", "2600")],
        [("Pozwolenie na budowę", date(2024, 10, 31), date(2024, 10, 3))],
        "Huszlew", (7, 5, 10, 5, 3)),
    ProjectSpec(
        "Klaster energii „Energia znad Bugu”", "1429092", ["1429062", "1429042", "1410023"],
        [3], [(3, 2)],
        "Gminy płacą coraz więcej za energię, a lokalne zasoby (dachy, biomasa, grunty "
        "słabej jakości) nie są wykorzystane.",
        "Utworzenie klastra energii, budowa farm fotowoltaicznych o mocy 5 MW na gruntach "
        "gminnych i magazynu energii.",
        {2026: "4200000.00", 2027: "8100000.00", 2028: "3600000.00"},
        FundingSource.FENIKS, "Priorytet I, odnawialne źródła energii",
        Readiness.CONCEPT, ProjectStatus.PROPOSED, True, date(2026, 3, 1), date(2028, 12, 31),
        [("Moc zainstalowana OZE", "MW", "5"), ("Pojemność magazynu energii", "MWh", "2")],
        [("Energia wytworzona ze źródeł odnawialnych", "MWh/rok", "5200")],
        [("Porozumienie o utworzeniu klastra", date(2025, 12, 31), None)],
        "Sterdyń, Repki, Jabłonna Lacka, Łosice", (8, 7, 3, 4, 7)),
    ProjectSpec(
        "Centrum kształcenia zawodowego w Łosicach", "1410", ["1410023"], [1, 2], [(1, 2)],
        "Absolwenci szkół zawodowych nie znajdują pracy w wyuczonym zawodzie, a firmy nie "
        "mogą znaleźć pracowników.",
        "Wyposażenie pracowni mechatroniki, OZE i opieki senioralnej, kursy dla dorosłych "
        "i staże u lokalnych pracodawców.",
        {2025: "720000.00", 2026: "1100000.00", 2027: "450000.00"},
        FundingSource.FEM, "Priorytet VI, kształcenie zawodowe (EFS+)",
        Readiness.DOCUMENTATION, ProjectStatus.ACCEPTED, False, date(2025, 9, 1),
        date(2027, 8, 31),
        [("Wyposażone pracownie", "szt.", "3")],
        [("Uczniowie i dorośli z nowymi kwalifikacjami", "osoby", "420")],
        [("Porozumienia z pracodawcami", date(2025, 6, 30), None)],
        "Łosice, Zespół Szkół Zawodowych", (7, 6, 7, 7, 5)),
    ProjectSpec(
        "Turystyka doliny Bugu: wspólna oferta i przystanie kajakowe", "1426022",
        ["1410052", "1410042", "1429042"], [2], [(2, 2)],
        "Oferta turystyczna jest rozproszona; brak przystani i miejsc wypożyczania kajaków.",
        "Cztery przystanie kajakowe, wspólna marka turystyczna doliny Bugu, szkolenia dla "
        "gospodarstw agroturystycznych.",
        {2026: "850000.00", 2027: "1250000.00"},
        FundingSource.INTERREG, "Interreg NEXT Polska-Białoruś-Ukraina",
        Readiness.CONCEPT, ProjectStatus.PROPOSED, True, date(2026, 5, 1), date(2027, 10, 31),
        [("Przystanie kajakowe", "szt.", "4")],
        [("Noclegi udzielone turystom", "noclegi/rok", "6000")],
        [("Partner zagraniczny", date(2025, 11, 30), None)],
        "Korczew, Sarnaki, Platerów, Jabłonna Lacka", (6, 5, 4, 6, 7)),
]

CRITERIA = [
    ("cele", "Wpływ na cele strategii", "Jak bardzo projekt przybliża osiągnięcie celów "
     "strategicznych (0 = wcale, 10 = decydująco).", 1, "0.30"),
    ("odbiorcy", "Liczba odbiorców", "Ilu mieszkańców skorzysta z projektu (0 = nieliczni, "
     "10 = cały obszar).", 1, "0.20"),
    ("gotowosc", "Gotowość do realizacji", "Dokumentacja i pozwolenia (0 = pomysł, "
     "10 = gotowy do ogłoszenia przetargu).", 1, "0.20"),
    ("koszt", "Koszt na odbiorcę", "Koszt projektu w przeliczeniu na odbiorcę (0 = niski, "
     "10 = bardzo wysoki); mniej znaczy lepiej.", -1, "0.15"),
    ("zasieg", "Zasięg w partnerstwie", "Ile jednostek partnerstwa obejmuje projekt "
     "(0 = jedna, 10 = wszystkie).", 1, "0.15"),
]


def _decimal(value: float | str, places: str = "0.0001") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _baseline(partnership: Partnership, spec: ResultSpec) -> tuple[Decimal, int, Decimal]:
    """(baseline, its year, target): from the portrait's data when imported."""
    if spec.code:
        from razem.portrait import data

        try:
            found = data.indicator_for(partnership, spec.code)
        except (data.NoData, data.UnknownIndicator):
            found = None
        value = found["partnership"]["value"] if found else None
        if value is not None and found["year"] and found["year"] < 2030:
            baseline = _decimal(round(value, 2))
            if spec.factor is not None:
                # Improve by (1 - factor) of the baseline's size, in the indicator's
                # good direction (a negative migration balance halves, unemployment falls).
                polarity = load_catalogue().get(spec.code).polarity
                target = baseline + abs(baseline) * (1 - Decimal(spec.factor)) * polarity
            else:
                target = min(Decimal(100), baseline + Decimal(spec.step or "0"))
            return baseline, found["year"], _decimal(round(target, 1))
    return Decimal(spec.baseline), spec.baseline_year, Decimal(spec.target)


@transaction.atomic
def ensure_strategy(partnership: Partnership, coordinator: User, officer: User,
                    advisor: User) -> Strategy:
    """The demo strategy (created once; a later run only ties goals to conclusions the
    portrait gained since, e.g. after the data pack was imported)."""
    strategy = Strategy.objects.filter(partnership=partnership).first()
    if strategy is None:
        strategy = _create(partnership, coordinator, officer, advisor)
    _link_conclusions(strategy)
    return strategy


def _link_conclusions(strategy: Strategy) -> None:
    conclusions = list(DiagnosisConclusion.objects.filter(partnership=strategy.partnership))
    for goal in strategy.goals.all():
        if goal.conclusions.exists():
            continue
        dimension = CONCLUSION_DIMENSIONS.get(goal.dimension)
        matching = [c for c in conclusions if c.dimension == dimension]
        if matching:
            goal.conclusions.set(matching)


def _create(partnership: Partnership, coordinator: User, officer: User,
            advisor: User) -> Strategy:
    units = {u.teryt: u for u in partnership.units.all()}
    strategy = Strategy.objects.create(
        partnership=partnership, title=TITLE, horizon_year=2030, vision=VISION,
        spatial_model=SPATIAL_MODEL, spatial_policy=SPATIAL_POLICY,
        implementation_system=IMPLEMENTATION, financial_framework=FINANCIAL_FRAMEWORK,
        partners_involvement=PARTNERS, weighting="direct",
        created_at=timezone.now() - timedelta(days=120),
    )
    log_action(actor=coordinator, partnership=partnership, action="strategy.create",
               obj=strategy, changes={"title": [None, strategy.title]})
    directions: dict[tuple[int, int], ActionDirection] = {}
    goals: dict[int, StrategicGoal] = {}
    for number, spec in enumerate(GOALS, start=1):
        goal = StrategicGoal.objects.create(strategy=strategy, number=number,
                                            dimension=spec.dimension, title=spec.title,
                                            description=spec.description)
        goals[number] = goal
        for d_number, (title, description) in enumerate(spec.directions, start=1):
            directions[(number, d_number)] = ActionDirection.objects.create(
                goal=goal, number=d_number, title=title, description=description)
        for result_spec in spec.results:
            baseline, year, target = _baseline(partnership, result_spec)
            result = ExpectedResult.objects.create(
                goal=goal, title=result_spec.title, indicator_code=result_spec.code,
                indicator_name=result_spec.name, measure_unit=result_spec.unit,
                baseline_value=baseline, baseline_year=year, target_value=target,
                target_year=2030)
            if year + 2 < 2030:
                # A first monitoring value: a third of the way to the target.
                ResultMeasurement.objects.create(
                    result=result, year=year + 2,
                    value=_decimal(baseline + (target - baseline) / 3))
    for name, origin, description, teryts in AREAS:
        area = InterventionArea.objects.create(strategy=strategy, name=name, origin=origin,
                                               description=description)
        area.units.set([units[t] for t in teryts if t in units])
    projects = _projects(partnership, units, goals, directions, coordinator, officer)
    _criteria_and_scores(strategy, projects, units, coordinator, officer)
    _opinion(projects[0], coordinator, advisor)
    strategy.published_at = timezone.now() - timedelta(days=7)
    strategy.save(update_fields=["published_at", "updated_at"])
    log_action(actor=coordinator, partnership=partnership, action="strategy.publish",
               obj=strategy, changes={"published_at": [None, strategy.published_at.isoformat()]})
    return strategy


def _projects(partnership: Partnership, units: dict[str, Unit],
              goals: dict[int, StrategicGoal],
              directions: dict[tuple[int, int], ActionDirection], coordinator: User,
              officer: User) -> list[ProjectCard]:
    # Every test's cast loads the demo: links, costs and milestones go in a few bulk
    # inserts rather than one query each.
    links: dict[str, list] = defaultdict(list)
    costs, milestones, projects = [], [], []
    for number, spec in enumerate(PROJECTS, start=1):
        project, created = ProjectCard.objects.get_or_create(
            partnership=partnership, number=number, defaults={
                "title": spec.title, "lead_unit": units[spec.lead], "location": spec.location,
                "problem": spec.problem, "scope": spec.scope,
                "output_indicators": [{"name": n, "unit": u, "target": t}
                                      for n, u, t in spec.outputs],
                "result_indicators": [{"name": n, "unit": u, "target": t}
                                      for n, u, t in spec.results],
                "funding_source": spec.source, "funding_details": spec.details,
                "readiness": spec.readiness, "is_integrated": spec.integrated,
                "status": spec.status, "starts_on": spec.starts, "ends_on": spec.ends,
            })
        projects.append(project)
        if not created:
            continue
        partners = [units[t] for t in spec.partners if t in units]
        through = ProjectCard.partner_units.through
        links["partner_units"] += [through(projectcard=project, unit=u) for u in partners]
        through = ProjectCard.location_units.through
        links["location_units"] += [through(projectcard=project, unit=u)
                                    for u in [units[spec.lead], *partners]]
        through = ProjectCard.goals.through
        links["goals"] += [through(projectcard=project, strategicgoal=goals[n])
                           for n in spec.goals]
        through = ProjectCard.directions.through
        links["directions"] += [through(projectcard=project, actiondirection=directions[key])
                                for key in spec.directions]
        for year, amount in spec.costs.items():
            # Money already spent on the projects under way, for monitoring.
            spent = (Decimal(amount) * Decimal("0.9")).quantize(Decimal("0.01")) \
                if spec.status == ProjectStatus.IN_PROGRESS and year <= 2025 else None
            costs.append(ProjectCost(project=project, year=year, planned=Decimal(amount),
                                     spent=spent))
        milestones += [Milestone(project=project, name=name, due_on=due, done_on=done)
                       for name, due, done in spec.milestones]
        author = officer if spec.lead == "1410023" else coordinator
        log_action(actor=author, partnership=partnership, action="strategy.project_create",
                   obj=project, changes={"title": [None, project.title]})
    for field_name, rows in links.items():
        getattr(ProjectCard, field_name).through.objects.bulk_create(rows)
    ProjectCost.objects.bulk_create(costs)
    Milestone.objects.bulk_create(milestones)
    return projects


def _criteria_and_scores(strategy: Strategy, projects: list[ProjectCard],
                         units: dict[str, Unit], coordinator: User, officer: User) -> None:
    criteria = [Criterion.objects.create(strategy=strategy, position=position, code=code,
                                         name=name, description=description,
                                         polarity=polarity, weight=Decimal(weight))
                for position, (code, name, description, polarity, weight)
                in enumerate(CRITERIA)]
    rng = random.Random(SEED)
    scorers = [units[t] for t in SCORING_UNITS if t in units]
    scores = []
    for project, spec in zip(projects, PROJECTS):
        for criterion, base in zip(criteria, spec.profile):
            for unit in scorers:
                # Each unit judges a little differently around the project's profile.
                value = max(0, min(10, base + rng.choice([-2, -1, -1, 0, 0, 0, 1, 1, 2])))
                scores.append(ProjectScore(
                    project=project, criterion=criterion, unit=unit, value=Decimal(value),
                    scored_by=officer if unit.teryt == "1410023" else coordinator))
    ProjectScore.objects.bulk_create(scores)


def _opinion(project: ProjectCard, coordinator: User, advisor: User) -> None:
    now = timezone.now()
    request = OpinionRequest.objects.create(
        project=project, advisor=advisor, kind=OpinionKind.OPINION,
        question="Czy zakres i harmonogram projektu pozwalają złożyć wniosek w naborze FEM "
                 "na gospodarkę wodno-ściekową w 2025 roku?",
        due_on=(now - timedelta(days=20)).date(), requested_by=coordinator,
        requested_at=now - timedelta(days=40))
    AdvisorOpinion.objects.create(
        request=request, version=1, recommendation=Recommendation.WITH_CHANGES,
        strengths="Projekt odpowiada na najpoważniejszy problem infrastrukturalny obszaru; "
                  "pozwolenie na budowę uzyskane.",
        risks="Koszt przyłączy może przekroczyć szacunek; harmonogram zakłada jeden sezon "
              "budowlany na oczyszczalnię.",
        readiness="Dokumentacja i pozwolenia gotowe; brak analizy wykonalności.",
        funding_fit="Zgodny z działaniem FEM dotyczącym gospodarki wodno-ściekowej pod "
                    "warunkiem ujęcia aglomeracji w KPOŚK.",
        text="Rekomenduję uzupełnienie analizy wykonalności i rozłożenie budowy oczyszczalni "
             "na dwa sezony.",
        author=advisor, created_at=now - timedelta(days=30))
    published = AdvisorOpinion.objects.create(
        request=request, version=2, recommendation=Recommendation.RECOMMENDED,
        strengths="Projekt odpowiada na najpoważniejszy problem infrastrukturalny obszaru; "
                  "pozwolenie na budowę uzyskane; harmonogram poprawiony.",
        risks="Koszt przyłączy może przekroczyć szacunek o około 10%.",
        readiness="Dokumentacja, pozwolenia i analiza wykonalności gotowe.",
        funding_fit="Aglomeracja ujęta w KPOŚK; projekt spełnia warunki naboru FEM.",
        text="Po uzupełnieniach rekomenduję złożenie wniosku w najbliższym naborze.",
        author=advisor, created_at=now - timedelta(days=15),
        published_at=now - timedelta(days=10), published_by=coordinator)
    log_action(actor=coordinator, partnership=project.partnership,
               action="strategy.opinion_publish", obj=published,
               changes={"version": [None, published.version]})
