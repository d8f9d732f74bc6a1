"""cluster_articles: assign new articles to stories, online, with stable ids and a logged history.

Per call: articles already assigned are skipped (a re-run is a no-op); the rest are sorted by (date, id), cut
into chunks, featurized, scored against each other and against the stories their approximate nearest
neighbours belong to, and grouped by average linkage (assign.py). A group with no story founds one (its id
comes from its earliest article); a group with stories joins the oldest one and merges the others into it.
Every changed story is then re-checked for a split, its lineage (roles, derived_from, credits) and coverage
are recomputed, and it is returned as a complete Story record.
"""

import datetime as dt
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.errors import ClusterError
from storyline.records import Analysis, Article, Credit, Story, StoryEvent, StoryMember

from .assign import ChunkFeatures, ChunkPlan, plan_chunk
from .coverage import CoverageInput, compute_coverage, parse_time
from .credits import find_credits
from .embed import Embedder, embedding_text
from .features import count_features, weigh_features
from .lineage import LineageInput, Shingler, assign_roles, title_key
from .settings import ClusterSettings
from .split import check_split
from .state import ArticleRecord, ClusterState, StoryRecord

__all__ = ["ClusterResult", "cluster_articles"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClusterResult:
    """Stories that changed (complete records), the events that changed them, and the updated state.

    A story merged into another is not in `stories`: its `merge` event names the story that absorbed it.
    """

    stories: list[Story]
    events: list[StoryEvent]
    state: ClusterState


@dataclass(slots=True)
class _Run:
    state: ClusterState
    settings: ClusterSettings
    now: str
    events: list[StoryEvent]
    changed: set[str]


def _epoch_days(published: str | None) -> float | None:
    parsed = parse_time(published)
    return parsed.timestamp() / 86400.0 if parsed is not None else None


def cluster_articles(
    articles: Sequence[tuple[Article, Analysis | None]],
    state: ClusterState | None,
    settings: ClusterSettings,
    embedder: Embedder,
    now: str | None = None,
) -> ClusterResult:
    """Assign new articles to stories; `state` (when given) is updated in place and returned.

    Args:
        articles: articles with their optional analyses (entity names enrich the word features).
        state: the state of earlier runs, or None to start empty.
        settings: thresholds and weights.
        embedder: the embedding model; it must be the one the state was built with.
        now: the ISO time stamped on events and stories (default: the current UTC time).

    Raises:
        ClusterError: the state was built with another embedding model.
    """
    if state is None:
        state = ClusterState(embedder.model_id, embedder.dim, settings.local_neighbours)
    if state.model_id != embedder.model_id or state.local_neighbours != settings.local_neighbours:
        raise ClusterError(f"cluster state was built with {state.model_id!r}, not {embedder.model_id!r}")
    run = _Run(state, settings, now or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), [], set())
    fresh: dict[str, tuple[Article, Analysis | None]] = {}
    for article, analysis in articles:
        if article.id not in state.assigned and article.id not in fresh:
            fresh[article.id] = (article, analysis)
    ordered = sorted(fresh.values(), key=lambda pair: _order_key(pair[0]))
    shingler = Shingler(settings.num_perm)
    for start in range(0, len(ordered), settings.chunk_size):
        _run_chunk(run, ordered[start : start + settings.chunk_size], embedder, shingler)
    state.retire(settings.retire_after_days)
    stories = [story_record(state, state.stories[sid], settings) for sid in sorted(run.changed) if sid in state.stories]
    logger.info("clustered %d new articles: %d stories changed, %d events", len(ordered), len(stories), len(run.events))
    return ClusterResult(stories, run.events, state)


def _order_key(article: Article) -> tuple[bool, float, str]:
    time = _epoch_days(article.published)
    return (time is None, time or 0.0, article.id)


