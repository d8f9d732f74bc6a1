"""The five bundled seed articles: one story, alone even among other news, with credited upstream sources and roles."""

import json

import pytest

from conftest import ROOT
from storyline.cluster import ClusterSettings, Embedder, cluster_articles
from storyline.extract.article import Extractor
from storyline.records import Article, Document

pytestmark = pytest.mark.slow

ROLES = {"original", "syndicated_copy", "derivative", "independent"}


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder.default(ClusterSettings())


def ecbplus_articles(extractor: Extractor) -> list[Article]:
    lines = (ROOT / "examples" / "ecbplus" / "ecbplus_sample.jsonl").read_text(encoding="utf-8").splitlines()
    out = []
    for number, line in enumerate(lines):
        item = json.loads(line)
        out.append(extractor(Document("ecb", f"ecb:{number}", f"{item['title']}\n\n{item['text']}", "text")))
    return out


def test_seeds_form_one_story_with_credited_upstream_sources(
    seed_articles: dict[str, Article], embedder: Embedder
) -> None:
    articles = list(seed_articles.values())
    result = cluster_articles([(a, None) for a in articles], None, ClusterSettings(), embedder)
    (story,) = result.stories
    assert {m.article_id for m in story.members} == {a.id for a in articles}
    assert {m.role for m in story.members} <= ROLES
    texts = {a.id: a.text for a in articles}
    credited = {c.name: texts[c.evidence.article_id][c.evidence.start : c.evidence.end] for c in story.credits}
    assert "Interconnected" in credited and "Interconnected" in credited["Interconnected"]
    assert "Kevin Xu" in credited


def test_mixed_with_other_news_the_seeds_merge_with_nothing_else(
    seed_articles: dict[str, Article], extractor: Extractor, embedder: Embedder
) -> None:
    seeds = list(seed_articles.values())
    others = ecbplus_articles(extractor)
    result = cluster_articles([(a, None) for a in others + seeds], None, ClusterSettings(), embedder)
    seed_ids = {a.id for a in seeds}
    holding = [s for s in result.stories if seed_ids & {m.article_id for m in s.members}]
    assert len(holding) == 1
    assert {m.article_id for m in holding[0].members} == seed_ids


def test_the_seeds_lineage_shows_the_op_ed_as_the_original_and_its_rewrites_derived_from_it(
    seed_articles: dict[str, Article], embedder: Embedder
) -> None:
    """003 is the op-ed (dated, bylined); 001 credits its co-author's newsletter and gives its figures; 000 runs
    its headline undated with an AI disclaimer; 004 has an empty source list and its 90 % figure."""
    articles = list(seed_articles.values())
    (story,) = cluster_articles([(a, None) for a in articles], None, ClusterSettings(), embedder).stories
    member = {m.article_id: m for m in story.members}
    origin = seed_articles["003"].id
    assert member[origin].role == "original"
    for key in ("000", "001", "004"):
        derived = member[seed_articles[key].id]
        assert (derived.role, derived.derived_from) == ("derivative", (origin,)), key
        assert derived.basis and 0 < derived.confidence < 1
    assert "credits kevin xu" in member[seed_articles["001"].id].basis
    assert member[seed_articles["000"].id].basis.startswith("same title as")
    assert member[seed_articles["004"].id].basis.startswith("has an empty source list")


def test_the_unsourced_flag_survives_the_state_round_trip(
    seed_articles: dict[str, Article], embedder: Embedder
) -> None:
    from storyline.cluster.state import ClusterState

    articles = list(seed_articles.values())
    result = cluster_articles([(a, None) for a in articles], None, ClusterSettings(), embedder)
    restored = ClusterState.from_bytes(result.state.to_bytes())
    flags = {r.article_id: r.unsourced for r in restored.articles.values()}
    assert flags[seed_articles["004"].id] == "empty_source_list"
    assert flags[seed_articles["000"].id] == "ai_generated_disclosure"
    assert flags[seed_articles["003"].id] == ""
