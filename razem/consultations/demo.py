"""The demo partnership's consultations (called by `manage.py load_demo`, so by every
test's cast): idempotent and cheap (a few hundred rows, no file rendering).

* the draft "Projekt raportu diagnostycznego" (kind diagnosis) in two versions, written
  in Markdown: version 2 takes in the accepted comments (edited, new and removed
  paragraphs);
* a FINISHED consultation of version 1 (`diagnoza-2026`): notice published 80 days ago,
  comments until 44 days ago (36 days), comments from every category of commenter and
  through every channel, one late and one hidden, a position on every considered comment
  (some pointing at the paragraph of version 2 that carries the change), meetings with
  minutes, positions published: its report page is public;
* an OPEN consultation of version 2 (`diagnoza-2026-wersja-2`): notice published 4 days
  ago, open for 40 days, a few comments.

Commenters who are natural persons have invented names; the report and the API never
show them anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from razem.consultations.actions import CommentInput, submit_comment
from razem.consultations.drafting_actions import add_version, create_draft
from razem.consultations.models import (
    Comment,
    CommentChannel,
    CommenterCategory,
    Consultation,
    ConsultedGroup,
    Draft,
    DraftKind,
    DraftVersion,
    Meeting,
    Outcome,
    Paragraph,
    Position,
    Scope,
    VersionSource,
)
from razem.core.actions import log_action
from razem.core.models import Partnership, User

DRAFT_TITLE = "Projekt raportu diagnostycznego"
FINISHED_SLUG = "diagnoza-2026"
OPEN_SLUG = "diagnoza-2026-wersja-2"

# One Markdown paragraph a line (version_2_text edits whole lines).
VERSION_1 = """\
# Wprowadzenie

Raport diagnostyczny opisuje sytuację społeczną, gospodarczą i przestrzenną 16 jednostek Partnerstwa „Razem dla Rozwoju”: powiatu łosickiego oraz 15 gmin z powiatów łosickiego, siedleckiego i sokołowskiego.

Diagnoza jest pierwszym krokiem do wspólnej strategii rozwoju ponadlokalnego na lata 2021-2027. Każdy wskaźnik porównujemy z grupą podobnych gmin wiejskich i miejsko-wiejskich, a nie tylko ze średnią województwa.

Dane pochodzą z Banku Danych Lokalnych GUS (lata 2010-2022), z ankiet mieszkańców, młodzieży, liderów i przedsiębiorców oraz z rozmów w urzędach gmin.

# Ludność i demografia

Od 2010 roku liczba mieszkańców obszaru partnerstwa spadła o około 7 procent. Najszybciej ubywa ludności w gminach Sabnie, Sterdyń i Stara Kornica.

Przyczyną spadku jest przede wszystkim ujemne saldo migracji: więcej osób wyjeżdża, niż się osiedla. Przyrost naturalny jest ujemny we wszystkich gminach poza Łosicami.

Społeczeństwo starzeje się szybciej niż w podobnych gminach. Na 100 osób w wieku produkcyjnym przypada już ponad 30 osób w wieku poprodukcyjnym.

Z obszaru wyjeżdżają przede wszystkim młode kobiety z wyższym wykształceniem, co w kolejnych latach obniży liczbę urodzeń.

Najważniejsze skutki starzenia się ludności dla gmin to:

- rosnące zapotrzebowanie na usługi opiekuńcze i transport do lekarza,
- malejąca liczba uczniów w szkołach podstawowych,
- mniej osób w wieku produkcyjnym, które płacą podatki w gminie.

# Rynek pracy i dojazdy

Większość pracujących mieszkańców utrzymuje się z rolnictwa, przede wszystkim z chowu bydła mlecznego i uprawy zbóż.

Poza rolnictwem miejsc pracy jest niewiele. Bezrobocie rejestrowane spadło w ostatnich latach, ale częściowo dlatego, że bezrobotni wyjechali.

Codziennie kilka tysięcy osób dojeżdża do pracy i szkół do Siedlec, a część także do Białej Podlaskiej i Warszawy. Połączenia autobusowe są rzadkie, dlatego większość dojeżdża własnym samochodem.

# Infrastruktura techniczna

Niemal wszystkie gospodarstwa domowe korzystają z sieci wodociągowej.

