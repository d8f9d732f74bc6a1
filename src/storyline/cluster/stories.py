"""cluster_articles: assign new articles to stories, online, with stable ids and a logged history.

Per call: articles already assigned are skipped (a re-run is a no-op); the rest are sorted by (date, id), cut
into chunks, featurized, scored against each other and against the stories their approximate nearest
neighbours belong to, and grouped by average linkage (assign.py). A group with no story founds one (its id
comes from its earliest article); a group with stories joins the oldest one and merges the others into it.
Articles of earlier chunks that fit a new article's story better then move there (rehome.py), and every
changed story is re-checked for a split. At the end of the call, the changed stories and the stories they
link to are grouped again from scratch (consolidate.py), so the run an article came in does not decide its
story. Each changed story's lineage (roles, derived_from, credits) and coverage are recomputed, and it is
returned as a complete Story record.

Retirement is a state, not a deletion: after each chunk, stories idle for `retire_after_days` (against the
newest article) become dormant and are returned as complete records with status "dormant". A new article
dated inside a dormant story's span (+- the window) whose embedding is near the story's centroid re-opens it:
the members' features are recomputed from the store (`load`) and the article competes for it like for any
active story, so the order articles arrive in does not decide the result. A new story founded by an article
dated after a dormant story it resembles strongly `follows` that story.

Undated articles age from the time they were received (ingested; `received`): a story of undated articles
retires like a dated one. The window never excludes them (their date is unknown, so they may join any active
story); their join event says so.
"""

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from storyline.errors import ClusterError
from storyline.records import Analysis, Article, Credit, Story, StoryEvent, StoryMember

from .assign import ChunkFeatures, ChunkPlan, TextPrint, plan_chunk
from .consolidate import consolidate
from .coverage import CoverageInput, compute_coverage, parse_time
from .credits import find_credits
from .embed import Embedder, embedding_text
from .features import NAMES_ENGLISH, NAMES_OTHER, NUMBERS, article_terms, count_features, weigh_terms
from .lineage import (
    UNSOURCED_FLAGS,
    LineageInput,
    Shingler,
    assign_roles,
    quote_spans,
    sentence_hashes,
    title_key,
    without_spans,
)
from .multilingual import crosslingual_vectors
from .rehome import rehome
from .settings import ClusterSettings
from .split import check_split
from .state import ArticleRecord, ClusterState, StoryRecord, within_window

__all__ = ["ClusterResult", "Loader", "cluster_articles"]

Loader = Callable[[Sequence[str]], Sequence[tuple[Article, Analysis | None]]]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClusterResult:
    """Stories that changed (complete records), the events that changed them, and the updated state.

    `stories` holds every story that changed or became dormant in the run (with its status). A story merged
    into another is not in `stories` but in `removed`: its `merge` event names the story that absorbed it.
    """

    stories: list[Story]
    events: list[StoryEvent]
    state: ClusterState
    removed: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Run:
    state: ClusterState
    settings: ClusterSettings
    now: str
    events: list[StoryEvent]
    changed: set[str]
    received: Mapping[str, str] = field(default_factory=dict)
    load: Loader | None = None
    retired: dict[str, Story] = field(default_factory=dict)  # dormant records of stories retired in this run
    removed: set[str] = field(default_factory=set)
    reopened: set[str] = field(default_factory=set)
    follow: list[str | None] = field(default_factory=list)  # per article of the current chunk
    pairs: set[tuple[int, int]] = field(default_factory=set)  # (new slot, stored slot) ANN pairs, for consolidation


def _epoch_days(published: str | None) -> float | None:
    parsed = parse_time(published)
    return parsed.timestamp() / 86400.0 if parsed is not None else None


