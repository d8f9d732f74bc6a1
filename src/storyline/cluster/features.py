"""Lexical features of an article: words, numbers, dates and names as hashed TF-IDF blocks.

Each article becomes one sparse vector in a hashed space of `2**HASH_BITS` columns made of blocks, each
L2-normalized and scaled by the square root of its weight, so that the dot product of two vectors is
`w_words * cos(words) + w_numbers * cos(numbers) + w_dates * cos(dates) + names`:

- words: content words of title + text (the title counted twice), lower-cased, stop words of the article's
  language removed, a light plural/-ing/-ed stemmer for English, character bigrams for Chinese and Japanese;
  entity names from an optional Analysis are added as extra tokens;
- numbers: scores, counts, money and percentages ("20-13", "943,000", "$1.9t", "5.4%"), years excluded,
  separators normalized across languages ("19.000" and "19,000" -> "19000", "4,5" -> "4.5");
- dates: month-day mentions, years and weekdays ("june_19", "2026", "friday"), and the Analysis's normalized
  calendar dates ("iso_2026-06-19"), which are the same in every language;
- names: name keys of anchors.py (names transliterated from any script: "Трамп" and "Trump" share a key), in
  block 3 for English articles and block 4 for others, over the same columns: `names` is
  `w3 * cos` between English articles, `w4 * cos` between others and `sqrt(w3 * w4) * cos` across
  (ClusterSettings.name_weight, name_weight_other; both 0 by default, docs/languages.md says why).

Weights are sublinear TF (1 + ln tf) times smoothed IDF `ln((N + 1) / (df + 1)) + 1`, where N and df
count every article the state has seen (hashed document frequencies).
"""

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from storyline.records import Analysis

from .anchors import CJK_CHARS, cjk_bigrams, is_cjk, name_keys, normalize_number, stop_words_for

__all__ = [
    "HASH_BITS",
    "DATES",
    "NAMES_ENGLISH",
    "NAMES_OTHER",
    "NUMBERS",
    "WORDS",
    "LexicalCounts",
    "Terms",
    "article_terms",
    "count_features",
    "extract_dates",
    "extract_names",
    "extract_numbers",
    "stem",
    "stop_words",
    "tokenize_words",
    "weigh_features",
    "weigh_terms",
]

HASH_BITS = 21
WORDS, NUMBERS, DATES = 0, 1, 2  # the blocks of `Terms` (and of the weights, in this order)
NAMES_ENGLISH, NAMES_OTHER = 3, 4  # the blocks of name keys (LexicalCounts)
HASH_MASK = (1 << HASH_BITS) - 1
MAX_CHARS = 20_000  # only the first 20k characters of a text are read (long pages add little)

# The Glasgow IR group stop list as shipped in scikit-learn (BSD-3-Clause), plus reporting verbs and titles.
_STOP_WORDS_TEXT = """
    a about above across after afterwards again against all almost alone along already also although
    always am among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere
    are around as at back be became because become becomes becoming been before beforehand behind being
    below beside besides between beyond bill both bottom but by call can cannot cant co con could
    couldnt cry de describe detail do done down dr due during each eg eight either eleven else elsewhere
    empty enough etc even ever every everyone everything everywhere except few fifteen fifty fill find
    fire first five for former formerly forty found four from front full further get give go had has
    hasnt have he hence her here hereafter hereby herein hereupon hers herself him himself his how
    however hundred i ie if in inc indeed interest into is it its itself keep last latter latterly least
    less ltd made many may me meanwhile might mill mine more moreover most mostly move mr mrs ms much
    must my myself name namely neither never nevertheless next nine no nobody none noone nor not nothing
    now nowhere of off often on once one only onto or other others otherwise our ours ourselves out over
    own part per perhaps please put rather re said same says see seem seemed seeming seems serious
    several she should show side since sincere six sixty so some somehow someone something sometime
    sometimes somewhere still such system take ten than that the their them themselves then thence there
    thereafter thereby therefore therein thereupon these they thick thin third this those though three
    through throughout thru thus to together told too top toward towards twelve twenty two un under
    until up upon us very via was we well were what whatever when whence whenever where whereafter
    whereas whereby wherein whereupon wherever whether which while whither who whoever whole whom whose
    why will with within without would yet you your yours yourself yourselves
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

WORD = re.compile(r"[^\W\d_][\w'’\-]*")
NUMBER = re.compile(
    r"(?<![\w.])[$€£¥]?\d+(?:[.,:\-–]\d+)*(?:\s?(?:%|(?:percent|million|billion|trillion|bn|m|k)\b))?", re.IGNORECASE
)
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
DATE = re.compile(
    rf"\b(?:(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}\s+(?:{MONTHS})|(?:19|20)\d\d"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"(?:19|20)\d\d")
ISO_DATE = re.compile(r"\d{4}-\d\d(?:-\d\d)?")
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")


def stem(word: str) -> str:
    """A light English stemmer: plural -s/-ies and -ing/-ed endings (enough to join "attack"/"attacks")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def stop_words(language: str | None) -> frozenset[str]:
    """English (or unknown language): the Glasgow list; another language: its own frequent words as well."""
    if language is None or language == "en":
        return STOP_WORDS
    return STOP_WORDS | stop_words_for(language)


