"""Stories across languages: a translation joins its original, names match across scripts, and one company's
two events a year apart stay two stories. Every text here was written for these tests."""

import dataclasses

import numpy as np
import pytest

from conftest import make_article
from storyline.cluster import ClusterSettings, Embedder, cluster_articles
from storyline.cluster.anchors import name_key, normalize_number, stop_words_for
from storyline.cluster.coverage import CoverageInput, compute_coverage
from storyline.cluster.features import count_features, extract_names, extract_numbers, tokenize_words
from storyline.cluster.multilingual import MultilingualEmbedder
from storyline.records import Article

SHIP_EN = (
    "Container ship blocks the Kiel Canal for 14 hours\n"
    "The container ship Nordlicht Aurora ran aground in the Kiel Canal near Rendsburg on Tuesday morning and "
    "blocked traffic for 14 hours. Tugboats freed the 300-metre vessel in the evening, the canal authority "
    "said. About 120 ships had to wait at both ends of the waterway. The shipping company Hanse Reederei said "
    "a steering failure caused the accident and that none of the 22 crew members was injured."
)
SHIP_DE = (
    "Containerschiff blockiert den Nord-Ostsee-Kanal 14 Stunden lang\n"
    "Das Containerschiff Nordlicht Aurora ist am Dienstagmorgen im Nord-Ostsee-Kanal bei Rendsburg auf Grund "
    "gelaufen und hat den Verkehr 14 Stunden lang blockiert. Schlepper befreiten das 300 Meter lange Schiff am "
    "Abend, teilte die Kanalverwaltung mit. Etwa 120 Schiffe mussten an beiden Enden der Wasserstraße warten. "
    "Die Reederei Hanse Reederei erklärte, ein Ausfall der Steuerung habe den Unfall verursacht; keines der 22 "
    "Besatzungsmitglieder wurde verletzt."
)
SHIP_RU = (
    "Контейнеровоз на 14 часов перекрыл Кильский канал\n"
    "Контейнеровоз «Нордлихт Аврора» во вторник утром сел на мель в Кильском канале у Рендсбурга и на 14 часов "
    "перекрыл движение. Буксиры сняли 300-метровое судно с мели вечером, сообщила администрация канала. Около "
    "120 судов были вынуждены ждать у обоих входов в канал. Судоходная компания «Ганзе Редерай» заявила, что "
    "причиной аварии стал отказ рулевого управления; никто из 22 членов экипажа не пострадал."
)
FUSION_EN = (
    "Helion Energy signs 50-megawatt power deal with Microsoft\n"
    "Helion Energy agreed to supply Microsoft with 50 megawatts of electricity from a fusion power plant in "
    "Malaga, Washington, starting in 2028, the companies said on Wednesday. Helion chief executive David "
    "Kirtley said the plant would be the first commercial fusion plant to sell power to a customer. Microsoft "
    "will pay a penalty-backed price if Helion misses the 2028 date, according to the contract."
)
FUSION_ZH = (
    "Helion Energy 与 Microsoft 签署 50 兆瓦购电协议\n"
    "两家公司周三表示，Helion Energy 同意从 2028 年起，由其位于华盛顿州 Malaga 的核聚变电站向 Microsoft "
    "供应 50 兆瓦电力。Helion 首席执行官 David Kirtley 表示，该电站将成为第一座向客户出售电力的商业核聚变电站。"
    "根据合同，如果 Helion 未能在 2028 年按期供电，将承担违约责任。"
)
OTHERS = [
    (
        "Wildfire on Rhodes forces 19,000 people to leave\n"
        "Firefighters on the Greek island of Rhodes evacuated 19,000 residents and tourists as a wildfire spread "
        "for a sixth day. Strong winds pushed the flames toward the coastal villages of Kiotari and Lardos, and "
        "the fire service said 250 firefighters and five water-bombing planes were fighting the blaze."
    ),
    (
        "Central bank raises its key rate to 4.5%\n"
        "The European Central Bank raised its deposit rate by a quarter point to 4.5% on Thursday, its tenth "
        "increase in a row, and said inflation in the euro area was expected to stay too high for too long. "
        "President Christine Lagarde declined to say whether the rise would be the last."
    ),
    (
        "Lokführer beginnen 50-stündigen Streik bei der Deutschen Bahn\n"
        "Die Lokführergewerkschaft GDL hat am Montag einen Streik von 50 Stunden begonnen. Die Deutsche Bahn "
        "strich den Großteil ihrer Fernverkehrszüge; Pendler in Berlin, Hamburg und München mussten auf Busse "
        "ausweichen. Die Gewerkschaft fordert eine 35-Stunden-Woche bei vollem Lohnausgleich."
    ),
    (
        "Marathon runner breaks the world record in Chicago\n"
        "Kenyan runner Kelvin Kiptum won the Chicago Marathon on Sunday in 2 hours and 35 seconds, breaking the "
        "world record by 34 seconds. The 23-year-old ran the second half of the race alone and crossed the line "
        "ahead of Benson Kipruto, the defending champion."
    ),
]
RECALL_2025 = (
    "Norvik Motors recalls 40,000 electric cars over faulty brakes\n"
    "Norvik Motors is recalling 40,000 of its Vela electric cars in Europe after finding that a software fault "
    "can weaken the brakes in cold weather, the carmaker said on Monday. Owners will receive an update at "
    "dealerships from April; no accidents have been linked to the fault. The recall covers cars built between "
    "June 2023 and January 2025 at the company's plant in Gothenburg."
)
ACQUISITION_2026 = (
    "Norvik Motors agrees to buy battery maker Kestrel Cells for $2.1 billion\n"
    "Norvik Motors will buy the Finnish battery maker Kestrel Cells for $2.1 billion in cash, the carmaker said "
    "on Thursday, securing cells for the next generation of its Vela electric cars. Kestrel's 900 employees in "
    "Vaasa will join Norvik's battery unit, and the deal is expected to close in the third quarter of 2026 "
    "after approval by the European Commission."
)


