"""Local density (mu) counts an article's neighbours among other reports, never its own near-verbatim copies nor
its rewrites (versions of one text)."""

import numpy as np
import pytest

from storyline.cluster import ClusterSettings, Embedder, cluster_articles
from storyline.cluster.assign import DUPLICATE_SIMILARITY, TextPrint, sparse_dots, update_top, versions
from storyline.cluster.lineage import Shingler, sentence_hashes
from storyline.extract.article import article_id
from storyline.records import Article
from streams import NOW, static_embedder


def test_copies_are_not_neighbours_in_the_local_density() -> None:
    top = np.zeros(2, np.float32)
    found = update_top(top, np.array([0.95, DUPLICATE_SIMILARITY, 0.5, 0.3]), 2)
    assert found.tolist() == [0.5, np.float32(0.3)]


def test_a_copy_arriving_later_leaves_the_density_as_it_was() -> None:
    top = np.array([0.5, 0.3], np.float32)
    assert update_top(top, np.array([0.94]), 2).tolist() == top.tolist()
    assert update_top(top, np.array([0.6]), 2).tolist() == [np.float32(0.6), 0.5]


# --- versions of one text (a copy, or a rewrite that keeps most of it) are not neighbours either ---------------

ORIGINAL = [
    "Flood waters swept through the town of Marlow Bay on Tuesday night, forcing 1,240 residents from their homes.",
    "The river rose 3.2 metres in six hours after two days of heavy rain across the valley, the Water Board said.",
    "Mayor Ines Okafor said emergency shelters had opened in three schools and the sports hall on Dune Road.",
    "Rail services between Marlow Bay and Eastcote were suspended after a section of track was washed away.",
    "The Water Board said repairs to the flood barrier would cost about 14 million and take until the spring.",
    "Forecasters expect more rain over the weekend, and residents were told not to return before Friday.",
]
OTHER_REPORT = (
    "Marlow Bay flood: 1,240 evacuated as the river bursts its banks\n\n"
    "More than a thousand people spent Tuesday night in school halls after the river burst its banks in Marlow "
    "Bay. Ines Okafor, the mayor, told reporters that the town had never seen water rise so fast. Trains to "
    "Eastcote are not running, and the Water Board puts the cost of fixing the barrier at 14 million. Residents "
    "should stay away until Friday at the earliest, officials said."
)


def _rewrite(sentences: list[str], credit: str | None) -> str:
    """The original with one sentence dropped, two swapped, a filler and a new fact added (and a credit)."""
    out = sentences[:3] + sentences[4:]
    out[1], out[2] = out[2], out[1]
    out.insert(2, "Officials did not immediately respond to a request for comment.")
    out.insert(4, "Noel Ashby, a council spokesperson, said 41 staff had been assigned to the shelters.")
    if credit:
        out.append(f"This story was first reported by {credit}.")
    return " ".join(out)


def _print(text: str) -> TextPrint:
    minhash, _ = Shingler().signature(text)
    return TextPrint(minhash, sentence_hashes(text))


def test_a_copy_and_a_rewrite_are_versions_of_their_original_and_a_report_sharing_a_few_sentences_is_not() -> None:
    original = " ".join(ORIGINAL)
    assert versions(_print(original), _print(_rewrite(ORIGINAL, "Valley Herald")))
    assert versions(_print(original), _print(original + "\n\nCopyright 2026 Daily Ledger. All rights reserved."))
    two_wire_sentences = " ".join([ORIGINAL[0], ORIGINAL[4], *OTHER_REPORT.split(". ")[1:4]])
    assert not versions(_print(original), _print(two_wire_sentences))
    assert not versions(_print(original), _print(OTHER_REPORT))
    no_sentences = TextPrint(_print(original).minhash, None)  # a state written before sentence fingerprints
    assert versions(no_sentences, _print(original + " Updated at noon."))


@pytest.fixture(scope="module")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    return static_embedder(tmp_path_factory.mktemp("static") / "table.npy")


def _article(title: str, text: str, outlet: str, published: str) -> Article:
    body = f"{title}\n\n{text}"
    return Article(article_id(body), body, title, outlet=outlet, published=published, language="en")


def test_an_original_with_rewrites_keeps_its_density_and_joins_the_other_outlets_report(embedder: Embedder) -> None:
    title = "Flood forces 1,240 from their homes in Marlow Bay"
    original = _article(title, " ".join(ORIGINAL), "Coastal Post", "2026-03-03T08:00:00+00:00")
    credited = _article(title, _rewrite(ORIGINAL, "Coastal Post"), "Valley Herald", "2026-03-04T08:00:00+00:00")
    uncredited = _article(title, _rewrite(ORIGINAL[::-1], None), "Newsline", "2026-03-03T20:00:00+00:00")
    headline, _, body = OTHER_REPORT.partition("\n\n")
    other = _article(headline, body, "Metro Wire", "2026-03-03T12:00:00+00:00")
    articles = [original, credited, uncredited, other]
    result = cluster_articles([(a, None) for a in articles], None, ClusterSettings(), embedder, NOW)
    state = result.state
    assert len({state.assigned[a.id] for a in articles}) == 1
    by_id = {r.article_id: r for r in state.articles.values()}
    mine = by_id[original.id]
    for rewrite in (by_id[credited.id], by_id[uncredited.id]):
        rows = [(mine.columns, mine.values)], [(rewrite.columns, rewrite.values)]
        vectors = state.embeddings(np.array([mine.slot, rewrite.slot], np.int64))
        similarity = float(sparse_dots(*rows)[0, 0]) + ClusterSettings().embedding_weight * float(
            vectors[0] @ vectors[1]
        )
        assert similarity < DUPLICATE_SIMILARITY  # a rewrite, not a near-verbatim copy
        assert similarity > float(mine.top.max())  # closer than every neighbour its local density counts