def _featurize(
    run: _Run, chunk: Sequence[tuple[Article, Analysis | None]], embedder: Embedder, shingler: Shingler
) -> tuple[ChunkFeatures, list[ArticleRecord]]:
    """Embeddings (in a background thread: onnxruntime releases the GIL) while the lexical features are counted."""
    settings = run.settings
    texts = [embedding_text(a.title, a.text, settings.embedding_lead_chars) for a, _ in chunk]
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(embedder.embed, texts)
        rows, records = _lexical_features(run, chunk, shingler)
        embeddings = pending.result()
    return ChunkFeatures(rows, embeddings, [r.time for r in records]), records


def _lexical_features(
    run: _Run, chunk: Sequence[tuple[Article, Analysis | None]], shingler: Shingler
) -> tuple[list[tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]], list[ArticleRecord]]:
    state, settings = run.state, run.settings
    counts = [count_features(a.title, a.text, analysis) for a, analysis in chunk]
    for article_counts in counts:
        state.document_frequency[np.fromiter(article_counts.columns(), np.int64)] += 1
    state.documents += len(counts)
    weights = (settings.word_weight, settings.number_weight, settings.date_weight)
    rows = weigh_features(counts, state.document_frequency, state.documents, weights)
    records = []
    for (article, _), (columns, values) in zip(chunk, rows, strict=True):
        minhash, shingles = shingler.signature(article.text)
        records.append(
            ArticleRecord(
                article_id=article.id,
                slot=state.next_slot,
                story_id="",
                seq=state.next_seq,
                time=_epoch_days(article.published),
                published=article.published,
                outlet=article.outlet,
                language=article.language,
                authors=article.authors,
                title_key=title_key(article.title),
                columns=columns,
                values=values,
                top=np.zeros(settings.local_neighbours, np.float32),
                minhash=minhash,
                shingles=shingles,
                credits=find_credits(article),
            )
        )
        state.next_slot += 1
        state.next_seq += 1
    return rows, records


def _run_chunk(
    run: _Run, chunk: Sequence[tuple[Article, Analysis | None]], embedder: Embedder, shingler: Shingler
) -> None:
    features, records = _featurize(run, chunk, embedder, shingler)
    plan = plan_chunk(run.state, features, run.settings, lambda ids: _check_splits(run, ids))
    for record, top in zip(records, plan.top, strict=True):
        record.top = top
    n = len(records)
    groups: dict[int, list[int]] = {}
    for node, label in enumerate(plan.labels.tolist()):
        groups.setdefault(label, []).append(node)
    merge_links = _merge_links(plan, n)
    run.state.index_embeddings(np.array([r.slot for r in records], np.int64), features.embeddings)
    for nodes in groups.values():
        new = [i for i in nodes if i < n]
        old = [plan.stories[i - n] for i in nodes if i >= n]
        if new or len(old) > 1:
            _apply_group(run, plan, nodes, new, old, records, features, merge_links)
    _check_splits(run, set(run.changed))


def _check_splits(run: _Run, story_ids: set[str]) -> None:
    for story_id in sorted(story_ids):
        if story_id in run.state.stories:
            for event in check_split(run.state, run.state.stories[story_id], run.settings, run.now):
                run.events.append(event)
                run.changed.update({event.story_id, event.other_story_id or event.story_id})


def _merge_links(plan: ChunkPlan, n: int) -> dict[int, float]:
    """For each story node, the link of the first merge that joined it with another story's group."""
    has_story = {i: i >= n for i in range(len(plan.labels))}
    out: dict[int, float] = {}
    members = {i: [i] for i in range(len(plan.labels))}
    for merge in plan.merges:
        if has_story[merge.kept] and has_story[merge.absorbed]:
            for node in members[merge.kept] + members[merge.absorbed]:
                if node >= n and node not in out:
                    out[node] = merge.link
        members[merge.kept] += members.pop(merge.absorbed)
        has_story[merge.kept] = has_story[merge.kept] or has_story[merge.absorbed]
    return out


