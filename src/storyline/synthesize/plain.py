"""The explainer: a plain-language passage of the story's sources, cited as it stands.

A passage opens with a candidate sentence and runs on through the next sentences of the same paragraph (other
candidates, or short sentences that are not questions or boilerplate), at most 4 sentences and
`explainer_max_words` words. A passage is *marked* when it says it explains ("think of it like", "in simple
terms", "put simply", "in other words", "imagine a ...") or opens a paragraph under a heading or question such
as "What is ...?", "Explainer" or "The basics". Marked passages come first, the longest first. Otherwise the
plainest relevant passage that opens with one of the `POOL` most important candidates wins:

    plainness = Flesch reading ease - 100 x (names and numbers per word)
    score = plainness x (0.5 + relevance) x (1 + 0.1 x min(sentences, 3)) x opening x reference
    relevance = the importance of the opening sentence / the story's best importance
    opening = 1.2 when the passage opens its paragraph;  reference = 0.5 when its first word points back
    ("It", "This", "They", "But", ...)

where Flesch reading ease = 206.835 - 1.015 x words per sentence - 84.6 x syllables per word (syllables counted
as vowel groups), so short words, short sentences and few names or numbers read as plain.
"""

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storyline.records import BriefItem, Evidence, Sentence
from storyline.synthesize.bundle import StoryInput
from storyline.synthesize.candidates import is_noise
from storyline.synthesize.digest import DEFAULT_SETTINGS, StoryDigest, SummarySettings, as_digest
from storyline.synthesize.ties import settled, settled_array

__all__ = ["Passage", "explainer", "find_passages", "plainness"]

logger = logging.getLogger(__name__)

MAX_SENTENCES = 4
POOL = 100  # besides marked ones, passages open only with the story's most important candidates
_MARKERS = re.compile(
    r"\bthink of (?:it|this|them) (?:like|as)\b|\bin (?:simple|plain|simpler|layman['’]s) (?:terms|english|words)\b|"
    r"\b(?:put|said) simply\b|\bsimply put\b|\bin other words\b|\bto put it (?:simply|plainly|another way)\b|"
    r"\bimagine (?:a|an|if|that|you)\b|\bin a nutshell\b|\bthe short version\b|\bwhat (?:this|that) means is\b"
)  # matched against lower-cased text (faster than IGNORECASE)
_EXPLAINER_HEADING = re.compile(
    r"^(?:what (?:is|are|does|do)|how (?:does|do|did|will)|who (?:is|are)|explainer|explained|the basics|"
    r"background|in plain english|what you need to know)\b",
    re.IGNORECASE,
)
_VOWELS = re.compile(r"[aeiouy]+")
_BACK_REFERENCE = frozenset(
    {"it", "its", "this", "that", "these", "those", "they", "them", "he", "she", "his", "her", "but", "and", "so",
     "however", "also", "then", "such", "there"}
)  # fmt: skip

Counts = tuple[int, int, int]  # words, syllables, names or numbers


@dataclass(frozen=True, slots=True)
class Passage:
    """Sentences of one paragraph, opening with the digest's candidate `candidate`: `text[start:end]`."""

    candidate: int  # index of the opening candidate in the digest
    start: int  # span start in the article text
    end: int  # span end
    sentences: int  # how many sentences
    counts: Counts  # words, syllables, names or numbers
    marked: bool  # says it explains, or opens a paragraph under an explainer heading or question


def explainer(
    story: StoryInput | StoryDigest, settings: SummarySettings = DEFAULT_SETTINGS, prefer: frozenset[int] = frozenset()
) -> list[BriefItem]:
    """The story's plain-language explanation: marked passages first, else the plainest relevant passage.

    Args:
        story: the story, or its digest (which brings the settings it was built with).
        settings: the passage budget and the number of items, when `story` is a StoryInput.
        prefer: indexes of the sources whose passages rank first among passages equally marked (`--language`).

    Returns:
        1 to `settings.explainer_items` items, each one passage cited as a single span (none for a story
        without candidate sentences).
    """
    digest = as_digest(story, settings)
    settings = digest.settings
    if not digest.candidates:
        return []
    marked = [i for i in range(len(digest.candidates)) if _opens_explainer(digest, i)]
    order = np.argsort(-settled_array(digest.importance), kind="stable").tolist()
    ranked = order[:POOL] + [i for i in order if digest.candidates[i].source in prefer][:POOL]
    passages = find_passages(digest, settings.explainer_max_words, sorted(set(marked) | set(ranked)))
    top = max(float(digest.importance.max()), 1e-9)

    def later(passage: Passage) -> bool:
        return bool(prefer) and digest.candidates[passage.candidate].source not in prefer

    scored = sorted(
        passages, key=lambda p: (-p.marked, later(p), -p.marked * p.sentences, -settled(_score(digest, p, top)))
    )
    chosen = [scored[0]]
    for passage in scored[1:]:
        if len(chosen) >= settings.explainer_items or not passage.marked:
            break
        if not any(_overlaps(digest, passage, other) for other in chosen):
            chosen.append(passage)
    return [_item(digest, p) for p in chosen]


