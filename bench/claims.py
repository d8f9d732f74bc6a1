"""Check-worthiness benchmark: CLEF-2019 CheckThat! Task 1 (English) and ClaimBuster.

CLEF: leave-one-debate-out cross-validation on the 19 training debates. For each held-out debate the model
is trained, with the recipe of scripts/train_claims.py, on the other 18 debates plus ClaimBuster minus every
ClaimBuster sentence that shares a 6-word run with the held-out debate (ClaimBuster contains the 2016
presidential debates). Metrics, as in the official scorer, per debate then averaged: average precision
(MAP), R-precision and precision at 10. Also: the rule-only fallback scorer (no training), a random ranking,
and, once, the model trained on all training data scored on the CLEF test file when that file is present
(never used to tune anything).
ClaimBuster: 4-fold cross-validated F1 of the check-worthy class (see `claimbuster_kfold`).
Speed: sentences per second of ClaimScorer with the shipped model, and of the rule-only fallback.

    .venv/bin/python bench/claims.py [--grid]      # --grid: also cross-validate a small hyper-parameter grid
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import train_claims as train  # noqa: E402

from storyline.analyze.claims import DEFAULT_THRESHOLD, ClaimScorer  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "claims.json"
ANCHOR_MAP = 0.166  # best CLEF-2019 Task 1 primary run on the test set (Copenhagen), from the overview paper
SHINGLE = 6


def average_precision(labels: Sequence[int]) -> float:
    hits, total = 0, 0.0
    for rank, label in enumerate(labels, start=1):
        if label:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def ranking_metrics(groups: dict[str, list[tuple[float, int]]]) -> dict[str, float]:
    """MAP, R-precision and P@10 averaged over debates; each debate is ranked by descending score."""
    per_debate = []
    for rows in groups.values():
        ranked = [label for _, label in sorted(rows, key=lambda row: -row[0])]
        positives = sum(ranked)
        per_debate.append(
            (average_precision(ranked), sum(ranked[:positives]) / max(positives, 1), sum(ranked[:10]) / 10)
        )
    means = np.mean(np.array(per_debate), axis=0)
    return {
        "MAP": round(float(means[0]), 4),
        "R-precision": round(float(means[1]), 4),
        "P@10": round(float(means[2]), 4),
    }


def shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}


def leakage_mask(held_out: Sequence[train.Example], claimbuster: Sequence[train.Example]) -> np.ndarray:
    """True for the `claimbuster` sentences that share a 6-word run (or all their words) with `held_out`."""
    seen = set().union(*(shingles(e.text) for e in held_out))
    return np.array([bool(shingles(e.text) & seen) for e in claimbuster])


def cross_validate(
    clef: list[train.Example], claimbuster: list[train.Example], config: dict[str, float]
) -> dict[str, float]:
    """Leave-one-debate-out MAP/R-P/P@10 of the trained model with hyper-parameters `config`."""
    examples = clef + claimbuster
    features = train.featurize([e.text for e in examples])
    labels = np.array([e.label for e in examples])
    weights = train.sample_weights(examples, config["claimbuster_weight"], config["positive_weight"])
    debates = np.array([e.group for e in clef] + ["claimbuster"] * len(claimbuster))
    groups: dict[str, list[tuple[float, int]]] = {}
    for debate in sorted(set(debates[: len(clef)])):
        held = debates == debate
        leaked = np.concatenate(
            [
                np.zeros(len(clef), dtype=bool),
                leakage_mask([e for e in clef if e.group == debate], claimbuster),
            ]
        )
        keep = ~held & ~leaked & (weights > 0)
        model = train.fit(features[keep], labels[keep], weights[keep], config["c"])
        scores = features[held] @ np.concatenate([model.ngram, model.hand]) + model.bias
        groups[debate] = list(zip(scores.tolist(), labels[held].tolist(), strict=True))
    return ranking_metrics(groups)


def scorer_metrics(scorer: ClaimScorer, examples: Sequence[train.Example]) -> dict[str, float]:
    groups: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for example, score in zip(examples, scorer.score([e.text for e in examples]), strict=True):
        groups[example.group].append((score, example.label))
    return ranking_metrics(groups)


def random_metrics(examples: Sequence[train.Example], rounds: int = 20) -> dict[str, float]:
    generator = random.Random(0)
    runs = []
    for _ in range(rounds):
        groups: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for example in examples:
            groups[example.group].append((generator.random(), example.label))
        runs.append(ranking_metrics(groups))
    return {key: round(float(np.mean([run[key] for run in runs])), 4) for key in runs[0]}


def claimbuster_kfold(folder: Path, clef: Sequence[train.Example], folds: int = 4) -> dict[str, object]:
    """k-fold scores on ClaimBuster's kfold_25ncs set (check-worthy factual claim vs not).

    Two models per fold: one trained on the other ClaimBuster folds alone (F1 at 0.5, comparable to published
    numbers), and the shipped recipe (the other folds plus the CLEF training debates, minus CLEF sentences that
    share a 6-word run with the test fold), whose F1 across thresholds picks `find_claims`' default threshold.
    """
    items = json.loads((folder / "claimbuster" / "kfold_25ncs.json").read_text(encoding="utf-8"))
    random.Random(0).shuffle(items)
    examples = [train.Example(item["text"], int(item["label"]), "claimbuster") for item in items]
    features = train.featurize([e.text for e in examples] + [e.text for e in clef])
    labels = np.array([e.label for e in examples] + [e.label for e in clef])
    weights = train.sample_weights([*examples, *clef], train.DEFAULT_CLAIMBUSTER_WEIGHT, train.DEFAULT_POSITIVE_WEIGHT)
    fold_of = np.concatenate([np.arange(len(examples)) % folds, np.full(len(clef), -1)])
    alone, recipe = np.zeros(len(examples)), np.zeros(len(examples))
    for fold in range(folds):
        test = fold_of == fold
        train_alone = (fold_of != fold) & (fold_of >= 0)
        alone[test[: len(examples)]] = _logits(features, labels, train_alone, np.ones(len(labels)), test)
        leaked = leakage_mask([e for e, f in zip(examples, fold_of, strict=False) if f == fold], clef)
        train_recipe = (fold_of != fold) & ~np.concatenate([np.zeros(len(examples), dtype=bool), leaked])
        recipe[test[: len(examples)]] = _logits(features, labels, train_recipe, weights, test)
    gold = labels[: len(examples)]
    sweep = {f"{t:.2f}": _f1(1 / (1 + np.exp(-recipe)) >= t, gold) for t in np.arange(0.1, 0.75, 0.05)}
    best = max(sweep, key=lambda t: sweep[t]["F1"])
    with tempfile.TemporaryDirectory() as empty:
        rules = np.array(ClaimScorer(Path(empty) / "absent.npz").score([e.text for e in examples]))
    rule_sweep = {f"{t:.2f}": _f1(rules >= t, gold) for t in np.arange(0.1, 0.75, 0.05)}
    return {"folds": folds, "claimbuster_only_at_0.5": _f1(alone >= 0, gold),
            "shipped_recipe_by_threshold": sweep, "shipped_recipe_best_threshold": float(best),
            "rules_only_by_threshold (no training, no folds needed)": rule_sweep,
            f"at_default_threshold_{DEFAULT_THRESHOLD}": {
                "shipped_recipe": _f1(1 / (1 + np.exp(-recipe)) >= DEFAULT_THRESHOLD, gold),
                "rules_only": _f1(rules >= DEFAULT_THRESHOLD, gold)}}  # fmt: skip


def _logits(
    features: sparse.csr_matrix, labels: np.ndarray, rows: np.ndarray, weights: np.ndarray, test: np.ndarray
) -> np.ndarray:
    """Fit on `rows`, return the logits of the `test` rows."""
    model = train.fit(features[rows], labels[rows], weights[rows])
    return np.asarray(features[test] @ np.concatenate([model.ngram, model.hand]) + model.bias)


def _f1(predicted: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    true_positive = int((predicted & (gold == 1)).sum())
    precision = true_positive / max(int(predicted.sum()), 1)
    recall = true_positive / max(int(gold.sum()), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return {"precision": round(precision, 4), "recall": round(recall, 4), "F1": round(f1, 4)}


def speed(scorer: ClaimScorer, texts: Sequence[str]) -> float:
    began = time.perf_counter()
    scorer.score(texts)
    return round(len(texts) / (time.perf_counter() - began), 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grid", action="store_true", help="cross-validate a small hyper-parameter grid too")
    args = parser.parse_args()
    folder = train.eval_dir()
    training_file = folder / "clef2019_task1_en" / "CT19-T1-Training.csv"
    if not training_file.is_file():
        print(f"skipped: no CLEF-2019 data under {folder} (set STORYLINE_EVAL_DIR)")
        return 0
    clef = train.load_clef(training_file)
    claimbuster = train.load_claimbuster(folder / "claimbuster", exclude={train.normalize(e.text) for e in clef})
    default = {"c": train.DEFAULT_C, "claimbuster_weight": train.DEFAULT_CLAIMBUSTER_WEIGHT,
               "positive_weight": train.DEFAULT_POSITIVE_WEIGHT}  # fmt: skip
    results: dict[str, object] = {
        "task": "CLEF-2019 CheckThat! Task 1 English, leave-one-debate-out on the 19 training debates",
        "data": {"clef_sentences": len(clef), "clef_positive": sum(e.label for e in clef),
                 "debates": len({e.group for e in clef}), "claimbuster_sentences": len(claimbuster)},
        "anchor": {"best_clef2019_primary_MAP_test": ANCHOR_MAP},
    }  # fmt: skip
    began = time.perf_counter()
    results["model_cv"] = {**cross_validate(clef, claimbuster, default), "config": default}
    results["model_cv_seconds"] = round(time.perf_counter() - began, 1)
    print("model, leave-one-debate-out:", results["model_cv"])
    if args.grid:
        results["grid"] = grid(clef, claimbuster)
        results["grid_date"] = datetime.date.today().isoformat()
    else:
        results.update(previous_grid())
    with tempfile.TemporaryDirectory() as empty:
        rules = ClaimScorer(Path(empty) / "absent.npz")
    results["rules_only"] = scorer_metrics(rules, clef)
    results["random"] = random_metrics(clef)
    print("rule-only fallback:", results["rules_only"], " random:", results["random"])
    results["claimbuster_kfold"] = claimbuster_kfold(folder, clef)
    kfold = results["claimbuster_kfold"]
    print("ClaimBuster 4-fold, trained on ClaimBuster alone, at 0.5:", kfold["claimbuster_only_at_0.5"])
    at_default = kfold[f"at_default_threshold_{DEFAULT_THRESHOLD}"]
    print(f"ClaimBuster 4-fold at find_claims' default threshold {DEFAULT_THRESHOLD}:", at_default)
    results.update(final_model(folder, clef))
    write(results)
    return 0


def grid(clef: list[train.Example], claimbuster: list[train.Example]) -> list[dict[str, float]]:
    rows = []
    for c in (0.3, 1.0, 3.0):
        for claimbuster_weight in (0.0, 0.5, 1.0):
            for positive_weight in (1.0, 3.0):
                config = {
                    "c": c,
                    "claimbuster_weight": claimbuster_weight,
                    "positive_weight": positive_weight,
                }
                rows.append({**config, **cross_validate(clef, claimbuster, config)})
                print("grid", rows[-1])
    return rows


def final_model(folder: Path, clef: Sequence[train.Example]) -> dict[str, object]:
    """Train on all training data once; score the test file if present; measure the scorer's speed."""
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "claims.npz"
        began = time.perf_counter()
        examples = train.training_examples(folder)
        weights = train.sample_weights(examples, train.DEFAULT_CLAIMBUSTER_WEIGHT, train.DEFAULT_POSITIVE_WEIGHT)
        features = train.featurize([e.text for e in examples])
        fitted = train.fit(features, np.array([e.label for e in examples]), weights)
        train.save(fitted, path)
        out["train_seconds_all_data"] = round(time.perf_counter() - began, 1)
        scorer = ClaimScorer(path)
        texts = [e.text for e in clef]
        sample = [e.text for e in examples[:: max(len(examples) // 2000, 1)]]
        expected = 1 / (
            1 + np.exp(-(train.featurize(sample) @ np.concatenate([fitted.ngram, fitted.hand]) + fitted.bias))
        )
        out["export_max_abs_difference"] = float(np.max(np.abs(np.array(scorer.score(sample)) - expected)))
        out["sentences_per_second"] = speed(scorer, texts[:4000])
        out["rules_only_sentences_per_second"] = speed(ClaimScorer(Path(scratch) / "absent.npz"), texts[:4000])
        test_file = folder / "clef2019_task1_en" / "CT19-T1-Test.csv"
        if test_file.is_file():
            out["TEST_model_trained_on_all_training_data"] = scorer_metrics(scorer, train.load_clef(test_file))
            print(
                "TEST (held-out file, trained on all training data):",
                out["TEST_model_trained_on_all_training_data"],
            )
        else:
            out["TEST_model_trained_on_all_training_data"] = f"not measured: {test_file.name} is absent"
            print(f"test file {test_file} absent: no test-set MAP")
    print(
        "scorer speed:",
        out["sentences_per_second"],
        "sentences/s (rules only:",
        out["rules_only_sentences_per_second"],
        ")",
    )
    return out


def previous_grid() -> dict[str, object]:
    """Carry the grid of the last `--grid` run over (it takes ~20 minutes here), with its date."""
    if not RESULTS.is_file():
        return {}
    old = json.loads(RESULTS.read_text(encoding="utf-8"))
    return {key: old[key] for key in ("grid", "grid_date") if key in old}


def write(results: dict[str, object]) -> None:
    results["machine"] = {
        "processor": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "date": datetime.date.today().isoformat(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    sys.exit(main())
