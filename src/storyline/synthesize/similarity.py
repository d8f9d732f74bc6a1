"""Lexical sentence similarity for the synthesize stage: content words, entities and numbers, no embeddings.

A sentence becomes a set of terms:

- content words: lower-cased, stop words dropped, a light stemmer (possessive, plural, -ing, -ed and a final
  -e removed, then cut to `PREFIX` letters, so "regulation", "regulatory" and "regulating" meet as "regula");
- numbers: "#90%", "#8", "#1983" (thousands separators dropped), so "over 90%" meets "more than 90%";
- entity names: "@" + the analyzer's canonical name, lower-cased (an extra vote for a shared name).

Each term weighs its smoothed inverse sentence frequency within the story, `ln(1 + N / df)` (numbers and
entities times `SPECIAL_WEIGHT`), and the similarity of two sentences is the cosine of their binary weighted
term vectors. All pairs are one sparse matrix product, so a 50-article story (about 2,000 sentences) takes
milliseconds.
"""

import re
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]

__all__ = ["STOP_WORDS", "TermMatrix", "number_terms", "sentence_terms", "stem", "word_terms"]

# The Glasgow IR group stop list (as shipped in scikit-learn, BSD-3-Clause), plus reporting verbs and
# relative time words ("today" in two sentences is no shared content).
_STOP_WORDS_TEXT = """
    a about above across after afterwards again against all almost alone along already also although
    always am among amongst an and another any anyhow anyone anything anyway anywhere are around as at
    back be became because become becomes becoming been before beforehand behind being below beside
    besides between beyond both but by can cannot could did do does doing done down due during each eg
    either else elsewhere enough etc even ever every everyone everything everywhere except few for
    former formerly from further get gets got had has have having he hence her here hers herself him
    himself his how however i ie if in indeed into is it its itself just least less many may me
    meanwhile might mine more moreover most mostly much must my myself namely neither never
    nevertheless next no nobody none noone nor not nothing now nowhere of off often on once one only
    onto or other others otherwise our ours ourselves out over own per perhaps rather re said same say
    says seem seemed seeming seems several she should since so some somehow someone something sometime
    sometimes somewhere still such than that the their theirs them themselves then thence there
    thereafter thereby therefore therein thereupon these they this those though through throughout thus
    to together too toward towards under until up upon us very via was we well were what whatever when
    whence whenever where whereas whereby wherein whereupon wherever whether which while who whoever
    whole whom whose why will with within without would yet you your yours yourself yourselves
    told tell tells according also like make makes made today yesterday tomorrow currently recently
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

PREFIX = 6  # letters a stem keeps
SPECIAL_WEIGHT = 1.5  # numbers and entity names weigh this much more than a word of the same rarity
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:\s?(?:%|percent\b))?")  # on lower-cased text


def stem(word: str) -> str:
    """A light stem: Harman's S-stemmer, then -ing, -ed and a final -e removed, cut to `PREFIX` letters.

    >>> [stem(w) for w in ("bridges", "bridge", "voted", "voting", "companies", "Regulatory", "banning")]
    ['bridg', 'bridg', 'vot', 'vot', 'compan', 'regula', 'ban']
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4:
        if w.endswith("ies") and not w.endswith(("eies", "aies")):
            w = w[:-3] + "y"
        elif w.endswith("s") and not w.endswith(("us", "ss", "is")):
            w = w[:-1]
    if len(w) > 5 and w.endswith("ing") or len(w) > 4 and w.endswith("ed"):
        w = w[:-3] if w.endswith("ing") else w[:-2]
        if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouylsz":  # "banning" -> "ban", "stopped" -> "stop"
            w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w[:PREFIX]


def word_terms(text: str, stems: dict[str, str] | None = None) -> list[str]:
    """Stems of the content words of `text`, in order (stop words and one-letter words left out).

    `stems` is an optional word -> stem cache the caller keeps for the duration of one job.
    """
    cache = {} if stems is None else stems
    terms = []
    for word in _WORD.findall(text.lower().replace("’", "'")):
        if len(word) < 2 or word in STOP_WORDS or word.split("'")[0] in STOP_WORDS:
            continue
        term = cache.get(word)
        if term is None:
            term = cache[word] = stem(word)
        terms.append(term)
    return terms


def number_terms(text: str) -> list[str]:
    """Numbers written in `text` as terms: "#90%", "#8", "#1983"."""
    terms: list[str] = []
    if not _DIGIT.search(text):
        return terms
    for match in _NUMBER.finditer(text.lower()):
        raw = match.group()
        digits = re.sub(r"[,\s]|percent", "", raw).rstrip(".")
        if raw.endswith(("%", "percent")):
            digits = digits.rstrip("%") + "%"
        terms.append("#" + digits)
    return terms


def sentence_terms(text: str, entities: Iterable[str] = (), stems: dict[str, str] | None = None) -> frozenset[str]:
    """The term set of a sentence: content stems, numbers, and "@"-prefixed entity names."""
    words = word_terms(text, stems)
    return frozenset(words) | frozenset(number_terms(text)) | {"@" + e.lower() for e in entities}


class TermMatrix:
    """Weighted, L2-normalized term vectors of a list of sentences, and their pairwise cosines."""

    def __init__(self, term_sets: Sequence[frozenset[str]]) -> None:
        self.size = len(term_sets)
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        columns: list[int] = []
        for row, terms in enumerate(term_sets):
            for term in sorted(terms):  # not set order: it varies with the hash seed, and so would the sums
                rows.append(row)
                columns.append(vocabulary.setdefault(term, len(vocabulary)))
        self.vocabulary = vocabulary
        counts = np.bincount(np.asarray(columns, dtype=np.int64), minlength=len(vocabulary))
        self.idf = np.log1p(max(self.size, 1) / np.maximum(counts, 1)).astype(np.float32)
        special = np.array([t[0] in "#@" for t in vocabulary], dtype=bool)
        self.counted = np.array([t[0] != "@" for t in vocabulary], dtype=np.float32)  # entity terms repeat words
        self.idf[special] *= SPECIAL_WEIGHT
        values = self.idf[np.asarray(columns, dtype=np.int64)] if columns else np.zeros(0, dtype=np.float32)
        matrix = sparse.csr_matrix((values, (rows, columns)), shape=(self.size, len(vocabulary)), dtype=np.float32)
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        self.matrix = sparse.diags(1.0 / np.maximum(norms, 1e-9)) @ matrix

    def cosines(self, min_shared: int = 1) -> npt.NDArray[np.float32]:
        """The N x N matrix of cosine similarities (1.0 on the diagonal for non-empty sentences).

        Pairs that share fewer than `min_shared` words or numbers get 0.0: one shared rare name is not a shared
        statement (entity terms are not counted, as they repeat words: "@ai" and "ai").
        """
        product = np.asarray((self.matrix @ self.matrix.T).toarray(), dtype=np.float32)
        if min_shared > 1:
            binary = (self.matrix > 0).astype(np.float32) @ sparse.diags(self.counted)
            product[(binary @ binary.T).toarray() < min_shared] = 0.0
        return product

    def weight(self, term: str) -> float:
        """The weight of `term` in this story (0.0 for a term no sentence has)."""
        index = self.vocabulary.get(term)
        return float(self.idf[index]) if index is not None else 0.0
