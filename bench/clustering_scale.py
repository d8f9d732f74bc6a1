"""Per-article assignment time of the clustering stage with 10k, 100k and 1M stored articles.

The stored articles are perturbed copies of the ECB+ and NeuS documents: each synthetic story (5 articles)
takes one real document, replaces 70% of its TF-IDF columns with random ones and moves its MiniLM embedding
by Gaussian noise (cosine about 0.6 to the original), so that stories made from the same document are
different events of the same kind; each article then drops 20% of the story's columns and adds a little
embedding noise. All stored articles are undated, so all of them stay in the active window and in the ANN
index: the index, not the window, has to keep the cost flat. The new articles are real documents (ids
changed, the last sentence dropped), featurized for real, in three batches of 400 (median reported, after
an untimed warm-up run); their embeddings are computed once beforehand, so the figure is the assignment cost
alone (embedding cost per article does not depend on the corpus size; bench/clustering.py reports it).

Run: .venv/bin/python bench/clustering_scale.py [SIZES]   (default 10000,100000,1000000)
"""

import dataclasses
import sys
import time
from typing import Any

import numpy as np

from clustering import Precomputed, load_sets
from common import table, write_results
from storyline.cluster import ClusterSettings, ClusterState, Embedder, cluster_articles
from storyline.cluster.embed import embedding_text
from storyline.cluster.features import HASH_BITS, count_features, weigh_features
from storyline.cluster.state import ArticleRecord, StoryRecord
from storyline.records import Article

STORY_SIZE = 5
NEW_ARTICLES = 400
REPEATS = 3  # three disjoint batches of new articles per size; the median time is reported


def real_features(articles: list[Article], embedder: Precomputed) -> tuple[list[Any], np.ndarray, np.ndarray]:
    counts = [count_features(a.title, a.text) for a in articles]
    frequency = np.zeros(1 << HASH_BITS, np.uint32)
    for c in counts:
        frequency[np.fromiter(c.columns(), np.int64)] += 1
    settings = ClusterSettings()
    rows = weigh_features(
        counts, frequency, len(counts), (settings.word_weight, settings.number_weight, settings.date_weight)
    )
    vectors = np.stack([embedder.cache[embedding_text(a.title, a.text)] for a in articles])
    return rows, vectors, frequency


def build_state(
    size: int, rows: list[Any], vectors: np.ndarray, frequency: np.ndarray, model_id: str, seed: int = 0
) -> ClusterState:
    rng = np.random.default_rng(seed)
    settings = ClusterSettings()
    state = ClusterState(model_id, vectors.shape[1], settings.local_neighbours)
    state.documents = size
    state.document_frequency = (frequency.astype(np.float64) * size / len(rows)).astype(np.uint32)
    minhash = np.zeros(settings.num_perm, np.uint64)
    embeddings = np.zeros((size, vectors.shape[1]), np.float32)
    dim = vectors.shape[1]
    for story_number in range(size // STORY_SIZE):
        base = int(rng.integers(len(rows)))
        centre = vectors[base] + rng.normal(scale=1.2 / np.sqrt(dim), size=dim)
        columns, values = rows[base]
        swap = rng.random(len(columns)) < 0.7  # a different event of the same kind: most terms replaced
        columns = np.where(swap, rng.integers(0, 1 << HASH_BITS, len(columns)), columns).astype(np.int32)
        order = np.argsort(columns)
        columns, values = columns[order], values[order]
        story_id = f"st_synthetic{story_number:08d}"
        slots = list(range(story_number * STORY_SIZE, (story_number + 1) * STORY_SIZE))
        for slot in slots:
            keep = rng.random(len(columns)) > 0.2
            vector = centre + rng.normal(scale=0.3 / np.sqrt(dim), size=dim)
            embeddings[slot] = vector / np.linalg.norm(vector)
            article_id = f"synthetic-{slot:09d}"
            state.articles[slot] = ArticleRecord(
                article_id=article_id,
                slot=slot,
                story_id=story_id,
                seq=slot,
                time=None,
                published=None,
                outlet=None,
                language=None,
                authors=(),
                title_key="",
                columns=columns[keep],
                values=values[keep],
                top=np.array([0.6, 0.5], np.float32),
                minhash=minhash,
                shingles=100,
                credits=(),
            )
            state.assigned[article_id] = story_id
        state.stories[story_id] = StoryRecord(story_id, story_number, "", "", slots)
        state.used_story_ids.add(story_id)
    state.next_slot = state.next_seq = size
    state.next_story_seq = size // STORY_SIZE
    state.index.add(np.arange(size, dtype=np.uint64), embeddings)
    return state


def new_articles(articles: list[Article], count: int, seed: int = 1) -> list[Article]:
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(articles), size=count, replace=False)
    out = []
    for number, index in enumerate(picked.tolist()):
        source = articles[index]
        body = source.text.rsplit(". ", 1)[0] + "." if ". " in source.text else source.text
        out.append(dataclasses.replace(source, id=f"new-{number:05d}", text=body))
    return out