def cluster_articles(
    articles: Sequence[tuple[Article, Analysis | None]],
    state: ClusterState | None,
    settings: ClusterSettings,
    embedder: Embedder,
    now: str | None = None,
    received: Mapping[str, str] | None = None,
    load: Loader | None = None,
) -> ClusterResult:
    """Assign new articles to stories; `state` (when given) is updated in place and returned.

    Args:
        articles: articles with their optional analyses (entity names enrich the word features).
        state: the state of earlier runs, or None to start empty.
        settings: thresholds and weights.
        embedder: the embedding model; it must be the one the state was built with.
        now: the ISO time stamped on events and stories (default: the current UTC time).
        received: article id -> ISO time it was received; the clustering time of undated articles.
        load: reads stored articles (with analyses) by id, to re-open dormant stories; None: never re-open.

    Raises:
        ClusterError: the state was built with another embedding model.
    """
    if state is None:
        state = ClusterState(embedder.model_id, embedder.dim, settings.local_neighbours)
    if state.model_id != embedder.model_id or state.local_neighbours != settings.local_neighbours:
        raise ClusterError(f"cluster state was built with {state.model_id!r}, not {embedder.model_id!r}")
    stamp = now or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    run = _Run(state, settings, stamp, [], set(), received or {}, load)
    fresh: dict[str, tuple[Article, Analysis | None]] = {}
    for article, analysis in articles:
        if article.id not in state.assigned and article.id not in fresh:
            fresh[article.id] = (article, analysis)
    position = {article_id: number for number, article_id in enumerate(fresh)}  # the order given: ingest order
    ordered = sorted(fresh.values(), key=lambda pair: _order_key(run, pair[0], position[pair[0].id]))
    shingler = Shingler(settings.num_perm)
    for start in range(0, len(ordered), settings.chunk_size):
        _run_chunk(run, ordered[start : start + settings.chunk_size], embedder, shingler)
    if settings.consolidate and ordered:
        _consolidate(run)
    _retire(run, set(run.changed), silent=set())  # after consolidation: it regroups the stories the run changed
    final = {sid: story for sid, story in run.retired.items() if sid not in run.removed}
    for sid in sorted(run.changed):
        if sid in state.stories:
            final[sid] = story_record(state, state.stories[sid], settings)
    stories = [final[sid] for sid in sorted(final)]
    logger.info("clustered %d new articles: %d stories changed, %d events", len(ordered), len(stories), len(run.events))
    return ClusterResult(stories, run.events, state, sorted(run.removed))


def _order_key(run: _Run, article: Article, position: int) -> tuple[bool, float, int, str]:
    """Date order; undated articles by the time they were received, after dated ones of the same time.

    Undated articles received in the same second keep the order they were given in (ingest order), not their ids:
    received times have a resolution of one second, and which articles share a second depends on how fast they
    were stored (the Ray engine stores in bursts), so an id order there would make the result depend on timing.
    """
    time = _epoch_days(article.published)
    if time is not None:
        return (False, time, 0, article.id)
    received = _epoch_days(run.received.get(article.id))
    return (received is None, received or 0.0, position, article.id)


def _featurize(
    run: _Run,
    chunk: Sequence[tuple[Article, Analysis | None]],
    embedder: Embedder,
    shingler: Shingler,
    count: bool = True,
) -> tuple[ChunkFeatures, list[ArticleRecord]]:
    """Embeddings (in a background thread: onnxruntime releases the GIL) while the lexical features are counted.

    `count=False` (members of a re-opened story) leaves the document frequencies alone: they were counted once.
    """
    settings = run.settings
    texts = [embedding_text(a.title, a.text, settings.embedding_lead_chars) for a, _ in chunk]
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(embedder.embed_articles, texts, [a.language for a, _ in chunk])
        rows, records = _lexical_features(run, chunk, shingler, count)
        embeddings = pending.result()
    prints = [TextPrint(r.minhash, r.sentences) for r in records]
    return ChunkFeatures(rows, embeddings, [r.time for r in records], prints), records


def _lexical_features(
    run: _Run, chunk: Sequence[tuple[Article, Analysis | None]], shingler: Shingler, count: bool = True
) -> tuple[list[tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]], list[ArticleRecord]]:
    state, settings = run.state, run.settings
    counts = [count_features(a.title, a.text, analysis, a.language) for a, analysis in chunk]
    weights = settings.lexical_weights()
    if count:
        for article_counts in counts:
            state.document_frequency[np.fromiter(article_counts.columns(), np.int64)] += 1
        state.documents += len(counts)
        state.reweigh(weights)
    terms = [article_terms(c) for c in counts]
    rows = [weigh_terms(t, state.document_frequency, state.documents, weights) for t in terms]
    records = []
    for (article, analysis), (columns, values), own_terms in zip(chunk, rows, terms, strict=True):
        quoted = quote_spans(analysis)  # two outlets quoting one statement is no evidence that one copied the other
        minhash, shingles = shingler.signature(without_spans(article.text, quoted))
        records.append(
            ArticleRecord(
                article_id=article.id,
                slot=state.next_slot,
                story_id="",
                seq=state.next_seq,
                time=_epoch_days(article.published),
                received=_epoch_days(run.received.get(article.id)),
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
                terms=own_terms,
                weighted_at=state.documents,
                sentences=sentence_hashes(article.text, quoted),
                unsourced=next((f for f in article.flags if f in UNSOURCED_FLAGS), ""),
            )
        )
        state.next_slot += 1
        state.next_seq += 1
    return rows, records


