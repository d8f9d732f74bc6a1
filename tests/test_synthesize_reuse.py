"""A rewrite's evidence: the sentences it took from its origin (span pairs) and those that add facts."""

from conftest import make_article
from storyline.analyze.article import Analyzer
from storyline.records import StoryMember
from storyline.synthesize.brief import write_brief
from storyline.synthesize.bundle import SourceArticle, StoryInput

ORIGIN = """Council approves harbour bridge
The city council approved the new harbour bridge on Monday after a long debate.

The bridge will cost 40 million euros and open in 2028, the council said.

Residents of the east bank had asked for a crossing for years."""

REWRITE = """Harbour bridge gets the green light
As first reported by the Harbour Times, the city council approved the new harbour bridge on Monday after a debate.

Residents of the east bank had asked for a crossing for years.

Mayor Ana Ruiz said the contract would go to Baltic Steel, which bid 38 million euros.

Officials did not immediately respond to a request for comment.

This story was first reported by Harbour Times."""


def test_a_rewrite_shows_what_it_took_and_what_it_added(analyzer: Analyzer) -> None:
    origin = make_article(text=ORIGIN, title=ORIGIN.split("\n")[0], outlet="Harbour Times")
    rewrite = make_article(text=REWRITE, title=REWRITE.split("\n")[0], outlet="Blog")
    story = StoryInput(
        "s",
        [
            SourceArticle(origin, analyzer(origin), StoryMember(origin.id, "original")),
            SourceArticle(
                rewrite,
                analyzer(rewrite),
                StoryMember(rewrite.id, "derivative", (origin.id,), 0.9, 0.95, "credits Harbour Times"),
            ),
        ],
    )
    sources = {s.article_id: s for s in write_brief(story).sources}
    derived = sources[rewrite.id]
    assert (derived.confidence, derived.basis) == (0.95, "credits Harbour Times")
    pairs = [(REWRITE[r.copy.start : r.copy.end], ORIGIN[r.origin.start : r.origin.end]) for r in derived.reused]
    assert any("approved the new harbour bridge" in a and "approved the new harbour bridge" in b for a, b in pairs)
    assert ("Residents of the east bank had asked for a crossing for years.",) * 2 in pairs
    added = [REWRITE[e.start : e.end] for e in derived.added]
    assert added == ["Mayor Ana Ruiz said the contract would go to Baltic Steel, which bid 38 million euros."]
    assert sources[origin.id].reused == () and sources[origin.id].added == ()
