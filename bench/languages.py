"""Cross-lingual story clustering: SemEval-2022 Task 8 pairs, ECB+ same-subject precision, seeds, speed.

SemEval-2022 Task 8 (../shared/eval/semeval2022-task8/training_set.csv; research use only, nothing of it is
copied into the repository): 1,283 human-rated article pairs, 10 languages and 6 cross-language pairs. All
2,500 distinct articles go through `cluster_articles` as ONE stream (undated, like the file), so each pair is
judged by the pipeline's own decision rule in a realistic crowd of related news: joined = the two articles end
in one story. Reported: the share of same-story pairs (Overall <= 1.5) joined, of different-story pairs
(Overall >= 3.5) joined, and of the middle band; and Pearson between the pipeline's pair score (the raw
similarity s(a, b) the linkage uses, from the final state) and -Overall, overall and per language pair.

Configurations: the English MiniLM path as it was (anchor), USE multilingual alone in the same pipeline, and
the combination (the defaults: MiniLM for English, USE across and for other languages, name keys). The few
free weights of the combination are chosen on a small grid by 5-fold cross-validation over pair ids (folds by
a hash of the pair id): per fold, the grid point that scores best on the other four folds' pairs is applied
to the held-out pairs, and the held-out figures are pooled. The in-sample figure of the defaults is shown beside.

ECB+ (train+dev, CC BY): each topic holds two sub-topics, two different events of one kind (two earthquakes,
two acquisitions): a same-subject precision test. Reported: B3 precision/recall/F1 against sub-topics, and the
share of same-topic, different-sub-topic pairs that end in one story. The ECB+ documents carry no publication
dates: the run "with analysis" adds the analysis stage's normalized time expressions and entities, the run
"text only" uses the text alone. NeuS (val) is reported as the second English set of docs/benchmarks.md.

Speed: `cluster_articles` end to end (embedding included, nothing precomputed) on the mixed-language SemEval
stream and on English ECB+, the combination and the English MiniLM path interleaved round by round (so they
share the load of the shared machine), with the 1-minute load average beside each figure.

Run: .venv/bin/python bench/languages.py [--quick | --speed | --diagnose]
"""

import argparse
import csv
import hashlib
import math
import os
import sys
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from clustering import bcubed, load_sets
from common import ROOT, eval_dir, require, table, write_results
from storyline.cluster import ClusterSettings, Embedder, cluster_articles
from storyline.cluster.embed import embedding_text
from storyline.cluster.multilingual import MultilingualEmbedder, load_use
from storyline.cluster.state import ClusterState
from storyline.records import Analysis, Article

SAME, DIFFERENT = 1.5, 3.5
FOLDS = 5


@dataclass(frozen=True)
class Pair:
    pair_id: str
    first: str  # article ids
    second: str
    languages: str  # "de-en"
    overall: float


def load_semeval() -> tuple[list[Article], list[Pair]]:
    path = require(eval_dir() / "semeval2022-task8" / "training_set.csv", "SemEval-2022 Task 8 pairs")
    articles: dict[str, Article] = {}
    pairs = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            ids = []
            for side in ("1", "2"):
                article = semeval_article(row[f"text{side}"], row[f"lang{side}"])
                articles.setdefault(article.id, article)
                ids.append(article.id)
            languages = f"{row['lang1']}-{row['lang2']}"
            pairs.append(Pair(row["pair_id"], ids[0], ids[1], languages, float(row["Overall"])))
    return list(articles.values()), pairs


def semeval_article(raw: str, language: str) -> Article:
    """The file's text is "title  body" (two spaces); the title is its first part when that is short."""
    text = raw.strip()
    title, _, body = text.partition("  ")
    if not body or len(title) > 300:
        title, body = text[:120], text
    full = f"{title.strip()}\n{body.strip()}"
    digest = hashlib.sha256(f"{language}:{full}".encode()).hexdigest()
    return Article(id=digest, text=full, title=title.strip(), language=language)


