"""Per-article assignment time of the clustering stage after 10k, 100k and 1M stored articles.

The stored articles are a synthetic news stream built from the ECB+ and NeuS documents:

- Each synthetic story (5 articles) takes one real document, replaces 70% of its TF-IDF columns with random
  ones and moves its MiniLM embedding by Gaussian noise (cosine about 0.6 to the original), so that stories
  made from the same document are different events of the same kind; each article then drops 20% of the
  story's columns and adds a little embedding noise.
- Dates: stories start one after another at `ARTICLES_PER_DAY` = 300 articles a day (a mid-sized
  aggregator's English news), and a story's five articles come out over its first two and a half days (0,
  0.3, 0.8, 1.5 and 2.5 days after it starts). 1M articles thus span about nine years of news.
- The stream goes into the state day by day through the state's own operations (`index_embeddings`,
  `add_article`, `due_to_retire`/`make_dormant`): each day's articles are inserted in the ANN index, and stories
  idle for `retire_after_days` leave the active state and the index for the dormant set, exactly as
  `cluster_articles` does. Only the
  text featurization is skipped (the features are synthesized). So the active window holds the last two
  weeks of stories whatever the corpus size, while the index has seen every insert and removal and the
  state keeps every assigned article id and the document frequencies of all N articles.

The new articles are real documents (ids changed, the last sentence dropped), dated on the day after the
stream ends, featurized for real, in three batches of 400 (median reported, after an untimed warm-up run);
their embeddings are computed once beforehand, so the figure is the assignment cost alone (embedding cost
does not depend on the corpus size; bench/clustering.py reports the whole stage).

`--undated` runs the worst case instead: every stored article undated, so nothing ever retires and the whole
corpus stays active and in the index (what the previous version of this bench measured).

Run: .venv/bin/python bench/clustering_scale.py [--undated] [--sizes 10000,100000,1000000]
"""

import argparse
import dataclasses
import datetime as dt
import os
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
ARTICLES_PER_DAY = 300
OFFSETS_DAYS = (0.0, 0.3, 0.8, 1.5, 2.5)  # when a story's five articles come out, after it starts
START_DAY = dt.datetime(2015, 1, 1, tzinfo=dt.UTC).timestamp() / 86400.0
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


@dataclasses.dataclass
class Stream:
    """The synthetic stream: per article its slot, story number, time (epoch days or None) and embedding."""

    times: np.ndarray  # (N,) float64, NaN when undated
    stories: np.ndarray  # (N,) story number
    embeddings: np.ndarray  # (N, dim) float32
    columns: list[np.ndarray]  # per story
    values: list[np.ndarray]


def make_stream(size: int, rows: list[Any], vectors: np.ndarray, dated: bool, seed: int = 0) -> Stream:
    rng = np.random.default_rng(seed)
    dim = vectors.shape[1]
    count = size // STORY_SIZE
    bases = rng.integers(len(rows), size=count)
    centres = vectors[bases] + rng.normal(scale=1.2 / np.sqrt(dim), size=(count, dim))
    stories = np.repeat(np.arange(count), STORY_SIZE)
    noisy = centres[stories] + rng.normal(scale=0.3 / np.sqrt(dim), size=(len(stories), dim))
    embeddings = (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)
    starts = START_DAY + np.arange(count) * STORY_SIZE / ARTICLES_PER_DAY
    times = (starts[:, None] + np.array(OFFSETS_DAYS)[None, :]).ravel() if dated else np.full(len(stories), np.nan)
    columns, values = [], []
    for base in bases.tolist():
        cols, vals = rows[base]
        swap = rng.random(len(cols)) < 0.7  # a different event of the same kind: most terms replaced
        cols = np.where(swap, rng.integers(0, 1 << HASH_BITS, len(cols)), cols).astype(np.int32)
        order = np.argsort(cols)
        columns.append(cols[order])
        values.append(vals[order])
    return Stream(times, stories, embeddings, columns, values)


def feed_stream(stream: Stream, frequency: np.ndarray, n_rows: int, model_id: str, seed: int = 1) -> ClusterState:
    """Insert the stream into a fresh state day by day, retiring idle stories as cluster_articles does."""
    rng = np.random.default_rng(seed)
    settings = ClusterSettings()
    state = ClusterState(model_id, stream.embeddings.shape[1], settings.local_neighbours)
    size = len(stream.stories)
    state.documents = size
    state.document_frequency = (frequency.astype(np.float64) * size / n_rows).astype(np.uint32)
    minhash = np.zeros(settings.num_perm, np.uint64)
    order = np.argsort(np.nan_to_num(stream.times, nan=0.0), kind="stable")
    days = np.floor(np.nan_to_num(stream.times[order], nan=0.0))
    bounds = np.flatnonzero(np.diff(days)) + 1
    for batch in np.split(order, bounds):
        state.index_embeddings(batch.astype(np.int64), stream.embeddings[batch])
        for slot in batch.tolist():
            number = int(stream.stories[slot])
            story_id = f"st_synthetic{number:08d}"
            time_ = None if np.isnan(stream.times[slot]) else float(stream.times[slot])
            keep = rng.random(len(stream.columns[number])) > 0.2
            record = ArticleRecord(
                article_id=f"synthetic-{slot:09d}",
                slot=slot,
                story_id=story_id,
                seq=slot,
                time=time_,
                published=None if time_ is None else dt.datetime.fromtimestamp(time_ * 86400, dt.UTC).isoformat(),
                outlet=None,
                language=None,
                authors=(),
                title_key="",
                columns=stream.columns[number][keep],
                values=stream.values[number][keep],
                top=np.array([0.6, 0.5], np.float32),
                minhash=minhash,
                shingles=100,
                credits=(),
            )
            if story_id not in state.stories:
                state.stories[story_id] = StoryRecord(story_id, number, "", "", [])
                state.used_story_ids.add(story_id)
            state.stories[story_id].members.append(slot)
            state.add_article(record)
        for story_id in state.due_to_retire(settings.retire_after_days):
            state.make_dormant(story_id)
    state.next_slot = state.next_seq = size
    state.next_story_seq = int(stream.stories.max()) + 1
    return state


