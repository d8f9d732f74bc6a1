"""Checks a model-worded brief item against the spans it cites; an item that fails any check is dropped.

In order (the first failure is the reason recorded):
1. shape: text of 3..`max_words` words, one to `MAX_CITES` cited lines, all of them offered lines;
2. instructions: the item does not address a model (`storyline.instructions`) and does not carry the words of a
   sentence that did (an instruction planted in an article: its content words the item holds that its cited
   spans do not, three or more, or half of the planted sentence's words);
3. language: the item is in the language asked for (lingua, over the asked language, twelve common languages
   and the sources' languages; judged only at confidence >= 0.6, texts under four words are not judged);
4. names, numbers and dates: same language, the grounding checker's rule (every capitalized name, every number
   and number word, every month and weekday of the item is in its spans, normalized); another language, every
   number (digits, decimal comma or point, thousands separators unified), every month (read in seven
   languages) and every capitalized word that is not a common word of that language (wordfreq zipf < 4) is in
   the spans;
5. entailment (same language only): at least `min_coverage` of the item's content words (`words.content_words`)
   are in its spans, and a negation in the item ("not", "no", "never", "n't", "without") is in its spans too. This is a
   lexical test, not a proof: its measured rates on true and corrupted items are in docs/llm.md.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from storyline.instructions import addresses_model
from storyline.synthesize.grounding import missing_across, required_tokens, text_words
from storyline.synthesize.words import content_words

if TYPE_CHECKING:
    from lingua import LanguageDetector

__all__ = ["MAX_CITES", "Verifier"]

MAX_CITES = 4
COMMON_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "ru", "pl", "tr", "zh", "ar")  # always told apart
_NEGATION = re.compile(r"\b(?:not|no|never|none|nor|neither|without|nothing|nobody)\b|n['’]t\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Verifier:
    language: str  # the language the brief is written in (ISO 639-1)
    source_languages: tuple[str, ...]  # the languages of the story's articles
    planted: Sequence[str] = ()  # sentences of the story's articles that address a model
    max_words: int = 60
    min_coverage: float = 0.6

    def check(self, text: str, spans: Sequence[str], cites: Sequence[int], offered: int) -> str | None:
        """None when the item passes, else why it fails (in words)."""
        words = len(text.split())
        if words < 3 or words > self.max_words:
            return f"{words} words (3 to {self.max_words} allowed)"
        if not cites or len(cites) > MAX_CITES or any(not 1 <= n <= offered for n in cites):
            return f"cites {list(cites)} (1 to {MAX_CITES} of lines 1..{offered})"
        if addresses_model(text):
            return "addresses a model"
        evidence = " ".join(spans)
        item, support = content_words(text), content_words(evidence)  # read once for steps 2 and 5
        planted = self._planted_words(item - support)
        if planted:
            return f"carries an instruction planted in an article ({planted})"
        language = self._language_of(text)
        if language is not None and language != self.language:
            return f"written in {language!r}, not {self.language!r}"
        same_language = all(lang == self.language for lang in self.source_languages if lang)
        missing = _missing(text, evidence) if same_language else missing_across(text, evidence, self.language)
        if missing:
            return f"not in its spans: {', '.join(sorted(missing)[:5])}"
        if same_language:
            if item and len(item & support) / len(item) < self.min_coverage:
                return f"{len(item & support)} of {len(item)} content words in its spans"
            if _NEGATION.search(text) and not _NEGATION.search(evidence):
                return "a negation its spans do not state"
        return None

    def _planted_words(self, unsupported: set[str]) -> str | None:
        """The words a planted sentence shares with the item's words its spans do not hold, when enough."""
        for sentence in self.planted:
            planted = content_words(sentence)
            shared = unsupported & planted
            if len(shared) >= 3 or (planted and len(shared) >= max(1, len(planted) // 2)):
                return ", ".join(sorted(shared)[:4])
        return None

    def _language_of(self, text: str) -> str | None:
        if len(text.split()) < 4:
            return None
        languages = tuple(sorted({self.language, *COMMON_LANGUAGES, *(lang for lang in self.source_languages if lang)}))
        return _detect(text, languages)


def _missing(text: str, evidence: str) -> set[str]:
    available = text_words(evidence)
    return {token for token in required_tokens(text) if token not in available}


@lru_cache(maxsize=4096)
def _detect(text: str, languages: tuple[str, ...]) -> str | None:
    detector = _detector(languages)
    if detector is None:
        return None
    values = detector.compute_language_confidence_values(text)
    if not values or values[0].value < 0.6:
        return None
    return str(values[0].language.iso_code_639_1.name).lower()


@lru_cache(maxsize=16)
def _detector(languages: tuple[str, ...]) -> "LanguageDetector | None":
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper(), None) for code in languages]
    known = [code for code in codes if code is not None]
    if len(known) < 2:
        return None
    return LanguageDetectorBuilder.from_iso_codes_639_1(*known).build()
