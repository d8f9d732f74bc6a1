"""Throughput of the whole analysis stage (sentences, entities, quotes, claims, times, events, topics, summary).

Two corpora, because the cost grows with article length: the 84 PolNeAR dev articles (US political news,
~4,900 characters each) and the 40 ECB+ documents bundled in examples/ecbplus (~2,100 characters), each repeated
to 240 articles and made into Articles by the extractor. Measured: articles per second of `Analyzer.many` with
1 and 2 worker processes, model loading excluded (it happens once per run), the load average around the run,
and the per-step cost of one article in one process.
"""

import json
import os
import time

from common import ROOT, eval_dir, table, write_results
from storyline.analyze.article import Analyzer, AnalyzeSettings, anchor_date
from storyline.analyze.claims import find_claims
from storyline.analyze.quotes import find_quotes
from storyline.analyze.sentences import split_sentences
from storyline.analyze.times import find_events, find_times
from storyline.analyze.topics import summary_sentence
from storyline.extract.article import Extractor
from storyline.records import Article, Document

TARGET = 20.0
COUNT = 240


def corpora() -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    folder = eval_dir() / "polnear" / "data" / "dev" / "text"
    if folder.is_dir():
        found["PolNeAR dev"] = [(str(p), p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
    else:
        print(f"PolNeAR texts not found at {folder}: that corpus is skipped")
    lines = (ROOT / "examples" / "ecbplus" / "ecbplus_sample.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    found["ECB+ sample"] = [(f"ecb:{n}", f"{i['title']}\n\n{i['text']}") for n, i in enumerate(items)]
    return found


def articles_of(texts: list[tuple[str, str]], count: int) -> list[Article]:
    extractor = Extractor()
    articles = [extractor(Document(name, name, text, "text")) for name, text in texts]
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


def measure(articles: list[Article], processes: int) -> tuple[float, str]:
    analyzer = Analyzer(AnalyzeSettings(processes=processes))
    analyzer(articles[0])  # warm up: lazy tables, first model call
    before = os.getloadavg()[0]
    started = time.perf_counter()
    done = sum(1 for _ in analyzer.many(articles))
    rate = done / (time.perf_counter() - started)
    return rate, f"{before:.1f} / {os.getloadavg()[0]:.1f}"


def main() -> None:
    rows, data = [], {}
    for label, texts in corpora().items():
        articles = articles_of(texts, COUNT)
        characters = sum(len(a.text) for a in articles) / len(articles)
        entry: dict[str, object] = {"mean_characters": characters}
        for processes in (1, 2):
            rate, load = measure(articles, processes)
            entry[f"processes_{processes}"] = {"articles_per_second": rate, "load_before_after": load}
            rows.append(
                [label, f"{characters:,.0f}", processes, f"{rate:.1f}", load, "yes" if rate >= TARGET else "no"]
            )
            print(f"{label}, {processes} process(es): {rate:.1f} articles/s (load {load})")
        entry["ms_per_step"] = step_costs(Analyzer(AnalyzeSettings(processes=1)), articles[: len(texts)])
        data[label] = entry
    costs = "\n".join(
        f"- {label}: " + ", ".join(f"{k} {v:.1f}" for k, v in entry["ms_per_step"].items())  # type: ignore[union-attr]
        for label, entry in data.items()
    )
    markdown = (
        "## Analysis throughput\n\n"
        f"The whole analysis stage on {COUNT} articles per corpus, models loaded once. Goal: at least {TARGET:.0f} "
        "articles/s on 2 cores.\n\n"
        + table(["corpus", "characters/article", "worker processes", "articles/s", "load before / after", "goal"], rows)
        + "\n\nCost per article in one process (ms):\n\n"
        + costs
        + "\n"
    )
    write_results("analysis_speed", {"articles": COUNT, "corpora": data}, markdown)


if __name__ == "__main__":
    main()
