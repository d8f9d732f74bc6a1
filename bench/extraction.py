"""Article-body extraction on the Zyte article-extraction benchmark: storyline vs plain trafilatura, same run.

Metric (the benchmark's own method, implemented here from its description): text -> `\\w+` tokens -> multiset of
4-token shingles; per page TP/FP/FN are the multiset overlaps, normalized to sum to 1 so long pages do not weigh
more; precision and recall are averaged over pages (pages with no predicted / no true shingles left out of the
respective mean, and an exact empty-vs-empty match counts 1); F1 is the harmonic mean of the two averages.
"""

import gzip
import json
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable

import trafilatura

from common import eval_dir, require, table, write_results
from storyline.errors import ExtractError
from storyline.extract.article import Extractor
from storyline.records import Document

TOKEN = re.compile(r"\w+")
PUBLISHED = {"trafilatura 2.0.0": 0.958, "rs_trafilatura": 0.970, "AutoExtract (Nov 2019)": 0.970}


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def page_counts(true: str, predicted: str) -> tuple[float, float, float]:
    expected, got = shingles(true), shingles(predicted)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def scores(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    def ratio(tp: float, other: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == other == 0 else tp / (tp + other)

    precision = statistics.mean(ratio(tp, fp, fp, fn) for tp, fp, fn in counts if tp + fp > 0)
    recall = statistics.mean(ratio(tp, fn, fp, fn) for tp, fp, fn in counts if tp + fn > 0)
    return {"f1": 2 * precision * recall / (precision + recall), "precision": precision, "recall": recall}


def bootstrap_f1(counts: list[tuple[float, float, float]], rounds: int = 1000) -> float:
    """Half-width of a 95% interval of F1 by resampling pages."""
    rng = random.Random(0)
    values = [scores([counts[rng.randrange(len(counts))] for _ in counts])["f1"] for _ in range(rounds)]
    return 1.96 * statistics.stdev(values)


def ours(extractor: Extractor) -> Callable[[str, str], str]:
    def run(html: str, url: str) -> str:
        try:
            article = extractor(Document(url, url, html, "html", url=url))
        except ExtractError:
            return ""
        return article.text[len(article.title) :].lstrip()  # the body: the text after the title line

    return run


def plain_trafilatura(html: str, url: str) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


def main() -> None:
    root = require(eval_dir() / "zyte-article-extraction-benchmark", "the Zyte article-extraction benchmark")
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8") for key in truth}
    extractor = Extractor()
    ours(extractor)("<html><body><p>warm up the language detector with a short page</p></body></html>", "x")
    systems: dict[str, Callable[[str, str], str]] = {"storyline": ours(extractor), "trafilatura": plain_trafilatura}
    results = {}
    for name, run in systems.items():
        started = time.perf_counter()
        outputs = {key: run(pages[key], truth[key].get("url", "")) for key in truth}
        seconds = time.perf_counter() - started
        counts = [page_counts(truth[key]["articleBody"], outputs[key]) for key in truth]
        results[name] = {
            **scores(counts),
            "f1_ci": bootstrap_f1(counts),
            "pages_per_second": len(truth) / seconds,
            "empty": sum(1 for text in outputs.values() if not text),
        }
        print(f"{name:<12} " + "  ".join(f"{k}={v:.3f}" for k, v in results[name].items()))
    version = trafilatura.__version__
    rows = [
        [name, r["f1"], r["f1_ci"], r["precision"], r["recall"], f"{r['pages_per_second']:.1f}", r["empty"]]
        for name, r in results.items()
    ]
    markdown = (
        "## Extraction: Zyte article-extraction benchmark (181 pages)\n\n"
        f"Article body, 4-token shingle P/R/F1 as the benchmark defines it; both systems in the same run "
        f"(trafilatura {version}, `extract(html, include_comments=False)` as the benchmark runs it). "
        "storyline = trafilatura + our metadata voting, line cleaning (furniture, repeats) and language detection.\n\n"
        + table(["system", "F1", "± (95%)", "precision", "recall", "pages/s", "empty"], rows)
        + "\n\nPublished anchors (same pages, upstream README): "
        + ", ".join(f"{k} F1 {v:.3f}" for k, v in PUBLISHED.items())
        + ".\n"
    )
    write_results("extraction", {"results": results, "published": PUBLISHED, "trafilatura": version}, markdown)


if __name__ == "__main__":
    main()