class CachedEncoder:
    """USE vectors computed once per text (every configuration shares one embedding pass)."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.inner = load_use()
        todo = list(dict.fromkeys(texts))
        start = time.perf_counter()
        vectors = np.vstack([self.inner.encode(todo[i : i + 64]) for i in range(0, len(todo), 64)])
        self.seconds = time.perf_counter() - start
        self.cache = dict(zip(todo, vectors, strict=True))

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            self.cache.update(zip(missing, self.inner.encode(missing), strict=True))
        return np.stack([self.cache[t] for t in texts]).astype(np.float32)


class CachedMiniLM(Embedder):
    """MiniLM vectors computed once per text, on first use."""

    def __init__(self, inner: Embedder) -> None:
        super().__init__(inner.model_id, inner.tokenizer, inner.session, inner.table, inner.max_tokens)
        self.inner, self.cache = inner, {}
        self.seconds = 0.0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            start = time.perf_counter()
            self.cache.update(zip(missing, self.inner.embed(missing), strict=True))
            self.seconds += time.perf_counter() - start
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


class UseOnly(Embedder):
    """USE multilingual for every article (no MiniLM): the 'USE alone' configuration."""

    def __init__(self, minilm: Embedder, encoder: CachedEncoder, lead_chars: int) -> None:
        super().__init__("use-only", minilm.tokenizer, session=minilm.session)
        self.encoder, self.lead_chars, self.dim = encoder, lead_chars, 512

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return self.encoder.encode([t[: self.lead_chars] for t in texts])


def pair_scores(state: ClusterState, pairs: Sequence[Pair], settings: ClusterSettings) -> np.ndarray:
    """The raw pair similarity s(a, b) of the final state: sparse rows dotted + embedding weight x embedding dot."""
    slot = {record.article_id: record.slot for record in state.articles.values()}
    out = np.zeros(len(pairs))
    for number, pair in enumerate(pairs):
        a, b = state.articles[slot[pair.first]], state.articles[slot[pair.second]]
        common, left, right = np.intersect1d(a.columns, b.columns, return_indices=True)
        lexical = float(a.values[left] @ b.values[right]) if len(common) else 0.0
        vectors = state.embeddings(np.array([a.slot, b.slot], np.int64))
        out[number] = lexical + settings.embedding_weight * float(vectors[0] @ vectors[1])
    return out


def judge(labels: dict[str, str], scores: np.ndarray, pairs: Sequence[Pair], mask: np.ndarray) -> dict[str, Any]:
    """Join shares per gold band and Pearson (overall, per language pair) over the pairs under `mask`."""
    chosen = [p for p, keep in zip(pairs, mask, strict=True) if keep]
    s = scores[mask]
    gold = -np.array([p.overall for p in chosen])
    joined = np.array([labels[p.first] == labels[p.second] for p in chosen])
    bands = {
        "same": np.array([p.overall <= SAME for p in chosen]),
        "different": np.array([p.overall >= DIFFERENT for p in chosen]),
    }
    bands["middle"] = ~(bands["same"] | bands["different"])
    out: dict[str, Any] = {"pairs": len(chosen), "pearson": float(np.corrcoef(s, gold)[0, 1])}
    for band, where in bands.items():
        out[f"{band}_pairs"] = int(where.sum())
        out[f"{band}_joined"] = float(joined[where].mean()) if where.any() else float("nan")
    per: dict[str, Any] = {}
    languages = np.array([p.languages for p in chosen])
    for code in sorted(set(languages.tolist())):
        where = languages == code
        per[code] = {"pairs": int(where.sum()), "pearson": float(np.corrcoef(s[where], gold[where])[0, 1])}
        for band in ("same", "different"):
            inside = where & bands[band]
            per[code][f"{band}_joined"] = float(joined[inside].mean()) if inside.any() else float("nan")
    out["per_language_pair"] = per
    return out


def run_semeval(
    articles: list[Article], pairs: list[Pair], embedder: Embedder, settings: ClusterSettings
) -> tuple[dict[str, str], np.ndarray]:
    result = cluster_articles([(a, None) for a in articles], None, settings, embedder, now="2026-01-01T00:00:00+00:00")
    return dict(result.state.assigned), pair_scores(result.state, pairs, settings)


def objective(figures: dict[str, Any]) -> float:
    """What the grid maximizes on training pairs: same-story joins minus three times different-story joins
    (the goals are >= 92 % and <= 3 %, so a wrong join costs more than a missed one), plus Pearson."""
    return float(figures["same_joined"] - 3 * figures["different_joined"] + figures["pearson"])


def cross_validate(
    articles: list[Article],
    pairs: list[Pair],
    make: Any,
    grid: list[dict[str, float]],
) -> dict[str, Any]:
    """Choose a grid point on 4 folds of pair ids, measure on the 5th; pooled held-out figures."""
    fold = np.array([zlib.crc32(p.pair_id.encode()) % FOLDS for p in pairs])
    runs = []
    for point in grid:
        embedder, settings = make(point)
        labels, scores = run_semeval(articles, pairs, embedder, settings)
        runs.append((point, labels, scores))
        everything = judge(labels, scores, pairs, np.ones(len(pairs), bool))
        print(
            f"  grid {point}: same {everything['same_joined']:.3f} different {everything['different_joined']:.3f}"
            f" pearson {everything['pearson']:.3f}",
            flush=True,
        )
    held_scores = np.zeros(len(pairs))
    held_labels: list[tuple[str, str]] = [("", "")] * len(pairs)
    chosen = []
    for number in range(FOLDS):
        train = fold != number
        best = max(runs, key=lambda run: objective(judge(run[1], run[2], pairs, train)))
        chosen.append(best[0])
        for index in np.flatnonzero(~train).tolist():
            held_scores[index] = best[2][index]
            same = best[1][pairs[index].first] == best[1][pairs[index].second]
            held_labels[index] = ("a", "a") if same else ("a", "b")
    # Pearson is pooled over folds whose scores come from different grid points: report it per fold too.
    pooled_labels = {f"{i}:0": a for i, (a, _) in enumerate(held_labels)} | {
        f"{i}:1": b for i, (_, b) in enumerate(held_labels)
    }
    proxy = [Pair(p.pair_id, f"{i}:0", f"{i}:1", p.languages, p.overall) for i, p in enumerate(pairs)]
    held = judge(pooled_labels, held_scores, proxy, np.ones(len(pairs), bool))
    held["chosen_per_fold"] = chosen
    held["pearson_per_fold"] = [
        float(np.corrcoef(held_scores[fold == k], -np.array([p.overall for p in pairs])[fold == k])[0, 1])
        for k in range(FOLDS)
    ]
    return held


def ecb_same_subject(
    embedder: Embedder, settings: ClusterSettings, analyses: dict[str, Analysis] | None
) -> dict[str, Any]:
    """B3 against ECB+ sub-topics and the share of same-topic, different-sub-topic pairs joined."""
    import json

    path = eval_dir() / "ecbplus" / "ecbplus_train_dev.jsonl"
    docs = [json.loads(line) for line in path.read_text().splitlines()]
    articles = [make_article(d["title"], d["text"]) for d in docs]
    pairs = [(a, (analyses or {}).get(a.id)) for a in articles]
    result = cluster_articles(pairs, None, settings, embedder, now="2026-01-01T00:00:00+00:00")
    labels = [result.state.assigned[a.id] for a in articles]
    gold = [d["subtopic"] for d in docs]
    topic = [d["topic"] for d in docs]
    same_subject = joined = 0
    for i in range(len(docs)):
        for j in range(i + 1, len(docs)):
            if topic[i] == topic[j] and gold[i] != gold[j]:
                same_subject += 1
                joined += labels[i] == labels[j]
    split = [d["split_cybulska_vossen_2015"] for d in docs]
    by_split = {}  # B3 over the train topics and the dev topics apart (the merge rule was chosen on train)
    for part in ("train", "dev"):
        rows = [i for i in range(len(docs)) if split[i] == part]
        by_split[part] = bcubed([labels[i] for i in rows], [gold[i] for i in rows])
    return {
        "bcubed": bcubed(labels, gold),
        "bcubed_by_split": by_split,
        "same_subject_pairs": same_subject,
        "same_subject_joined": joined / max(same_subject, 1),
    }


def make_article(title: str, body: str) -> Article:
    text = f"{title}\n{body}"
    return Article(id=hashlib.sha256(text.encode()).hexdigest(), text=text, title=title, language="en")


def ecb_analyses() -> dict[str, Analysis] | str:
    """The analysis stage over ECB+ (normalized time expressions, entities), or why it could not run."""
    import json

    try:
        from storyline.analyze.article import Analyzer, AnalyzeSettings
    except ImportError as error:
        return f"analysis unavailable: {error}"
    analyzer = Analyzer(AnalyzeSettings())
    path = eval_dir() / "ecbplus" / "ecbplus_train_dev.jsonl"
    docs = [json.loads(line) for line in path.read_text().splitlines()]
    articles = [make_article(d["title"], d["text"]) for d in docs]
    start = time.perf_counter()
    out = {a.id: analyzer(a) for a in articles}
    print(f"  analysed {len(articles)} ECB+ documents in {time.perf_counter() - start:.0f} s", flush=True)
    return out


def neus_f1(embedder: Embedder, settings: ClusterSettings) -> dict[str, float]:
    articles, gold = load_sets()["neus"]
    english = [replace(a, language="en") for a in articles]
    result = cluster_articles([(a, None) for a in english], None, settings, embedder)
    return bcubed([result.state.assigned[a.id] for a in english], gold)


def seeds_join(embedder: Embedder, settings: ClusterSettings) -> dict[str, Any]:
    """Cluster the bundled seeds (extracted as the pipeline does); does the Chinese rewrite 004 join 003's story?"""
    from storyline.extract.article import Extractor
    from storyline.records import Document

    extractor = Extractor()
    articles = {}
    for path in sorted((ROOT / "examples" / "seeds").glob("*.txt")):
        articles[path.name[:3]] = extractor(Document("file", str(path), path.read_text(encoding="utf-8"), "text"))
    result = cluster_articles([(a, None) for a in articles.values()], None, settings, embedder)
    story = {name: result.state.assigned[a.id] for name, a in articles.items()}
    return {
        "stories": len(set(story.values())),
        "004_joins_003": story["004"] == story["003"],
        "languages": {name: a.language for name, a in articles.items()},
    }


