"""Check-worthy claims: factual sentences worth verifying, with who holds them and what they count.

A `ClaimScorer` gives each sentence a check-worthiness score in 0..1: a logistic model over hashed word
n-grams plus a few hand features (numbers, money, percentages, comparatives, change and causal words,
capitalized names, first- and second-person and opinion markers, questions, courtesy phrases, length). The
weights come from ``data/claims.v1.npz``, written by ``scripts/train_claims.py`` (CLEF-2019 CheckThat! Task 1
training debates plus ClaimBuster; research-use data, see ``data/README.md``). Without that file the scorer
falls back to the hand features alone with fixed, hand-set weights (`RULE_WEIGHTS`), so the pipeline still runs.

`find_claims` keeps the sentences scoring at or above a threshold and attaches the holder (the speaker of the
quote the sentence belongs to, from the quote records), the canonical names of the entities in it and its
quantities.
"""

import bisect
import logging
import math
import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Generic, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from storyline.analyze.quantities import find_quantities
from storyline.errors import AnalyzeError
from storyline.records import Claim, Entity, Quote, Sentence

__all__ = [
    "DEFAULT_MODEL_PATH",
    "DEFAULT_THRESHOLD",
    "HAND_FEATURES",
    "HASH_DIMENSION",
    "RULE_WEIGHTS",
    "ClaimScorer",
    "find_claims",
    "find_holder",
    "hand_features",
    "ngram_indices",
]

logger = logging.getLogger(__name__)

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "claims.v1.npz"
# ClaimBuster 4-fold (bench/claims.py): the shipped model's F1 is 0.736 at 0.20 (precision 0.78), 0.738 at 0.15
# (precision 0.69); the rule-only fallback peaks at 0.20 too (F1 0.68). The higher of the two ties, for precision.
DEFAULT_THRESHOLD = 0.2
HASH_DIMENSION = 2**18
MIN_WORDS = 4  # shorter sentences ("Thank you.", "Why?") are never claims

HAND_FEATURES = (
    "digit", "quantities", "percent", "money", "year", "comparative", "change", "causal", "capitals",
    "attribution", "first_singular", "first_plural", "second_person", "opinion", "question", "exclamation",
    "courtesy", "future", "length", "short",
)  # fmt: skip

# The fallback scorer: hand-set (not fitted) log-odds per hand feature, so it cannot overfit any data set.
RULE_BIAS = -2.5
RULE_WEIGHTS = MappingProxyType({
    "digit": 1.2, "quantities": 1.0, "percent": 0.8, "money": 0.8, "year": 0.4, "comparative": 0.6,
    "change": 0.7, "causal": 0.3, "capitals": 0.8, "attribution": 0.5, "first_singular": -0.6,
    "first_plural": -0.2, "second_person": -0.6, "opinion": -0.8, "question": -1.5, "exclamation": -0.6,
    "courtesy": -2.0, "future": -0.5, "length": 1.5, "short": -1.5,
})  # fmt: skip

_NON_NAME_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*|[%$€£?!]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_YEAR = re.compile(r"^(?:1[5-9]|20)\d\d$")


def _word_set(pattern: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(pattern.split()) + r")\b", re.IGNORECASE)


_CUES = {
    "comparative": _word_set(
        "more less fewer higher lower larger smaller bigger greater most least highest lowest largest biggest"
        " smallest fastest worst best than double doubled tripled twice half record"
    ),
    "change": _word_set(
        "increase increased increases rise rose risen fall fell fallen cut cuts grew grow grown drop dropped"
        " decline declined lost lose gained created added raised reduced spent spend paid cost costs"
    ),
    "causal": _word_set("because caused causes cause therefore consequently led result resulted due"),
    "attribution": _word_set(
        "said says according report reported reports study studies data survey poll statistics figures shows"
        " showed found estimate estimated"
    ),
    "first_singular": _word_set("i me my mine i'm i've i'll i'd"),
    "first_plural": _word_set("we us our ours we're we've we'll"),
    "second_person": _word_set("you your yours you're you've you'll"),
    "opinion": _word_set(
        "think believe feel hope want wish love hate great wonderful terrible amazing beautiful horrible"
        " disgrace should must need frankly honestly opinion"
    ),
    "courtesy": _word_set(
        "thank thanks applause laughter crosstalk welcome congratulations please hello goodbye appreciate"
    ),
    "future": _word_set("will would gonna i'll we'll"),
}