def tokenize_words(text: str, language: str | None = None) -> list[str]:
    """Content words: lower-cased, possessives dropped, stop words removed, stemmed (English); CJK runs become
    character bigrams."""
    english = language is None or language == "en"
    stop = stop_words(language)
    out = []
    for match in WORD.finditer(text):
        word = match.group(0).lower().replace("’", "'").removesuffix("'s").strip("'-")
        if is_cjk(word):
            out += [gram for run in CJK_RUN.findall(word) for gram in cjk_bigrams(run)]
        elif len(word) > 1 and word not in stop:
            out.append(stem(word) if english else word)
    return out


def extract_names(text: str, language: str | None = None) -> list[str]:
    """Name keys of the text's capitalised words, matched across scripts (anchors.name_keys)."""
    return name_keys([match.group(0).strip("'’-") for match in WORD.finditer(text)], stop_words(language))


def extract_numbers(text: str) -> list[str]:
    """Normalized number mentions, years and single digits excluded ("943,000" and "943.000" -> "943000")."""
    out = []
    for match in NUMBER.finditer(text):
        raw = match.group(0)
        currency = raw[0] if raw[0] in "$€£¥" else ""
        value = currency + re.sub(r"\s", "", normalize_number(raw[len(currency) :]))
        value = value.replace("–", "-").replace("percent", "%")
        if len(value) > 1 and not YEAR.fullmatch(value):
            out.append(value)
    return out


def extract_dates(text: str) -> list[str]:
    """Date mentions: "June 19" -> "june_19", "2026", "friday" (month abbreviations kept as written)."""
    out = []
    for match in DATE.finditer(text):
        value = re.sub(r"[\s.]+", "_", match.group(0).lower())
        out.append(re.sub(r"(\d)(st|nd|rd|th)$", r"\1", value))
    return out


def _hash(block: str, token: str) -> int:
    return zlib.crc32(f"{block}:{token}".encode()) & HASH_MASK


@dataclass(frozen=True, slots=True)
class LexicalCounts:
    """Raw term counts of one article per block, keyed by hashed column.

    `names` are the name keys of anchors.py; `name_block` says which block weighs them: NAMES_ENGLISH (English
    or undetected language) or NAMES_OTHER. Both blocks use the same columns, so names match across languages,
    while English pairs keep a small name weight and other pairs get a larger one (ClusterSettings).
    """

    words: dict[int, int]
    numbers: dict[int, int]
    dates: dict[int, int]
    names: dict[int, int] = field(default_factory=dict)
    name_block: int = NAMES_ENGLISH

    def columns(self) -> set[int]:
        """Every column the article uses (for document frequencies)."""
        return set(self.words) | set(self.numbers) | set(self.dates) | set(self.names)


def _hashed_counts(block: str, tokens: Iterable[str]) -> dict[int, int]:
    counts: Counter[int] = Counter()
    for token, count in Counter(tokens).items():
        counts[_hash(block, token)] += count
    return dict(counts)


