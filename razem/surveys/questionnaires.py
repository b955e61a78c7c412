"""Ready questionnaires for the four audiences and copying one into a partnership's survey.

The four templates (residents, final-year pupils, local leaders, businesses) were written
for Razem in Polish, with English translations. They share a core of comparable questions
whose names AND choice lists are identical in every template, so that
razem.surveys.analysis.compare_audiences can put the answers side by side by name:

    gmina             the respondent's gmina (for a business: its seat)
    quality_of_life   Likert 1–5
    quality_change    better / the same / worse over the last 5 years
    services          Likert matrix, items svc_* (schools, health care, transport, ...)
    priorities        up to 3 areas for investment (multiple choice, "other (specify)")
    directions        ranking of five directions of development
    stay_plans        plans for the next 5 years (stay, move nearby, city, abroad)
    leave_reasons     why leave (shown only to those planning to leave)
    coop_support      Likert: the gminas should do more together
    coop_areas        in which areas (shown only unless the respondent disagrees)

The labels of core questions differ only where the audience demands it (a firm's plans
rather than a person's). Residents and pupils also answer `sex`, residents `age_group`,
on the reserved lists the weighting relies on. Each template takes about 15 minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from razem.surveys.definition import (
    AGE_GROUP_LIST,
    SEX_LIST,
    Choice,
    MatrixItem,
    Question,
    QuestionType,
    Settings,
    SurveyDefinition,
    Text,
    default_age_groups,
    default_sexes,
    to_data,
)

Q = QuestionType
VERSION = "2026.1"
# Names of the core questions (for the tests and for anyone comparing audiences).
CORE_QUESTIONS = (
    "gmina", "quality_of_life", "quality_change", "services", "priorities", "directions",
    "stay_plans", "leave_reasons", "coop_support", "coop_areas",
)
CORE_LISTS = (
    "quality_5", "change", "rating_5", "investment_areas", "directions", "stay_5y",
    "leave_reasons", "agree_5", "coop_areas",
)
MAX_PRIORITIES = 3
LEAVING = ("${stay_plans} = 'move_nearby' or ${stay_plans} = 'move_city' "
           "or ${stay_plans} = 'move_abroad'")
# "None of these" cannot be ticked together with anything else.
NONE_ALONE = "not(selected(., 'none') and count-selected(.) > 1)"
NONE_ALONE_MESSAGE = Text(
    "Odpowiedź „żadne z powyższych” nie może być zaznaczona razem z innymi.",
    "“None of these” cannot be ticked together with other answers.",
)


@dataclass(frozen=True)
class QuestionnaireTemplate:
    key: str  # e.g. "resident"
    audience: str  # a razem.surveys.models.Audience value
    title: Text
    introduction: Text
    build: Callable[[], SurveyDefinition]

    def definition(self) -> SurveyDefinition:
        return self.build()


def _choices(*rows: tuple[str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(name, Text(pl, en)) for name, pl, en in rows)


def _scale(*labels: tuple[str, str]) -> tuple[Choice, ...]:
    """A Likert scale: choice names 1..n from the lowest to the highest point."""
    return tuple(Choice(str(n), Text(pl, en)) for n, (pl, en) in enumerate(labels, start=1))


# ------------------------------------------------------------------ shared choice lists

def _core_lists() -> dict[str, tuple[Choice, ...]]:
    return {
        "quality_5": _scale(
            ("bardzo źle", "very poor"), ("raczej źle", "rather poor"),
            ("ani dobrze, ani źle", "neither good nor poor"), ("raczej dobrze", "rather good"),
            ("bardzo dobrze", "very good"),
        ),
        "rating_5": _scale(
            ("bardzo źle", "very poor"), ("źle", "poor"), ("przeciętnie", "average"),
            ("dobrze", "good"), ("bardzo dobrze", "very good"),
        ),
        "agree_5": _scale(
            ("zdecydowanie się nie zgadzam", "strongly disagree"),
            ("raczej się nie zgadzam", "rather disagree"),
            ("ani tak, ani nie", "neither agree nor disagree"),
            ("raczej się zgadzam", "rather agree"),
            ("zdecydowanie się zgadzam", "strongly agree"),
        ),
        "change": _choices(
            ("better", "poprawiła się", "it has improved"),
            ("same", "nie zmieniła się", "it has not changed"),
            ("worse", "pogorszyła się", "it has got worse"),
            ("dont_know", "trudno powiedzieć", "hard to say"),
        ),
        "investment_areas": _choices(
            ("roads", "drogi, chodniki i ścieżki rowerowe", "roads, pavements and cycle paths"),
            ("public_transport", "komunikacja publiczna (autobusy, dojazdy)",
             "public transport (buses, commuting)"),
            ("water_sewage", "wodociągi i kanalizacja", "water supply and sewage"),
            ("schools", "szkoły i edukacja", "schools and education"),
            ("childcare", "żłobki i przedszkola", "nurseries and pre-schools"),
            ("health", "ochrona zdrowia", "health care"),
            ("elderly_care", "opieka nad osobami starszymi i z niepełnosprawnościami",
             "care for older and disabled people"),
            ("culture", "kultura i biblioteki", "culture and libraries"),
            ("sport", "sport i rekreacja", "sport and recreation"),
            ("jobs", "nowe miejsca pracy i tereny inwestycyjne",
             "new jobs and land for investors"),
            ("internet", "szybki internet", "fast internet"),
            ("environment", "ochrona środowiska i odnawialne źródła energii",
             "environment and renewable energy"),
            ("safety", "bezpieczeństwo", "safety"),
            ("housing", "mieszkania", "housing"),
            ("public_spaces", "przestrzenie publiczne (rynek, parki, place)",
             "public spaces (squares, parks)"),
            ("tourism", "turystyka", "tourism"),
        ),
        "directions": _choices(
            ("economy", "gospodarka i miejsca pracy", "economy and jobs"),
            ("services", "usługi publiczne: edukacja, zdrowie, opieka",
             "public services: education, health, care"),
            ("infrastructure", "infrastruktura: drogi, transport, sieci",
             "infrastructure: roads, transport, networks"),
            ("environment", "środowisko, klimat i energia", "environment, climate and energy"),
            ("community", "kultura, aktywność i integracja mieszkańców",
             "culture, civic activity and community"),
        ),
        "stay_5y": _choices(
            ("stay", "pozostanie w obecnej gminie", "staying in the present gmina"),
            ("move_nearby", "przeprowadzka do innej gminy w okolicy",
             "moving to another gmina nearby"),
            ("move_city", "przeprowadzka do dużego miasta w Polsce",
             "moving to a large city in Poland"),
            ("move_abroad", "wyjazd za granicę", "moving abroad"),
            ("dont_know", "trudno powiedzieć", "hard to say"),
        ),
        "leave_reasons": _choices(
            ("jobs", "brak pracy lub niskie zarobki", "no jobs or low pay"),
            ("education", "nauka lub studia", "education or studies"),
            ("housing", "brak mieszkań", "no housing"),
            ("transport", "słaba komunikacja i dojazdy", "poor transport connections"),
            ("services", "słaby dostęp do usług (zdrowie, edukacja, urzędy)",
             "poor access to services (health, education, offices)"),
            ("leisure", "mało możliwości spędzania wolnego czasu", "few leisure opportunities"),
            ("family", "sprawy rodzinne", "family reasons"),
            ("business", "lepsze warunki dla firm gdzie indziej",
             "better conditions for business elsewhere"),
        ),
        "coop_areas": _choices(
            ("transport", "transport publiczny i drogi", "public transport and roads"),
            ("education", "edukacja i szkolnictwo zawodowe", "education and vocational training"),
            ("health", "ochrona zdrowia i opieka", "health and care"),
            ("investors", "przyciąganie inwestorów i promocja", "attracting investors, promotion"),
            ("tourism", "turystyka i dziedzictwo", "tourism and heritage"),
            ("environment", "środowisko, odpady i energia", "environment, waste and energy"),
            ("culture_sport", "kultura i sport", "culture and sport"),
            ("eu_funds", "wspólne wnioski o fundusze", "joint applications for funding"),
            ("administration", "wspólna obsługa administracyjna (np. zakupy, informatyka)",
             "shared administration (e.g. purchasing, IT)"),
        ),
        "yes_maybe_no": _choices(
            ("yes", "tak", "yes"), ("maybe", "być może", "maybe"), ("no", "nie", "no"),
        ),
    }


# ------------------------------------------------------------------ core questions

def _intro_note(pl: str, en: str) -> Question:
    return Question("intro", Q.NOTE, Text(pl, en))


def _thanks() -> Question:
    return Question("thanks", Q.NOTE, Text(
        "Dziękujemy za wypełnienie ankiety! Wyniki w formie zbiorczej zostaną opublikowane "
        "na stronie partnerstwa.",
        "Thank you for completing the survey! The combined results will be published on the "
        "partnership's website.",
    ))


def _gmina(pl: str, en: str) -> Question:
    return Question("gmina", Q.GMINA, Text(pl, en), required=True)


def _quality() -> tuple[Question, ...]:
    return (
        Question(
            "quality_of_life", Q.LIKERT,
            Text("Jak oceniasz ogólnie jakość życia w gminie?",
                 "Overall, how do you rate the quality of life in the gmina?"),
            choice_list="quality_5", required=True,
        ),
        Question(
            "quality_change", Q.SINGLE_CHOICE,
            Text("Jak w ciągu ostatnich 5 lat zmieniła się jakość życia w gminie?",
                 "How has the quality of life in the gmina changed over the last 5 years?"),
            choice_list="change",
        ),
    )


def _services() -> Question:
    items = [
        ("svc_schools", "szkoły", "schools"),
        ("svc_health", "ochrona zdrowia (przychodnie, dostęp do lekarzy)",
         "health care (clinics, access to doctors)"),
        ("svc_transport", "komunikacja publiczna", "public transport"),
        ("svc_roads", "drogi i chodniki", "roads and pavements"),
        ("svc_culture", "kultura (dom kultury, biblioteka, wydarzenia)",
         "culture (cultural centre, library, events)"),
        ("svc_sport", "sport i rekreacja", "sport and recreation"),
        ("svc_social_care", "pomoc społeczna i opieka nad osobami starszymi",
         "social assistance and care for older people"),
        ("svc_internet", "dostęp do szybkiego internetu", "access to fast internet"),
        ("svc_water_sewage", "wodociągi i kanalizacja", "water supply and sewage"),
        ("svc_administration", "załatwianie spraw w urzędzie gminy",
         "dealing with the gmina office"),
    ]
    return Question(
        "services", Q.LIKERT_MATRIX,
        Text("Jak oceniasz w swojej gminie następujące usługi?",
             "How do you rate the following services in your gmina?"),
        hint=Text("Jeśli nie masz zdania o którejś usłudze, pomiń ten wiersz.",
                  "If you have no opinion about a service, skip its row."),
        choice_list="rating_5",
        items=tuple(MatrixItem(name, Text(pl, en)) for name, pl, en in items),
    )


def _priorities() -> tuple[Question, ...]:
    return (
        Question(
            "priorities", Q.MULTIPLE_CHOICE,
            Text("Na co gminy powinny przeznaczyć pieniądze w pierwszej kolejności?",
                 "What should the gminas spend money on first?"),
            hint=Text("Wybierz najwyżej 3 odpowiedzi.", "Choose at most 3 answers."),
            choice_list="investment_areas", or_other=True, required=True,
            constraint=f"count-selected(.) <= {MAX_PRIORITIES}",
            constraint_message=Text("Wybierz najwyżej 3 odpowiedzi.",
                                    "Choose at most 3 answers."),
        ),
        Question(
            "directions", Q.RANKING,
            Text("Uszereguj kierunki rozwoju od najważniejszego (1) do najmniej ważnego (5).",
                 "Rank the directions of development from the most (1) to the least "
                 "important (5)."),
            choice_list="directions",
        ),
    )


def _staying(label: Text, reasons_label: Text) -> tuple[Question, ...]:
    return (
        Question("stay_plans", Q.SINGLE_CHOICE, label, choice_list="stay_5y", required=True),
        Question(
            "leave_reasons", Q.MULTIPLE_CHOICE, reasons_label,
            hint=Text("Zaznacz wszystkie, które pasują.", "Tick all that apply."),
            choice_list="leave_reasons", or_other=True, relevant=LEAVING,
        ),
    )


def _cooperation() -> tuple[Question, ...]:
    return (
        Question(
            "coop_support", Q.LIKERT,
            Text("Czy zgadzasz się ze zdaniem: „Gminy z naszej okolicy powinny częściej "
                 "realizować wspólne przedsięwzięcia”?",
                 "Do you agree that “the gminas of our area should undertake joint projects "
                 "more often”?"),
            choice_list="agree_5", required=True,
        ),
        Question(
            "coop_areas", Q.MULTIPLE_CHOICE,
            Text("W jakich sprawach gminy powinny współpracować?",
                 "In which matters should the gminas cooperate?"),
            hint=Text("Zaznacz wszystkie, które pasują.", "Tick all that apply."),
            choice_list="coop_areas", relevant="${coop_support} >= 3",
        ),
    )


def _section(name: str, pl: str, en: str) -> Question:
    return Question(name, Q.NOTE, Text(pl, en))


def _definition(key: str, title: Text, questions: list[Question],
                lists: dict[str, tuple[Choice, ...]]) -> SurveyDefinition:
    return SurveyDefinition(
        title=title,
        settings=Settings(form_id=f"razem_{key}", version=VERSION, default_language="pl"),
        questions=tuple(questions),
        choice_lists={**_core_lists(), **lists},
    )


# ------------------------------------------------------------------ residents

RESIDENT_TITLE = Text("Ankieta dla mieszkańców: jak się żyje w naszych gminach",
                      "Residents' survey: life in our gminas")
RESIDENT_INTRO = Text(
    "Gminy naszego partnerstwa przygotowują wspólną strategię rozwoju na najbliższe lata. "
    "Chcemy, żeby odpowiadała na potrzeby mieszkańców, dlatego pytamy o ocenę życia w gminie, "
    "usług publicznych i o to, w co warto inwestować.\n\n"
    "Ankieta jest anonimowa: nie pytamy o imię, nazwisko ani adres, a wyniki pokażemy tylko "
    "w zestawieniach zbiorczych. Pytania oznaczone jako "
    "obowiązkowe wymagają odpowiedzi, pozostałe można pominąć.",
    "The gminas of our partnership are preparing a joint development strategy for the coming "
    "years. We want it to meet residents' needs, so we ask how you rate life in the gmina and "
    "its public services, and what is worth investing in.\n\n"
    "The survey is anonymous: we do not ask for your name or address, and results are shown "
    "only in aggregate. Required questions are marked; all others "
    "may be skipped.",
)


def build_resident() -> SurveyDefinition:
    commuting = "${work_place} = 'other_gmina' or ${work_place} = 'city'"
    questions = [
        _intro_note(
            "Dziękujemy, że poświęcasz czas na tę ankietę. Na początek kilka pytań o to, "
            "gdzie mieszkasz.",
            "Thank you for taking the time. First a few questions about where you live.",
        ),
        _gmina("W której gminie mieszkasz?", "Which gmina do you live in?"),
        Question("locality", Q.SINGLE_CHOICE,
                 Text("Czy mieszkasz w mieście, czy na wsi?",
                      "Do you live in a town or a village?"),
                 choice_list="locality", required=True),
        Question("residence_length", Q.SINGLE_CHOICE,
                 Text("Od jak dawna mieszkasz w tej gminie?",
                      "How long have you lived in this gmina?"),
                 choice_list="residence_length"),
        *_quality(),
        _services(),
        Question(
            "attitudes", Q.LIKERT_MATRIX,
            Text("Na ile zgadzasz się z poniższymi zdaniami?",
                 "How far do you agree with the following statements?"),
            choice_list="agree_5",
            items=(
                MatrixItem("att_safe", Text("W mojej okolicy czuję się bezpiecznie.",
                                            "I feel safe in my neighbourhood.")),
                MatrixItem("att_environment", Text("Środowisko w mojej okolicy jest czyste.",
                                                   "The environment around me is clean.")),
                MatrixItem("att_influence", Text("Mam wpływ na sprawy mojej gminy.",
                                                 "I have a say in the affairs of my gmina.")),
                MatrixItem("att_informed", Text("Gmina dobrze informuje mieszkańców o swoich "
                                                "planach.",
                                                "The gmina informs residents well about its "
                                                "plans.")),
                MatrixItem("att_recommend", Text("Poleciłbym lub poleciłabym znajomym "
                                                 "zamieszkanie tutaj.",
                                                 "I would recommend living here to friends.")),
            ),
        ),
        Question("missing_most", Q.SHORT_TEXT,
                 Text("Czego najbardziej brakuje w Twojej miejscowości?",
                      "What does your locality lack most?"),
                 max_length=200),
        _section("section_future", "Teraz kilka pytań o przyszłość gminy.",
                 "Now a few questions about the future of the gmina."),
        *_priorities(),
        Question("work_place", Q.SINGLE_CHOICE,
                 Text("Gdzie pracujesz lub się uczysz?", "Where do you work or study?"),
                 choice_list="work_place"),
        Question("commute_minutes", Q.NUMBER,
                 Text("Ile minut zajmuje Ci zwykle dojazd w jedną stronę?",
                      "How many minutes does your journey usually take one way?"),
                 relevant=commuting, min_value=Decimal(0), max_value=Decimal(300),
                 constraint_message=Text("Podaj liczbę minut od 0 do 300.",
                                         "Enter a number of minutes from 0 to 300.")),
        Question("commute_mode", Q.SINGLE_CHOICE,
                 Text("Czym najczęściej dojeżdżasz?", "How do you usually travel?"),
                 choice_list="transport_mode", or_other=True, relevant=commuting),
        *_staying(
            Text("Jakie masz plany na najbliższe 5 lat?",
                 "What are your plans for the next 5 years?"),
            Text("Co jest powodem planowanej przeprowadzki?", "Why are you planning to move?"),
        ),
        *_cooperation(),
        Question(
            "engagement", Q.MULTIPLE_CHOICE,
            Text("Czy w ciągu ostatnich 2 lat zdarzyło Ci się:",
                 "In the last 2 years, have you:"),
            hint=Text("Zaznacz wszystkie, które pasują.", "Tick all that apply."),
            choice_list="engagement", constraint=NONE_ALONE,
            constraint_message=NONE_ALONE_MESSAGE,
        ),
        Question(
            "info_channels", Q.MULTIPLE_CHOICE,
            Text("Skąd dowiadujesz się o sprawach gminy?",
                 "Where do you learn about the affairs of the gmina?"),
            hint=Text("Zaznacz wszystkie, które pasują.", "Tick all that apply."),
            choice_list="info_channels", or_other=True,
        ),
        Question("idea", Q.LONG_TEXT,
                 Text("Co jako pierwsze warto zmienić w Twojej gminie? Opisz swój pomysł.",
                      "What should be changed first in your gmina? Describe your idea."),
                 hint=Text("Prosimy nie wpisywać danych, po których można kogoś rozpoznać.",
                           "Please do not write anything that could identify a person."),
                 max_length=2000),
        _section("section_about", "Na koniec kilka pytań o Tobie. Pomogą nam sprawdzić, "
                 "czy wyniki dobrze oddają głos wszystkich grup mieszkańców.",
                 "Finally a few questions about you. They help us check that the results "
                 "represent all groups of residents."),
        Question("age_group", Q.AGE_GROUP, Text("Ile masz lat?", "How old are you?"),
                 choice_list=AGE_GROUP_LIST, required=True),
        Question("sex", Q.SEX, Text("Płeć", "Sex"), choice_list=SEX_LIST),
        Question("household_size", Q.NUMBER,
                 Text("Ile osób, łącznie z Tobą, liczy Twoje gospodarstwo domowe?",
                      "How many people, including you, live in your household?"),
                 min_value=Decimal(1), max_value=Decimal(20),
                 constraint_message=Text("Podaj liczbę od 1 do 20.",
                                         "Enter a number from 1 to 20.")),
        Question("education", Q.SINGLE_CHOICE,
                 Text("Jakie masz wykształcenie?", "What is your education?"),
                 choice_list="education"),
        Question("occupation", Q.SINGLE_CHOICE,
                 Text("Czym się obecnie zajmujesz?", "What do you do at present?"),
                 choice_list="occupation", or_other=True),
        _thanks(),
    ]
    lists = {
        "locality": _choices(("town", "w mieście", "in a town"),
                             ("village", "na wsi", "in a village")),
        "residence_length": _choices(
            ("since_birth", "od urodzenia", "since birth"),
            ("over_10", "ponad 10 lat", "more than 10 years"),
            ("5_10", "od 5 do 10 lat", "5 to 10 years"),
            ("under_5", "krócej niż 5 lat", "less than 5 years"),
        ),
        "work_place": _choices(
            ("same_gmina", "w gminie, w której mieszkam", "in the gmina where I live"),
            ("other_gmina", "w innej gminie w okolicy", "in another gmina nearby"),
            ("city", "w dużym mieście, do którego dojeżdżam", "in a large city I commute to"),
            ("remote", "zdalnie, z domu", "remotely, from home"),
            ("none", "nie pracuję i nie uczę się", "I neither work nor study"),
        ),
        "transport_mode": _choices(
            ("car", "samochodem", "by car"), ("bus", "autobusem lub busem", "by bus"),
            ("train", "pociągiem", "by train"),
            ("bike_walk", "rowerem lub pieszo", "by bicycle or on foot"),
        ),
        "engagement": _choices(
            ("village_meeting", "wziąć udział w zebraniu wiejskim, osiedlowym lub sesji rady",
             "attended a village or estate meeting or a council session"),
            ("civic_budget", "głosować w budżecie obywatelskim lub o funduszu sołeckim",
             "voted in a participatory budget or on the village fund"),
            ("consultation", "wziąć udział w konsultacjach społecznych",
             "taken part in a public consultation"),
            ("volunteering", "pomagać jako wolontariusz lub wolontariuszka",
             "volunteered"),
            ("ngo", "działać w organizacji, klubie, kole gospodyń lub OSP",
             "been active in an association, club, rural women's circle or volunteer fire "
             "brigade"),
            ("none", "żadne z powyższych", "none of these"),
        ),
        "info_channels": _choices(
            ("website", "strona internetowa gminy", "the gmina's website"),
            ("social_media", "media społecznościowe", "social media"),
            ("notice_board", "tablice ogłoszeń", "notice boards"),
            ("local_press", "lokalna gazeta lub radio", "local newspaper or radio"),
            ("sms_app", "SMS lub aplikacja gminy", "text messages or the gmina's app"),
            ("soltys", "sołtys lub radny", "the village head or a councillor"),
            ("people", "rodzina, sąsiedzi, znajomi", "family, neighbours, friends"),
        ),
        "education": _choices(
            ("primary", "podstawowe lub gimnazjalne", "primary or lower secondary"),
            ("vocational", "zasadnicze zawodowe lub branżowe", "basic vocational"),
            ("secondary", "średnie lub policealne", "secondary or post-secondary"),
            ("higher", "wyższe", "higher"),
        ),
        "occupation": _choices(
            ("employee", "pracuję na etacie lub na umowę", "employed"),
            ("self_employed", "prowadzę własną firmę", "running my own business"),
            ("farmer", "prowadzę gospodarstwo rolne", "running a farm"),
            ("student", "uczę się lub studiuję", "in education"),
            ("retired", "jestem na emeryturze lub rencie", "retired or on a disability pension"),
            ("unemployed", "szukam pracy", "looking for work"),
            ("home", "zajmuję się domem lub opiekuję się bliskimi",
             "looking after the home or family"),
        ),
        AGE_GROUP_LIST: default_age_groups(),
        SEX_LIST: default_sexes(),
    }
    return _definition("resident", RESIDENT_TITLE, questions, lists)


# ------------------------------------------------------------------ youth

YOUTH_TITLE = Text("Ankieta dla młodzieży: Twoje plany i Twoja gmina",
                   "Youth survey: your plans and your gmina")
YOUTH_INTRO = Text(
    "Ta ankieta jest dla uczniów i uczennic ostatnich klas szkół średnich. Gminy naszego "
    "partnerstwa przygotowują wspólną strategię rozwoju i chcą wiedzieć, jakie są Twoje plany "
    "na przyszłość, co oceniasz dobrze, czego brakuje i co mogłoby sprawić, że zostaniesz "
    "w okolicy albo do niej wrócisz.\n\n"
    "Ankieta jest anonimowa: nie pytamy o imię ani nazwisko, a wyniki pokażemy tylko "
    "w zestawieniach zbiorczych. Jeśli dostajesz kartę z kodem, kod służy tylko do tego, "
    "żeby każda osoba odpowiedziała raz; nie łączymy go z odpowiedziami.",
    "This survey is for pupils in the final year of secondary school. The gminas of our "
    "partnership are preparing a joint development strategy and want to know your plans "
    "for the future, what you rate well, what is missing and what could make you stay in the "
    "area or come back.\n\n"
    "The survey is anonymous: we do not ask for your name, and results are shown only in "
    "aggregate. If you received a card with a code, the code only makes sure everyone answers "
    "once; it is never linked to your answers.",
)


def build_youth() -> SurveyDefinition:
    studying = "${after_school} = 'studies'"
    questions = [
        _intro_note(
            "Dziękujemy za udział! Nie ma tu dobrych ani złych odpowiedzi: liczy się Twoje "
            "zdanie.",
            "Thank you for taking part! There are no right or wrong answers: your opinion "
            "is what counts.",
        ),
        _gmina("W której gminie mieszkasz?", "Which gmina do you live in?"),
        Question("sex", Q.SEX, Text("Płeć", "Sex"), choice_list=SEX_LIST),
        Question("school_type", Q.SINGLE_CHOICE,
                 Text("Do jakiej szkoły chodzisz?", "Which type of school do you attend?"),
                 choice_list="school_type", or_other=True, required=True),
        *_quality(),
        _services(),
        Question(
            "youth_attitudes", Q.LIKERT_MATRIX,
            Text("Na ile zgadzasz się z poniższymi zdaniami?",
                 "How far do you agree with the following statements?"),
            choice_list="agree_5",
            items=(
                MatrixItem("yatt_future", Text("Widzę w mojej okolicy przyszłość dla siebie.",
                                               "I see a future for myself in my area.")),
                MatrixItem("yatt_voice", Text("Władze gminy biorą pod uwagę zdanie młodych "
                                              "ludzi.",
                                              "The gmina's authorities take young people's "
                                              "views into account.")),
                MatrixItem("yatt_leisure", Text("Mam gdzie spędzać wolny czas blisko domu.",
                                                "There are places to spend free time near "
                                                "my home.")),
                MatrixItem("yatt_transport", Text("Bez problemu dojeżdżam do szkoły i na zajęcia.",
                                                  "I can easily get to school and activities.")),
            ),
        ),
        Question("youth_needs", Q.MULTIPLE_CHOICE,
                 Text("Czego najbardziej brakuje młodym ludziom w Twojej gminie?",
                      "What do young people in your gmina lack most?"),
                 hint=Text("Wybierz najwyżej 3 odpowiedzi.", "Choose at most 3 answers."),
                 choice_list="youth_needs", or_other=True,
                 constraint="count-selected(.) <= 3",
                 constraint_message=Text("Wybierz najwyżej 3 odpowiedzi.",
                                         "Choose at most 3 answers.")),
        _section("section_plans", "Teraz kilka pytań o Twoje plany po szkole.",
                 "Now a few questions about your plans after school."),
        Question("after_school", Q.SINGLE_CHOICE,
                 Text("Co planujesz robić po ukończeniu szkoły?",
                      "What do you plan to do after finishing school?"),
                 choice_list="after_school", required=True),
        Question("study_place", Q.SINGLE_CHOICE,
                 Text("Gdzie chcesz studiować?", "Where do you want to study?"),
                 choice_list="study_place", relevant=studying),
        Question("field_of_interest", Q.SHORT_TEXT,
                 Text("Jaki kierunek studiów lub zawód Cię interesuje?",
                      "Which field of study or occupation interests you?"),
                 relevant="${after_school} = 'studies' or ${after_school} = 'vocational'",
                 max_length=200),
        Question("expected_pay", Q.NUMBER,
                 Text("Jakiego wynagrodzenia miesięcznie „na rękę” (w zł) oczekujesz "
                      "w pierwszej pracy?",
                      "What monthly take-home pay (in PLN) do you expect in your first job?"),
                 min_value=Decimal(0), max_value=Decimal(50000),
                 constraint_message=Text("Podaj kwotę od 0 do 50 000 zł.",
                                         "Enter an amount from 0 to 50,000 PLN.")),
        Question("local_job", Q.LIKERT,
                 Text("Czy zgadzasz się ze zdaniem: „W mojej gminie lub w okolicy znajdę "
                      "pracę zgodną z moimi planami”?",
                      "Do you agree that “I will find a job matching my plans in my gmina or "
                      "nearby”?"),
                 choice_list="agree_5"),
        *_staying(
            Text("Gdzie widzisz siebie za 5 lat?", "Where do you see yourself in 5 years?"),
            Text("Dlaczego chcesz wyjechać?", "Why do you want to leave?"),
        ),
        Question("come_back", Q.SINGLE_CHOICE,
                 Text("Czy bierzesz pod uwagę powrót w rodzinne strony w przyszłości?",
                      "Would you consider coming back home in the future?"),
                 choice_list="yes_maybe_no", relevant=LEAVING),
        Question("stay_factors", Q.MULTIPLE_CHOICE,
                 Text("Co mogłoby sprawić, że zostaniesz w okolicy lub do niej wrócisz?",
                      "What could make you stay in the area or come back?"),
                 hint=Text("Wybierz najwyżej 3 odpowiedzi.", "Choose at most 3 answers."),
                 choice_list="stay_factors", or_other=True,
                 constraint="count-selected(.) <= 3",
                 constraint_message=Text("Wybierz najwyżej 3 odpowiedzi.",
                                         "Choose at most 3 answers.")),
        _section("section_future", "Na koniec kilka pytań o przyszłość gminy.",
                 "Finally a few questions about the future of the gmina."),
        *_priorities(),
        *_cooperation(),
        Question("get_involved", Q.SINGLE_CHOICE,
                 Text("Czy chcesz działać na rzecz swojej gminy, np. w młodzieżowej radzie "
                      "gminy albo w projektach dla młodych?",
                      "Would you like to work for your gmina, e.g. in a youth council or in "
                      "projects for young people?"),
                 choice_list="yes_maybe_no"),
        Question("idea", Q.LONG_TEXT,
                 Text("Co trzeba zmienić, żeby młodym ludziom żyło się tu lepiej?",
                      "What needs to change so that young people have a better life here?"),
                 hint=Text("Prosimy nie wpisywać danych, po których można kogoś rozpoznać.",
                           "Please do not write anything that could identify a person."),
                 max_length=2000),
        _thanks(),
    ]
    lists = {
        "school_type": _choices(
            ("lo", "liceum ogólnokształcące", "general secondary school"),
            ("technikum", "technikum", "technical secondary school"),
            ("branzowa", "szkoła branżowa", "vocational school"),
        ),
        "youth_needs": _choices(
            ("meeting_places", "miejsca spotkań dla młodzieży", "places for young people to meet"),
            ("sport", "obiekty sportowe i zajęcia", "sports facilities and activities"),
            ("culture", "wydarzenia kulturalne i koncerty", "cultural events and concerts"),
            ("transport", "dojazdy, także wieczorem i w weekendy",
             "transport, also in the evenings and at weekends"),
            ("jobs", "praca dorywcza, praktyki i staże", "casual work, placements and internships"),
            ("courses", "kursy i zajęcia rozwijające", "courses and development activities"),
            ("internet", "dobry internet", "good internet"),
            ("mental_health", "wsparcie psychologiczne", "psychological support"),
        ),
        "after_school": _choices(
            ("studies", "studia", "university studies"),
            ("vocational", "szkoła policealna lub kurs zawodowy",
             "post-secondary school or vocational course"),
            ("work", "praca w Polsce", "work in Poland"),
            ("work_abroad", "praca za granicą", "work abroad"),
            ("farm_business", "praca w rodzinnym gospodarstwie lub firmie",
             "work on the family farm or in the family business"),
            ("dont_know", "jeszcze nie wiem", "I don't know yet"),
        ),
        "study_place": _choices(
            ("nearby", "w najbliższym mieście akademickim", "in the nearest university town"),
            ("capital", "w Warszawie", "in Warsaw"),
            ("other_city", "w innym dużym mieście w Polsce", "in another large city in Poland"),
            ("abroad", "za granicą", "abroad"),
            ("dont_know", "jeszcze nie wiem", "I don't know yet"),
        ),
        "stay_factors": _choices(
            ("good_jobs", "dobrze płatna praca w zawodzie", "well-paid work in my field"),
            ("own_business", "wsparcie w założeniu własnej firmy",
             "support for starting my own business"),
            ("housing", "dostępne mieszkanie lub działka", "affordable housing or a plot"),
            ("transport", "dobre połączenia z większymi miastami",
             "good connections to larger towns"),
            ("leisure", "więcej możliwości spędzania wolnego czasu", "more leisure opportunities"),
            ("remote_work", "możliwość pracy zdalnej z dobrym internetem",
             "the chance to work remotely with good internet"),
            ("family", "bliskość rodziny i przyjaciół", "being close to family and friends"),
            ("nature", "spokój i przyroda", "peace and nature"),
        ),
        SEX_LIST: default_sexes(),
    }
    return _definition("youth", YOUTH_TITLE, questions, lists)


# ------------------------------------------------------------------ local leaders

LEADER_TITLE = Text("Ankieta dla liderów lokalnych: współpraca dla rozwoju",
                    "Survey of local leaders: working together for development")
LEADER_INTRO = Text(
    "Ankieta jest skierowana do osób, które działają na rzecz społeczności lokalnych: radnych, "
    "sołtysów, pracowników samorządu, dyrektorów szkół i instytucji, przedstawicieli "
    "organizacji pozarządowych, kół gospodyń wiejskich i ochotniczych straży pożarnych. "
    "Gminy naszego partnerstwa przygotowują wspólną strategię rozwoju i chcą poznać Twoją "
    "ocenę sytuacji, możliwości współpracy i przeszkód, które trzeba pokonać.\n\n"
    "Ankieta jest anonimowa, a wyniki pokażemy tylko w zestawieniach zbiorczych.",
    "This survey is for people who work for their local communities: councillors, village "
    "heads, local government staff, heads of schools and institutions, and representatives of "
    "NGOs, rural women's circles and volunteer fire brigades. The gminas of our partnership "
    "are preparing a joint development strategy and want to hear your view of the situation, "
    "the chances for cooperation and the obstacles to overcome.\n\n"
    "The survey is anonymous, and results are shown only in aggregate.",
)


def build_leader() -> SurveyDefinition:
    organisation = ("${leader_role} = 'ngo' or ${leader_role} = 'kgw' "
                    "or ${leader_role} = 'osp'")
    questions = [
        _intro_note("Dziękujemy za udział. Na początek kilka pytań o Twoją działalność.",
                    "Thank you for taking part. First a few questions about your role."),
        _gmina("W której gminie głównie działasz?", "In which gmina are you mainly active?"),
        Question("leader_role", Q.SINGLE_CHOICE,
                 Text("W jakiej roli działasz najczęściej?",
                      "In which role are you most often active?"),
                 choice_list="leader_role", or_other=True, required=True),
        Question("leader_years", Q.NUMBER,
                 Text("Od ilu lat działasz na rzecz społeczności lokalnej?",
                      "For how many years have you worked for the local community?"),
                 min_value=Decimal(0), max_value=Decimal(70),
                 constraint_message=Text("Podaj liczbę lat od 0 do 70.",
                                         "Enter a number of years from 0 to 70.")),
        Question("organisation_size", Q.NUMBER,
                 Text("Ile osób, łącznie z wolontariuszami, regularnie działa w Twojej "
                      "organizacji?",
                      "How many people, volunteers included, are regularly active in your "
                      "organisation?"),
                 relevant=organisation, min_value=Decimal(1), max_value=Decimal(10000)),
        *_quality(),
        _services(),
        _section("section_future", "Priorytety i plany", "Priorities and plans"),
        *_priorities(),
        *_staying(
            Text("Jakie masz plany na najbliższe 5 lat?",
                 "What are your plans for the next 5 years?"),
            Text("Co jest powodem planowanej przeprowadzki?", "Why are you planning to move?"),
        ),
        _section("section_cooperation", "Współpraca między gminami i partnerami",
                 "Cooperation between gminas and partners"),
        *_cooperation(),
        Question("coop_experience", Q.SINGLE_CHOICE,
                 Text("Czy w ostatnich 5 latach Twoja instytucja lub organizacja realizowała "
                      "przedsięwzięcia wspólnie z partnerami z innych gmin?",
                      "In the last 5 years, has your institution or organisation carried out "
                      "projects together with partners from other gminas?"),
                 choice_list="coop_experience", required=True),
        Question("coop_example", Q.LONG_TEXT,
                 Text("Opisz krótko najważniejsze z nich: co się udało, a co nie?",
                      "Please briefly describe the most important one: what worked and what "
                      "did not?"),
                 relevant="${coop_experience} = 'often' or ${coop_experience} = 'once'",
                 max_length=2000),
        Question(
            "capacity", Q.LIKERT_MATRIX,
            Text("Na ile zgadzasz się z poniższymi zdaniami o współpracy w naszym "
                 "partnerstwie?",
                 "How far do you agree with the following statements about cooperation in our "
                 "partnership?"),
            choice_list="agree_5", required=True,
            items=(
                MatrixItem("cap_staff", Text("Mamy ludzi, którzy potrafią przygotować "
                                             "i prowadzić wspólne projekty.",
                                             "We have people who can prepare and run joint "
                                             "projects.")),
                MatrixItem("cap_funds", Text("Gminy są w stanie zapewnić wkład własny do "
                                             "wspólnych projektów.",
                                             "The gminas can provide their own contribution "
                                             "to joint projects.")),
                MatrixItem("cap_trust", Text("Samorządy partnerstwa ufają sobie nawzajem.",
                                             "The partnership's local governments trust each "
                                             "other.")),
                MatrixItem("cap_leadership", Text("Partnerstwo ma jasne przywództwo i podział "
                                                  "zadań.",
                                                  "The partnership has clear leadership and "
                                                  "division of tasks.")),
                MatrixItem("cap_residents", Text("Mieszkańcy popierają współpracę gmin.",
                                                 "Residents support cooperation between "
                                                 "gminas.")),
                MatrixItem("cap_ngos", Text("Organizacje społeczne i firmy są zapraszane do "
                                            "współpracy.",
                                            "NGOs and businesses are invited to cooperate.")),
            ),
        ),
        Question("barriers", Q.MULTIPLE_CHOICE,
                 Text("Co najbardziej utrudnia współpracę w partnerstwie?",
                      "What hinders cooperation in the partnership most?"),
                 hint=Text("Wybierz najwyżej 3 odpowiedzi.", "Choose at most 3 answers."),
                 choice_list="barriers", or_other=True, required=True,
                 constraint="count-selected(.) <= 3",
                 constraint_message=Text("Wybierz najwyżej 3 odpowiedzi.",
                                         "Choose at most 3 answers.")),
        Question("contribution", Q.MULTIPLE_CHOICE,
                 Text("W jaki sposób Twoja instytucja lub organizacja może włączyć się "
                      "w realizację strategii?",
                      "How can your institution or organisation take part in carrying out the "
                      "strategy?"),
                 hint=Text("Zaznacz wszystkie, które pasują.", "Tick all that apply."),
                 choice_list="contribution", constraint=NONE_ALONE,
                 constraint_message=NONE_ALONE_MESSAGE),
        Question("key_project", Q.LONG_TEXT,
                 Text("Jakie jedno wspólne przedsięwzięcie partnerstwa uważasz za "
                      "najważniejsze i dlaczego?",
                      "Which single joint undertaking of the partnership do you consider the "
                      "most important, and why?"),
                 max_length=2000),
        _thanks(),
    ]
    lists = {
        "leader_role": _choices(
            ("councillor", "radny lub radna gminy albo powiatu", "gmina or powiat councillor"),
            ("local_government", "wójt, burmistrz, starosta, ich zastępcy lub pracownicy urzędu",
             "mayor, head of powiat, their deputies or office staff"),
            ("soltys", "sołtys lub członek rady sołeckiej",
             "village head or member of the village council"),
            ("school_head", "dyrektor szkoły, przedszkola lub instytucji kultury",
             "head of a school, pre-school or cultural institution"),
            ("ngo", "organizacja pozarządowa (stowarzyszenie, fundacja)",
             "NGO (association, foundation)"),
            ("kgw", "koło gospodyń wiejskich", "rural women's circle"),
            ("osp", "ochotnicza straż pożarna", "volunteer fire brigade"),
            ("business_org", "organizacja przedsiębiorców lub rolników",
             "business or farmers' organisation"),
            ("parish", "parafia lub wspólnota religijna", "parish or religious community"),
        ),
        "coop_experience": _choices(
            ("often", "tak, wielokrotnie", "yes, several times"),
            ("once", "tak, raz lub dwa razy", "yes, once or twice"),
            ("no", "nie", "no"),
            ("dont_know", "nie wiem", "I don't know"),
        ),
        "barriers": _choices(
            ("funds", "brak pieniędzy na wkład własny", "no money for own contribution"),
            ("staff", "brak ludzi do prowadzenia projektów", "no staff to run projects"),
            ("politics", "różnice polityczne między władzami gmin",
             "political differences between gmina authorities"),
            ("trust", "brak zaufania między partnerami", "lack of trust between partners"),
            ("competition", "rywalizacja gmin o te same środki",
             "gminas competing for the same funds"),
            ("law", "przepisy i procedury", "laws and procedures"),
            ("distance", "odległości i słabe połączenia", "distances and poor connections"),
            ("no_leader", "brak lidera i koordynacji", "no leader or coordination"),
            ("info", "słaby przepływ informacji", "poor flow of information"),
        ),
        "contribution": _choices(
            ("co_design", "udział w pracach nad strategią", "taking part in drafting the strategy"),
            ("projects", "współrealizacja projektów", "co-delivering projects"),
            ("volunteers", "zaangażowanie wolontariuszy", "involving volunteers"),
            ("information", "informowanie mieszkańców", "informing residents"),
            ("premises", "udostępnienie miejsca lub sprzętu", "providing premises or equipment"),
            ("none", "żadne z powyższych", "none of these"),
        ),
    }
    return _definition("leader", LEADER_TITLE, questions, lists)


# ------------------------------------------------------------------ businesses

BUSINESS_TITLE = Text("Ankieta dla przedsiębiorców: warunki prowadzenia firmy",
                      "Business survey: conditions for running a firm")
BUSINESS_INTRO = Text(
    "Ankieta jest skierowana do właścicieli i osób zarządzających firmami oraz "
    "gospodarstwami rolnymi działającymi na terenie naszego partnerstwa. Gminy przygotowują "
    "wspólną strategię rozwoju i chcą wiedzieć, co ułatwia, a co utrudnia prowadzenie "
    "działalności, jakich pracowników brakuje i czego firmy oczekują od samorządu.\n\n"
    "Ankieta jest anonimowa: nie pytamy o nazwę firmy ani NIP, a wyniki pokażemy tylko "
    "w zestawieniach zbiorczych.",
    "This survey is for owners and managers of firms and farms in our partnership's area. The "
    "gminas are preparing a joint development strategy and want to know what helps and what "
    "hinders running a business, which workers are missing and what firms expect from local "
    "government.\n\n"
    "The survey is anonymous: we do not ask for the firm's name or tax number, and results are "
    "shown only in aggregate.",
)


def build_business() -> SurveyDefinition:
    recruiting = "${hiring_plans} = 'increase' or ${hiring_plans} = 'keep'"
    questions = [
        _intro_note("Dziękujemy za udział. Na początek kilka pytań o firmę.",
                    "Thank you for taking part. First a few questions about the firm."),
        _gmina("W której gminie firma ma siedzibę lub główne miejsce działalności?",
               "In which gmina does the firm have its seat or main place of business?"),
        Question("sector", Q.SINGLE_CHOICE,
                 Text("Jaka jest główna branża firmy?", "What is the firm's main sector?"),
                 choice_list="sector", or_other=True, required=True),
        Question("firm_size", Q.SINGLE_CHOICE,
                 Text("Ile osób pracuje w firmie, łącznie z właścicielami?",
                      "How many people work in the firm, owners included?"),
                 choice_list="firm_size", required=True),
        Question("firm_age", Q.SINGLE_CHOICE,
                 Text("Od ilu lat działa firma?", "How long has the firm been operating?"),
                 choice_list="firm_age"),
        Question("markets", Q.MULTIPLE_CHOICE,
                 Text("Gdzie są klienci firmy?", "Where are the firm's customers?"),
                 hint=Text("Zaznacz wszystkie, które pasują.", "Tick all that apply."),
                 choice_list="markets"),
        *_quality(),
        _services(),
        Question("business_climate", Q.LIKERT,
                 Text("Jak oceniasz warunki prowadzenia działalności gospodarczej "
                      "w gminie?",
                      "How do you rate the conditions for doing business in the gmina?"),
                 choice_list="quality_5", required=True),
        Question("obstacles", Q.MULTIPLE_CHOICE,
                 Text("Co najbardziej utrudnia rozwój firmy?",
                      "What hinders the firm's growth most?"),
                 hint=Text("Wybierz najwyżej 3 odpowiedzi.", "Choose at most 3 answers."),
                 choice_list="obstacles", or_other=True, required=True,
                 constraint="count-selected(.) <= 3",
                 constraint_message=Text("Wybierz najwyżej 3 odpowiedzi.",
                                         "Choose at most 3 answers.")),
        _section("section_staff", "Pracownicy", "Staff"),
        Question("hiring_plans", Q.SINGLE_CHOICE,
                 Text("Jak w ciągu najbliższych 2 lat zmieni się zatrudnienie w firmie?",
                      "How will the number of staff change over the next 2 years?"),
                 choice_list="hiring_plans", required=True),
        Question("new_jobs", Q.NUMBER,
                 Text("Ile nowych osób firma planuje zatrudnić?",
                      "How many new people does the firm plan to hire?"),
                 relevant="${hiring_plans} = 'increase'",
                 min_value=Decimal(1), max_value=Decimal(1000),
                 constraint_message=Text("Podaj liczbę od 1 do 1000.",
                                         "Enter a number from 1 to 1000.")),
        Question("hiring_ease", Q.LIKERT,
                 Text("Jak łatwo jest znaleźć w okolicy pracowników o potrzebnych "
                      "kwalifikacjach?",
                      "How easy is it to find workers with the skills needed in the area?"),
                 choice_list="ease_5", relevant=recruiting),
        Question("skills_needed", Q.SHORT_TEXT,
                 Text("Jakich zawodów lub umiejętności najbardziej brakuje?",
                      "Which occupations or skills are missing most?"),
                 relevant=recruiting, max_length=300),
        Question("school_cooperation", Q.SINGLE_CHOICE,
                 Text("Czy firma przyjmuje uczniów lub studentów na praktyki i staże?",
                      "Does the firm take pupils or students for placements and internships?"),
                 choice_list="school_cooperation"),
        _section("section_government", "Firma i samorząd", "The firm and local government"),
        Question("gov_needs", Q.MULTIPLE_CHOICE,
                 Text("Czego firma najbardziej potrzebuje od samorządu?",
                      "What does the firm need most from local government?"),
                 hint=Text("Wybierz najwyżej 3 odpowiedzi.", "Choose at most 3 answers."),
                 choice_list="gov_needs", or_other=True,
                 constraint="count-selected(.) <= 3",
                 constraint_message=Text("Wybierz najwyżej 3 odpowiedzi.",
                                         "Choose at most 3 answers.")),
        Question("investment_plans", Q.SINGLE_CHOICE,
                 Text("Czy firma planuje inwestycje w gminie w ciągu najbliższych 3 lat?",
                      "Does the firm plan investments in the gmina over the next 3 years?"),
                 choice_list="yes_maybe_no"),
        *_priorities(),
        *_staying(
            Text("Jakie są plany firmy co do miejsca działalności w ciągu najbliższych 5 lat?",
                 "What are the firm's plans for its location over the next 5 years?"),
            Text("Dlaczego firma rozważa przeniesienie?", "Why is the firm considering moving?"),
        ),
        *_cooperation(),
        Question("remarks", Q.LONG_TEXT,
                 Text("Co jeszcze samorządy powinny wiedzieć o potrzebach firm?",
                      "What else should local governments know about firms' needs?"),
                 hint=Text("Prosimy nie wpisywać danych, po których można rozpoznać firmę "
                           "lub osobę.",
                           "Please do not write anything that could identify a firm or a "
                           "person."),
                 max_length=2000),
        _thanks(),
    ]
    lists = {
        "sector": _choices(
            ("agriculture", "rolnictwo", "agriculture"),
            ("food", "przetwórstwo spożywcze", "food processing"),
            ("manufacturing", "inna produkcja", "other manufacturing"),
            ("construction", "budownictwo", "construction"),
            ("trade", "handel", "trade"),
            ("transport", "transport i logistyka", "transport and logistics"),
            ("tourism", "turystyka, noclegi i gastronomia",
             "tourism, accommodation and catering"),
            ("business_services", "usługi dla firm", "business services"),
            ("personal_services", "usługi dla ludności", "personal services"),
        ),
        "firm_size": _choices(
            ("1", "1 osoba", "1 person"),
            ("2_9", "od 2 do 9 osób", "2 to 9 people"),
            ("10_49", "od 10 do 49 osób", "10 to 49 people"),
            ("50_249", "od 50 do 249 osób", "50 to 249 people"),
            ("250_plus", "250 osób lub więcej", "250 people or more"),
        ),
        "firm_age": _choices(
            ("under_3", "krócej niż 3 lata", "less than 3 years"),
            ("3_10", "od 3 do 10 lat", "3 to 10 years"),
            ("over_10", "ponad 10 lat", "more than 10 years"),
        ),
        "markets": _choices(
            ("local", "w tej samej gminie", "in the same gmina"),
            ("region", "w sąsiednich gminach i powiecie", "in neighbouring gminas and the powiat"),
            ("poland", "w całej Polsce", "across Poland"),
            ("abroad", "za granicą", "abroad"),
        ),
        "obstacles": _choices(
            ("workers", "brak pracowników o potrzebnych kwalifikacjach", "no skilled workers"),
            ("labour_costs", "koszty pracy", "labour costs"),
            ("roads", "stan dróg i dojazd", "roads and access"),
            ("internet", "słaby internet", "poor internet"),
            ("utilities", "dostęp do mediów (energia, gaz, kanalizacja)",
             "access to utilities (power, gas, sewage)"),
            ("land", "brak terenów lub lokali pod działalność", "no land or premises"),
            ("local_taxes", "podatki i opłaty lokalne", "local taxes and fees"),
            ("procedures", "procedury urzędowe", "administrative procedures"),
            ("demand", "mały rynek lokalny", "small local market"),
            ("financing", "dostęp do finansowania", "access to finance"),
        ),
        "hiring_plans": _choices(
            ("increase", "zatrudnimy więcej osób", "we will hire more people"),
            ("keep", "zatrudnienie się nie zmieni", "staff numbers will not change"),
            ("decrease", "zatrudnienie się zmniejszy", "staff numbers will fall"),
            ("dont_know", "trudno powiedzieć", "hard to say"),
        ),
        "ease_5": _scale(
            ("bardzo trudno", "very difficult"), ("raczej trudno", "rather difficult"),
            ("ani łatwo, ani trudno", "neither easy nor difficult"),
            ("raczej łatwo", "rather easy"), ("bardzo łatwo", "very easy"),
        ),
        "school_cooperation": _choices(
            ("yes", "tak", "yes"),
            ("interested", "nie, ale jesteśmy zainteresowani", "no, but we are interested"),
            ("no", "nie", "no"),
        ),
        "gov_needs": _choices(
            ("land", "przygotowanie terenów inwestycyjnych", "preparing land for investment"),
            ("roads", "lepsze drogi dojazdowe", "better access roads"),
            ("permits", "szybsze załatwianie spraw w urzędzie", "faster handling of permits"),
            ("tax_relief", "ulgi w podatkach lokalnych", "relief from local taxes"),
            ("promotion", "promocja lokalnych firm i produktów",
             "promotion of local firms and products"),
            ("vocational", "kształcenie zawodowe dopasowane do potrzeb firm",
             "vocational training matching firms' needs"),
            ("commuting", "dojazdy pracowników", "commuting for workers"),
            ("funds_info", "informacja o dotacjach i funduszach",
             "information on grants and funds"),
            ("procurement", "zamówienia publiczne dostępne dla małych firm",
             "public contracts open to small firms"),
        ),
    }
    return _definition("business", BUSINESS_TITLE, questions, lists)


TEMPLATES: dict[str, QuestionnaireTemplate] = {
    template.key: template
    for template in (
        QuestionnaireTemplate("resident", "resident", RESIDENT_TITLE, RESIDENT_INTRO,
                              build_resident),
        QuestionnaireTemplate("youth", "youth", YOUTH_TITLE, YOUTH_INTRO, build_youth),
        QuestionnaireTemplate("leader", "leader", LEADER_TITLE, LEADER_INTRO, build_leader),
        QuestionnaireTemplate("business", "business", BUSINESS_TITLE, BUSINESS_INTRO,
                              build_business),
    )
}


# ------------------------------------------------------------------ GDPR clause

def _administrator(partnership) -> str:
    leader = partnership.leader_unit
    if leader is None:
        return f"{partnership.name} [nazwa i adres jednostki wiodącej partnerstwa]"
    name = leader.display_name
    if leader.kind == "gmina":
        name = f"Gmina {name}"
    return (f"{name}, jednostka wiodąca partnerstwa {partnership.name} "
            "[adres siedziby administratora]")


def default_gdpr_clause(partnership) -> str:
    """The Polish GDPR information clause (art. 13 RODO) naming the partnership.

    Written for an anonymous survey; the coordinator fills in the bracketed placeholders
    (the administrator's address and the data protection officer's contact) and adapts
    it when the survey is switched to confidential mode.
    """
    return "\n\n".join([
        "Informacja o przetwarzaniu danych osobowych",
        "Na podstawie art. 13 rozporządzenia Parlamentu Europejskiego i Rady (UE) 2016/679 "
        "z dnia 27 kwietnia 2016 r. (RODO) informujemy, że:",
        f"1. Administratorem danych osobowych zbieranych w ankiecie jest "
        f"{_administrator(partnership)}.",
        "2. Z inspektorem ochrony danych można się skontaktować pod adresem: "
        "[adres e-mail inspektora ochrony danych].",
        "3. Odpowiedzi są zbierane w celu przygotowania strategii rozwoju partnerstwa, "
        "w szczególności diagnozy potrzeb mieszkańców, młodzieży, liderów lokalnych "
        "i przedsiębiorców. Podstawą prawną jest art. 6 ust. 1 lit. e RODO (wykonanie zadania "
        "realizowanego w interesie publicznym) w związku z przepisami o zasadach prowadzenia "
        "polityki rozwoju i o samorządzie gminnym.",
        "4. Ankieta jest anonimowa. Nie zbieramy imienia, nazwiska, adresu e-mail ani adresu "
        "IP; przy odpowiedzi zapisujemy tylko dzień jej przesłania. Dane osobowe mogą się "
        "pojawić jedynie wtedy, gdy ktoś sam wpisze je w odpowiedzi na pytanie otwarte, "
        "dlatego prosimy tego nie robić. Takie dane zostaną pominięte lub zanonimizowane "
        "w publikowanych wynikach.",
        "5. Wyniki są publikowane wyłącznie w formie zbiorczej; grup liczących mniej niż "
        "5 osób nie pokazujemy. Odpowiedzi mogą być przetwarzane przez podmioty świadczące "
        "administratorowi usługi informatyczne, na podstawie umowy powierzenia. Dane nie są "
        "przekazywane do państw spoza Europejskiego Obszaru Gospodarczego.",
        "6. Odpowiedzi przechowujemy przez czas przygotowania i przyjęcia strategii, "
        "a następnie przez okres wynikający z przepisów o archiwizacji dokumentów.",
        "7. Przysługuje Ci prawo dostępu do danych, ich sprostowania, usunięcia lub "
        "ograniczenia przetwarzania oraz prawo wniesienia sprzeciwu (art. 15–18 i 21 RODO). "
        "Ponieważ ankieta jest anonimowa, administrator może nie być w stanie ustalić, która "
        "odpowiedź jest Twoja (art. 11 RODO). Masz też prawo wniesienia skargi do Prezesa "
        "Urzędu Ochrony Danych Osobowych (ul. Stawki 2, 00-193 Warszawa).",
        "8. Udział w ankiecie jest dobrowolny. Dane nie służą do zautomatyzowanego "
        "podejmowania decyzji, w tym do profilowania.",
    ])


def create_from_template(partnership, key: str, *, slug: str, opens_on: date, closes_on: date,
                         title: str | None = None):
    """Create and return a saved Survey copied from TEMPLATES[key] (KeyError if unknown).

    Raises ValueError (with a Polish message) when the partnership already has a survey
    with this slug or when the survey would close before it opens.
    """
    from razem.surveys.models import Survey

    template = TEMPLATES[key]
    if closes_on < opens_on:
        raise ValueError(_("The survey cannot close before it opens."))
    survey = Survey(
        partnership=partnership,
        slug=slug,
        audience=template.audience,
        title=title or template.title.pl,
        introduction=template.introduction.pl,
        gdpr_clause=default_gdpr_clause(partnership),
        opens_on=opens_on,
        closes_on=closes_on,
        definition=to_data(template.definition()),
        template=key,
    )
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError as error:
        raise ValueError(
            _("The partnership already has a survey with the address “%(slug)s”.")
            % {"slug": slug}
        ) from error
    return survey