Z sieci kanalizacyjnej korzysta niewielka część mieszkańców, głównie w Łosicach, Kosowie Lackim i Sarnakach. Na wsiach dominują szamba i przydomowe oczyszczalnie ścieków.

| Wskaźnik | Partnerstwo | Podobne gminy |
| --- | --- | --- |
| Korzystający z wodociągu (%) | 94 | 92 |
| Korzystający z kanalizacji (%) | 31 | 45 |
| Korzystający z gazu sieciowego (%) | 8 | 22 |

Sieć gazowa obejmuje tylko Łosice i kilka miejscowości wzdłuż gazociągu. Domy ogrzewa się głównie węglem i drewnem.

# Współpraca w partnerstwie

Gminy partnerstwa współpracują od lat: wspólnie utrzymują drogi powiatowe, prowadzą dowóz uczniów i organizują imprezy kulturalne.

Wspólne zamówienia energii elektrycznej i paliw obniżyły koszty kilku gmin o kilka procent rocznie.

Brakuje stałego zespołu, który przygotowywałby wspólne wnioski o dofinansowanie. Każda gmina pisze je osobno i często nie zdąży przed końcem naboru.

# Wnioski

Na podstawie diagnozy proponujemy cztery obszary wspólnych działań:

- zatrzymanie odpływu młodych mieszkańców przez nowe miejsca pracy poza rolnictwem,
- lepszy transport publiczny do Siedlec i między gminami,
- rozbudowę kanalizacji i przydomowych oczyszczalni ścieków,
- wspólne usługi dla seniorów.
"""

# What version 2 changes: (old text, new text or None to remove); and what it adds after
# a paragraph of version 1 (the old paragraph's opening, the new paragraph).
V2_EDITS = [
    ("Od 2010 roku liczba mieszkańców obszaru partnerstwa spadła o około 7 procent.",
     "Od 2010 roku liczba mieszkańców obszaru partnerstwa spadła o 7,4 procent, z około 78 "
     "do około 72 tysięcy osób. Najszybciej ubywa ludności w gminach Sabnie, Sterdyń i Stara "
     "Kornica."),
    ("Codziennie kilka tysięcy osób dojeżdża",
     "Codziennie kilka tysięcy osób dojeżdża do pracy i szkół do Siedlec, a część także do "
     "Białej Podlaskiej i Warszawy. Połączenia autobusowe są rzadkie, a w soboty i niedziele "
     "z wielu wsi nie odjeżdża żaden autobus, dlatego większość dojeżdża własnym "
     "samochodem."),
    ("Wspólne zamówienia energii elektrycznej", None),
    ("- wspólne usługi dla seniorów.",
     "- wspólne usługi dla seniorów,\n- wspólne biuro przygotowujące wnioski o "
     "dofinansowanie."),
]
V2_ADDITIONS = [
    ("Z sieci kanalizacyjnej korzysta",
     "Wiele przydomowych oczyszczalni ścieków zbudowanych przed 2010 rokiem wymaga "
     "modernizacji; gminy nie prowadzą pełnej ewidencji szamb."),
    ("Poza rolnictwem miejsc pracy",
     "W Łosicach i Sarnakach działają zakłady przetwórstwa mleka i drewna, które zgłaszają "
     "brak pracowników z kwalifikacjami technicznymi."),
]


def version_2_text() -> str:
    lines = VERSION_1.split("\n")
    out: list[str] = []
    for line in lines:
        replaced = line
        for old, new in V2_EDITS:
            if line.startswith(old):
                replaced = new
        if replaced is None:
            continue
        out.append(replaced)
        for after, new in V2_ADDITIONS:
            if line.startswith(after):
                out += ["", new]
    return "\n".join(out)


@dataclass(frozen=True)
class DemoComment:
    """target: (chapter index, paragraph index in the chapter), (chapter index,) or ()."""

    target: tuple[int, ...]
    category: str
    author: str
    organisation: str
    channel: str
    day: int  # days after the notice (received on); past the end means late
    justification: str
    proposed: str = ""
    outcome: str = ""
    answer: str = ""
    carried_by: str = ""  # the opening of the version 2 paragraph that carries the change
    hidden_reason: str = ""


R, N, B = CommenterCategory.RESIDENT, CommenterCategory.NGO, CommenterCategory.BUSINESS
G, P, O = (CommenterCategory.LOCAL_GOVERNMENT, CommenterCategory.PUBLIC_INSTITUTION,
           CommenterCategory.OTHER)
ONLINE, PAPER, EMAIL, MEETING = (CommentChannel.ONLINE, CommentChannel.PAPER,
                                 CommentChannel.EMAIL, CommentChannel.MEETING)

FINISHED_COMMENTS = [
    DemoComment((1, 0), R, "Tomasz Zalewski", "", ONLINE, 3,
                "Spadek o „około 7 procent” jest zbyt ogólny; warto podać dokładne liczby "
                "z BDL, żeby dało się je sprawdzić.",
                proposed="Od 2010 roku liczba mieszkańców spadła o 7,4 procent.",
                outcome=Outcome.ACCEPTED,
                answer="Uwaga zasadna: podajemy dokładną zmianę i liczbę mieszkańców.",
                carried_by="Od 2010 roku liczba mieszkańców obszaru partnerstwa spadła o 7,4"),
    DemoComment((2, 2), R, "Agnieszka Sowa", "", ONLINE, 5,
                "W weekendy z naszej wsi nie ma żadnego autobusu; diagnoza powinna to "
                "powiedzieć wprost.", outcome=Outcome.ACCEPTED,
                answer="Dodajemy informację o braku kursów w soboty i niedziele.",
                carried_by="Codziennie kilka tysięcy osób dojeżdża"),
    DemoComment((3, 1), N, "Barbara Lis", "Stowarzyszenie „Zielone Podlasie”", EMAIL, 9,
                "Stan przydomowych oczyszczalni jest zły; brakuje ewidencji szamb.",
                proposed="Dodać akapit o stanie przydomowych oczyszczalni i ewidencji szamb.",
                outcome=Outcome.PARTLY_ACCEPTED,
                answer="Dodajemy akapit o modernizacji oczyszczalni; szczegółowa "
                       "inwentaryzacja wykracza poza diagnozę i trafi do planu działań.",
                carried_by="Wiele przydomowych oczyszczalni"),
    DemoComment((2, 1), B, "Henryk Mleczarz", "Spółdzielnia Mleczarska w Łosicach", PAPER, 12,
                "Zakłady przetwórcze szukają pracowników; diagnoza pomija przemysł.",
                outcome=Outcome.PARTLY_ACCEPTED,
                answer="Dodajemy akapit o zakładach przetwórstwa; dane o wolnych miejscach "
                       "pracy z urzędu pracy są zbyt ogólne, by je cytować.",
                carried_by="W Łosicach i Sarnakach działają"),
    DemoComment((4,), G, "Marek Wójcik", "Gmina Sarnaki", MEETING, 20,
                "Rozdział o współpracy powinien wymienić wspólne biuro projektów jako wniosek.",
                outcome=Outcome.ACCEPTED,
                answer="Wspólne biuro przygotowujące wnioski dopisujemy do wniosków.",
                carried_by="wspólne biuro przygotowujące wnioski"),
    DemoComment((4, 1), G, "Irena Nowicka", "Gmina Przesmyki", EMAIL, 15,
                "Oszczędności ze wspólnych zamówień są niepotwierdzone; nasza gmina "
                "nie odnotowała obniżki kosztów.", outcome=Outcome.ACCEPTED,
                answer="Usuwamy zdanie, którego nie potwierdzają dane wszystkich gmin."),
    DemoComment((3, 1), P, "Jacek Wodny",
                "Państwowe Gospodarstwo Wodne Wody Polskie, RZGW w Warszawie", PAPER, 25,
                "Diagnoza powinna odnieść się do planu gospodarowania wodami w dorzeczu Wisły "
                "i stanu rzeki Toczna.", outcome=Outcome.EXPLAINED,
                answer="Plan gospodarowania wodami zostanie uwzględniony w strategii; "
                       "diagnoza opisuje stan obecny infrastruktury gmin."),
    DemoComment((1, 2), P, "Ewa Zdrowa", "Powiatowe Centrum Pomocy Rodzinie w Łosicach",
                MEETING, 20,
                "Warto dodać liczbę osób korzystających z pomocy społecznej z powodu "
                "długotrwałej choroby i niepełnosprawności.", outcome=Outcome.EXPLAINED,
                answer="Te dane są w załączniku statystycznym portretu partnerstwa; "
                       "diagnoza przywołuje je w rozdziale o usługach społecznych strategii."),
    DemoComment((), R, "Krystyna Kowalczyk", "", PAPER, 18,
                "Cały dokument jest napisany zbyt trudnym językiem dla mieszkańców.",
                outcome=Outcome.REJECTED,
                answer="Raport diagnostyczny musi używać pojęć statystyki publicznej; "
                       "przygotujemy osobne streszczenie w prostym języku."),
    DemoComment((5, 1), R, "Paweł Rolnik", "", MEETING, 20,
                "Wnioski pomijają rolnictwo, z którego żyje większość mieszkańców.",
                proposed="Dodać wniosek o wsparciu grup producentów rolnych.",
                outcome=Outcome.REJECTED,
                answer="Wsparcie rolnictwa należy do programów krajowych (PS WPR); partnerstwo "
                       "skupia się na działaniach, które gminy mogą prowadzić wspólnie."),
    DemoComment((2,), N, "Łucja Sportowa", "Ludowy Klub Sportowy „Orzeł” Huszlew", ONLINE, 22,
                "Brakuje informacji o dojazdach dzieci na zajęcia pozalekcyjne.",
                outcome=Outcome.EXPLAINED,
                answer="Ankieta młodzieży obejmuje dojazdy na zajęcia; jej wyniki omawia "
                       "rozdział o transporcie w strategii."),
    DemoComment((3, 3), B, "Grzegorz Ciepło", "", EMAIL, 30,
                "Należy dodać informację o rosnącej liczbie pomp ciepła i fotowoltaiki.",
                outcome=Outcome.REJECTED,
                answer="Brak wiarygodnych danych dla gmin; temat wraca w części o energii."),
    DemoComment((0, 1), O, "Zofia Badaczka", "Uniwersytet w Siedlcach, Instytut Geografii",
                EMAIL, 33,
                "Porównanie z grupą podobnych gmin wymaga opisu, jak tę grupę dobrano.",
                outcome=Outcome.EXPLAINED,
                answer="Metoda doboru grupy porównawczej jest opisana w portrecie "
                       "partnerstwa; dodamy odsyłacz w wersji końcowej."),
    # Late: received on paper three days after the end.
    DemoComment((1, 1), R, "Stanisław Późny", "", PAPER, 39,
                "Migracja dotyczy też osób starszych, które przeprowadzają się do dzieci."),
    # Abusive: hidden by the officer, with the reason.
    DemoComment((), O, "Anonim Anonimowy", "", ONLINE, 10,
                "Tekst obraźliwy wobec pracowników urzędu (ukryty).",
                hidden_reason="Wpis zawiera obraźliwe słowa wobec konkretnych osób i nie "
                              "odnosi się do projektu."),
]

OPEN_COMMENTS = [
    DemoComment((1, 0), R, "Joanna Pietrzak", "", ONLINE, 1,
                "Dobrze, że podano dokładne liczby; proszę dodać też prognozę GUS do 2040 "
                "roku."),
    DemoComment((2, 2), B, "Robert Drzewiarz", "Zakład Przetwórstwa Drewna „Sosna”", EMAIL, 2,
                "Potwierdzamy brak pracowników; szkoła branżowa w Łosicach mogłaby "
                "kształcić stolarzy."),
    DemoComment((3,), G, "Dariusz Kos", "Gmina Kosów Lacki", PAPER, 3,
                "Kanalizacja w Kosowie Lackim obejmuje już 52 procent mieszkańców; proszę "
                "zaktualizować dane."),
]

GROUPS = list(ConsultedGroup.values)
CHANNELS = list(CommentChannel.values)
NOTICE = (
    "Partnerstwo „Razem dla Rozwoju” zaprasza mieszkańców, sąsiednie gminy, partnerów "
    "społecznych i gospodarczych oraz Wody Polskie do konsultacji projektu raportu "
    "diagnostycznego. Projekt jest dostępny na tej stronie, w urzędach gmin partnerstwa "
    "i w Starostwie Powiatowym w Łosicach."
)
HOW_TO_COMMENT = (
    "Uwagi można zgłaszać przez formularz na stronie (do każdego akapitu, rozdziału lub "
    "całego dokumentu), pisemnie w urzędach gmin, e-mailem na adres konsultacje@razem.demo "
    "albo ustnie do protokołu na spotkaniach konsultacyjnych."
)
GDPR_CLAUSE = (
    "Administratorem danych osobowych jest Starosta Łosicki, ul. Narutowicza 6, 08-200 "
    "Łosice. Dane przetwarzamy wyłącznie w celu przeprowadzenia konsultacji (art. 6 ust. 1 "
    "lit. e RODO) i przechowujemy 5 lat. W sprawozdaniu nie publikujemy imion i nazwisk osób "
    "fizycznych."
)


def ensure_consultations(partnership: Partnership, coordinator: User, officer: User) -> None:
    with transaction.atomic():
        draft = _ensure_draft(partnership, coordinator)
        first, second = draft.versions.order_by("number")[:2]
        today = timezone.localdate()
        if not partnership.consultations.filter(slug=FINISHED_SLUG).exists():
            _finished(partnership, first, second, coordinator, officer, today)
        if not partnership.consultations.filter(slug=OPEN_SLUG).exists():
            _open(partnership, second, coordinator, officer, today)


def _ensure_draft(partnership: Partnership, by: User) -> Draft:
    draft = partnership.drafts.filter(title=DRAFT_TITLE).first()
    if draft is None:
        draft = create_draft(partnership=partnership, title=DRAFT_TITLE,
                             kind=DraftKind.DIAGNOSIS, by=by, source=VersionSource.MARKDOWN,
                             name="raport-diagnostyczny-v1.md", content=VERSION_1)
    if draft.versions.count() < 2:
        add_version(draft=draft, by=by, source=VersionSource.MARKDOWN,
                    name="raport-diagnostyczny-v2.md", content=version_2_text(),
                    note="Wersja po konsultacjach: uwzględnia uwagi przyjęte w całości "
                         "lub w części.")
    return draft


def _consultation(partnership: Partnership, version: DraftVersion, by: User, *, slug: str,
                  title: str, published_on: date, ends_on: date) -> Consultation:
    consultation = Consultation.objects.create(
        partnership=partnership, version=version, slug=slug, title=title, notice=NOTICE,
        how_to_comment=HOW_TO_COMMENT, groups=GROUPS, channels=CHANNELS,
        gdpr_clause=GDPR_CLAUSE, notice_published_on=published_on, ends_on=ends_on,
        created_by=by,
    )
    log_action(actor=by, partnership=partnership, action="consultations.notice_published",
               obj=consultation, changes={"notice_published_on": [None, published_on.isoformat()],
                                          "ends_on": [None, ends_on.isoformat()]})
    return consultation


def _anchors(version: DraftVersion, target: tuple[int, ...]) -> tuple[str | None, str | None]:
    """(paragraph anchor, chapter anchor) of a DemoComment target."""
    if not target:
        return None, None
    chapter = version.chapters.order_by("position")[target[0]]
    if len(target) == 1:
        return None, chapter.anchor
    paragraph = chapter.paragraphs.order_by("position")[target[1]]
    return paragraph.anchor, None


def _received(consultation: Consultation, spec: DemoComment) -> date:
    return consultation.notice_published_on + timedelta(days=spec.day)


def _add_comment(consultation: Consultation, spec: DemoComment, officer: User) -> Comment:
    paragraph_anchor, chapter_anchor = _anchors(consultation.version, spec.target)
    received_on = _received(consultation, spec)
    data = CommentInput(justification=spec.justification, author_name=spec.author,
                        category=spec.category, consent=True,
                        proposed_wording=spec.proposed, organisation=spec.organisation)
    if spec.channel != CommentChannel.ONLINE:
        return submit_comment(consultation=consultation, data=data, channel=spec.channel,
                              paragraph_anchor=paragraph_anchor, chapter_anchor=chapter_anchor,
                              received_on=received_on, entered_by=officer)
    if consultation.phase_on(timezone.localdate()) == "open":
        return submit_comment(consultation=consultation, data=data,
                              paragraph_anchor=paragraph_anchor, chapter_anchor=chapter_anchor)
    # The online form refuses comments after the end; the finished consultation's online
    # comments are written as the form would have stored them on the day.
    paragraph = (Paragraph.objects.select_related("chapter")
                 .get(version=consultation.version, anchor=paragraph_anchor)
                 if paragraph_anchor else None)
    chapter = (paragraph.chapter if paragraph else
               consultation.version.chapters.get(anchor=chapter_anchor) if chapter_anchor
               else None)
    scope = Scope.PARAGRAPH if paragraph else Scope.CHAPTER if chapter else Scope.DOCUMENT
    return Comment.objects.create(
        consultation=consultation, scope=scope, paragraph=paragraph, chapter=chapter,
        current_wording=paragraph.text if paragraph else "", proposed_wording=spec.proposed,
        justification=spec.justification, author_name=spec.author,
        organisation=spec.organisation, category=spec.category, consent=True,
        channel=CommentChannel.ONLINE, received_on=received_on,
        created_at=timezone.make_aware(datetime.combine(received_on, time(18, 30))),
        is_late=consultation.is_late(received_on),
    )


def _finished(partnership: Partnership, first: DraftVersion, second: DraftVersion,
              coordinator: User, officer: User, today: date) -> None:
    published_on = today - timedelta(days=80)
    consultation = _consultation(
        partnership, first, coordinator, slug=FINISHED_SLUG,
        title="Konsultacje projektu raportu diagnostycznego", published_on=published_on,
        ends_on=today - timedelta(days=44))
    for number, (day, hour, place, minutes) in enumerate([
        (10, 17, "Starostwo Powiatowe w Łosicach, sala konferencyjna",
         "Obecnych 34 osoby. Omówiono rozdziały o demografii i współpracy. Zgłoszono uwagi "
         "wpisane do rejestru jako uwagi ustne (kanał: spotkanie)."),
        (20, 16, "Gminny Ośrodek Kultury w Sarnakach",
         "Obecnych 21 osób, w tym przedstawiciele 6 gmin. Dyskusja o transporcie do Siedlec "
         "i o wspólnym biurze projektów."),
    ], start=1):
        Meeting.objects.create(
            consultation=consultation, place=place, minutes=minutes,
            description=f"Spotkanie konsultacyjne nr {number}.",
            starts_at=timezone.make_aware(datetime.combine(published_on + timedelta(days=day),
                                                           time(hour, 0))))
    comments = [(spec, _add_comment(consultation, spec, officer)) for spec in FINISHED_COMMENTS]
    decided_at = timezone.now() - timedelta(days=30)
    for spec, comment in comments:
        if spec.hidden_reason:
            Comment.objects.filter(pk=comment.pk).update(
                hidden_at=decided_at, hidden_by=officer, hidden_reason=spec.hidden_reason)
            log_action(actor=officer, partnership=partnership,
                       action="consultations.comment_hidden", obj=comment,
                       changes={"hidden": [False, True], "reason": [None, spec.hidden_reason]})
        elif spec.outcome and not comment.is_late:
            carried = (second.paragraphs.filter(text__contains=spec.carried_by).first()
                       if spec.carried_by else None)
            Position.objects.create(comment=comment, outcome=spec.outcome,
                                    justification=spec.answer, next_paragraph=carried,
                                    decided_by=coordinator)
    consultation.positions_published_at = timezone.now() - timedelta(days=24)
    consultation.save(update_fields=["positions_published_at", "updated_at"])
    log_action(actor=coordinator, partnership=partnership,
               action="consultations.positions_published", obj=consultation,
               changes={"positions_published_at": [
                   None, consultation.positions_published_at.isoformat()]})


def _open(partnership: Partnership, second: DraftVersion, coordinator: User, officer: User,
          today: date) -> None:
    published_on = today - timedelta(days=4)
    consultation = _consultation(
        partnership, second, coordinator, slug=OPEN_SLUG,
        title="Konsultacje projektu raportu diagnostycznego (wersja 2)",
        published_on=published_on, ends_on=published_on + timedelta(days=40))
    Meeting.objects.create(
        consultation=consultation, place="Urząd Gminy w Kosowie Lackim, sala narad",
        description="Spotkanie konsultacyjne dla mieszkańców gmin powiatu sokołowskiego.",
        starts_at=timezone.make_aware(datetime.combine(today + timedelta(days=12), time(17))))
    for spec in OPEN_COMMENTS:
        # Received no later than today: the open consultation started 4 days ago.
        _add_comment(consultation, DemoComment(**{**spec.__dict__,
                                                  "day": min(spec.day, 4)}), officer)