def _iso_dates(analysis: Analysis) -> list[str]:
    """The analysis's normalized calendar dates ("2026-06-19", "2026-06"): the same in every language."""
    return ["iso_" + t.value for t in analysis.times if t.type == "DATE" and ISO_DATE.fullmatch(t.value)]


def count_features(
    title: str, text: str, analysis: Analysis | None = None, language: str | None = None
) -> LexicalCounts:
    """Hashed term counts of an article (title twice, text, name keys, and Analysis entity names and normalized
    dates when present); `language` selects stop words, tokenization and the name block."""
    body = text[:MAX_CHARS]
    words = tokenize_words(title, language) + tokenize_words(body, language)
    numbers = extract_numbers(title) + extract_numbers(body)
    dates = extract_dates(title) + extract_dates(body)
    if analysis is not None:
        words += ["ent_" + "_".join(tokenize_words(e.canonical or e.text)) for e in analysis.entities]
        dates += _iso_dates(analysis)
    names = extract_names(title, language) + extract_names(body, language)
    return LexicalCounts(
        _hashed_counts("w", words),
        _hashed_counts("n", numbers),
        _hashed_counts("d", dates),
        _hashed_counts("k", names),
        NAMES_ENGLISH if language is None or language == "en" else NAMES_OTHER,
    )


@dataclass(frozen=True, slots=True)
class Terms:
    """An article's terms as weighting needs them, kept so a row can be weighed again when the document
    frequencies have moved: per term its block (0 words, 1 numbers, 2 dates, 3/4 names), hashed column and
    1 + ln tf."""

    blocks: npt.NDArray[np.int8]
    columns: npt.NDArray[np.int32]
    tf: npt.NDArray[np.float32]


def article_terms(counts: LexicalCounts) -> Terms:
    """The Terms of one article's counts, block by block."""
    blocks: list[int] = []
    columns: list[int] = []
    tf: list[float] = []
    numbered = (
        (WORDS, counts.words),
        (NUMBERS, counts.numbers),
        (DATES, counts.dates),
        (counts.name_block, counts.names),
    )
    for number, block in numbered:
        blocks += [number] * len(block)
        columns += list(block)
        tf += [1.0 + math.log(count) for count in block.values()]
    return Terms(np.array(blocks, np.int8), np.array(columns, np.int32), np.array(tf, np.float32))


def weigh_terms(
    terms: Terms,
    document_frequency: npt.NDArray[np.uint32],
    documents: int,
    weights: tuple[float, ...],
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    """One article's TF-IDF row: each block L2-normalized and scaled by sqrt(weight), columns sorted (blocks past
    the end of `weights` weigh 0: three weights are words, numbers and dates only)."""
    if len(terms.columns) == 0:
        return np.zeros(0, np.int32), np.zeros(0, np.float32)
    frequency = document_frequency[terms.columns].astype(np.float64)
    raw = terms.tf.astype(np.float64) * (np.log((documents + 1) / (frequency + 1)) + 1)
    block_weight = np.zeros(max(len(weights), int(terms.blocks.max()) + 1), np.float64)
    block_weight[: len(weights)] = weights
    norms = np.sqrt(np.bincount(terms.blocks, raw * raw, minlength=len(block_weight)))
    scale = np.where((norms > 0) & (block_weight > 0), np.sqrt(block_weight) / np.where(norms > 0, norms, 1.0), 0.0)
    values = raw * scale[terms.blocks]
    keep = block_weight[terms.blocks] > 0
    columns, inverse = np.unique(terms.columns[keep], return_inverse=True)
    merged = np.bincount(inverse, values[keep], minlength=len(columns))
    return columns.astype(np.int32), merged.astype(np.float32)


def weigh_features(
    counts: Sequence[LexicalCounts],
    document_frequency: npt.NDArray[np.uint32],
    documents: int,
    weights: tuple[float, ...],
) -> list[tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]]:
    """TF-IDF blocks, each L2-normalized and scaled by sqrt(weight): one (columns, values) pair per article."""
    return [weigh_terms(article_terms(article), document_frequency, documents, weights) for article in counts]
