"""Time to write and check one brief of a 50-article story (issue goal: under 1 s).

The story: 50 real news articles (PolNeAR dev, 2016 US election coverage, ~5,000 characters each) analysed
once beforehand (analysis is not timed); timed: `write_checked_brief` = every section + the grounding checker.
A second story repeats the five seed texts ten times with distinct ids (a tighter topic, many restatements).
Median of 5 runs after a warm-up.
"""

import statistics
import time

from common import ROOT, eval_dir, table, write_results
from storyline.analyze.article import Analyzer, AnalyzeSettings
from storyline.extract.article import Extractor
from storyline.records import Article, Document, StoryMember
from storyline.synthesize.brief import item_count, write_checked_brief
from storyline.synthesize.bundle import SourceArticle, StoryInput

GOAL_SECONDS = 1.0
SIZE = 50


def story(texts: list[tuple[str, str]], analyzer: Analyzer, extractor: Extractor) -> StoryInput:
    sources = []
    for name, text in texts:
        article: Article = extractor(Document(name, name, text, "text"))
        sources.append(SourceArticle(article, analyzer(article), StoryMember(article.id, "independent")))
    return StoryInput("bench-story", tuple(sources))


def timed(bundle: StoryInput, runs: int = 5) -> tuple[float, int, int]:
    write_checked_brief(bundle)  # warm-up
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        brief, problems = write_checked_brief(bundle)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), item_count(brief), len(problems)


def main() -> None:
    analyzer, extractor = Analyzer(AnalyzeSettings(processes=1)), Extractor()
    stories: dict[str, list[tuple[str, str]]] = {}
    polnear = eval_dir() / "polnear" / "data" / "dev" / "text"
    if polnear.is_dir():
        paths = sorted(polnear.glob("*.txt"))[:SIZE]
        stories[f"{len(paths)} PolNeAR dev articles"] = [(p.name, p.read_text(encoding="utf-8")) for p in paths]
    else:
        print(f"PolNeAR texts not found at {polnear}: only the seed story is timed")
    seeds = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
    stories[f"{SIZE} seed renderings (5 texts x 10)"] = [
        (f"{p.name}#{n}", p.read_text(encoding="utf-8") + f"\n\nEdition {n} of this rendering.")
        for n in range(SIZE // len(seeds))
        for p in seeds
    ]
    rows, data = [], {}
    for label, texts in stories.items():
        seconds, items, problems = timed(story(texts, analyzer, extractor))
        data[label] = {"seconds": seconds, "items": items, "grounding_problems": problems}
        rows.append([label, f"{seconds * 1000:.0f}", items, problems, "yes" if seconds < GOAL_SECONDS else "no"])
        print(f"{label}: {seconds * 1000:.0f} ms, {items} items, {problems} grounding problems")
    markdown = (
        "## Brief time for a 50-article story\n\n"
        "`write_checked_brief` (every section plus the grounding checker) on a story of 50 analysed articles, "
        f"median of 5 runs; goal: under {GOAL_SECONDS:.0f} s.\n\n"
        + table(["story", "ms", "brief items", "grounding problems", "under goal"], rows)
        + "\n"
    )
    write_results("brief_speed", {"stories": data, "goal_seconds": GOAL_SECONDS}, markdown)


if __name__ == "__main__":
    main()