def throughput(streams: dict[str, list[Article]], makers: dict[str, Any], repeats: int) -> dict[str, Any]:
    """cluster_articles end to end with fresh embedders (nothing cached), every configuration on every stream,
    interleaved round by round so that they share the machine's load; median of `repeats` rounds."""
    loaded = {label: make() for label, make in makers.items()}
    for embedder, settings in loaded.values():  # loads the models, not timed
        cluster_articles([(a, None) for a in next(iter(streams.values()))[:40]], None, settings, embedder)
    runs: dict[str, list[float]] = {}
    loads: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}  # CPU ms per article of this process, all threads: less load-bound than wall
    for _ in range(repeats):
        for stream, articles in streams.items():
            for label, (embedder, settings) in loaded.items():
                start, used = time.perf_counter(), time.process_time()
                cluster_articles([(a, None) for a in articles], None, settings, embedder)
                key = f"{label}, {stream}"
                runs.setdefault(key, []).append(len(articles) / (time.perf_counter() - start))
                cpu.setdefault(key, []).append(1000 * (time.process_time() - used) / len(articles))
                loads.setdefault(key, []).append(os.getloadavg()[0])
    return {
        key: {
            "articles_per_second": float(np.median(values)),
            "runs": values,
            "cpu_ms_per_article": float(np.median(cpu[key])),
            "load_average_1min": loads[key],
        }
        for key, values in runs.items()
    }