def article(text: str, language: str, published: str | None = "2026-03-03") -> Article:
    return make_article(text=text, language=language, published=published)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder.default(ClusterSettings())


def stories_of(articles: list[Article], embedder: Embedder, settings: ClusterSettings) -> dict[str, str]:
    result = cluster_articles([(a, None) for a in articles], None, settings, embedder)
    return dict(result.state.assigned)


def test_the_default_embedder_is_multilingual(embedder: Embedder) -> None:
    assert isinstance(embedder, MultilingualEmbedder)
    english, german = embedder.embed_articles([SHIP_EN, SHIP_DE], ["en", "de"])
    assert english.shape == (embedder.dim,)
    assert not german[: embedder.english_model.dim].any()  # no MiniLM block for a German text
    assert float(english @ german) > 0.4  # USE puts the translation near its original


def test_a_german_article_and_its_english_translation_join_one_story(embedder: Embedder) -> None:
    ship_en, ship_de = article(SHIP_EN, "en"), article(SHIP_DE, "de")
    others = [article(text, "de" if "Lokführer" in text else "en") for text in OTHERS]
    assigned = stories_of([ship_en, *others, ship_de], embedder, ClusterSettings())
    assert assigned[ship_en.id] == assigned[ship_de.id]
    assert all(assigned[o.id] != assigned[ship_en.id] for o in others)


def test_a_chinese_article_with_the_same_names_and_numbers_joins_its_english_original(embedder: Embedder) -> None:
    fusion_en, fusion_zh = article(FUSION_EN, "en"), article(FUSION_ZH, "zh")
    others = [article(text, "de" if "Lokführer" in text else "en") for text in OTHERS]
    assigned = stories_of([fusion_en, *others, fusion_zh], embedder, ClusterSettings())
    assert assigned[fusion_en.id] == assigned[fusion_zh.id]
    assert all(assigned[o.id] != assigned[fusion_en.id] for o in others)


def test_a_russian_translation_joins_where_the_english_only_path_left_it_alone(embedder: Embedder) -> None:
    """Cyrillic names and no shared words: the name keys and USE join it; English MiniLM with no name keys (the
    path before multilingual clustering) leaves it a story of its own."""
    ship_en, ship_ru = article(SHIP_EN, "en"), article(SHIP_RU, "ru")
    others = [article(text, "de" if "Lokführer" in text else "en") for text in OTHERS]
    assigned = stories_of([ship_en, *others, ship_ru], embedder, ClusterSettings())
    assert assigned[ship_en.id] == assigned[ship_ru.id]
    assert all(assigned[o.id] != assigned[ship_en.id] for o in others)
    english_only = dataclasses.replace(ClusterSettings(), embedder="minilm", name_weight=0.0, name_weight_other=0.0)
    before = stories_of([ship_en, *others, ship_ru], Embedder.minilm(), english_only)
    assert before[ship_en.id] != before[ship_ru.id]