FloatArray = npt.NDArray[np.float64]


def ngram_indices(sentence: str, dimension: int = HASH_DIMENSION) -> list[int]:
    """Hash the sentence's word unigrams and bigrams into `dimension` buckets; numbers become <num>/<year>.

    The hash is CRC-32, so the training script and the scorer agree without sharing any state.
    """
    tokens = [_normalize_token(token) for token in _TOKEN.findall(sentence.lower())]
    grams = [f"u {token}" for token in tokens]
    grams += [f"b {first} {second}" for first, second in zip(["<s>", *tokens], [*tokens, "</s>"], strict=True)]
    return sorted({zlib.crc32(gram.encode()) % dimension for gram in grams})


def _normalize_token(token: str) -> str:
    if not token[0].isdigit():
        return token
    return "<year>" if _YEAR.match(token) else "<num>"


def hand_features(sentence: str) -> FloatArray:
    """The hand features of one sentence, in the order of `HAND_FEATURES`, each in 0..1."""
    words = _WORD.findall(sentence)
    quantities = find_quantities(sentence)
    digits = re.findall(r"\d+(?:[.,]\d+)*", sentence)
    values = {
        "digit": float(any(not _YEAR.match(d) for d in digits)),
        "quantities": min(len(quantities), 3) / 3,
        "percent": float(any(q.unit in ("ratio", "percentage_points") for q in quantities)),
        "money": float(any(q.unit is not None and q.unit.isupper() for q in quantities)),
        "year": float(any(_YEAR.match(d) for d in digits)),
        "capitals": min(sum(1 for word in words[1:] if word[0].isupper() and word != "I"), 4) / 4,
        "question": float("?" in sentence),
        "exclamation": float("!" in sentence),
        "length": min(math.log1p(len(words)) / math.log(60), 1.0),
        "short": float(len(words) < 6),
    }
    for name, pattern in _CUES.items():
        values[name] = float(pattern.search(sentence) is not None)
    return np.array([values[name] for name in HAND_FEATURES], dtype=np.float64)


class ClaimScorer:
    """Check-worthiness of sentences, 0..1. Holds its weights; load it once and reuse it.

    Args:
        model_path: a ``.npz`` written by ``scripts/train_claims.py``; default ``data/claims.v1.npz``. When
            the file does not exist the scorer uses the hand-set rule weights (`uses_model` is then False).

    Raises:
        AnalyzeError: the file exists but is not a usable model.
    """

    def __init__(self, model_path: Path | None = None) -> None:
        path = DEFAULT_MODEL_PATH if model_path is None else model_path
        self.path = path
        self._ngram_weights: FloatArray | None = None
        self._hand_weights = np.array([RULE_WEIGHTS[name] for name in HAND_FEATURES], dtype=np.float64)
        self._bias = RULE_BIAS
        if path.is_file():
            self._load(path)
        else:
            logger.warning("no claim model at %s: scoring with hand-set rule weights only", path)

    @property
    def uses_model(self) -> bool:
        """True when scores come from the trained model, False for the rule-only fallback."""
        return self._ngram_weights is not None

    def _load(self, path: Path) -> None:
        try:
            with np.load(path, allow_pickle=False) as data:
                names = tuple(str(name) for name in data["hand_names"])
                ngram_weights = np.asarray(data["ngram_weights"], dtype=np.float64)
                hand_weights = np.asarray(data["hand_weights"], dtype=np.float64)
                bias = float(data["bias"])
        except (OSError, KeyError, ValueError) as error:
            raise AnalyzeError(f"cannot load claim model {path}: {error}") from error
        if names != HAND_FEATURES or hand_weights.shape != (len(HAND_FEATURES),) or ngram_weights.ndim != 1:
            raise AnalyzeError(f"claim model {path} does not match this code's features; retrain it")
        self._ngram_weights, self._hand_weights, self._bias = ngram_weights, hand_weights, bias

    def score(self, sentences: Sequence[str]) -> list[float]:
        """Return one check-worthiness score in 0..1 per sentence, in order."""
        return [self._score_one(sentence) for sentence in sentences]

    def _score_one(self, sentence: str) -> float:
        logit = self._bias + float(hand_features(sentence) @ self._hand_weights)
        if self._ngram_weights is not None:
            indices = ngram_indices(sentence, self._ngram_weights.shape[0])
            if indices:
                logit += float(self._ngram_weights[indices].sum()) / math.sqrt(len(indices))
        return 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))


