"""Entity throughput: articles per second for `EntityFinder.pipe`, n_process 1 vs 2, on PolNeAR dev texts.

Run: `.venv/bin/python bench/entities_speed.py [--articles 200] [--batch-size 16]`.
Texts: the 84 PolNeAR dev articles (read at run time from $STORYLINE_EVAL_DIR or ../../shared/eval), cycled to
`--articles` texts (~5,000 characters, ~950 tokens each). The script exits with a message when they are absent.

For each configuration it loads a fresh `EntityFinder` (not timed), warms it on 4 texts, then times `pipe` over
all texts three times and reports the best run (all runs are listed too): wall-clock articles/s, and articles
per CPU-second (this process plus its worker processes; per core, what idle cores would give). The machine is
shared with other jobs, so the load average before and after the reported run is recorded.

Anchors measured in the same run, on the 84 distinct texts, in one process (one timed run each): the full spaCy
pipeline (tagger, parser, lemmatizer... plus NER) and the lean NER-only pipeline without the entity ruler, both
as raw spaCy entities; and on how many texts these two give exactly the same entities (to show that dropping the
other components does not change NER).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from storyline.analyze.entities import LABELS, EntityFinder, EntitySettings

EVAL_DIR = Path(os.environ.get("STORYLINE_EVAL_DIR", Path(__file__).resolve().parents[2] / "shared" / "eval"))
RESULTS = Path(__file__).resolve().parent / "results" / "entities_speed.json"


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(run: Callable[[Sequence[str]], Any], texts: Sequence[str], repeat: int = 1) -> tuple[Any, dict[str, Any]]:
    """Run `run(texts)` `repeat` times after a warm-up; report the best run (the least disturbed by other load)."""
    run(texts[:4])
    trials = []
    result: Any = None
    for _ in range(repeat):
        load_before = os.getloadavg()[0]
        cpu, wall = cpu_seconds(), time.perf_counter()
        result = run(texts)
        wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
        trials.append((wall, cpu, [round(load_before, 2), round(os.getloadavg()[0], 2)]))
    wall, cpu, load = min(trials)
    return result, {
        "articles": len(texts),
        "seconds": round(wall, 2),
        "articles_per_second": round(len(texts) / wall, 1),
        "articles_per_cpu_second": round(len(texts) / cpu, 1) if cpu else None,
        "load_average_1min_before_after": load,
        "all_runs_articles_per_second": [round(len(texts) / t[0], 1) for t in trials],
    }


def spacy_load(model: str) -> Any:
    import spacy

    return spacy.load(model)


def raw_entities(nlp: Any, batch_size: int) -> Callable[[Sequence[str]], list[list[tuple[int, int, str]]]]:
    """Plain spaCy entities (no ruler fixes, no name merging), for the anchors."""

    def run(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        docs = nlp.pipe(texts, batch_size=batch_size)
        return [[(e.start_char, e.end_char, e.label_) for e in d.ents if e.label_ in LABELS] for d in docs]

    return run


def measure_finder(texts: Sequence[str], batch_size: int) -> tuple[dict[str, Any], float]:
    """Time EntityFinder.pipe with n_process 1 and 2; also return entities per article."""
    runs: dict[str, Any] = {}
    found: list[Any] = []
    for n_process in (1, 2):
        finder = EntityFinder(EntitySettings(n_process=n_process, batch_size=batch_size))
        found, runs[f"n_process_{n_process}"] = timed(finder.pipe, texts, repeat=3)
        del finder
    return runs, round(sum(map(len, found)) / len(found), 1)


def measure_anchors(dev: Sequence[str], batch_size: int, runs: dict[str, Any]) -> int:
    """Time the anchors into `runs`; return on how many texts lean raw NER equals the full pipeline's."""
    lean = EntityFinder(EntitySettings(ruler=False, batch_size=batch_size)).nlp
    plain, runs["anchor_lean_raw_ner_without_ruler_n_process_1"] = timed(raw_entities(lean, batch_size), dev)
    full_nlp = spacy_load(EntitySettings().model)
    full, runs["anchor_full_pipeline_n_process_1"] = timed(raw_entities(full_nlp, batch_size), dev)
    return sum(a == b for a, b in zip(plain, full, strict=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=EntitySettings().batch_size)
    args = parser.parse_args()
    folder = EVAL_DIR / "polnear" / "data" / "dev" / "text"
    if not folder.is_dir():
        print(f"PolNeAR dev texts not found under {EVAL_DIR}; set STORYLINE_EVAL_DIR. Skipping.")
        return 0
    dev = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))]
    texts = [dev[i % len(dev)] for i in range(args.articles)]
    runs, per_article = measure_finder(texts, args.batch_size)
    same = measure_anchors(dev, args.batch_size, runs)
    results = {
        "benchmark": "entities_speed",
        "texts": f"PolNeAR dev, {len(dev)} articles cycled to {len(texts)}",
        "mean_characters": round(sum(map(len, texts)) / len(texts)),
        "model": EntitySettings().model,
        "batch_size": args.batch_size,
        "runs": runs,
        "lean_vs_full_pipeline_identical_texts": f"{same}/{len(dev)}",
        "entities_per_article": per_article,
        "machine": {
            "processor": platform.processor(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        },
    }
    print(json.dumps(results, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
