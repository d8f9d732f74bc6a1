"""Summary benchmark: ROUGE of `summarize` against lead-3 and LexRank on NeuS (AllSides), and the speed of the
four extractive brief parts on a 50-article story.

Data: shared/eval/neus/neus_val.jsonl, 307 stories of 3 articles (headline + lead paragraphs) from left,
center and right outlets, each with the AllSides editors' neutral summary as the reference. Each article
becomes an Article through the extractor (from "title\\n\\ntext", the title also given as a hint, as a JSONL
record's title field is: NeuS titles end with a full stop, and a text file's first line ending with one is read
as body text, which made the headline a summary candidate from a93d441 on) and an Analysis through the full
Analyzer (one process; the extractor's minimum body length lowered to 1 word, as some leads are a single short
sentence); every article is an independent member of its story.

Systems, all with the same budget of B words (B = the references' mean word count, rounded): each system
lists sentences in its own order, and the list is joined and cut at B words.
- ours: `summarize` (default settings, its sentence and word budgets lifted so its list is cut at B too);
- lead-3: the articles' first body sentences, round-robin (1st of each article, then 2nd, ... until B);
- LexRank (own implementation, Erkan & Radev 2004, threshold variant): TF-IDF (idf over the story's sentences)
  cosine graph over the body sentences with edges where cosine > 0.1, degree-normalized, PageRank by power
  iteration (damping 0.85); sentences by score, the same tokenizer as ours (stop words, light stemming).
Baselines see the same body sentences (the analyzer's sentences minus the headline line).

ROUGE-1/2/L F1 from `rouge-score` (Porter stemming on), averaged over stories, and the ROUGE-1 difference of ours
minus each baseline with a 95% paired bootstrap interval over stories.

Speed: summarize + key_points + why_it_matters + explainer on one story of 50 articles: (a) the five seed
texts each extracted in 10 variants (a numbered line added), about 30 sentences an article; (b) the first 50
NeuS articles (short leads). Median of 5 runs, milliseconds: the digest built once and the parts run on it
("shared"), and the four parts each called on the story ("separate", four digests).

    .venv/bin/python bench/summaries.py [--limit N]
"""

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rouge_score import rouge_scorer

from common import ROOT, eval_dir, require, table, write_results
from storyline.analyze.article import Analyzer, AnalyzeSettings
from storyline.errors import ExtractError
from storyline.extract.article import Extractor, ExtractSettings
from storyline.records import Article, Document, Hint, StoryMember
from storyline.synthesize.bundle import SourceArticle, StoryInput
from storyline.synthesize.similarity import word_terms
from storyline.synthesize.summary import (
    SummarySettings,
    digest_story,
    explainer,
    key_points,
    summarize,
    why_it_matters,
)

SEEDS = ROOT / "examples" / "seeds"
METRICS = ("rouge1", "rouge2", "rougeL")


class Builder:
    """Turns texts into analysed sources (extractor + analyzer loaded once)."""

    def __init__(self) -> None:
        self.extractor = Extractor(ExtractSettings(min_words=1))  # some NeuS leads are one short sentence
        self.analyzer = Analyzer(AnalyzeSettings(processes=1))
        self.skipped: list[str] = []

    def source(self, text: str, location: str, title: str | None = None) -> SourceArticle | None:
        hints = (Hint("title", title, "jsonl"),) if title else ()  # as a JSONL record's title field is read
        try:
            article = self.extractor(Document(location, location, text, "text", hints))
        except ExtractError as error:
            self.skipped.append(f"{location}: {error}")
            return None
        return SourceArticle(article, self.analyzer(article), StoryMember(article.id, "independent"))


def load_neus(path: Path, builder: Builder, limit: int | None) -> list[tuple[StoryInput, str]]:
    stories = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            built = [
                builder.source(f"{a['title']}\n\n{a['text']}", f"neus:{row['id']}:{k}", a["title"])
                for k, a in enumerate(row["articles"])
            ]
            sources = [s for s in built if s is not None]
            stories.append((StoryInput(f"neus-{row['id']}", sources), row["reference"]["text"]))
            if limit and len(stories) >= limit:
                break
    return stories


def body_sentences(source: SourceArticle) -> list[str]:
    """The analyzer's sentences without the headline line."""
    article: Article = source.article
    return [
        article.text[s.start : s.end]
        for s in source.analysis.sentences
        if not (s.start < len(article.title) and article.text.startswith(article.title))
    ]


