"""Robustness of ingest: N hostile inputs (tests/hostile.py) pushed through the real ingest path in batches.

Each batch is a folder of hostile files with a good article after every few of them, read by `Ingestor` into
`pipeline.ingest` and a real SQLiteStore in a temporary directory (a fresh store per batch). Reported: crashes
(exceptions escaping the batch; target 0), skips from unexpected errors (bugs caught at the batch boundary),
hangs (a batch over the per-batch watchdog; target 0), peak memory (ru_maxrss), good documents kept (target
100 %), seconds per 1,000 hostile inputs, and skips by reason.

Inputs: about 6 % are the hand-made cases of tests/hostile.py (every encoding, nesting, JSON, feed, gzip and
file-system case; the big feed cut to 500 entries), the rest random mutations (`hostile.mutated_cases`:
random bytes, flipped and cut documents, broken JSONL and feeds, bad charsets, deep JSON).

Run: .venv/bin/python bench/robustness.py [--quick] [-n 10000] [--seed 0] [--batch 100] [--watchdog 120]
"""

import _thread
import argparse
import contextlib
import itertools
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from common import ROOT, table, write_results
from storyline import pipeline
from storyline.extract.article import Extractor
from storyline.ingest.sources import Ingestor
from storyline.store import SQLiteStore

sys.path.insert(0, str(ROOT / "tests"))
from hostile import Case, all_cases, good_case, mutated_cases, owns, problems, write_case  # noqa: E402

QUICK = 500
GOOD_EVERY = 3  # a good article after every 3 hostile inputs
FEED_ENTRIES = 500