def _run_chunk(
    run: _Run, chunk: Sequence[tuple[Article, Analysis | None]], embedder: Embedder, shingler: Shingler
) -> None:
    features, records = _featurize(run, chunk, embedder, shingler)
    matches = run.state.dormant_matches(
        features.embeddings, run.settings.dormant_candidates, features.times, run.settings.window_days
    )
    reopened = _reopen(run, records, matches, embedder, shingler)
    run.follow = _follow_candidates(run, records, matches)
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
    rows, slots, _ = plan.neighbours
    run.pairs.update(zip((records[r].slot for r in rows.tolist()), slots.tolist(), strict=True))
    if run.settings.rehome:
        _rehome(run, [r.slot for r in records], plan)
    _check_splits(run, set(run.changed))
    for story_id in sorted(reopened & run.changed):
        reason = "a new article dated within its span (+- the window) resembles it; it was dormant"
        run.events.append(StoryEvent(story_id, "reopen", reason, run.now))
    _retire(run, reopened, silent=reopened)


def _reopen(
    run: _Run,
    records: list[ArticleRecord],
    matches: list[list[tuple[str, float]]],
    embedder: Embedder,
    shingler: Shingler,
) -> set[str]:
    """Re-open the dormant stories that a new article of the chunk may belong to; returns their ids."""
    state, settings = run.state, run.settings
    wanted: set[str] = set()
    for record, found in zip(records, matches, strict=True):
        if record.time is None:  # undated: like any active story, its best dormant match may take it
            best = next((sid for sid, sim in found if sid in state.dormant and sim >= settings.reopen_similarity), None)
            wanted.update([best] if best else [])
            continue
        for story_id, similarity in found:
            dormant = state.dormant.get(story_id)
            if dormant is None or similarity < settings.reopen_similarity:
                continue
            if within_window(record.time, dormant.first, dormant.last, settings.window_days):
                wanted.add(story_id)
    if run.load is None:
        return set()
    reopened = set()
    for story_id in sorted(wanted):
        dormant = state.dormant[story_id]
        pairs = list(run.load([m.article_id for m in dormant.members]))
        if [a.id for a, _ in pairs] != [m.article_id for m in dormant.members]:
            logger.warning("story %s stays dormant: some of its articles could not be read back", story_id)
            continue
        features, member_records = _featurize(run, pairs, embedder, shingler, count=False)
        for member, record in zip(dormant.members, member_records, strict=True):
            record.story_id, record.seq, record.time = story_id, member.seq, member.time
            record.received = member.received
            record.similarity, record.top = member.similarity, member.top
        state.next_seq -= len(member_records)  # re-opened members keep their arrival order
        state.reopen(story_id, member_records, features.embeddings)
        reopened.add(story_id)
    return reopened


def _rehome(run: _Run, new_slots: list[int], plan: ChunkPlan) -> None:
    """Move articles of earlier chunks to the stories of this chunk where they fit better (rehome.py)."""
    for move in rehome(run.state, new_slots, plan.neighbours, run.settings):
        reason = (
            f"moved: mean link {move.link:.3f} to this story >= {run.settings.link_threshold} and above its "
            f"link {move.before:.3f} to the rest of {move.from_story} (+ {run.settings.rehome_margin})"
        )
        run.events.append(StoryEvent(move.to_story, "move", reason, run.now, move.article_id, move.from_story))
        for story_id in (move.from_story, move.to_story):
            if story_id in run.state.stories:
                run.state.stories[story_id].updated_at = run.now
                run.changed.add(story_id)
            else:
                run.changed.discard(story_id)
                run.removed.add(story_id)


