"""What the summary, key points, why-it-matters and explainer parts share: candidates, similarities, support.

Importance of a candidate sentence (`StoryDigest.importance`):

    (cross_weight x coverage + local_weight x centrality) x (1 + lead_bonus / (1 + position))
        x (1 - claim_weight / 2 + claim_weight x claim score) x voice

where centrality is the mean similarity to the other candidates of its own article, position its rank among
them, claim score the analyzer's check-worthiness (facts with figures and names score high), and voice 0.5 for
the writer's own voice ("we", "you") times (1 - 0.5 x the share inside a direct quote).

Support rule. Each source belongs to an independence group (`candidates.source_groups`): its own, or for a
`syndicated_copy` the group of the article it copies. A candidate sentence is *stated* by another article when
that article holds a sentence at least `support_threshold` similar to it. The candidate's support is the number
of distinct groups among its own article and the articles that state it, so a syndicated copy adds a span of
evidence but never a unit of support. Its *coverage* is the soft version: for each other group, the best
similarity any of its articles offers, summed and divided by the number of other groups (0..1).
"""

import bisect
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.records import BriefItem, Entity, Evidence
from storyline.synthesize.bundle import StoryInput
from storyline.synthesize.candidates import Candidate, collect_candidates, source_groups
from storyline.synthesize.similarity import TermMatrix, sentence_terms
from storyline.synthesize.ties import settled, settled_array

__all__ = ["DEFAULT_SETTINGS", "StoryDigest", "SummarySettings", "as_digest", "digest_story"]

logger = logging.getLogger(__name__)

Floats = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class SummarySettings:
    """Budgets and thresholds of the extractive summary parts. Similarities are cosines in 0..1."""

    max_sentences: int = 5  # summary sentences at most
    max_words: int = 120  # summary words at most (the sentence that crosses the budget is left out)
    min_words: int = 6  # shorter sentences are never cited
    max_sentence_words: int = 70  # longer "sentences" are run-on lists or extraction errors
    support_threshold: float = 0.3  # a sentence this similar in another article states the same content
    min_shared_terms: int = 2  # sentences sharing fewer terms are not similar at all
    redundancy: float = 0.25  # a sentence this similar to a chosen one is not chosen again (summary, why)
    mmr_lambda: float = 0.7  # weight of importance against novelty when choosing the next sentence
    cross_weight: float = 1.0  # importance: weight of coverage by other sources
    local_weight: float = 0.5  # importance: weight of centrality within the sentence's own article
    lead_bonus: float = 1.0  # position prior: importance x (1 + lead_bonus / (1 + position in article))
    claim_weight: float = 0.5  # factual prior: importance x (1 - claim_weight / 2 + claim_weight x claim score)
    key_points: int = 5  # key points at most
    why_items: int = 3  # why-it-matters items at most
    explainer_items: int = 2  # explainer passages at most
    explainer_max_words: int = 120  # longest explainer passage
    max_candidates: int = 3000  # similarity matrix bound (3000^2 floats = 36 MB): see `digest_story`


DEFAULT_SETTINGS = SummarySettings()


@dataclass(frozen=True, slots=True)
class StoryDigest:
    """The candidates of a story with their pairwise similarities and per-source best matches."""

    story: StoryInput
    settings: SummarySettings  # the settings it was built with
    candidates: list[Candidate]
    similarity: Floats  # N x N cosine between candidates
    best: Floats  # N x S: best similarity of each candidate in each source (own source: 1.0)
    best_index: npt.NDArray[np.int64]  # N x S: which candidate of that source gives it (-1: none)
    groups: list[int]  # per source: its independence group (index)
    importance: Floats  # per candidate: (coverage, centrality) mix times the position prior

    def support(self, index: int, threshold: float) -> tuple[int, list[int]]:
        """Support count of candidate `index` and the candidates giving it: one per stating article, own first."""
        candidate = self.candidates[index]
        stating = [s for s in range(len(self.groups)) if s != candidate.source and self.best[index, s] >= threshold]
        groups = {self.groups[candidate.source]} | {self.groups[s] for s in stating}
        order = sorted(stating, key=lambda s: -settled(self.best[index, s]))  # ties: source order
        return len(groups), [index] + [int(self.best_index[index, s]) for s in order]

    def support_counts(self, threshold: float) -> npt.NDArray[np.int64]:
        """The support count of every candidate at once (see `support`)."""
        sources = len(self.groups)
        membership = np.zeros((sources, max(self.groups, default=-1) + 1), dtype=np.float32)
        membership[np.arange(sources), self.groups] = 1.0
        stated = (self.best >= threshold).astype(np.float32)
        return np.asarray(((stated @ membership) > 0).sum(axis=1), dtype=np.int64)

    def item(self, index: int, threshold: float) -> BriefItem:
        """A brief item citing candidate `index`, plus one span per article stating it at `threshold`."""
        count, members = self.support(index, threshold)
        evidence = tuple(self.evidence(m) for m in members)
        return BriefItem(self.candidates[index].text, evidence, support=count)

    def evidence(self, index: int) -> Evidence:
        candidate = self.candidates[index]
        return Evidence(candidate.article_id, candidate.start, candidate.end)


