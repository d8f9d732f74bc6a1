"""Keyphrases (topics) and a one-line extractive summary.

Topics: candidate phrases are runs of up to three content words inside a sentence (a stop word, a number or a
punctuation mark ends a run; spaCy's stop-word list of the article's language). A phrase scores

    score = occurrences ** 0.8 * specificity * position
    specificity = sum over its words of max(0, 6.5 - zipf(word)) / sqrt(number of words)

where zipf is the word's frequency on the Zipf scale in general text (wordfreq), so common words weigh little and
rare ones much, and position = 1 + 1 / (1 + index of the first sentence holding it / 3), so the lead counts more.
A single word that occurs mostly (60 %+) inside one longer phrase is folded into that phrase; a phrase contained
in a better-scoring one is dropped. Named entities are candidates too.

Summary: the sentence with the most content words shared with the rest of the article, weighted towards the
lead; headings, questions and very short or long sentences are left out.
"""

import math
import re
from collections import Counter
from collections.abc import Sequence

import spacy.util
from wordfreq import zipf_frequency

from storyline.analyze.sentences import UNSPACED, word_length
from storyline.analyze.settings import TopicSettings
from storyline.instructions import addresses_model
from storyline.records import Entity, Sentence

__all__ = ["TopicFinder", "TopicSettings", "summary_sentence"]

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
_BREAK = re.compile(r"[,;:.!?()\[\]\"“”«»—–/|]|\s-\s|\n")
_POSSESSIVE = re.compile(r"['’]s$")
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "LAW", "EVENT", "PRODUCT", "FAC"})
SEGMENTED_LANGUAGES = frozenset(
    {"en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "cs", "ro", "hu", "tr", "id", "ca"}
)
FOLD_SHARE = 0.6
MAX_WORD = 30  # longer "words" are glued-together slugs or URLs, not topics


class TopicFinder:
    """Keyphrases of one article. Holds per-language stop words and a word-specificity cache."""

    def __init__(self, settings: TopicSettings = TopicSettings()) -> None:  # noqa: B008 - frozen
        self.settings = settings
        self._stop_words: dict[str, frozenset[str]] = {}
        self._zipf: dict[tuple[str, str], float] = {}

    def skip_reason(self, language: str | None) -> str | None:
        if (language or "en") in SEGMENTED_LANGUAGES:
            return None
        return f"topics: no word segmentation for {language!r}"

    def __call__(
        self, text: str, sentences: Sequence[Sentence], entities: Sequence[Entity] = (), language: str | None = "en"
    ) -> list[str]:
        language = language or "en"
        if self.skip_reason(language):
            return []
        counts: Counter[str] = Counter()
        forms: dict[str, Counter[str]] = {}
        first: dict[str, int] = {}
        planted = (  # sentences written for a language model: never topics
            [(s.start, s.end) for s in sentences if addresses_model(text[s.start : s.end])]
            if addresses_model(text)
            else []
        )
        for index, sentence in enumerate(sentences):
            if (sentence.start, sentence.end) in planted:
                continue
            for phrase in self._phrases(text[sentence.start : sentence.end], language):
                key = phrase.casefold()
                counts[key] += 1
                forms.setdefault(key, Counter())[phrase] += 1
                first.setdefault(key, index)
        for entity in entities:
            if any(start <= entity.start < end for start, end in planted):
                continue
            if entity.label in ENTITY_LABELS and len(entity.canonical) > 2:
                key = entity.canonical.casefold()
                counts[key] += 1
                forms.setdefault(key, Counter())[entity.canonical] += 3
                first.setdefault(key, _sentence_index(sentences, entity.start))
        _fold_words_into_phrases(counts)
        score = {
            key: count**0.8 * self._specificity(key, language) * (1 + 1 / (1 + first[key] / 3))
            for key, count in counts.items()
        }
        return self._distinct(sorted(score, key=lambda k: -score[k]), forms)

    def _phrases(self, sentence: str, language: str) -> list[str]:
        stop = self._stops(language)
        phrases = []
        for chunk in _BREAK.split(sentence):
            run: list[str] = []
            for word in [*_WORD.findall(chunk), ""]:
                word = _POSSESSIVE.sub("", word)
                if word and word.casefold() not in stop:
                    run.append(word)
                    continue
                for n in range(1, min(self.settings.max_words, len(run)) + 1):
                    phrases += [" ".join(run[i : i + n]) for i in range(len(run) - n + 1)]
                run = []
        return [p for p in phrases if len(p) > 2 and max(len(w) for w in p.split()) <= MAX_WORD]

    def _stops(self, language: str) -> frozenset[str]:
        if language not in self._stop_words:
            words = spacy.util.get_lang_class(language).Defaults.stop_words
            self._stop_words[language] = frozenset(w.casefold() for w in words)
        return self._stop_words[language]

    def _specificity(self, phrase: str, language: str) -> float:
        words = phrase.split()
        total = 0.0
        for word in words:
            key = (word, language)
            if key not in self._zipf:
                self._zipf[key] = zipf_frequency(word, language)
            total += max(0.0, 6.5 - self._zipf[key])
        return total / math.sqrt(len(words))

    def _distinct(self, ranked: list[str], forms: dict[str, Counter[str]]) -> list[str]:
        chosen: list[str] = []
        for key in ranked:
            if any(_contains(key, other) or _contains(other, key) or _chained(key, other) for other in chosen):
                continue
            chosen.append(key)
            if len(chosen) == self.settings.top:
                break
        return [forms[key].most_common(1)[0][0] for key in chosen]


def _contains(phrase: str, part: str) -> bool:
    return f" {part} " in f" {phrase} "


def _chained(one: str, other: str) -> bool:
    """'open source' and 'source ai': the end of one is the start of the other (parts of one longer phrase)."""
    a, b = one.split(), other.split()
    return (
        any(a[-n:] == b[:n] or b[-n:] == a[:n] for n in range(1, min(len(a), len(b)))) if len(a) > 1 < len(b) else False
    )


def _fold_words_into_phrases(counts: Counter[str]) -> None:
    """Merge plurals into their singular; drop a word that occurs mostly inside one longer phrase."""
    for key in [k for k in counts if k.endswith("s") and len(k) > 3 and k[:-1] in counts]:
        counts[key[:-1]] += counts.pop(key)
    # The largest count of a longer phrase (seen twice or more) that holds each word: `_contains(phrase, word)`
    # for a word without spaces is "word is one of phrase.split(' ')", so one pass over the phrases finds it.
    best: dict[str, int] = {}
    for phrase, count in counts.items():
        if " " in phrase and count >= 2:
            for part in phrase.split(" "):
                best[part] = max(best.get(part, 0), count)
    for word in [k for k in counts if " " not in k]:
        if best.get(word, 0) >= FOLD_SHARE * counts[word]:
            del counts[word]


def _sentence_index(sentences: Sequence[Sentence], offset: int) -> int:
    return next((i for i, s in enumerate(sentences) if s.start <= offset < s.end), len(sentences))


def summary_sentence(text: str, sentences: Sequence[Sentence], skip_first: int = 1) -> Sentence | None:
    """The sentence that best stands for the article (see the module docstring), or None.

    `skip_first` sentences are not candidates (the title line comes first in Article.text).
    """
    words = [_content_words(text[s.start : s.end]) for s in sentences]
    document = Counter(w for ws in words for w in set(ws))
    best: tuple[float, Sentence] | None = None
    for index, (sentence, own) in enumerate(zip(sentences, words, strict=True)):
        span = text[sentence.start : sentence.end]
        if index < skip_first or not 8 <= word_length(span) <= 45 or span.rstrip().endswith(("?", "？")):
            continue
        shared = sum(math.log1p(document[w] - 1) for w in set(own))
        score = shared / math.sqrt(len(own) + 1) * (1 + 1 / (1 + index / 4))
        if best is None or score > best[0]:
            best = (score, sentence)
    return best[1] if best else None


def _content_words(sentence: str) -> list[str]:
    """Words longer than three letters; in scripts written without spaces, character pairs stand for words."""
    words = []
    for word in _WORD.findall(sentence):
        if any(pattern.search(word) for pattern, _ in UNSPACED):
            words += [word[i : i + 2] for i in range(len(word) - 1)]
        elif len(word) > 3:
            words.append(word.casefold())
    return words