def lead(story: StoryInput) -> list[str]:
    per_article = [body_sentences(s) for s in story.sources]
    ordered = []
    for rank in range(max((len(p) for p in per_article), default=0)):
        ordered += [p[rank] for p in per_article if rank < len(p)]
    return ordered


def lexrank(story: StoryInput, threshold: float = 0.1, damping: float = 0.85) -> list[str]:
    sentences = [t for s in story.sources for t in body_sentences(s)]
    if not sentences:
        return []
    terms = [set(word_terms(t)) for t in sentences]
    vocabulary = sorted(set().union(*terms))
    column = {t: i for i, t in enumerate(vocabulary)}
    df = np.zeros(len(vocabulary))
    for ts in terms:
        df[[column[t] for t in ts]] += 1
    idf = np.log(len(sentences) / df)
    matrix = np.zeros((len(sentences), len(vocabulary)))
    for row, text in enumerate(sentences):
        for term in word_terms(text):
            matrix[row, column[term]] += 1.0
    matrix *= idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.maximum(norms, 1e-12)
    graph = ((matrix @ matrix.T) > threshold).astype(float)
    np.fill_diagonal(graph, 1.0)
    transition = graph / graph.sum(axis=1, keepdims=True)
    size = len(sentences)
    scores = np.full(size, 1.0 / size)
    for _ in range(100):
        updated = (1 - damping) / size + damping * transition.T @ scores
        if np.abs(updated - scores).sum() < 1e-8:
            break
        scores = updated
    return [sentences[i] for i in np.argsort(-scores, kind="stable")]


def ours(budget: int) -> Callable[[StoryInput], list[str]]:
    """`summarize` with its budgets lifted, so that its list is cut at `budget` words like the baselines'."""
    settings = SummarySettings(max_words=10 * budget, max_sentences=50)
    return lambda story: [item.text for item in summarize(story, settings)]


def cut(sentences: Sequence[str], budget: int) -> str:
    return " ".join(" ".join(sentences).split()[:budget])


SYSTEMS: dict[str, Callable[[int], Callable[[StoryInput], list[str]]]] = {
    "ours (summarize)": ours,
    "lead-3 (first sentences, round-robin)": lambda _: lead,
    "LexRank (own, threshold 0.1)": lambda _: lexrank,
}


def score_systems(stories: list[tuple[StoryInput, str]], budget: int) -> dict[str, dict[str, list[float]]]:
    """Per system and metric, the F1 of every story (and the summary's word count as "words")."""
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    results: dict[str, dict[str, list[float]]] = {}
    for name, make in SYSTEMS.items():
        system = make(budget)
        per_story: dict[str, list[float]] = {metric: [] for metric in (*METRICS, "words")}
        for story, reference in stories:
            summary = cut(system(story), budget)
            scores = scorer.score(reference, summary)
            for metric in METRICS:
                per_story[metric].append(scores[metric].fmeasure)
            per_story["words"].append(len(summary.split()))
        results[name] = per_story
    return results