def test_one_company_two_events_a_year_apart_stay_two_stories(embedder: Embedder) -> None:
    recall = article(RECALL_2025, "en", "2025-03-10")
    acquisition = article(ACQUISITION_2026, "en", "2026-03-12")
    follow_up = article(RECALL_2025.replace("on Monday", "on Tuesday"), "en", "2025-03-11")
    assigned = stories_of([recall, acquisition, follow_up], embedder, ClusterSettings())
    assert assigned[recall.id] != assigned[acquisition.id]
    assert assigned[recall.id] == assigned[follow_up.id]


def test_names_match_across_scripts() -> None:
    assert name_key("Trump") == name_key("Трамп") == name_key("ترامب")
    assert name_key("Biden") == name_key("Байден") == name_key("بايدن")
    assert name_key("Merkel") == name_key("Меркель")
    assert name_key("Trump") != name_key("Biden")
    russian = extract_names("Президент Трамп встретился с Путиным в Хельсинки.", "ru")
    english = extract_names("President Trump met Putin in Helsinki.", "en")
    assert "nk_" + name_key("Trump") in set(russian) & set(english)


def test_numbers_are_written_the_same_in_every_language() -> None:
    assert normalize_number("19.000") == normalize_number("19,000") == "19000"
    assert normalize_number("4,5") == normalize_number("4.5") == "4.5"
    assert extract_numbers("19.000 Menschen, 4,5 %") == extract_numbers("19,000 people, 4.5%")


def test_chinese_text_becomes_bigrams_and_other_languages_drop_their_stop_words() -> None:
    assert tokenize_words("核聚变电站", "zh") == ["核聚", "聚变", "变电", "电站"]
    assert "und" not in tokenize_words("Schlepper und Schiffe", "de")
    assert tokenize_words("The votes were overridden", "en") == ["vote", "overridden"]


def test_non_english_names_weigh_in_their_own_block() -> None:
    german = count_features("Titel", "Angela Merkel besuchte Paris.", language="de")
    english = count_features("Title", "Angela Merkel visited Paris.", language="en")
    assert german.name_block != english.name_block
    assert set(german.names) & set(english.names)  # the same columns: names still match across the blocks


def test_coverage_counts_articles_per_language() -> None:
    members = [CoverageInput("original", "A", "en", None), CoverageInput("independent", "B", "zh", None)]
    members.append(CoverageInput("derivative", "C", "en", None))
    coverage = compute_coverage(members)
    assert coverage.languages == ("en", "zh")
    assert coverage.language_counts == (("en", 2), ("zh", 1))


def test_the_embedding_term_follows_the_two_languages(embedder: Embedder) -> None:
    """English-English mixes MiniLM and USE; English-other and other-other use USE only, scaled as documented."""
    assert isinstance(embedder, MultilingualEmbedder)
    english = embedder.embed_articles([SHIP_EN], ["en"])[0]
    german = embedder.embed_articles([SHIP_DE], ["de"])[0]
    share, weight = embedder.english_share, embedder.other_weight
    assert float(english @ english) == pytest.approx(1.0, abs=1e-4)
    assert float(german @ german) == pytest.approx(weight, abs=1e-4)
    use_en = english[embedder.english_model.dim :] / np.sqrt(share)
    use_de = german[embedder.english_model.dim :] / np.sqrt(weight)
    assert float(english @ german) == pytest.approx(np.sqrt(share * weight) * float(use_en @ use_de), abs=1e-4)


def test_a_language_wordfreq_does_not_know_has_no_stop_words_and_no_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Language ID can name a language wordfreq lacks (Yoruba for a garbled Vietnamese page): no stop words for
    it, and no warning from wordfreq, which would otherwise answer with English's words."""
    stop_words_for.cache_clear()
    with caplog.at_level("WARNING"):
        assert stop_words_for("yo") == frozenset()
        assert "the" in stop_words_for("en") and "und" in stop_words_for("de")
    assert not [r for r in caplog.records if r.name == "wordfreq"]