def _apply_group(
    run: _Run,
    plan: ChunkPlan,
    nodes: list[int],
    new: list[int],
    old: list[StoryRecord],
    records: list[ArticleRecord],
    features: ChunkFeatures,
    merge_links: dict[int, float],
) -> None:
    state, settings, n = run.state, run.settings, len(records)
    if old:
        target = min(old, key=lambda s: s.seq)
    else:
        founder = min(new, key=lambda i: (records[i].time is None, records[i].time or 0.0, records[i].article_id))
        target = _new_story(run, records[founder].article_id, len(new))
    group_size = sum(1 if i < n else len(plan.stories[i - n].members) for i in nodes)
    for story in old:
        if story is target:
            continue
        position = next(i for i, s in enumerate(plan.stories) if s.story_id == story.story_id)
        link = merge_links.get(n + position, float("nan"))
        _merge_into(run, target, story, link)
    for i in new:
        record = records[i]
        record.story_id = target.story_id
        record.similarity = float(plan.similarity[i, nodes].sum() - plan.similarity[i, i]) / max(group_size - 1, 1)
        if group_size == 1:
            record.similarity = 1.0
        state.add_article(record)
        target.members.append(record.slot)
        reason = (
            f"mean similarity {record.similarity:.3f} to {group_size - 1} other members; average link "
            f">= {settings.link_threshold}"
        )
        run.events.append(StoryEvent(target.story_id, "join", reason, run.now, record.article_id))
    target.cache.clear()
    target.updated_at = run.now
    run.changed.add(target.story_id)


def _new_story(run: _Run, founder_id: str, size: int) -> StoryRecord:
    state = run.state
    story_id = state.new_story_id(founder_id)
    story = StoryRecord(story_id, state.next_story_seq, run.now, run.now, [])
    state.next_story_seq += 1
    state.stories[story_id] = story
    reason = f"founded by {founder_id} with {size} new article(s); no active story reached the link threshold"
    run.events.append(StoryEvent(story_id, "create", reason, run.now, founder_id))
    return story


def _merge_into(run: _Run, target: StoryRecord, absorbed: StoryRecord, link: float) -> None:
    state = run.state
    for slot in absorbed.members:
        record = state.articles[slot]
        record.story_id = target.story_id
        state.assigned[record.article_id] = target.story_id
    target.members.extend(absorbed.members)
    del state.stories[absorbed.story_id]
    run.changed.discard(absorbed.story_id)
    reason = (
        f"average link {link:.3f} >= {run.settings.link_threshold} between the two stories after new "
        f"articles joined; kept the older id"
    )
    run.events.append(StoryEvent(target.story_id, "merge", reason, run.now, None, absorbed.story_id))


def story_record(state: ClusterState, story: StoryRecord, settings: ClusterSettings) -> Story:
    """The complete Story record of an active story: members with roles, credits, coverage."""
    records = [state.articles[s] for s in story.members]
    roles = assign_roles(
        [
            LineageInput(
                r.article_id,
                (r.time if r.time is not None else float("inf"), r.seq),
                r.minhash,
                r.shingles,
                r.outlet,
                r.authors,
                r.title_key,
                tuple(c.name.lower() for c in r.credits),
            )
            for r in records
        ],
        settings.copy_jaccard,
        settings.derivative_containment,
    )
    ordered = sorted(records, key=lambda r: (r.time if r.time is not None else float("inf"), r.seq))
    members = tuple(
        StoryMember(r.article_id, roles[r.article_id][0], roles[r.article_id][1], round(r.similarity, 4))
        for r in ordered
    )
    names = {n.lower() for r in records for n in (r.outlet, *r.authors) if n}
    credits: list[Credit] = [c for r in ordered for c in r.credits if c.name.lower() not in names]
    coverage = compute_coverage(
        [CoverageInput(roles[r.article_id][0], r.outlet, r.language, r.published) for r in ordered]
    )
    return Story(story.story_id, members, tuple(credits), coverage, story.created_at, story.updated_at)