def speed(
    articles: list[Article],
    ecb_articles: list[Article],
    anchor_settings: ClusterSettings,
    defaults: ClusterSettings,
    repeats: int,
) -> dict[str, Any]:
    makers = {
        "combination": lambda: (Embedder.default(defaults), defaults),
        "English MiniLM path (anchor)": lambda: (Embedder.minilm(), anchor_settings),
    }
    streams = {"English ECB+": ecb_articles, "mixed-language SemEval stream": articles}
    return throughput(streams, makers, repeats)


def speed_only() -> None:
    """Measure the speed part again and rewrite the section (the other figures are read from languages.json)."""
    import json

    from common import RESULTS

    articles, _ = load_semeval()
    ecb_articles = [replace(a, language="en") for a in load_sets()["ecbplus"][0]]
    defaults = ClusterSettings()
    anchor_settings = replace(defaults, embedder="minilm", name_weight=0.0, name_weight_other=0.0)
    data = json.loads((RESULTS / "languages.json").read_text())
    data.pop("machine", None)
    data["speed"] = speed(articles, ecb_articles, anchor_settings, defaults, 3)
    for label, value in data["speed"].items():
        print(f"speed {label}: {value['articles_per_second']:.0f} articles/s (load {value['load_average_1min']})")
    write_results("languages", data, markdown(data))


