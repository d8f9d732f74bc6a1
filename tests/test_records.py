import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.errors import InvalidRecord
from storyline.records import (
    Article,
    BriefItem,
    Evidence,
    Provenance,
    Quote,
    Removal,
    Section,
    Story,
    StoryMember,
    from_dict,
    to_dict,
)

texts = st.text(max_size=40)
spans = st.tuples(st.integers(0, 1000), st.integers(0, 1000)).map(sorted)


@st.composite
def evidence(draw: st.DrawFn) -> Evidence:
    start, end = draw(spans)
    return Evidence(draw(texts), start, end)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    start, end = draw(spans)
    return Article(
        id=draw(texts),
        text=draw(texts),
        title=draw(texts),
        url=draw(st.none() | texts),
        locations=tuple(draw(st.lists(texts, max_size=3))),
        authors=tuple(draw(st.lists(texts, max_size=3))),
        published=draw(st.none() | texts),
        flags=tuple(draw(st.lists(texts, max_size=3))),
        provenance=(Provenance("title", draw(texts), draw(st.floats(0, 1)), draw(st.none() | evidence())),),
        sections=(Section(draw(texts), start, end),),
        removed=(Removal(draw(texts), draw(texts)),),
    )


@given(articles())
def test_article_survives_a_dict_round_trip(article: Article) -> None:
    assert from_dict(Article, to_dict(article)) == article


@given(st.lists(evidence(), min_size=1, max_size=4), texts)
def test_brief_item_survives_a_dict_round_trip(items: list[Evidence], text: str) -> None:
    item = BriefItem(text, tuple(items), support=len(items), speaker=text or None)
    assert from_dict(BriefItem, to_dict(item)) == item


def test_nested_records_and_optional_tuples_round_trip() -> None:
    story = Story("s1", (StoryMember("a1", "original", ("a0",), 0.5),), created_at="2026-06-19")
    quote = Quote("We are afraid", 10, 23, "Kevin Xu", (0, 8), "said")
    assert from_dict(Story, to_dict(story)) == story
    assert from_dict(Quote, to_dict(quote)) == quote


def test_records_are_frozen() -> None:
    span = Evidence("a", 0, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 2  # type: ignore[misc]


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (5, 4)])
def test_evidence_rejects_bad_spans(start: int, end: int) -> None:
    with pytest.raises(InvalidRecord):
        Evidence("a", start, end)


def test_a_brief_item_needs_evidence() -> None:
    with pytest.raises(InvalidRecord, match="without evidence"):
        BriefItem("Free-floating claim", ())


def test_from_dict_rejects_unknown_fields_and_wrong_types() -> None:
    with pytest.raises(InvalidRecord, match="unknown fields"):
        from_dict(Evidence, {"article_id": "a", "start": 0, "end": 1, "extra": 1})
    with pytest.raises(InvalidRecord, match="expected int"):
        from_dict(Evidence, {"article_id": "a", "start": "0", "end": 1})
    with pytest.raises(InvalidRecord, match="missing"):
        from_dict(Evidence, {"article_id": "a"})