def digest_story(story: StoryInput, settings: SummarySettings) -> StoryDigest:
    """Collect the candidates of `story`, compare them all, and score their importance.

    A story with more than `settings.max_candidates` candidate sentences keeps the first
    `max(3, max_candidates // articles)` candidates of each article (the lead, where news puts its facts).
    """
    candidates = _bounded(collect_candidates(story, settings.min_words, settings.max_sentence_words), settings)
    stems: dict[str, str] = {}  # word -> stem, for this story only
    names = [_entity_index(source.analysis.entities) for source in story.sources]
    terms = [sentence_terms(c.text, _entities(names[c.source], c), stems) for c in candidates]
    similarity = (
        TermMatrix(terms).cosines(settings.min_shared_terms) if candidates else np.zeros((0, 0), dtype=np.float32)
    )
    best, best_index = _best_per_source(candidates, similarity, len(story.sources))
    group_keys = source_groups(story)
    groups = [sorted(set(group_keys)).index(k) for k in group_keys]
    importance = _importance(candidates, similarity, best, groups, settings) * _factual(story, candidates, settings)
    logger.debug("digest of %s: %d candidates from %d sources", story.story_id, len(candidates), len(groups))
    return StoryDigest(story, settings, candidates, similarity, best, best_index, groups, importance)


def _bounded(candidates: list[Candidate], settings: SummarySettings) -> list[Candidate]:
    if len(candidates) <= settings.max_candidates:
        return candidates
    per_article = max(3, settings.max_candidates // len({c.source for c in candidates}))
    logger.info("%d candidate sentences: keeping the first %d of each article", len(candidates), per_article)
    return [c for c in candidates if c.position < per_article]


def as_digest(story: StoryInput | StoryDigest, settings: SummarySettings) -> StoryDigest:
    """`story` itself when it is already a digest (built once, shared by all parts), else its digest."""
    return story if isinstance(story, StoryDigest) else digest_story(story, settings)


def _entity_index(entities: Sequence[Entity]) -> tuple[list[int], list[str]]:
    ordered = sorted(entities, key=lambda e: e.start)
    return [e.start for e in ordered], [e.canonical for e in ordered]


def _entities(index: tuple[list[int], list[str]], candidate: Candidate) -> list[str]:
    """Canonical names of the entities that start inside the candidate."""
    starts, names = index
    return names[bisect.bisect_left(starts, candidate.start) : bisect.bisect_left(starts, candidate.end)]


def _best_per_source(
    candidates: list[Candidate], similarity: Floats, sources: int
) -> tuple[Floats, npt.NDArray[np.int64]]:
    size = len(candidates)
    best = np.zeros((size, sources), dtype=np.float32)
    best_index = np.full((size, sources), -1, dtype=np.int64)
    owner = np.array([c.source for c in candidates], dtype=np.int64)
    for source in range(sources):
        columns = np.flatnonzero(owner == source)
        if size == 0 or columns.size == 0:
            continue
        block = similarity[:, columns]
        best[:, source] = block.max(axis=1)
        best_index[:, source] = columns[settled_array(block).argmax(axis=1)]  # ties: the earlier sentence
    if size:
        best[np.arange(size), owner] = 1.0
        best_index[np.arange(size), owner] = np.arange(size)
    return best, best_index


def _importance(
    candidates: list[Candidate], similarity: Floats, best: Floats, groups: list[int], settings: SummarySettings
) -> Floats:
    """coverage x cross_weight + centrality x local_weight, times the position prior and voice penalties."""
    size = len(candidates)
    if size == 0:
        return np.zeros(0, dtype=np.float32)
    owner = np.array([c.source for c in candidates], dtype=np.int64)
    coverage = _coverage(owner, best, groups)
    same = owner[:, None] == owner[None, :]
    peers = np.maximum(same.sum(axis=1) - 1, 1)
    centrality = ((similarity * same).sum(axis=1) - np.diag(similarity)) / peers
    position = np.array([c.position for c in candidates], dtype=np.float32)
    prior = 1.0 + settings.lead_bonus / (1.0 + position)
    voice = np.array([(0.5 if c.personal else 1.0) * (1.0 - 0.5 * c.quoted) for c in candidates], dtype=np.float32)
    score = settings.cross_weight * coverage + settings.local_weight * centrality
    return np.asarray(score * prior * voice, dtype=np.float32)


def _factual(story: StoryInput, candidates: list[Candidate], settings: SummarySettings) -> Floats:
    """Per candidate: 1 - w/2 + w x its check-worthiness (the analyzer's claim score; 0 when not a claim)."""
    scores = {(i, claim.end): claim.score for i, s in enumerate(story.sources) for claim in s.analysis.claims}
    weight = settings.claim_weight
    values = [1.0 - weight / 2 + weight * scores.get((c.source, c.end), 0.0) for c in candidates]
    return np.array(values, dtype=np.float32)


def _coverage(owner: npt.NDArray[np.int64], best: Floats, groups: list[int]) -> Floats:
    """Per candidate: the mean over the other groups of the best similarity that group offers."""
    group_of = np.array(groups, dtype=np.int64)
    count = int(group_of.max()) + 1 if group_of.size else 0
    per_group = np.zeros((best.shape[0], count), dtype=np.float32)
    for group in range(count):
        per_group[:, group] = best[:, group_of == group].max(axis=1)
    own = group_of[owner]
    per_group[np.arange(best.shape[0]), own] = 0.0
    return np.asarray(per_group.sum(axis=1) / max(count - 1, 1), dtype=np.float32)