def _consolidate(run: _Run) -> None:
    """Group the changed stories and the stories they link to again from scratch (consolidate.py); each new
    group takes the id of the story it shares most articles with (older first), and every article that changes
    story is logged as a move. A story left without articles is merged into the group that took most of them;
    a group with no id left founds a story (a split of the story most of its articles came from)."""
    state, settings = run.state, run.settings
    for regroup in consolidate(state, set(run.changed), settings, run.pairs):
        old = {sid: set(state.stories[sid].members) for sid in regroup.stories}
        seq = {sid: state.stories[sid].seq for sid in regroup.stories}
        overlaps = sorted(
            (-len(set(group) & members), seq[sid], index, sid)
            for index, group in enumerate(regroup.groups)
            for sid, members in old.items()
            if set(group) & members
        )
        named: dict[int, str] = {}
        for _, _, index, sid in overlaps:
            if index not in named and sid not in named.values():
                named[index] = sid
        size = len(regroup.similarity)
        reason = (
            f"regrouped: average linkage from scratch over the {size} articles of {len(old)} linked stories "
            f"(the order they arrived in no longer decides)"
        )
        for index, group in enumerate(regroup.groups):
            if index not in named:
                founder = min(group, key=lambda s: state.articles[s].date_order)
                source = max(old, key=lambda sid: (len(old[sid] & set(group)), -seq[sid]))
                story = _new_story(run, state.articles[founder].article_id, len(group), announce=False)
                run.events.append(StoryEvent(source, "split", reason, run.now, None, story.story_id))
                named[index] = story.story_id
        for index, group in enumerate(regroup.groups):
            target = state.stories[named[index]]
            for slot in group:
                record = state.articles[slot]
                record.similarity = regroup.similarity[slot]
                if record.story_id == target.story_id:
                    continue
                home = state.move_article(slot, target.story_id)
                run.events.append(
                    StoryEvent(target.story_id, "move", reason, run.now, record.article_id, home.story_id)
                )
            target.updated_at = run.now
            run.changed.add(target.story_id)
        for sid, members in old.items():
            if sid in named.values():
                continue
            heir = named[max(range(len(regroup.groups)), key=lambda i: (len(members & set(regroup.groups[i])), -i))]
            heir_story = state.stories[heir]
            heir_story.follows.extend(f for f in state.stories[sid].follows if f not in heir_story.follows)
            del state.stories[sid]
            run.changed.discard(sid)
            run.removed.add(sid)
            run.events.append(StoryEvent(heir, "merge", reason, run.now, None, sid))


def _follow_candidates(
    run: _Run, records: list[ArticleRecord], matches: list[list[tuple[str, float]]]
) -> list[str | None]:
    """Per new article: the dormant story it would continue if it founded a story (the most similar one that
    ended before it), or None."""
    state, settings = run.state, run.settings
    out: list[str | None] = []
    for record, found in zip(records, matches, strict=True):
        best = None
        for story_id, similarity in found:
            dormant = state.dormant.get(story_id)
            if dormant is None or record.time is None or dormant.last is None:
                continue
            if similarity >= settings.follow_similarity and record.time > dormant.last + settings.window_days:
                best = story_id
                break
        out.append(best)
    return out


def _retire(run: _Run, recheck: set[str], silent: set[str]) -> None:
    """Make dormant every story idle for `retire_after_days`; keep its complete record for the result.

    `recheck` are looked at whatever the daily scan does: after each chunk the stories it re-opened (`silent`:
    they go back without an event; a "reopen" event says one took an article), and at the end of the run, after
    consolidation, every story the run changed, since an article older than the newest one seen founds a story
    that is idle from the start and the news clock, which drives the daily scan, does not move for it.
    """
    state, settings = run.state, run.settings
    for story_id in state.due_to_retire(settings.retire_after_days, recheck):
        story = state.stories[story_id]
        run.retired[story_id] = story_record(state, story, settings, status="dormant")
        state.make_dormant(story_id)
        if story_id not in silent:
            newest = dt.datetime.fromtimestamp((state.newest_time or 0.0) * 86400.0, dt.UTC).date()
            reason = f"no member within {settings.retire_after_days:g} days of the newest article ({newest})"
            run.events.append(StoryEvent(story_id, "retire", reason, run.now))


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
        founder = min(new, key=lambda i: records[i].date_order)
        target = _new_story(run, records[founder].article_id, len(new))
        followed = run.follow[founder] if founder < len(run.follow) else None
        if followed is not None:
            target.follows.append(followed)
            reason = f"its first article, dated after {followed} went dormant, resembles that story"
            run.events.append(StoryEvent(target.story_id, "follow", reason, run.now, None, followed))
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
        if record.time is None and record.received is not None:
            reason += "; undated: not limited by the window, ages from the time it was received (derived)"
        run.events.append(StoryEvent(target.story_id, "join", reason, run.now, record.article_id))
    target.cache.clear()
    target.updated_at = run.now
    run.changed.add(target.story_id)


