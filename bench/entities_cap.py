"""What capping the entity model's input costs: the model reads `model_chars` of each article and the names it
finds are matched through the rest, against the model reading the whole article (PolNeAR dev, 84 articles).

Recall of name mentions (PERSON, ORG, GPE, LOC, NORP, FAC, LAW, EVENT, PRODUCT: same span and label) and of
distinct canonical names per article, taking the full read as the reference; and articles per second of each.
"""

import time

from common import eval_dir, require, table, write_results
from storyline.analyze.entities import EntityFinder, EntitySettings
from storyline.records import Entity

NAMES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "LAW", "EVENT", "PRODUCT"}


def run(finder: EntityFinder, texts: list[str]) -> tuple[list[list[Entity]], float]:
    finder.pipe(texts[:4])
    started = time.perf_counter()
    found = finder.pipe(texts)
    return found, len(texts) / (time.perf_counter() - started)


def main() -> None:
    folder = require(eval_dir() / "polnear" / "data" / "dev" / "text", "PolNeAR dev texts")
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    reference, full_speed = run(EntityFinder(EntitySettings(model_chars=0)), texts)
    rows, data = [["model reads everything", 1.0, 1.0, f"{full_speed:.1f}"]], {}
    for cap in (4000, 5000, 6000):
        found, speed = run(EntityFinder(EntitySettings(model_chars=cap)), texts)
        mentions = names = hit_mentions = hit_names = 0
        for ref, got in zip(reference, found, strict=True):
            ref_spans = {(e.start, e.end, e.label) for e in ref if e.label in NAMES}
            got_spans = {(e.start, e.end, e.label) for e in got if e.label in NAMES}
            ref_names = {e.canonical for e in ref if e.label in NAMES}
            got_names = {e.canonical for e in got if e.label in NAMES}
            mentions, hit_mentions = mentions + len(ref_spans), hit_mentions + len(ref_spans & got_spans)
            names, hit_names = names + len(ref_names), hit_names + len(ref_names & got_names)
        data[cap] = {"mention_recall": hit_mentions / mentions, "name_recall": hit_names / names, "speed": speed}
        rows.append(
            [f"model reads {cap:,} chars + exact matches", hit_mentions / mentions, hit_names / names, f"{speed:.1f}"]
        )
        print(rows[-1])
    markdown = (
        "## Entities: capping what the model reads\n\n"
        "The entity model reads the first `model_chars` of each article (cut at a sentence end); names found there "
        "are matched through the rest. Reference: the model reading the whole article. PolNeAR dev, 84 articles "
        "(4,896 characters on average, median 3,918). The default reads everything (`model_chars = 0`).\n\n"
        + table(["configuration", "name-mention recall", "distinct-name recall", "articles/s (1 process)"], rows)
        + "\n"
    )
    write_results("entities_cap", {"full_speed": full_speed, "caps": data}, markdown)


if __name__ == "__main__":
    main()
