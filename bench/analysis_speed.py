"""Throughput of the whole analysis stage (sentences, entities, quotes, claims, times, events, topics, summary).

Corpus: the 84 PolNeAR dev articles (real US news, ~5,000 characters each), repeated to 240 articles, made into
Articles by the extractor. Measured: articles per second of `Analyzer.many` with 1 and 2 worker processes, model
loading excluded (it happens once per run), and the per-step CPU cost of one article in one process.
"""

import sys
import time

from common import eval_dir, require, table, write_results
from storyline.analyze.article import Analyzer, AnalyzeSettings, anchor_date
from storyline.analyze.claims import find_claims
from storyline.analyze.quotes import find_quotes
from storyline.analyze.sentences import split_sentences
from storyline.analyze.times import find_events, find_times
from storyline.analyze.topics import summary_sentence
from storyline.extract.article import Extractor
from storyline.records import Article, Document

TARGET = 20.0


def corpus(count: int) -> list[Article]:
    folder = require(eval_dir() / "polnear" / "data" / "dev" / "text", "PolNeAR dev texts")
    extractor = Extractor()
    articles = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        articles.append(extractor(Document(str(path), str(path), text, "text")))
    return [articles[i % len(articles)] for i in range(count)]


def step_costs(analyzer: Analyzer, articles: list[Article]) -> dict[str, float]:
    """Milliseconds per article for each step, in this process."""
    totals = dict.fromkeys(("sentences", "entities", "quotes", "claims", "times", "topics+summary"), 0.0)
    for article in articles:
        text = article.text
        marks = [time.perf_counter()]
        sentences = split_sentences(text)
        marks.append(time.perf_counter())
        entities = analyzer.entities(text, article.language)
        marks.append(time.perf_counter())
        quotes = find_quotes(text, sentences, entities)
        marks.append(time.perf_counter())
        find_claims(text, sentences, entities, quotes, analyzer.claims)
        marks.append(time.perf_counter())
        find_events(text, sentences, find_times(text, anchor_date(article)))
        marks.append(time.perf_counter())
        analyzer.topics(text, sentences, entities, article.language)
        summary_sentence(text, sentences)
        marks.append(time.perf_counter())
        for key, start, end in zip(totals, marks, marks[1:], strict=False):
            totals[key] += end - start
    return {key: 1000 * value / len(articles) for key, value in totals.items()}


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 240
    articles = corpus(count)
    characters = sum(len(a.text) for a in articles) / len(articles)
    rates = {}
    for processes in (1, 2):
        analyzer = Analyzer(AnalyzeSettings(processes=processes))
        analyzer(articles[0])  # warm up: lazy tables, first spaCy call
        started = time.perf_counter()
        done = sum(1 for _ in analyzer.many(articles))
        rates[processes] = done / (time.perf_counter() - started)
        print(f"{processes} process(es): {rates[processes]:.1f} articles/s")
    costs = step_costs(Analyzer(AnalyzeSettings(processes=1)), articles[:84])
    print("ms per article:", {k: round(v, 1) for k, v in costs.items()})
    rows = [[f"{p} process{'es' if p > 1 else ''}", f"{rate:.1f}"] for p, rate in rates.items()]
    markdown = (
        "## Analysis throughput\n\n"
        f"The whole analysis stage on {count} articles (PolNeAR dev news, {characters:,.0f} characters each on "
        f"average), models loaded once. Goal: at least {TARGET:.0f} articles/s on 2 cores.\n\n"
        + table(["workers", "articles/s"], rows)
        + "\n\nCost per article in one process (ms): "
        + ", ".join(f"{k} {v:.1f}" for k, v in costs.items())
        + ".\n"
    )
    write_results(
        "analysis_speed",
        {"articles": count, "mean_characters": characters, "articles_per_second": rates, "ms_per_step": costs},
        markdown,
    )


if __name__ == "__main__":
    main()
