"""The five seed articles (read from /work/shared/seeds when present): one story, credited upstream, roles."""

import hashlib
from pathlib import Path

import pytest

from storyline.cluster import ClusterSettings, Embedder, cluster_articles
from storyline.records import Article

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"no seed articles at {SEEDS}"),
]


def seed_articles() -> list[Article]:
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.append(Article(id=hashlib.sha256(text.encode()).hexdigest(), text=text, title=text.split("\n")[0]))
    return out


def test_seeds_form_one_story_with_credited_upstream_sources() -> None:
    articles = seed_articles()
    result = cluster_articles([(a, None) for a in articles], None, ClusterSettings(), Embedder.minilm())
    assert len(result.stories) == 1
    story = result.stories[0]
    assert {m.article_id for m in story.members} == {a.id for a in articles}
    roles = {m.role for m in story.members}
    assert roles <= {"original", "syndicated_copy", "derivative", "independent"}
    texts = {a.id: a.text for a in articles}
    credited = {c.name: texts[c.evidence.article_id][c.evidence.start : c.evidence.end] for c in story.credits}
    upstream = {name for name in credited if name.startswith("Interconnect")}
    assert upstream, credited
    for name in upstream:
        assert name in credited[name]  # the evidence span names the credited source