def paired_bootstrap(ours: Sequence[float], other: Sequence[float], samples: int = 2000) -> dict[str, float]:
    """Mean difference ours - other with a 95% paired bootstrap interval (fixed seed)."""
    difference = np.asarray(ours) - np.asarray(other)
    generator = np.random.default_rng(0)
    means = difference[generator.integers(0, len(difference), (samples, len(difference)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return {"mean": float(difference.mean()), "low": float(low), "high": float(high)}


def seed_story(builder: Builder, copies: int) -> StoryInput:
    sources = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        title, _, rest = text.partition("\n")
        for copy in range(copies):
            variant = f"{title}\n\nEdition {copy + 1} of this report.\n\n{rest}"
            source = builder.source(variant, f"{path.name}#{copy}")
            if source is not None:
                sources.append(source)
    return StoryInput("seeds-x50", sources)


def time_parts(story: StoryInput, runs: int = 5) -> dict[str, float]:
    """Median ms of: the digest; each part on a shared digest; all four parts each from the story itself."""
    parts: dict[str, Callable[..., Any]] = {
        "summarize": summarize, "key_points": key_points, "why_it_matters": why_it_matters, "explainer": explainer,
    }  # fmt: skip
    timings: dict[str, list[float]] = {name: [] for name in ["digest", *parts, "separate"]}
    for _ in range(runs):
        start = time.perf_counter()
        digest = digest_story(story, SummarySettings())
        timings["digest"].append(elapsed_ms(start))
        for name, part in parts.items():
            start = time.perf_counter()
            part(digest)
            timings[name].append(elapsed_ms(start))
        start = time.perf_counter()
        for part in parts.values():
            part(story)
        timings["separate"].append(elapsed_ms(start))
    medians = {name: statistics.median(values) for name, values in timings.items()}
    return medians | {"shared": sum(medians[name] for name in ["digest", *parts])}


def elapsed_ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N stories")
    args = parser.parse_args()
    path = require(eval_dir() / "neus" / "neus_val.jsonl", "NeuS validation set")
    builder = Builder()
    start = time.perf_counter()
    stories = load_neus(path, builder, args.limit)
    build_seconds = time.perf_counter() - start
    budget = round(statistics.mean(len(reference.split()) for _, reference in stories))
    per_story = score_systems(stories, budget)
    neus_story = StoryInput("neus-x50", [s for story, _ in stories for s in story.sources][:50])
    sentences = sum(len(s.analysis.sentences) for s in neus_story.sources)
    seeds = seed_story(builder, 10)
    seed_sentences = sum(len(s.analysis.sentences) for s in seeds.sources)
    speed = {
        f"seeds x10 (50 articles, {seed_sentences} sentences)": time_parts(seeds),
        f"NeuS leads (50 articles, {sentences} sentences)": time_parts(neus_story),
    }
    data: dict[str, Any] = {
        "dataset": "NeuS val (shared/eval/neus/neus_val.jsonl)",
        "stories": len(stories),
        "articles_skipped": builder.skipped,
        "budget_words": budget,
        "rouge_f1": {name: {m: statistics.mean(v) for m, v in scores.items()} for name, scores in per_story.items()},
        "rouge1_ours_minus": {
            name: paired_bootstrap(per_story["ours (summarize)"]["rouge1"], scores["rouge1"])
            for name, scores in per_story.items()
            if name != "ours (summarize)"
        },
        "lexrank": "own implementation: tf-idf cosine graph, threshold 0.1, power iteration, damping 0.85",
        "analysis": "extractor (min_words=1) + full Analyzer, one process",
        "build_seconds": round(build_seconds, 1),
        "speed_ms": speed,
        "load_average_1min": round(os.getloadavg()[0], 1),  # the machine is shared: timings vary with the load
    }
    markdown = report(data)
    print(markdown)
    print(f"wrote {write_results('summaries', data, markdown)}")


def report(data: dict[str, Any]) -> str:
    rouge_rows = [
        [name, r["rouge1"], r["rouge2"], r["rougeL"], round(r["words"], 1)] for name, r in data["rouge_f1"].items()
    ]
    difference_rows = [
        [name, d["mean"], f"[{d['low']:.3f}, {d['high']:.3f}]"] for name, d in data["rouge1_ours_minus"].items()
    ]
    columns = ["digest", "summarize", "key_points", "why_it_matters", "explainer", "shared", "separate"]
    speed_rows = [[name, *(round(s[k], 1) for k in columns)] for name, s in data["speed_ms"].items()]
    return (
        "## Summaries (NeuS validation)\n\n"
        f"{data['stories']} NeuS stories (3 headline+lead articles each, AllSides neutral summary as reference; "
        f"{len(data['articles_skipped'])} empty articles skipped). Every system lists sentences in its own order, "
        f"cut at the same budget of {data['budget_words']} words (the references' mean). LexRank is our own "
        "implementation (TF-IDF cosine graph, threshold 0.1, power iteration, damping 0.85). ROUGE F1 from "
        "`rouge-score` with Porter stemming. Articles built with the extractor and the full analyzer "
        f"({data['build_seconds']:.0f} s for all).\n\n"
        f"{table(['system', 'ROUGE-1 F1', 'ROUGE-2 F1', 'ROUGE-L F1', 'words'], rouge_rows)}\n\n"
        "ROUGE-1 of ours minus each baseline, with a 95% paired bootstrap interval over stories:\n\n"
        f"{table(['baseline', 'difference', '95% interval'], difference_rows)}\n\n"
        "Speed of the four extractive parts, median of 5 runs: the story's digest (candidates, similarities, "
        "support) built once, each part on it, their sum (*shared*, how a brief should call them), and the four "
        "parts each called on the story itself (*separate*, each builds its own digest):\n\n"
        f"{table(['story', *(f'{c} ms' for c in columns)], speed_rows)}\n\n"
        f"(2 shared cores; 1-minute load average {data['load_average_1min']} when timed.)\n"
    )


if __name__ == "__main__":
    main()