def main() -> None:
    sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "10000,100000,1000000").split(",")]
    sets = load_sets()
    articles = sets["ecbplus"][0] + sets["neus"][0]
    picked = new_articles(articles, NEW_ARTICLES * REPEATS)
    incoming = [picked[i * NEW_ARTICLES : (i + 1) * NEW_ARTICLES] for i in range(REPEATS)]
    minilm = Embedder.minilm()
    embedder = Precomputed(minilm, [embedding_text(a.title, a.text) for a in articles + picked])
    rows, vectors, frequency = real_features(articles, embedder)
    results: dict[str, Any] = {"new_articles": NEW_ARTICLES, "repeats": REPEATS, "story_size": STORY_SIZE, "sizes": {}}
    warm = build_state(2_000, rows, vectors, frequency, minilm.model_id)
    cluster_articles([(a, None) for a in incoming[0]], warm, ClusterSettings(), embedder)  # warm-up, not timed
    for size in sizes:
        start = time.perf_counter()
        state = build_state(size, rows, vectors, frequency, minilm.model_id)
        build = time.perf_counter() - start
        timings = []
        for batch in incoming:
            start = time.perf_counter()
            result = cluster_articles([(a, None) for a in batch], state, ClusterSettings(), embedder)
            timings.append(time.perf_counter() - start)
        seconds = float(np.median(timings))
        start = time.perf_counter()
        blob = result.state.to_bytes() if size <= 100_000 else b""
        save = time.perf_counter() - start
        entry = {
            "build_seconds": build,
            "assign_seconds": seconds,
            "repeat_seconds": timings,
            "ms_per_article": 1000 * seconds / NEW_ARTICLES,
            "stories_changed": len(result.stories),
            "events": len(result.events),
            "state_bytes": len(blob) or None,
            "to_bytes_seconds": save if blob else None,
        }
        results["sizes"][str(size)] = entry
        print(
            f"{size:>9,} stored: {entry['ms_per_article']:.2f} ms/article (build {build:.0f} s, "
            f"{len(result.stories)} stories changed)",
            flush=True,
        )
        del state, result
    base = results["sizes"][str(sizes[0])]["ms_per_article"]
    for size in sizes:
        results["sizes"][str(size)]["ratio_to_smallest"] = results["sizes"][str(size)]["ms_per_article"] / base
    rows_md = [
        [f"{s:,}", v["ms_per_article"], v["ratio_to_smallest"], f"{v['build_seconds']:.0f}"]
        for s, v in ((int(k), v) for k, v in results["sizes"].items())
    ]
    markdown = "## Clustering at scale\n\n" + table(
        ["stored articles", "ms / new article", "x smallest", "build s"], rows_md
    )
    write_results("clustering_scale", results, markdown)


if __name__ == "__main__":
    main()