class Watchdog:
    """Interrupts the main thread when a batch runs over `seconds`; exits the process if even that fails."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._timer: threading.Timer | None = None

    def __enter__(self) -> "Watchdog":
        self.fired = False
        self._timer = threading.Timer(self.seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def _fire(self) -> None:
        self.fired = True
        _thread.interrupt_main()
        time.sleep(self.seconds)  # a hang inside C code never returns to take the interrupt
        print(f"hang: a batch ignored the interrupt for {self.seconds:.0f} s; exiting", flush=True)
        os._exit(3)


def batches(n: int, seed: int, size: int) -> list[list[Case]]:
    """The hostile inputs in batches, each with a good article after every GOOD_EVERY of them."""
    rng = random.Random(seed)
    ids = itertools.count()
    rounds = max(1, n // 1000)
    structured = all_cases(ids, entries=FEED_ENTRIES)
    hostile: list[list[Case]] = [structured] * rounds
    mutated = mutated_cases(rng, ids, max(0, n - rounds * len(structured)))
    hostile += [mutated[i : i + size] for i in range(0, len(mutated), size)]
    rng.shuffle(hostile)
    result = []
    for bad in hostile:
        good_ids = itertools.count(1_000_000)
        batch: list[Case] = []
        for index, case in enumerate(bad):
            batch.append(case)
            if index % GOOD_EVERY == GOOD_EVERY - 1:
                batch.append(good_case(good_ids))
        result.append(batch)
    return result


def _reason_kind(reason: str) -> str:
    """A skip reason with its numbers and quoted details folded, so reasons group."""
    reason = re.sub(r"'[^']*'", "'…'", reason)
    reason = re.sub(r"\d[\d,.]*", "N", reason)
    return reason.split(": ", 2)[0] if reason.startswith("corrupt") else reason[:90]


def run_batch(batch: list[Case], workdir: Path, extractor: Extractor, watchdog: Watchdog) -> dict[str, Any]:
    folder = workdir / "in"
    for case in batch:
        write_case(folder, case)
    store = SQLiteStore(workdir / "store.db")
    outcome: dict[str, Any] = {"crash": None, "hang": False, "seconds": 0.0}
    started = time.perf_counter()
    try:
        with watchdog:
            for _ in pipeline.ingest([str(folder)], store, Ingestor(), extractor, 20.0):
                pass
    except KeyboardInterrupt:
        outcome["hang"] = watchdog.fired
        if not watchdog.fired:
            raise
    except Exception:  # noqa: BLE001 - the thing measured: an exception escaping the batch
        outcome["crash"] = traceback.format_exc()
    outcome["seconds"] = time.perf_counter() - started
    goods = [c for c in batch if c.name.startswith("good-")]
    locations = [str(row[0]) for row in store.db.execute("SELECT location FROM locations")]
    outcome["good"] = sum(c.kept or 1 for c in goods)
    outcome["good_kept"] = sum(min(c.kept or 1, sum(owns(folder, c, loc) for loc in locations)) for c in goods)
    outcome["skips"] = [s.reason for s in store.skips()]
    outcome["problems"] = [p for p in problems(store, folder, batch) if not p.startswith("good-")]
    store.close()
    _remove(workdir)
    return outcome


def _remove(path: Path) -> None:
    for root, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError, NotImplementedError):  # a symbolic link on Linux
                os.chmod(os.path.join(root, name), 0o600, follow_symlinks=False)
    shutil.rmtree(path, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", type=int, default=10_000, help="hostile inputs (default 10,000)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK} hostile inputs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=100, help="hostile inputs per batch")
    parser.add_argument("--watchdog", type=float, default=120.0, help="seconds one batch may take")
    args = parser.parse_args()
    n = QUICK if args.quick else args.n
    generated = time.perf_counter()
    plan = batches(n, args.seed, args.batch)
    generated = time.perf_counter() - generated
    extractor, watchdog = Extractor(), Watchdog(args.watchdog)
    totals: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    crashes: list[str] = []
    mismatches: list[str] = []
    seconds = 0.0
    with tempfile.TemporaryDirectory(prefix="robustness-") as temporary:
        for number, batch in enumerate(plan):
            result = run_batch(batch, Path(temporary) / f"batch-{number}", extractor, watchdog)
            seconds += result["seconds"]
            totals["hostile"] += sum(1 for c in batch if not c.name.startswith("good-"))
            totals["good"] += result["good"]
            totals["good_kept"] += result["good_kept"]
            totals["hangs"] += result["hang"]
            totals["skips"] += len(result["skips"])
            totals["unexpected"] += sum(r.startswith("unexpected error") for r in result["skips"])
            reasons.update(_reason_kind(r) for r in result["skips"])
            if result["crash"]:
                crashes.append(result["crash"])
            mismatches += result["problems"]
            if number % 20 == 0:
                print(f"batch {number + 1}/{len(plan)}: {dict(totals)}", flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report(n, args, totals, reasons, crashes, mismatches, seconds, generated, peak_mb, len(plan))


def report(
    n: int,
    args: argparse.Namespace,
    totals: Counter[str],
    reasons: Counter[str],
    crashes: list[str],
    mismatches: list[str],
    seconds: float,
    generated: float,
    peak_mb: float,
    batch_count: int,
) -> None:
    kept_share = totals["good_kept"] / totals["good"] if totals["good"] else 1.0
    per_thousand = seconds / totals["hostile"] * 1000
    data = {
        "hostile_inputs": totals["hostile"],
        "batches": batch_count,
        "seed": args.seed,
        "crashes": len(crashes),
        "crash_tracebacks": crashes[:5],
        "unexpected_error_skips": totals["unexpected"],
        "hangs": totals["hangs"],
        "watchdog_seconds": args.watchdog,
        "peak_memory_mb": round(peak_mb, 1),
        "good_documents": totals["good"],
        "good_kept": totals["good_kept"],
        "good_kept_share": kept_share,
        "expectation_mismatches": len(mismatches),
        "mismatch_examples": mismatches[:20],
        "ingest_seconds": round(seconds, 2),
        "seconds_per_1000_hostile": round(per_thousand, 3),
        "generation_seconds": round(generated, 2),
        "skips": totals["skips"],
        "skips_by_reason": reasons.most_common(15),
    }
    rows: list[list[Any]] = [
        ["hostile inputs (files)", f"{totals['hostile']:,} in {batch_count} batches", ""],
        ["crashes (exceptions escaping a batch)", len(crashes), "0"],
        ["skips from unexpected errors (bugs caught at the boundary)", totals["unexpected"], "0"],
        [f"hangs (batch over {args.watchdog:g} s)", totals["hangs"], "0"],
        ["good documents kept", f"{totals['good_kept']:,} / {totals['good']:,} ({kept_share:.1%})", "100 %"],
        ["hostile cases not handled as tests/hostile.py expects", len(mismatches), "0"],
        ["peak memory (ru_maxrss)", f"{peak_mb:.0f} MB", ""],
        ["seconds per 1,000 hostile inputs (ingest, good articles included)", f"{per_thousand:.2f}", ""],
    ]
    markdown = "\n".join(
        [
            "## Robustness: hostile inputs through ingest",
            "",
            f"`bench/robustness.py` (seed {args.seed}): {totals['hostile']:,} hostile files from `tests/hostile.py` "
            f"(the hand-made cases, {FEED_ENTRIES}-entry feed, and random mutations) in folders of about "
            f"{args.batch}, with a good article after every {GOOD_EVERY}, each folder read by `Ingestor` -> "
            "`pipeline.ingest` into a fresh SQLiteStore.",
            "",
            table(["measure", "value", "target"], rows),
            "",
            "Skips by reason (numbers folded to N; top 15):",
            "",
            table(["reason", "skips"], [[r.replace("|", "\\|"), c] for r, c in reasons.most_common(15)]),
        ]
    )
    path = write_results("robustness", data, markdown)
    print(markdown)
    print(f"wrote {path}")
    for crash in crashes[:3]:
        print(crash)
    for mismatch in mismatches[:20]:
        print("mismatch:", mismatch)


if __name__ == "__main__":
    main()
