"""The tense around a time expression, read from the tense markers of its sentence.

Markers: future -> "will", "'ll", "shall", "would", "going to", "plans", "planned", "scheduled", "expected to";
past -> "was", "were", "had", "did" and other irregular past forms, "has/have" + participle, and lowercase
"-ed" verbs that do not follow a present or future auxiliary ("will be held" is not past). The marker nearest to
the expression wins (on a tie the one before it). Reporting verbs ("said", "told", "announced") count only when
the sentence has no other marker when they follow the expression after a comma: "the vote will be held
Friday, officials said" is about a future Friday, "officials said Friday" about a past one.
"""

import re
from dataclasses import dataclass, field

__all__ = ["TenseReader"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
_FUTURE = _words("will shall won't gonna wo would planned planning plans scheduled slated upcoming")
_FUTURE_BEFORE_TO = _words("expected due set poised plan intends intend aims going expects hopes hope expect intended")
_REPORTING = _words(
    "said told announced reported added stated noted explained confirmed declared insisted claimed predicted warned "
    "wrote"
)
_PAST = _words("""
    was were had did made took came went got gave found left met saw began became fell rose won lost
    sold bought paid held led brought thought knew spoke ran struck broke chose drove flew grew kept meant
    sent spent stood taught threw understood wore felt heard built caught fought sought shot fled hung sat slept
    stole swore swept tore woke withdrew arose sank dealt forgot forgave froze hid overtook undertook rang sang
    slid spun stuck stung strove swam swung wept wound shook overcame ate drank didn't wasn't weren't hadn't
    ago yesterday
""")
_AUX_NOT_PAST = _words(
    "is are am be been being will to get gets getting would could should may might must can 's 're not has have had"
)
_DETERMINERS = _words("the a an its his her their our my your this that these those")
_ED_NOT_VERB = _words("""
    need speed feed seed bed red shed indeed proceed exceed succeed breed greed weed hundred based related limited
    united interested concerned supposed used advanced detailed sacred wicked naked bred fled embed creed deed steed
""")


def _lower_word(token: re.Match[str], sentence_start: int) -> str:
    """The token lowercased, or '' for a capitalized word inside the sentence (a name: "United", "Fed")."""
    word = token.group()
    if word[:1].islower() or token.start() == sentence_start:
        return word.lower().replace("’", "'")
    return ""


@dataclass(frozen=True, slots=True)
class _Marker:
    start: int
    end: int
    tense: str
    weak: bool  # a reporting verb


def _classify(words: list[str], index: int) -> tuple[str, bool] | None:
    word = words[index]
    following = words[index + 1] if index + 1 < len(words) else ""
    previous = words[index - 1] if index else ""
    if word in _FUTURE or word.endswith("'ll"):
        return "future", False
    if word in _FUTURE_BEFORE_TO and following in ("to", "for"):
        return "future", False
    if previous in _AUX_NOT_PAST and word not in ("was", "were", "had", "did"):
        if word in ("has", "have") or previous in ("has", "have", "had"):
            return "past", False
        return None
    if word in _REPORTING:
        return "past", True
    if word in _PAST:
        return "past", False
    if word in ("has", "have", "'ve") and (following.endswith(("ed", "en")) or following in _PAST):
        return "past", False
    if len(word) > 3 and word.endswith("ed") and word not in _ED_NOT_VERB and previous not in _DETERMINERS:
        return "past", False
    return None


@dataclass
class TenseReader:
    """Reads tense markers once per sentence of one text (create one per text)."""

    text: str
    _markers: dict[int, list[_Marker]] = field(default_factory=dict)

    def _sentence_markers(self, start: int, end: int) -> list[_Marker]:
        cached = self._markers.get(start)
        if cached is not None:
            return cached
        tokens = list(_TOKEN.finditer(self.text, start, end))
        words = [_lower_word(t, start) for t in tokens]
        markers = []
        for index, token in enumerate(tokens):
            found = _classify(words, index) if words[index] else None
            if found is not None:
                markers.append(_Marker(token.start(), token.end(), found[0], found[1]))
        self._markers[start] = markers
        return markers

    def tense(self, start: int, end: int, expression_start: int, expression_end: int) -> str | None:
        """'past', 'future' or None for the expression at [expression_start, expression_end) in the sentence
        text[start:end]."""
        markers = [m for m in self._sentence_markers(start, end) if not expression_start <= m.start < expression_end]
        # A reporting verb tells when something was said; it dates the expression only right next to it.
        strong = [
            m for m in markers if not m.weak or 0 <= expression_start - m.end <= 4 or 0 <= m.start - expression_end <= 1
        ]
        best: tuple[int, int] | None = None
        chosen: str | None = None
        for marker in strong:
            before = marker.end <= expression_start
            distance = expression_start - marker.end if before else marker.start - expression_end
            key = (distance, 0 if before else 1)
            if best is None or key < best:
                best, chosen = key, marker.tense
        return chosen
