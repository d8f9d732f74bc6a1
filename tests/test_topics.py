from storyline.analyze.sentences import split_sentences
from storyline.analyze.topics import TopicFinder, TopicSettings, summary_sentence
from storyline.records import Entity

TEXT = (
    "Tram Expansion Approved by City Council\n\n"
    "The city council approved the tram expansion on Tuesday after three years of debate. "
    "The tram expansion adds twelve kilometres of track to the network. "
    "Opponents of the tram expansion said the cost would fall on residents. "
    "Mayor Elena Petrova said the trams would run every six minutes. "
    "Petrova also promised new cycle lanes along the route."
)


def test_multiword_phrases_win_over_their_words() -> None:
    topics = TopicFinder()(TEXT, split_sentences(TEXT))
    assert topics[0] == "tram expansion"
    assert "tram" not in topics and "expansion" not in topics  # folded into the phrase


def test_stop_words_and_common_words_are_not_topics() -> None:
    topics = TopicFinder()(TEXT, split_sentences(TEXT))
    assert not {"the", "would", "said", "after"} & {t.casefold() for t in topics}


def test_entities_are_candidates_with_their_canonical_form() -> None:
    start = TEXT.index("Elena Petrova")
    entities = [Entity("Elena Petrova", "PERSON", start, start + 13, "Elena Petrova")]
    topics = TopicFinder()(TEXT, split_sentences(TEXT), entities)
    assert "Elena Petrova" in topics


def test_the_number_of_topics_is_bounded() -> None:
    assert len(TopicFinder(TopicSettings(top=3))(TEXT, split_sentences(TEXT))) == 3


def test_unsegmented_languages_are_skipped_with_a_reason() -> None:
    finder = TopicFinder()
    assert finder("政府宣布了新法律。", split_sentences("政府宣布了新法律。"), language="zh") == []
    assert finder.skip_reason("zh") == "topics: no word segmentation for 'zh'"
    assert finder.skip_reason("de") is None


def test_the_summary_is_a_body_sentence_sharing_the_most_with_the_article() -> None:
    sentences = split_sentences(TEXT)
    chosen = summary_sentence(TEXT, sentences)
    assert chosen is not None
    assert TEXT[chosen.start : chosen.end].startswith("The city council approved the tram expansion")


def test_no_summary_for_a_title_alone() -> None:
    assert summary_sentence("Just a title", split_sentences("Just a title")) is None
