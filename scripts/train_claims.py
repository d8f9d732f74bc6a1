"""Train the check-worthiness model that `storyline.analyze.claims.ClaimScorer` loads.

Data (research use only, read in place, never copied into the repository): the CLEF-2019 CheckThat! Task 1
English training debates and the ClaimBuster sentences, from /work/shared/eval/checkworthiness (or
$STORYLINE_EVAL_DIR/checkworthiness). ClaimBuster sentences that also occur in the CLEF training debates are
dropped, so no sentence is counted twice.

Model: L2-regularized logistic regression (scikit-learn, training time only) over the scorer's own features,
hashed word unigrams + bigrams scaled by 1/sqrt(n) and the hand features, exported as numpy arrays to
src/storyline/analyze/data/claims.v1.npz.

    .venv/bin/python scripts/train_claims.py            # writes the model, prints its size and the time taken
"""

import argparse
import csv
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from storyline.analyze.claims import (
    DEFAULT_MODEL_PATH,
    HAND_FEATURES,
    HASH_DIMENSION,
    hand_features,
    ngram_indices,
)

# Chosen by leave-one-debate-out cross-validation on the CLEF training debates (bench/claims.py --grid).
DEFAULT_C = 1.0
DEFAULT_CLAIMBUSTER_WEIGHT = 0.5
DEFAULT_POSITIVE_WEIGHT = 3.0  # extra weight on CLEF positives (2.7% of the CLEF sentences)


@dataclass(frozen=True)
class Example:
    text: str
    label: int
    group: str  # CLEF debate file, or "claimbuster"


def eval_dir() -> Path:
    """The evaluation data folder: $STORYLINE_EVAL_DIR or /work/shared/eval next to the repository."""
    default = Path(__file__).resolve().parents[2] / "shared" / "eval"
    return Path(os.environ.get("STORYLINE_EVAL_DIR", default)) / "checkworthiness"


def normalize(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def load_clef(path: Path) -> list[Example]:
    """Rows of a CT19-T1 csv file: line_number, speaker, text, label, file_name."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [Example(row["text"], int(row["label"]), row["file_name"]) for row in csv.DictReader(handle)]


def load_claimbuster(folder: Path, exclude: Iterable[str] = ()) -> list[Example]:
    """The union of ClaimBuster's files, deduplicated, less sentences whose normalized text is in `exclude`."""
    seen = set(exclude)
    examples: list[Example] = []
    for name in ("kfold_25ncs.json", "train.json", "test.json"):
        file = folder / name
        if not file.is_file():
            continue
        for item in json.loads(file.read_text(encoding="utf-8")):
            key = normalize(item["text"])
            if key and key not in seen:
                seen.add(key)
                examples.append(Example(item["text"], int(item["label"]), "claimbuster"))
    return examples


def featurize(texts: Sequence[str]) -> sparse.csr_matrix:
    """Rows of hashed n-grams (scaled 1/sqrt(n), as the scorer does) followed by the hand features."""
    rows: list[int] = []
    columns: list[int] = []
    values: list[float] = []
    hand = np.zeros((len(texts), len(HAND_FEATURES)))
    for row, text in enumerate(texts):
        indices = ngram_indices(text, HASH_DIMENSION)
        rows += [row] * len(indices)
        columns += indices
        values += [1.0 / np.sqrt(len(indices))] * len(indices) if indices else []
        hand[row] = hand_features(text)
    grams = sparse.csr_matrix((values, (rows, columns)), shape=(len(texts), HASH_DIMENSION))
    return sparse.hstack([grams, sparse.csr_matrix(hand)], format="csr")


def sample_weights(examples: Sequence[Example], claimbuster_weight: float, positive_weight: float) -> np.ndarray:
    weights = [
        claimbuster_weight if e.group == "claimbuster" else (positive_weight if e.label else 1.0) for e in examples
    ]
    return np.array(weights)


@dataclass(frozen=True)
class Weights:
    ngram: npt.NDArray[np.float32]
    hand: npt.NDArray[np.float64]
    bias: float


def fit(features: sparse.csr_matrix, labels: np.ndarray, weights: np.ndarray, c: float = DEFAULT_C) -> Weights:
    """Fit the logistic regression and split its coefficients into the scorer's arrays."""
    model = LogisticRegression(C=c, solver="liblinear", max_iter=200)
    model.fit(features, labels, sample_weight=weights)
    coefficients = model.coef_[0]
    return Weights(
        ngram=coefficients[:HASH_DIMENSION].astype(np.float32),
        hand=coefficients[HASH_DIMENSION:].astype(np.float64),
        bias=float(model.intercept_[0]),
    )


def save(weights: Weights, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        ngram_weights=weights.ngram,
        hand_weights=weights.hand,
        bias=np.array(weights.bias),
        hand_names=np.array(HAND_FEATURES),
    )


def training_examples(folder: Path) -> list[Example]:
    """All CLEF training sentences plus the ClaimBuster sentences not found among them."""
    clef = load_clef(folder / "clef2019_task1_en" / "CT19-T1-Training.csv")
    return clef + load_claimbuster(folder / "claimbuster", exclude={normalize(e.text) for e in clef})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    parser.add_argument("--c", type=float, default=DEFAULT_C)
    parser.add_argument("--claimbuster-weight", type=float, default=DEFAULT_CLAIMBUSTER_WEIGHT)
    parser.add_argument("--positive-weight", type=float, default=DEFAULT_POSITIVE_WEIGHT)
    args = parser.parse_args(argv)
    folder = eval_dir()
    if not (folder / "clef2019_task1_en" / "CT19-T1-Training.csv").is_file():
        sys.stderr.write(f"no training data under {folder}; set STORYLINE_EVAL_DIR\n")
        return 1
    began = time.perf_counter()
    examples = training_examples(folder)
    features = featurize([e.text for e in examples])
    labels = np.array([e.label for e in examples])
    weights = fit(features, labels, sample_weights(examples, args.claimbuster_weight, args.positive_weight), args.c)
    save(weights, args.out)
    seconds = time.perf_counter() - began
    sys.stdout.write(
        f"trained on {len(examples)} sentences ({int(labels.sum())} positive) in {seconds:.1f}s;"
        f" wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB)\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