def new_articles(articles: list[Article], count: int, published: str | None, seed: int = 1) -> list[Article]:
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(articles), size=count, replace=False)
    out = []
    for number, index in enumerate(picked.tolist()):
        source = articles[index]
        body = source.text.rsplit(". ", 1)[0] + "." if ". " in source.text else source.text
        out.append(dataclasses.replace(source, id=f"new-{number:05d}", text=body, published=published))
    return out


def after_stream(size: int) -> str:
    """Noon of the day after a stream of `size` dated articles ends."""
    last = START_DAY + (size // STORY_SIZE) * STORY_SIZE / ARTICLES_PER_DAY + max(OFFSETS_DAYS)
    return dt.datetime.fromtimestamp((np.floor(last) + 1.5) * 86400, dt.UTC).isoformat()


def measure(size: int, dated: bool, data: dict[str, Any]) -> dict[str, Any]:
    start = time.perf_counter()
    stream = make_stream(size, data["rows"], data["vectors"], dated)
    state = feed_stream(stream, data["frequency"], len(data["rows"]), data["model_id"])
    build = time.perf_counter() - start
    del stream
    published = after_stream(size) if dated else None
    batches = [new_articles(data["articles"], NEW_ARTICLES * REPEATS, published)[i::REPEATS] for i in range(REPEATS)]
    timings, loads = [], []
    for batch in batches:
        begin = time.perf_counter()
        result = cluster_articles([(a, None) for a in batch], state, ClusterSettings(), data["embedder"])
        timings.append(time.perf_counter() - begin)
        loads.append(os.getloadavg()[0])
    begin = time.perf_counter()
    blob = result.state.to_bytes()
    save = time.perf_counter() - begin
    seconds = float(np.median(timings))
    return {
        "build_seconds": build,
        "assign_seconds": seconds,
        "repeat_seconds": timings,
        "load_average_1min": loads,
        "ms_per_article": 1000 * seconds / NEW_ARTICLES,
        "active_articles": len(state.articles),
        "active_stories": len(state.stories),
        "index_size": len(state.index),
        "assigned_ids": len(state.assigned),
        "stories_changed": len(result.stories),
        "state_bytes": len(blob),
        "to_bytes_seconds": save,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--undated", action="store_true", help="every stored article undated: nothing retires")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    dated = not args.undated
    sets = load_sets()
    articles = sets["ecbplus"][0] + sets["neus"][0]
    minilm = Embedder.minilm()
    picked = new_articles(articles, NEW_ARTICLES * REPEATS, None)
    embedder = Precomputed(minilm, [embedding_text(a.title, a.text) for a in articles + picked])
    rows, vectors, frequency = real_features(articles, embedder)
    data = {
        "articles": articles,
        "embedder": embedder,
        "rows": rows,
        "vectors": vectors,
        "frequency": frequency,
        "model_id": minilm.model_id,
    }
    name = "clustering_scale" if dated else "clustering_scale_undated"
    results: dict[str, Any] = {
        "new_articles": NEW_ARTICLES,
        "repeats": REPEATS,
        "story_size": STORY_SIZE,
        "dated": dated,
        "articles_per_day": ARTICLES_PER_DAY if dated else None,
        "retire_after_days": ClusterSettings().retire_after_days,
        "sizes": {},
    }
    measure(2_000, dated, data)  # warm-up, not reported
    for size in sizes:
        entry = measure(size, dated, data)
        results["sizes"][str(size)] = entry
        print(
            f"{size:>9,} stored: {entry['ms_per_article']:.2f} ms/article (build {entry['build_seconds']:.0f} s, "
            f"{entry['active_articles']:,} active, to_bytes {entry['to_bytes_seconds']:.1f} s, "
            f"{entry['state_bytes'] / 1e6:.0f} MB, load {max(entry['load_average_1min']):.2f})",
            flush=True,
        )
    base = results["sizes"][str(sizes[0])]["ms_per_article"]
    for size in sizes:
        results["sizes"][str(size)]["ratio_to_smallest"] = results["sizes"][str(size)]["ms_per_article"] / base
    rows_md = [
        [
            f"{s:,}",
            v["ms_per_article"],
            v["ratio_to_smallest"],
            f"{v['active_articles']:,}",
            f"{v['state_bytes'] / 1e6:.0f}",
            f"{v['to_bytes_seconds']:.2f}",
            f"{v['build_seconds']:.0f}",
            f"{max(v['load_average_1min']):.2f}",
        ]
        for s, v in ((int(k), v) for k, v in results["sizes"].items())
    ]
    columns = ["stored articles", "ms / new article", "x smallest", "active", "state MB", "to_bytes s", "build s"]
    title = "Clustering at scale" + ("" if dated else " (undated: nothing retires)")
    markdown = f"## {title}\n\n" + table([*columns, "load"], rows_md)
    write_results(name, results, markdown)


if __name__ == "__main__":
    main()