def find_passages(digest: StoryDigest, max_words: int, openers: Sequence[int] | None = None) -> list[Passage]:
    """Every passage of up to `MAX_SENTENCES` sentences and `max_words` words that opens with a candidate.

    `openers` limits the opening candidates (indexes into the digest); None means all of them.
    """
    ends = {(c.source, c.end): i for i, c in enumerate(digest.candidates)}
    counts: dict[tuple[int, int], Counts] = {}  # (source, sentence end) -> counts, for this call only
    passages = []
    for index in range(len(digest.candidates)) if openers is None else openers:
        candidate = digest.candidates[index]
        source = digest.story.sources[candidate.source]
        text = source.article.text
        sentences = _following(source.analysis.sentences, candidate.end, text)
        total, marked = _counts(candidate.text), _opens_explainer(digest, index)
        passages.append(Passage(index, candidate.start, candidate.end, 1, total, marked))
        for number, sentence in enumerate(sentences[: MAX_SENTENCES - 1], start=2):
            piece = text[sentence.start : sentence.end]
            words = len(piece.split())
            if (candidate.source, sentence.end) not in ends and (words >= digest.settings.min_words or is_noise(piece)):
                break
            key = (candidate.source, sentence.end)
            added = counts[key] if key in counts else counts.setdefault(key, _counts(piece))
            total = (total[0] + added[0], total[1] + added[1], total[2] + added[2])
            if total[0] > max_words:
                break
            marked = marked or bool(_MARKERS.search(piece.lower()))
            passages.append(Passage(index, candidate.start, sentence.end, number, total, marked))
    return passages


def plainness(text: str) -> float:
    """Flesch reading ease minus 100 x the share of words that are names or numbers (higher is plainer)."""
    return _plainness(_counts(text), max(1, len(re.findall(r"[.!?](?:\s|$)", text))))


def _following(sentences: tuple[Sentence, ...], end: int, text: str) -> list[Sentence]:
    """The sentences after the one ending at `end`, up to the end of its paragraph (line)."""
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return [s for s in sentences if end <= s.start < line_end]


def _opens_explainer(digest: StoryDigest, index: int) -> bool:
    """The sentence says it explains, or opens a paragraph under an explainer heading or question."""
    candidate = digest.candidates[index]
    if _MARKERS.search(candidate.text.lower()) or _EXPLAINER_HEADING.match(candidate.section or ""):
        return True
    before = digest.story.sources[candidate.source].article.text[: candidate.start]
    line = before[before.rfind("\n") + 1 :]
    if line.strip():
        return False  # not the first sentence of its paragraph
    previous = before.rstrip()
    heading = previous[previous.rfind("\n") + 1 :].strip()
    return heading.endswith("?") and bool(_EXPLAINER_HEADING.match(heading))


def _counts(text: str) -> Counts:
    """Words, syllables (vowel groups, at least one a word) and names or numbers (capitalized words after the
    first, figures) of a text."""
    words = text.split()
    syllables = max(len(_VOWELS.findall(text.lower())), len(words))
    names = sum(1 for w in words[1:] if w[0].isupper() or w[0].isdigit() or w[0] in "$€£")
    return len(words), syllables, names


def _plainness(counts: Counts, sentences: int) -> float:
    words, syllables, names = counts
    if not words:
        return 0.0
    ease = 206.835 - 1.015 * words / sentences - 84.6 * syllables / words
    return ease - 100.0 * names / words


def _score(digest: StoryDigest, passage: Passage, top: float) -> float:
    candidate = digest.candidates[passage.candidate]
    relevance = float(digest.importance[passage.candidate]) / top
    text = digest.story.sources[candidate.source].article.text
    opening = 1.2 if not text[text.rfind("\n", 0, candidate.start) + 1 : candidate.start].strip() else 1.0
    first_word = candidate.text.split(maxsplit=1)[0].strip(",;:").lower()
    reference = 0.5 if first_word in _BACK_REFERENCE else 1.0
    length = 1.0 + 0.1 * min(passage.sentences, 3)
    return _plainness(passage.counts, passage.sentences) * (0.5 + relevance) * length * opening * reference


def _overlaps(digest: StoryDigest, passage: Passage, other: Passage) -> bool:
    same = digest.candidates[passage.candidate].source == digest.candidates[other.candidate].source
    return same and passage.start < other.end and other.start < passage.end


def _item(digest: StoryDigest, passage: Passage) -> BriefItem:
    candidate = digest.candidates[passage.candidate]
    text = digest.story.sources[candidate.source].article.text[passage.start : passage.end]
    return BriefItem(text, (Evidence(candidate.article_id, passage.start, passage.end),))