def rewrite_markdown() -> None:
    """Write bench/results/languages.md again from languages.json (after a change to the layout only)."""
    import json

    from common import RESULTS

    data = json.loads((RESULTS / "languages.json").read_text())
    (RESULTS / "languages.md").write_text(markdown(data).rstrip() + "\n")


class Centred:
    """USE vectors minus a mean vector (per language, or one for all), L2-normalized again; English ones left
    as they are when `english` is False. The means are given (the diagnosis takes them from the stream itself)."""

    def __init__(
        self, inner: CachedEncoder, means: dict[str, np.ndarray], language_of: dict[str, str], english: bool
    ) -> None:
        self.inner, self.means, self.language_of, self.english = inner, means, language_of, english

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.inner.encode(texts).astype(np.float64)
        for row, text in enumerate(texts):
            language = self.language_of.get(text, "en")
            if language == "en" and not self.english:
                continue
            vectors[row] -= self.means.get(language, self.means["*"])
            vectors[row] /= max(float(np.linalg.norm(vectors[row])), 1e-12)
        return vectors.astype(np.float32)


def pair_components(state: ClusterState, pairs: Sequence[Pair], settings: ClusterSettings) -> np.ndarray:
    """Per pair: the lexical part of s(a, b) (words + numbers + dates + names), the embedding term, and the two
    articles' mean local density (mu), from the final state."""
    slot = {record.article_id: record.slot for record in state.articles.values()}
    out = np.zeros((len(pairs), 3))
    for number, pair in enumerate(pairs):
        a, b = state.articles[slot[pair.first]], state.articles[slot[pair.second]]
        common, left, right = np.intersect1d(a.columns, b.columns, return_indices=True)
        vectors = state.embeddings(np.array([a.slot, b.slot], np.int64))
        out[number, 0] = float(a.values[left] @ b.values[right]) if len(common) else 0.0
        out[number, 1] = settings.embedding_weight * float(vectors[0] @ vectors[1])
        out[number, 2] = (state.mu(a) + state.mu(b)) / 2
    return out


def pair_class(code: str) -> str:
    first, second = code.split("-")
    if first == second:
        return "English-English" if first == "en" else "same other language"
    return "English-other" if "en" in (first, second) else "two other languages"


