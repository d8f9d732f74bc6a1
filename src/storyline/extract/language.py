"""Language identification of article bodies with lingua (low-accuracy mode: fast, and reliable on a paragraph)."""

import re
from typing import Any

from lingua import LanguageDetectorBuilder

__all__ = ["LanguageDetector"]

SAMPLE_CHARS = 800


class LanguageDetector:
    """Detect a text's language as an ISO 639-1 code with lingua's confidence. Loads lingua's models lazily."""

    def __init__(self, sample_chars: int = SAMPLE_CHARS) -> None:
        self.sample_chars = sample_chars
        self._detector: Any = None

    def __call__(self, text: str) -> tuple[str | None, float]:
        """(code, confidence) for `text`, or (None, 0.0) when it holds no letters to judge by."""
        sample = self._sample(text)
        if not re.search(r"[^\W\d_]{2}", sample):
            return None, 0.0
        if self._detector is None:
            self._detector = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
        values = self._detector.compute_language_confidence_values(sample)
        if not values or values[0].value <= 0.0:
            return None, 0.0
        top = values[0]
        return top.language.iso_code_639_1.name.lower(), round(float(top.value), 3)

    def _sample(self, text: str) -> str:
        """A middle slice of the text: titles and first lines are the most often in another language."""
        collapsed = " ".join(text.split())
        if len(collapsed) <= self.sample_chars:
            return collapsed
        start = min(len(collapsed) // 4, len(collapsed) - self.sample_chars)
        return collapsed[start : start + self.sample_chars]
