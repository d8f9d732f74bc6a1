"""Extractive summary, key points and why-it-matters of a story: cited sentences, no LLM.

Every item's text is exactly one source sentence (a leading bullet, dateline or inline label cut off, and its
span cut to match), so `article.text[start:end] == item.text` for the item's first evidence span. Further
evidence spans are sentences of other articles that state the same content (see `digest` for the support rule:
a syndicated copy adds evidence, never support).

- `summarize`: sentences ranked by importance (coverage by other sources, centrality within their own article,
  a lead-position prior, penalties for the writer's own voice and for quotes) and chosen greedily by maximal
  marginal relevance, MMR = lambda * importance - (1 - lambda) * max similarity to the sentences already
  chosen, within a sentence and word budget. A sentence and the sentences of other articles that restate it
  (near-duplicates included) are one unit: the item cites all their spans, and no restatement is chosen again.
- `key_points`: statements with the most independent support first; list items of a source's own "Key
  Points" break ties, then importance.
- `why_it_matters`: a source's own "Why it matters" section or label, then consequence and stakes sentences.
- `explainer` (in `plain`): the plainest passage, or a source's own plain-language paragraph.
"""

import logging
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from storyline.records import BriefItem
from storyline.synthesize.bundle import StoryInput
from storyline.synthesize.digest import DEFAULT_SETTINGS, StoryDigest, SummarySettings, as_digest, digest_story
from storyline.synthesize.plain import explainer
from storyline.synthesize.ties import settled, settled_array

__all__ = [
    "StoryDigest",
    "SummarySettings",
    "choose_sentences",
    "digest_story",
    "explainer",
    "key_points",
    "preferred_mask",
    "summarize",
    "why_it_matters",
]

logger = logging.getLogger(__name__)

KEY_POINT_HEADINGS = frozenset({"key points", "key takeaways", "takeaways", "claims", "highlights", "in brief"})
WHY_HEADINGS = frozenset(
    {"why it matters", "why this matters", "why it's important", "what's at stake", "the stakes", "what it means",
     "the big picture", "the bottom line", "bottom line", "what this means", "why it counts"}
)  # fmt: skip
_STRONG_CUES = re.compile(
    r"\b(?:will|would|could|may|might) (?:determine|decide|reshape|shape|transform|define|set|upend|redefine)\b|"
    r"\bat stake\b|\bthe stakes\b|\bstakes (?:are|extend|include)\b|\b(?:this|that|it) means\b|\bmeans that\b|"
    r"\bmatters? because\b|\bconsequences?\b|\bimplications?\b|\bhinges? on\b|\bfar-reaching\b|\bprecedent\b|"
    r"\bthreatens? to\b|\b(?:could|would|will) (?:lead to|result in|affect|harm|hurt|cost|end|cut|force)\b|"
    r"\bat risk\b|\bimpact on\b|\beffect on\b|\bthe outcome\b|\bfor the first time\b"
)  # matched against lower-cased text (faster than IGNORECASE)
_WEAK_CUES = re.compile(r"\b(?:could|would|might|risks?|threat|future|whether)\b")


def summarize(
    story: StoryInput | StoryDigest, settings: SummarySettings = DEFAULT_SETTINGS, prefer: frozenset[int] = frozenset()
) -> list[BriefItem]:
    """The story's most important, mutually non-redundant sentences, most important first.

    Args:
        story: the story's articles with their analyses and roles, or its digest (`digest_story`, built once
            and shared by the four parts; it brings the settings it was built with).
        settings: sentence and word budgets, redundancy and support thresholds.
        prefer: indexes of the sources whose sentences come first (`--language`, `candidates.preferred_sources`):
            MMR chooses among their sentences, then goes on over the others within the same budgets.

    Returns:
        At most `settings.max_sentences` items within `settings.max_words` words. An item's evidence is its own
        span, then the best restatement (similarity >= `settings.support_threshold`) in each other article;
        its support counts the independence groups among those articles: a `syndicated_copy` is in the group
        of the article it copies (`member.derived_from[0]`, followed through chains of copies), so it adds
        evidence but never support. Originals, derivatives and independent reports are groups of their own.
    """
    digest = as_digest(story, settings)
    settings = digest.settings
    chosen = choose_sentences(digest, settings, prefer)
    return [digest.item(i, settings.support_threshold) for i in chosen]


def choose_sentences(digest: StoryDigest, settings: SummarySettings, prefer: frozenset[int] = frozenset()) -> list[int]:
    """Candidate indexes chosen by MMR within the budgets, in the order chosen: first among the candidates of
    the `prefer` sources (when given), then among all that are left."""
    importance = digest.importance
    if importance.size == 0:
        return []
    relevance = importance / max(float(importance.max()), 1e-9)
    overlap = np.zeros_like(relevance)
    closed = np.zeros(relevance.shape, dtype=bool)  # chosen, over the word budget, or redundant
    chosen: list[int] = []
    words = 0
    phases = [preferred_mask(digest, prefer), np.ones(relevance.shape, dtype=bool)] if prefer else [~closed]
    for allowed in phases:
        while len(chosen) < settings.max_sentences and (open_ := allowed & ~closed).any():
            score = settings.mmr_lambda * relevance - (1 - settings.mmr_lambda) * overlap
            index = int(np.argmax(np.where(open_, settled_array(score), -np.inf)))  # ties: the earlier candidate
            closed[index] = True
            if words + digest.candidates[index].words > settings.max_words:
                continue
            chosen.append(index)
            words += digest.candidates[index].words
            overlap = np.maximum(overlap, digest.similarity[index])
            closed |= overlap >= settings.redundancy
    return chosen