def find_claims(
    text: str,
    sentences: Sequence[Sentence],
    entities: Sequence[Entity],
    quotes: Sequence[Quote],
    scorer: ClaimScorer,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Claim]:
    """Return the sentences of `text` whose check-worthiness reaches `threshold`, as claims.

    Args:
        text: the article text every offset refers to.
        sentences: sentence spans of `text` (from `split_sentences`).
        entities: entity mentions; a claim lists the canonical names of the named ones inside it.
        quotes: quote records; a sentence that overlaps a quote with a speaker is held by that speaker.
        scorer: the check-worthiness model.
        threshold: the lowest score kept, 0..1.

    Returns:
        Claims in text order, each spanning one sentence.
    """
    candidates = [s for s in sentences if len(_WORD.findall(text[s.start : s.end])) >= MIN_WORDS]
    scores = scorer.score([text[s.start : s.end] for s in candidates])
    claims: list[Claim] = []
    near_entities = _ByStart(entities)
    near_quotes = _ByStart([q for q in quotes if q.speaker is not None])
    for sentence, score in zip(candidates, scores, strict=True):
        if score < threshold:
            continue
        claims.append(
            Claim(
                text=text[sentence.start : sentence.end],
                start=sentence.start,
                end=sentence.end,
                holder=find_holder(sentence, near_quotes.overlapping(sentence.start, sentence.end)),
                quantities=tuple(find_quantities(text, sentence.start, sentence.end)),
                entities=_entity_names(sentence, near_entities.overlapping(sentence.start, sentence.end)),
                score=round(score, 4),
            )
        )
    return claims


class _Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


_Spanned = TypeVar("_Spanned", bound=_Span)


class _ByStart(Generic[_Spanned]):
    """Spans indexed by start offset, so that each sentence of a long article looks only at the spans near it
    (scanning every quote and entity for every sentence was quadratic in the article's length)."""

    def __init__(self, items: Sequence[_Spanned]) -> None:
        self._order = sorted(range(len(items)), key=lambda i: items[i].start)
        self._starts = [items[i].start for i in self._order]
        self._items = items
        self._longest = max((item.end - item.start for item in items), default=0)

    def overlapping(self, start: int, end: int) -> list[_Spanned]:
        """The spans that overlap [start, end), in their original order."""
        low = bisect.bisect_left(self._starts, start - self._longest)
        high = bisect.bisect_left(self._starts, end)
        found = sorted(i for i in self._order[low:high] if self._items[i].end > start)
        return [self._items[i] for i in found]


def find_holder(sentence: Sentence, quotes: Sequence[Quote]) -> str | None:
    """The speaker of the attributed quote overlapping `sentence` most, or None (the article's own voice)."""
    best: tuple[int, str] | None = None
    for quote in quotes:
        overlap = min(sentence.end, quote.end) - max(sentence.start, quote.start)
        if quote.speaker is None or overlap <= 0:
            continue
        if best is None or overlap > best[0]:
            best = (overlap, quote.speaker)
    return None if best is None else best[1]


def _entity_names(sentence: Sentence, entities: Sequence[Entity]) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for entity in entities:
        inside = entity.start >= sentence.start and entity.end <= sentence.end
        if inside and entity.label not in _NON_NAME_LABELS:
            names.setdefault(entity.canonical or entity.text)
    return tuple(names)
