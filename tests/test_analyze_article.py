"""The analysis stage wired together, on the seeds (what the analysis issue asks of them) and on made-up text."""

import pytest

from conftest import make_article
from storyline.analyze.article import ANALYSIS_VERSION, Analyzer, AnalyzeSettings, anchor_date
from storyline.analyze.quotes import listed_quotes
from storyline.extract.article import find_sections
from storyline.records import Analysis, Article


@pytest.fixture(scope="module")
def seed_analyses(analyzer: Analyzer, seed_articles: dict[str, Article]) -> dict[str, Analysis]:
    return {key: analyzer(article) for key, article in seed_articles.items()}


def spans_are_inside(article: Article, analysis: Analysis) -> None:
    for item in (*analysis.sentences, *analysis.entities, *analysis.quotes, *analysis.claims, *analysis.events):
        assert 0 <= item.start < item.end <= len(article.text)
    for entity in analysis.entities:
        assert article.text[entity.start : entity.end] == entity.text
    for quote in analysis.quotes:
        assert article.text[quote.start : quote.end] == quote.text


def test_every_span_points_into_the_article(
    seed_articles: dict[str, Article], seed_analyses: dict[str, Analysis]
) -> None:
    for key, analysis in seed_analyses.items():
        assert analysis.article_id == seed_articles[key].id and analysis.version == ANALYSIS_VERSION
        spans_are_inside(seed_articles[key], analysis)


def test_seed_003_claim_with_normalized_numbers(seed_analyses: dict[str, Analysis]) -> None:
    claim = next(c for c in seed_analyses["003"].claims if "$8 trillion" in c.text)
    numbers = {(q.value, q.unit, q.comparator) for q in claim.quantities}
    assert (8e12, "USD", ">") in numbers
    assert (0.9, "ratio", ">") in numbers


def test_seed_003_key_quotes_are_quotes(seed_articles: dict[str, Article], seed_analyses: dict[str, Analysis]) -> None:
    texts = [q.text for q in seed_analyses["003"].quotes if q.kind == "direct"]
    assert any(t.startswith("We are afraid future actions could inadvertently") for t in texts)
    assert any(t.startswith("The duopoly of Anthropic and OpenAI") for t in texts)
    assert any(t.startswith("Regulating or limiting open source because of China") for t in texts)


def test_seed_001_person_and_dated_event(seed_articles: dict[str, Article], seed_analyses: dict[str, Analysis]) -> None:
    analysis = seed_analyses["001"]
    assert "Kevin Xu" in {e.canonical for e in analysis.entities if e.label == "PERSON"}
    event = next(e for e in analysis.events if e.date == "1983")
    assert "free software movement" in event.text and "MIT" in event.text


def test_indirect_attribution_names_the_person_in_a_coordinated_subject(seed_analyses: dict[str, Analysis]) -> None:
    speakers = {q.speaker for q in seed_analyses["001"].quotes}
    assert "Kevin Xu" in speakers


def test_topics_and_summary(seed_articles: dict[str, Article], seed_analyses: dict[str, Analysis]) -> None:
    analysis = seed_analyses["004"]
    assert analysis.topics and analysis.summary is not None
    assert analysis.summary.start > len(seed_articles["004"].title)  # not the headline


def test_headline_attributions_are_not_quotes(seed_analyses: dict[str, Analysis]) -> None:
    title_end = len("Open Source AI Regulation Risks Stifling Innovation, Warn Experts")
    assert all(q.start > title_end for q in seed_analyses["001"].quotes)


def test_other_languages_skip_entities_and_topics_with_reasons(analyzer: Analyzer) -> None:
    article = make_article(
        text="政府宣布新法律\n\n政府昨天宣布了一项关于人工智能的新法律。官员说，该法律将于明年生效。", language="zh"
    )
    analysis = analyzer(article)
    assert analysis.entities == () and analysis.topics == ()  # the rules find no name in this text
    assert "entities: no offline model for 'zh'; rules used (capitalised spans, gazetteer)" in analysis.skipped
    assert "entities:rules-cjk" in analysis.analyzers and "sentences:rules-cjk" in analysis.analyzers
    assert len(analysis.sentences) >= 2


def test_relative_dates_count_from_the_publication_date(analyzer: Analyzer) -> None:
    text = "Council Vote\n\nThe council voted last Friday to close the old bridge, which opened in 1983."
    article = make_article(text=text, published="2026-06-24")
    assert anchor_date(article) is not None
    dates = {e.date for e in analyzer(article).events}
    assert "2026-06-19" in dates


def test_listed_quotes_take_a_trailing_speaker() -> None:
    text = "Title Line Here\n\nKey quotes\n\n“We will build it.” — Mayor Ana Ruiz\n\nCosts will fall, not rise."
    quotes = listed_quotes(text, find_sections(text))
    assert [(q.text, q.speaker) for q in quotes] == [
        ("We will build it.", "Mayor Ana Ruiz"),
        ("Costs will fall, not rise.", None),
    ]


def test_worker_processes_give_the_same_analyses(
    seed_articles: dict[str, Article], seed_analyses: dict[str, Analysis]
) -> None:
    parallel = Analyzer(AnalyzeSettings(processes=2, batch_size=2))
    results = list(parallel.many(seed_articles.values()))
    assert results == [seed_analyses[key] for key in seed_articles]