def preferred_mask(digest: StoryDigest, prefer: frozenset[int]) -> npt.NDArray[np.bool_]:
    """Per candidate: True when its source is one of `prefer`."""
    return np.array([c.source in prefer for c in digest.candidates], dtype=bool)


def key_points(
    story: StoryInput | StoryDigest, settings: SummarySettings = DEFAULT_SETTINGS, prefer: frozenset[int] = frozenset()
) -> list[BriefItem]:
    """Statements ranked by how many independent sources state them, then list items of a source's own "Key
    Points" (or "Key takeaways", "Claims", ...) before other sentences, then by importance; a statement that
    restates one already chosen (similarity >= `settings.support_threshold`) is left out. Sentences of the
    `prefer` sources (`--language`) rank before all others, in that same order among themselves.

    Returns:
        At most `settings.key_points` items; `support` is the number of independent sources stating the
        item (similarity >= `settings.support_threshold`), and the evidence has one span per stating article.
    """
    digest = as_digest(story, settings)
    settings = digest.settings
    size = len(digest.candidates)
    if size == 0:
        return []
    support = digest.support_counts(settings.support_threshold)
    listed = [_is_listed_point(digest, i) for i in range(size)]
    later = _later(digest, prefer)
    order = sorted(
        range(size), key=lambda i: (later[i], -support[i], -listed[i], -settled(float(digest.importance[i])))
    )
    chosen = _non_redundant(digest, order, settings.key_points, settings.support_threshold)
    return [digest.item(i, settings.support_threshold) for i in chosen]


def why_it_matters(
    story: StoryInput | StoryDigest, settings: SummarySettings = DEFAULT_SETTINGS, prefer: frozenset[int] = frozenset()
) -> list[BriefItem]:
    """Consequence and stakes sentences: a source's own "Why it matters" first, then sentences with stakes cues;
    qualifying sentences of the `prefer` sources (`--language`) before all others.

    A sentence qualifies when it sits in a why-it-matters section (or follows a "Why it matters:" label), or
    when it has a strong stakes cue ("will determine", "at stake", "means that", "would reshape", ...).
    Qualifying sentences rank by cue strength x (1 + coverage by other sources) x the lead prior.

    Returns:
        1 to `settings.why_items` items (none when no sentence qualifies).
    """
    digest = as_digest(story, settings)
    settings = digest.settings
    scores = [_stakes_score(digest, i) for i in range(len(digest.candidates))]
    later = _later(digest, prefer)
    order = sorted((i for i, s in enumerate(scores) if s > 0), key=lambda i: (later[i], -settled(scores[i])))
    chosen = _non_redundant(digest, order, settings.why_items, settings.redundancy)
    return [digest.item(i, settings.support_threshold) for i in chosen]


def _later(digest: StoryDigest, prefer: frozenset[int]) -> list[bool]:
    """Per candidate: True when sources are preferred and its source is not one of them (it ranks later)."""
    return [bool(prefer) and c.source not in prefer for c in digest.candidates]


def _stakes_score(digest: StoryDigest, index: int) -> float:
    candidate = digest.candidates[index]
    own = candidate.section in WHY_HEADINGS or candidate.label in WHY_HEADINGS
    lower = candidate.text.lower()
    strong = len(_STRONG_CUES.findall(lower))
    if not own and not strong:
        return 0.0
    cue = 3.0 * own + min(strong, 2) + 0.25 * min(len(_WEAK_CUES.findall(lower)), 2)
    return cue * (1.0 + float(digest.importance[index])) / (1.0 + 0.1 * _rank_in_section(digest, index))


def _rank_in_section(digest: StoryDigest, index: int) -> int:
    """How many candidates of the same article and section come before this one."""
    candidate = digest.candidates[index]
    return sum(
        1
        for other in digest.candidates[max(0, index - candidate.position) : index]
        if other.source == candidate.source and other.section == candidate.section
    )


def _is_listed_point(digest: StoryDigest, index: int) -> bool:
    candidate = digest.candidates[index]
    return candidate.listed and candidate.section in KEY_POINT_HEADINGS


def _non_redundant(digest: StoryDigest, order: Sequence[int], limit: int, redundancy: float) -> list[int]:
    chosen: list[int] = []
    for index in order:
        if len(chosen) >= limit:
            break
        if all(digest.similarity[index, other] < redundancy for other in chosen):
            chosen.append(index)
    return chosen