def diagnose() -> None:
    """Where the language-pair gap comes from: the raw USE cosine per pair class against the pipeline's pair
    score and its parts, background calibrations estimated from the stream itself (no gold used), and the
    pipeline with USE centred on the stream's own language means. Prints; writes nothing."""
    articles, pairs = load_semeval()
    defaults = ClusterSettings()
    lead = defaults.multilingual_lead_chars
    texts = [embedding_text(a.title, a.text)[:lead] for a in articles]
    encoder = CachedEncoder(texts)
    minilm = CachedMiniLM(Embedder.minilm())
    index = {a.id: i for i, a in enumerate(articles)}
    languages = np.array([a.language for a in articles])
    use = np.stack([encoder.cache[t] for t in texts]).astype(np.float64)
    first = np.array([index[p.first] for p in pairs])
    second = np.array([index[p.second] for p in pairs])
    gold = -np.array([p.overall for p in pairs])
    classes = np.array([pair_class(p.languages) for p in pairs])
    same, different = gold >= -SAME, gold <= -DIFFERENT
    cosine = np.einsum("ij,ij->i", use[first], use[second])

    def pearson(score: np.ndarray) -> float:
        return float(np.corrcoef(score, gold)[0, 1])

    print("raw USE cosine (title + lead), mean over pairs: same-story / different-story")
    for name in sorted(set(classes.tolist())):
        where = classes == name
        print(f"  {name:22s} {cosine[same & where].mean():.3f} / {cosine[different & where].mean():.3f}")
    similarities = use @ use.T
    np.fill_diagonal(similarities, np.nan)
    codes = sorted(set(languages.tolist()))
    columns = {code: languages == code for code in codes}
    mean = {code: np.nanmean(similarities[:, where], 1) for code, where in columns.items()}
    spread = {code: np.nanstd(similarities[:, where], 1) for code, where in columns.items()}
    top = {  # CSLS: the mean of each article's 10 highest cosines to the other article's language
        code: -np.sort(-np.nan_to_num(similarities[:, where], nan=-9.0), 1)[:, :10].mean(1)
        for code, where in columns.items()
    }
    mean_a = np.array([mean[languages[b]][a] for a, b in zip(first, second, strict=True)])
    mean_b = np.array([mean[languages[a]][b] for a, b in zip(first, second, strict=True)])
    spread_a = np.array([spread[languages[b]][a] for a, b in zip(first, second, strict=True)])
    spread_b = np.array([spread[languages[a]][b] for a, b in zip(first, second, strict=True)])
    top_a = np.array([top[languages[b]][a] for a, b in zip(first, second, strict=True)])
    top_b = np.array([top[languages[a]][b] for a, b in zip(first, second, strict=True)])
    centred_use = use.copy()
    language_means = {code: use[where].mean(0) for code, where in columns.items()}
    for code, where in columns.items():
        centred_use[where] -= language_means[code]
    centred_use /= np.linalg.norm(centred_use, axis=1, keepdims=True)
    calibrated = {
        "raw cosine": cosine,
        "centred on each language's mean (stream)": np.einsum("ij,ij->i", centred_use[first], centred_use[second]),
        "minus the mean cosine to the other's language": cosine - (mean_a + mean_b) / 2,
        "z-score against the other's language": ((cosine - mean_a) / spread_a + (cosine - mean_b) / spread_b) / 2,
        "CSLS per language (k = 10)": cosine - (top_a + top_b) / 2,
    }
    print("Pearson vs -Overall of USE cosine calibrations (all pairs | per class):")
    for name, score in calibrated.items():
        per = " ".join(
            f"{c}: {np.corrcoef(score[classes == c], gold[classes == c])[0, 1]:.3f}"
            for c in sorted(set(classes.tolist()))
        )
        print(f"  {name}: {pearson(score):.3f} | {per}")

    def run(label: str, use_encoder: Any) -> np.ndarray:
        embedder = MultilingualEmbedder(
            minilm, use_encoder, defaults.multilingual_english_share, defaults.multilingual_other_weight, lead
        )
        result = cluster_articles(
            [(a, None) for a in articles], None, defaults, embedder, now="2026-01-01T00:00:00+00:00"
        )
        labels = dict(result.state.assigned)
        parts = pair_components(result.state, pairs, defaults)
        figures = judge(labels, parts[:, 0] + parts[:, 1], pairs, np.ones(len(pairs), bool))
        per = " ".join(
            f"{code} {v['same_joined']:.2f}/{v['different_joined']:.2f}"
            for code, v in figures["per_language_pair"].items()
        )
        print(
            f"pipeline, {label}: Pearson {figures['pearson']:.3f}, same joined {figures['same_joined']:.3f}, "
            f"different joined {figures['different_joined']:.3f}, objective {objective(figures):.3f}\n  {per}",
            flush=True,
        )
        ecb = ecb_same_subject(embedder, defaults, None)
        neus = neus_f1(embedder, defaults)
        print(
            f"  ECB+ text only B3 F1 {ecb['bcubed']['f1']:.3f} (P {ecb['bcubed']['precision']:.3f}), same-subject "
            f"joined {ecb['same_subject_joined']:.3f}; NeuS B3 F1 {neus['f1']:.3f}",
            flush=True,
        )
        return parts

    parts = run("defaults", encoder)
    print("pipeline parts (defaults), mean over pairs: lexical, embedding term, mu; same-story | different-story")
    for name in sorted(set(classes.tolist())):
        where = classes == name
        s, d = parts[same & where].mean(0), parts[different & where].mean(0)
        print(f"  {name:22s} {s[0]:.3f} {s[1]:.3f} {s[2]:.3f} | {d[0]:.3f} {d[1]:.3f} {d[2]:.3f}")
    english = classes == "English-English"
    for weight in (0.3, 0.45, 0.6):
        # not a dot product: the same weight on USE for English-other as for other-other pairs
        score = parts[:, 0] + np.where(english, parts[:, 1], weight * cosine)
        print(
            f"pair score with one USE weight {weight} for every pair but English-English: Pearson {pearson(score):.3f}"
        )
    language_of = dict(zip(texts, languages.tolist(), strict=True))
    every = {"*": use.mean(0)}
    run("USE centred on the stream's mean, every article", Centred(encoder, every, language_of, True))
    run(
        "USE centred on each language's mean (stream), every article",
        Centred(encoder, language_means | every, language_of, True),
    )
    run(
        "USE centred on each language's mean (stream), English left as it is",
        Centred(encoder, language_means | every, language_of, False),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="no grid, no analysis run, one speed run")
    parser.add_argument("--speed", action="store_true", help="only the speed figures (the rest from the last run)")
    parser.add_argument("--diagnose", action="store_true", help="where the language-pair gap comes from (prints)")
    args = parser.parse_args()
    if args.diagnose:
        diagnose()
        return
    if args.speed:
        speed_only()
        return
    articles, pairs = load_semeval()
    defaults = ClusterSettings()
    minilm = Embedder.minilm()
    ecb_articles, _ = load_sets()["ecbplus"]
    ecb_articles = [replace(a, language="en") for a in ecb_articles]
    cached_minilm = CachedMiniLM(minilm)
    cached_minilm.embed([embedding_text(a.title, a.text) for a in articles + ecb_articles])
    lead = defaults.multilingual_lead_chars
    texts = [embedding_text(a.title, a.text)[:lead] for a in articles + ecb_articles]
    encoder = CachedEncoder(texts)
    print(f"embedded: MiniLM {cached_minilm.seconds:.0f} s, USE {encoder.seconds:.0f} s", flush=True)
    anchor_settings = replace(defaults, embedder="minilm", name_weight=0.0, name_weight_other=0.0)

    def combined(point: dict[str, float]) -> tuple[Embedder, ClusterSettings]:
        settings = replace(defaults, **point)
        embedder = MultilingualEmbedder(
            cached_minilm,
            encoder,
            settings.multilingual_english_share,
            settings.multilingual_other_weight,
            settings.multilingual_lead_chars,
        )
        return embedder, settings

    configurations: dict[str, tuple[Embedder, ClusterSettings]] = {
        "English MiniLM path (anchor)": (cached_minilm, anchor_settings),
        "USE multilingual alone": (UseOnly(minilm, encoder, lead), anchor_settings),
        "combination (defaults)": combined({}),
    }
    results: dict[str, Any] = {"semeval": {}, "ecbplus": {}, "neus": {}}
    everything = np.ones(len(pairs), bool)
    for label, (embedder, settings) in configurations.items():
        labels, scores = run_semeval(articles, pairs, embedder, settings)
        results["semeval"][label] = judge(labels, scores, pairs, everything)
        figures = results["semeval"][label]
        print(
            f"SemEval {label}: Pearson {figures['pearson']:.3f}, same joined {figures['same_joined']:.3f}, "
            f"different joined {figures['different_joined']:.3f}, middle {figures['middle_joined']:.3f}",
            flush=True,
        )
    if not args.quick:
        grid = [
            {"multilingual_other_weight": b, "name_weight": names, "name_weight_other": 5 * names}
            for b in (1.0, 1.5)
            for names in (0.0, 0.02)
        ]
        results["semeval_cv"] = cross_validate(articles, pairs, combined, grid)
        cv = results["semeval_cv"]
        print(
            f"SemEval CV: Pearson {cv['pearson']:.3f}, same {cv['same_joined']:.3f}, diff {cv['different_joined']:.3f}"
        )
    analyses = None if args.quick else ecb_analyses()
    for label, (embedder, settings) in configurations.items():
        results["ecbplus"][label] = {"text only": ecb_same_subject(embedder, settings, None)}
        if isinstance(analyses, dict):
            results["ecbplus"][label]["with analysis (time expressions, entities)"] = ecb_same_subject(
                embedder, settings, analyses
            )
        results["neus"][label] = neus_f1(embedder, settings)
        print(f"ECB+ {label}: {results['ecbplus'][label]}; NeuS {results['neus'][label]}", flush=True)
    if isinstance(analyses, str):
        results["ecbplus_analysis"] = analyses
    results["seeds"] = {label: seeds_join(e, s) for label, (e, s) in configurations.items()}
    print("seeds:", results["seeds"], flush=True)
    results["speed"] = speed(articles, ecb_articles, anchor_settings, defaults, 1 if args.quick else 3)
    for label, value in results["speed"].items():
        print(f"speed {label}: {value['articles_per_second']:.0f} articles/s (load {value['load_average_1min']})")
    results["counts"] = {
        "articles": len(articles),
        "pairs": len(pairs),
        "languages": Counter(a.language for a in articles),
    }
    write_results("languages", results, markdown(results))