def _new_story(run: _Run, founder_id: str, size: int, announce: bool = True) -> StoryRecord:
    """A new active story founded by `founder_id`; `announce=False` when the caller logs it as a split."""
    state = run.state
    story_id = state.new_story_id(founder_id)
    story = StoryRecord(story_id, state.next_story_seq, run.now, run.now, [])
    state.next_story_seq += 1
    state.stories[story_id] = story
    if announce:
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
    target.follows.extend(f for f in absorbed.follows if f not in target.follows)
    run.changed.discard(absorbed.story_id)
    run.removed.add(absorbed.story_id)
    reason = (
        f"average link {link:.3f} >= {run.settings.link_threshold} between the two stories after new "
        f"articles joined; kept the older id"
    )
    run.events.append(StoryEvent(target.story_id, "merge", reason, run.now, None, absorbed.story_id))


def _term_columns(record: ArticleRecord, blocks: tuple[int, ...]) -> frozenset[int]:
    """The hashed columns of an article's terms in `blocks` (empty for states written before terms were kept):
    its number mentions (NUMBERS) or its name keys, matched across scripts (NAMES_ENGLISH, NAMES_OTHER)."""
    if record.terms is None:
        return frozenset()
    return frozenset(record.terms.columns[np.isin(record.terms.blocks, blocks)].tolist())


def _crosslingual(state: ClusterState, records: list[ArticleRecord]) -> dict[str, npt.NDArray[np.float32]]:
    """Unit multilingual sentence vectors of the members when the story has more than one language and the state
    was built with the multilingual embedder; else none."""
    if len({r.language for r in records if r.language}) < 2:
        return {}
    found = crosslingual_vectors(state.model_id, state.embeddings(np.array([r.slot for r in records], np.int64)))
    if found is None:
        return {}
    return {r.article_id: found[i] for i, r in enumerate(records) if found[i].any()}


def story_record(state: ClusterState, story: StoryRecord, settings: ClusterSettings, status: str = "active") -> Story:
    """The complete Story record of an active story (about to be made dormant, with that status): members with
    roles, credits, coverage."""
    records = [state.articles[s] for s in story.members]
    crosslingual = _crosslingual(state, records)
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
                r.sentences,
                tuple(c.name.lower() for c in r.credits if c.cue == "reported"),
                tuple(c.name.lower() for c in r.credits if c.cue in ("dateline", "appeared")),
                _term_columns(r, (NUMBERS,)),
                r.unsourced,
                r.language,
                _term_columns(r, (NAMES_ENGLISH, NAMES_OTHER)),
                crosslingual.get(r.article_id),
            )
            for r in records
        ],
        settings.copy_containment,
        settings.derivative_containment,
    )
    ordered = sorted(records, key=lambda r: (r.time if r.time is not None else float("inf"), r.seq))
    members = tuple(
        StoryMember(
            r.article_id,
            (lineage := roles[r.article_id]).role,
            lineage.derived_from,
            round(r.similarity, 4),
            lineage.confidence,
            lineage.basis,
        )
        for r in ordered
    )
    names = {n.lower() for r in records for n in (r.outlet, *r.authors) if n}
    credits: list[Credit] = [c for r in ordered for c in r.credits if c.name.lower() not in names]
    coverage = compute_coverage(
        [CoverageInput(roles[r.article_id].role, r.outlet, r.language, r.published) for r in ordered]
    )
    return Story(
        story.story_id,
        members,
        tuple(credits),
        coverage,
        story.created_at,
        story.updated_at,
        status=status,
        follows=tuple(story.follows),
    )