def _pct(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{100 * value:.1f} %"


def markdown(results: dict[str, Any]) -> str:
    semeval = results["semeval"]
    labels = list(semeval)
    rows = [
        [
            label,
            semeval[label]["pearson"],
            _pct(semeval[label]["same_joined"]),
            _pct(semeval[label]["different_joined"]),
            _pct(semeval[label]["middle_joined"]),
        ]
        for label in labels
    ]
    if "semeval_cv" in results:
        cv = results["semeval_cv"]
        rows.append(
            [
                "combination, 5-fold CV over pair ids (held-out pairs)",
                cv["pearson"],
                _pct(cv["same_joined"]),
                _pct(cv["different_joined"]),
                _pct(cv["middle_joined"]),
            ]
        )
    first = semeval[labels[0]]
    counts = (
        f"{first['same_pairs']} same-story, {first['different_pairs']} different-story, {first['middle_pairs']} middle"
    )
    columns = ["configuration", "Pearson", "same-story joined", "different-story joined", "middle band joined"]
    codes = list(first["per_language_pair"])
    per_rows = []
    for code in codes:
        row: list[Any] = [code, first["per_language_pair"][code]["pairs"]]
        for label in labels:
            row.append(semeval[label]["per_language_pair"][code]["pearson"])
        last = semeval[labels[-1]]["per_language_pair"][code]
        row += [_pct(last["same_joined"]), _pct(last["different_joined"])]
        per_rows.append(row)
    per_columns = [
        "pair",
        "n",
        *[f"Pearson {label}" for label in labels],
        "same joined (comb.)",
        "diff. joined (comb.)",
    ]
    ecb_rows = []
    for label, runs in results["ecbplus"].items():
        for mode, value in runs.items():
            b3 = value["bcubed"]
            ecb_rows.append([label, mode, b3["precision"], b3["recall"], b3["f1"], _pct(value["same_subject_joined"])])
    neus_rows = [[label, v["precision"], v["recall"], v["f1"]] for label, v in results["neus"].items()]
    speed_rows = [
        [
            label,
            f"{v['articles_per_second']:.0f}",
            "/".join(f"{x:.0f}" for x in v.get("runs", [])),
            f"{v['cpu_ms_per_article']:.1f}" if "cpu_ms_per_article" in v else "",
            "/".join(f"{x:.1f}" for x in v["load_average_1min"]),
        ]
        for label, v in results["speed"].items()
    ]
    seeds = "; ".join(
        f"{label}: {v['stories']} stor{'y' if v['stories'] == 1 else 'ies'}, "
        f"004 (the Chinese page) joins 003: {v['004_joins_003']}"
        for label, v in results["seeds"].items()
    )
    return (
        "## Cross-lingual clustering\n\n"
        "`bench/languages.py`; method and discussion in docs/languages.md. Speed figures were measured on a shared "
        "2-core machine under the load shown.\n\n"
        f"SemEval-2022 Task 8 pairs (training file, {first['pairs']} pairs: {counts}), all articles clustered as "
        "one undated stream; joined = one story at the pipeline's own rule; Pearson of the pair score vs -Overall:\n\n"
        + table(columns, rows)
        + "\n\nPer language pair:\n\n"
        + table(per_columns, per_rows)
        + "\n\nECB+ same-subject precision (two events of one kind per topic; B3 against sub-topics; share of "
        "same-topic, different-event pairs put in one story):\n\n"
        + table(["configuration", "run", "B3 P", "B3 R", "B3 F1", "same-subject pairs joined"], ecb_rows)
        + "\n\nNeuS (val), B3:\n\n"
        + table(["configuration", "B3 P", "B3 R", "B3 F1"], neus_rows)
        + f"\n\nSeeds: {seeds}.\n\nWhole stage (`cluster_articles`, embedding included; median of the rounds, "
        "each round's rate, the process's CPU time per article over all its threads, and the 1-minute load after "
        "each round; two cores, so a stage that keeps both busy runs at up to 2,000 / CPU ms articles/s):\n\n"
        + table(["stream", "articles/s", "rounds", "CPU ms / article", "load (1 min)"], speed_rows)
        + "\n"
    )


if __name__ == "__main__":
    sys.setrecursionlimit(10000)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
