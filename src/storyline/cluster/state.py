"""ClusterState: what the clustering stage remembers between runs.

- every article id ever assigned, with its story id (so a re-run is a no-op);
- the active stories (those with an article dated within `retire_after_days` of the newest one, and every
  story with no dated article) with their members' features: hashed TF-IDF rows, top-k similarities,
  MinHash signatures, credits and metadata;
- an approximate-nearest-neighbour index (usearch HNSW, cosine) over the active articles' embeddings;
- the dormant stories (retired from the active window, never deleted): per story its members' ids, arrival
  order, times, join similarities and top-k, its time span and its normalized mean embedding, with a second
  ANN index over those centroids so a late report can re-open its story and a follow-up can link to it;
- hashed document frequencies for IDF, and each active article's raw terms, so that its TF-IDF row is
  weighed again whenever the corpus has grown by `REWEIGH_GROWTH` since it was last weighed (an article
  stored when the state held 40 documents would otherwise keep IDF weights of a 40-document corpus).

`to_bytes` writes an .npz container (no pickle): a zlib-compressed JSON header, the numeric arrays and the
serialized usearch index. The state is the stage's working index: `cluster_articles` updates it in place.
"""

import io
import json
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from usearch.index import BatchMatches, Index

from storyline.errors import ClusterError
from storyline.records import Credit, Evidence

from .features import HASH_BITS, Terms, weigh_terms

__all__ = ["ArticleRecord", "ClusterState", "StoryRecord", "within_window"]

FORMAT = "storyline.cluster.state.v3"
READABLE = {"storyline.cluster.state.v1", "storyline.cluster.state.v2", FORMAT}
REWEIGH_GROWTH = 1.1  # a stored row is weighed again once the document count grew by 10 % since it was weighed
Floats = npt.NDArray[np.float32]


def within_window(time: float, first: float | None, last: float | None, window: float) -> bool:
    """Whether a date (epoch days) lies inside a dated span [first, last] widened by `window` days on each side
    (False for a span with no dates)."""
    return first is not None and last is not None and first - window <= time <= last + window


@dataclass(slots=True, eq=False)
class ArticleRecord:
    """One active article as the state keeps it (its embedding lives in the index under `slot`)."""

    article_id: str
    slot: int
    story_id: str
    seq: int  # arrival order
    time: float | None  # published, in epoch days
    published: str | None
    outlet: str | None
    language: str | None
    authors: tuple[str, ...]
    title_key: str
    columns: npt.NDArray[np.int32]
    values: Floats
    top: Floats  # the k highest similarities to other articles, descending
    minhash: npt.NDArray[np.uint64]
    shingles: int
    credits: tuple[Credit, ...]
    similarity: float = 1.0  # mean similarity to the story when it joined
    received: float | None = None  # when the store received it, in epoch days: how an undated article ages
    terms: Terms | None = None  # raw terms, to weigh the row again as document frequencies move (None: v2 state)
    weighted_at: int = 0  # the state's document count when `values` were weighed
    sentences: npt.NDArray[np.uint32] | None = None  # lineage.sentence_hashes of the text (None: older state)
    unsourced: str = ""  # the extractor's flag saying the text rests on sources it does not name, if any

    @property
    def date_order(self) -> tuple[bool, float, str]:
        """Sort key: by date, undated last, then by id (never by arrival)."""
        return (self.time is None, self.time or 0.0, self.article_id)

    @property
    def activity(self) -> float | None:
        """When the article counts as news for ageing: its date, else when it was received."""
        return self.time if self.time is not None else self.received


@dataclass(slots=True, eq=False)
class StoryRecord:
    """One active story: its members' slots in join order and cached sums (rebuilt on demand)."""

    story_id: str
    seq: int
    created_at: str
    updated_at: str
    members: list[int]
    cache: dict[str, Any] = field(default_factory=dict)
    follows: list[str] = field(default_factory=list)  # dormant stories this one continues


@dataclass(slots=True, eq=False)
class DormantMember:
    """What a dormant story keeps of one member: enough to restore it exactly when the story re-opens."""

    article_id: str
    seq: int
    time: float | None
    similarity: float
    top: Floats
    received: float | None = None


@dataclass(slots=True, eq=False)
class DormantRecord:
    """A story retired from the active window: its members (without features), span and mean embedding."""

    story_id: str
    seq: int
    created_at: str
    updated_at: str
    key: int  # its key in the dormant centroid index
    first: float | None
    last: float | None
    members: list[DormantMember]
    follows: list[str] = field(default_factory=list)


class ClusterState:
    """Active-window stories, their articles' features, the ANN index and every assigned article id."""

    def __init__(self, model_id: str, dim: int, local_neighbours: int = 2) -> None:
        self.model_id = model_id
        self.dim = dim
        self.local_neighbours = local_neighbours
        self.documents = 0
        self.document_frequency = np.zeros(1 << HASH_BITS, np.uint32)
        self.next_slot = 0
        self.next_seq = 0
        self.next_story_seq = 0
        self.newest_time: float | None = None
        self.retired_at = -np.inf  # newest_time at the last retirement scan
        self.assigned: dict[str, str] = {}
        self.articles: dict[int, ArticleRecord] = {}
        self.stories: dict[str, StoryRecord] = {}
        self.index = _new_index(dim)
        self.used_story_ids: set[str] = set()
        self.dormant: dict[str, DormantRecord] = {}
        self.dormant_index = _new_index(dim)
        self.next_dormant_key = 0

    # --- queries ------------------------------------------------------------------------------------------

    def embeddings(self, slots: npt.NDArray[np.int64]) -> Floats:
        """Stored embeddings of active article slots, in order."""
        if len(slots) == 0:
            return np.zeros((0, self.dim), np.float32)
        return np.asarray(self.index.get(slots.astype(np.uint64)), dtype=np.float32).reshape(len(slots), self.dim)

    def mu(self, record: ArticleRecord) -> float:
        """Local density of an article: the mean of its top-k similarities (missing ones count 0)."""
        return float(record.top.sum()) / self.local_neighbours

    def story_sums(self, story: StoryRecord) -> tuple[tuple[npt.NDArray[np.int32], Floats], Floats, float]:
        """((columns, values) of the summed member rows, summed embeddings, summed mu), cached on the story."""
        if "sparse" not in story.cache:
            columns = np.concatenate([self.articles[s].columns for s in story.members])
            values = np.concatenate([self.articles[s].values for s in story.members])
            unique, inverse = np.unique(columns, return_inverse=True)
            summed = np.zeros(len(unique), np.float64)
            np.add.at(summed, inverse, values)
            story.cache["sparse"] = (unique.astype(np.int32), summed.astype(np.float32))
            story.cache["embedding"] = self.embeddings(np.array(story.members, np.int64)).sum(axis=0)
        if "mu" not in story.cache:
            story.cache["mu"] = sum(self.mu(self.articles[s]) for s in story.members)
        return story.cache["sparse"], story.cache["embedding"], story.cache["mu"]

    def story_times(self, story: StoryRecord) -> tuple[float | None, float | None]:
        """Earliest and latest dated member (epoch days), or (None, None)."""
        times = [t for s in story.members if (t := self.articles[s].time) is not None]
        return (min(times), max(times)) if times else (None, None)

    def story_activity(self, story: StoryRecord) -> float | None:
        """The latest member date or, for undated members, receipt time (epoch days): what retirement ages."""
        times = [t for s in story.members if (t := self.articles[s].activity) is not None]
        return max(times) if times else None

    # --- updates ------------------------------------------------------------------------------------------

    def reweigh(self, weights: tuple[float, ...], growth: float = REWEIGH_GROWTH) -> int:
        """Weigh again the rows of active articles weighed when the corpus was `growth` times smaller or more;
        returns how many. Each article is re-weighed O(log N) times in its life, so the cost stays linear."""
        stale = []
        for record in self.articles.values():
            if record.terms is not None and self.documents >= growth * max(record.weighted_at, 1):
                weighed = weigh_terms(record.terms, self.document_frequency, self.documents, weights)
                record.columns, record.values = weighed
                record.weighted_at = self.documents
                stale.append(record)
        for story_id in {r.story_id for r in stale}:
            story = self.stories.get(story_id)
            if story is not None:
                story.cache.pop("sparse", None)
        return len(stale)

    def new_story_id(self, founder_id: str) -> str:
        """A story id never used before, derived from its founding article's id."""
        story_id = f"st_{founder_id[:16]}"
        suffix = 1
        while story_id in self.used_story_ids:
            suffix += 1
            story_id = f"st_{founder_id[:16]}_{suffix}"
        self.used_story_ids.add(story_id)
        return story_id

    def index_embeddings(self, slots: npt.NDArray[np.int64], embeddings: Floats) -> None:
        """Add new articles' embeddings to the ANN index (one batched insert, on one thread: a parallel insert
        builds a different graph from run to run, and then the same articles could end in different stories)."""
        if len(slots):
            self.index.add(slots.astype(np.uint64), embeddings.astype(np.float32), threads=1)

    def move_article(self, slot: int, story_id: str) -> StoryRecord:
        """Move an active article to another active story (members, caches, ids); returns the story it left,
        which may now be empty (the caller decides what becomes of it)."""
        record = self.articles[slot]
        home, target = self.stories[record.story_id], self.stories[story_id]
        home.members.remove(slot)
        home.cache.clear()
        target.members.append(slot)
        target.cache.clear()
        record.story_id = story_id
        self.assigned[record.article_id] = story_id
        return home

    def add_article(self, record: ArticleRecord) -> None:
        """Store a new active article (its embedding must already be indexed under its slot)."""
        self.articles[record.slot] = record
        self.assigned[record.article_id] = record.story_id
        time = record.activity
        if time is not None and (self.newest_time is None or time > self.newest_time):
            self.newest_time = time

    def due_to_retire(self, retire_after_days: float, recheck: set[str] | None = None) -> list[str]:
        """Ids of active stories whose newest article (dated, or received when undated) is older than the newest
        one seen minus the limit.

        Scans every active story at most once per day of news time (and always the `recheck` ones, e.g.
        stories re-opened in this chunk); a story with neither dates nor receipt times never retires.
        """
        if self.newest_time is None:
            return []
        horizon = self.newest_time - retire_after_days
        scan = set(recheck or ())
        if self.newest_time - self.retired_at >= 1.0:
            self.retired_at = self.newest_time
            scan = set(self.stories)
        due = []
        for story_id in sorted(scan & set(self.stories)):
            last = self.story_activity(self.stories[story_id])
            if last is not None and last < horizon:
                due.append(story_id)
        return due

    def make_dormant(self, story_id: str) -> DormantRecord:
        """Move an active story out of the active state into the dormant set (its articles stay assigned)."""
        story = self.stories[story_id]
        _, embedding, _ = self.story_sums(story)
        first, last = self.story_times(story)
        members = [
            DormantMember(r.article_id, r.seq, r.time, r.similarity, r.top.copy(), r.received)
            for r in (self.articles[s] for s in story.members)
        ]
        record = DormantRecord(
            story_id,
            story.seq,
            story.created_at,
            story.updated_at,
            self.next_dormant_key,
            first,
            last,
            members,
            list(story.follows),
        )
        self.next_dormant_key += 1
        norm = float(np.linalg.norm(embedding)) or 1.0
        self.dormant_index.add(np.array([record.key], np.uint64), (embedding / norm).astype(np.float32)[None, :])
        self.dormant[story_id] = record
        self.remove_story(story_id)
        return record

    def reopen(self, story_id: str, records: list[ArticleRecord], embeddings: Floats) -> StoryRecord:
        """Bring a dormant story back into the active state with its members' recomputed features."""
        dormant = self.dormant.pop(story_id)
        self.dormant_index.remove(np.array([dormant.key], np.uint64))
        self.index_embeddings(np.array([r.slot for r in records], np.int64), embeddings)
        for record in records:
            self.articles[record.slot] = record
        story = StoryRecord(
            story_id,
            dormant.seq,
            dormant.created_at,
            dormant.updated_at,
            [r.slot for r in records],
            follows=list(dormant.follows),
        )
        self.stories[story_id] = story
        return story

    def dormant_matches(
        self, embeddings: Floats, count: int, times: list[float | None] | None = None, window: float = 0.0
    ) -> list[list[tuple[str, float]]]:
        """For each embedding, dormant stories by centroid cosine similarity, best first: up to `count` nearest
        of all (ANN), and for a dated article (`times`) also up to `count` nearest of those whose span +- `window`
        holds its date.

        The second list makes the stories a late article may join the same whatever else lies dormant: on dense
        coverage of one subject, the nearest centroids of all can be stories of other weeks, and an article
        arriving after its story retired would found a new one where, in date order, it joined.
        """
        found = self._nearest_dormant(embeddings, count)
        if times is None or not self.dormant:
            return found
        dated = [d for d in self.dormant.values() if d.first is not None and d.last is not None]
        if not dated:
            return found
        first = np.array([d.first for d in dated], np.float64)
        last = np.array([d.last for d in dated], np.float64)
        at = np.array([np.nan if t is None else t for t in times], np.float64)[:, None]
        inside = (first[None, :] - window <= at) & (at <= last[None, :] + window)  # NaN (undated): False
        used = np.flatnonzero(inside.any(axis=0))
        if used.size == 0:
            return found
        keys = np.array([dated[j].key for j in used], np.uint64)
        vectors = np.asarray(self.dormant_index.get(keys), dtype=np.float32).reshape(len(keys), self.dim)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        unit = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-12)
        scores = unit.astype(np.float32) @ vectors.T
        for row in np.flatnonzero(inside[:, used].any(axis=1)).tolist():
            columns = np.flatnonzero(inside[row, used])
            best = columns[np.argsort(-scores[row, columns], kind="stable")][:count]
            merged = dict(found[row])
            for column in best.tolist():
                story_id = dated[used[column]].story_id
                merged[story_id] = max(merged.get(story_id, -1.0), float(scores[row, column]))
            found[row] = sorted(merged.items(), key=lambda pair: (-pair[1], pair[0]))
        return found

    def _nearest_dormant(self, embeddings: Floats, count: int) -> list[list[tuple[str, float]]]:
        """For each embedding, up to `count` dormant stories by centroid cosine similarity (ANN), best first."""
        if len(self.dormant_index) == 0 or len(embeddings) == 0:
            return [[] for _ in range(len(embeddings))]
        by_key = {d.key: d.story_id for d in self.dormant.values()}
        matches = self.dormant_index.search(embeddings.astype(np.float32), min(count, len(self.dormant_index)))
        keys = np.atleast_2d(np.asarray(matches.keys))
        distances = np.atleast_2d(np.asarray(matches.distances))
        counts = np.atleast_1d(np.asarray(matches.counts if isinstance(matches, BatchMatches) else len(matches)))
        out = []
        for row in range(len(embeddings)):
            found = zip(keys[row, : counts[row]].tolist(), distances[row, : counts[row]].tolist(), strict=True)
            out.append([(by_key[k], 1.0 - float(d)) for k, d in found if k in by_key])
        return out

    def remove_story(self, story_id: str) -> None:
        """Drop a story and its articles from the active state (their ids stay assigned)."""
        story = self.stories.pop(story_id)
        for slot in story.members:
            self.articles.pop(slot, None)
        if story.members:
            self.index.remove(np.array(story.members, np.uint64))

    # --- serialization ------------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The whole state as an .npz container (no pickle)."""
        slots = np.array(sorted(self.articles), np.int64)
        records = [self.articles[s] for s in slots.tolist()]
        header = {
            "format": FORMAT,
            "model_id": self.model_id,
            "dim": self.dim,
            "local_neighbours": self.local_neighbours,
            "documents": self.documents,
            "next": [self.next_slot, self.next_seq, self.next_story_seq],
            "newest_time": self.newest_time,
            "retired_at": None if self.retired_at == -np.inf else self.retired_at,
            "assigned": self.assigned,
            "articles": [_article_header(r) for r in records],
            "stories": [
                [s.story_id, s.seq, s.created_at, s.updated_at, s.members, s.follows] for s in self.stories.values()
            ],
            "dormant": [_dormant_header(d) for d in self.dormant.values()],
            "next_dormant_key": self.next_dormant_key,
        }
        lengths = np.array([len(r.columns) for r in records], np.int64)
        saved, dormant_saved = self.index.save(), self.dormant_index.save()
        if saved is None or dormant_saved is None:
            raise ClusterError("the ANN index could not be serialized")
        arrays: dict[str, npt.NDArray[Any]] = {
            "header": np.frombuffer(zlib.compress(json.dumps(header).encode()), np.uint8),
            "document_frequency": np.frombuffer(zlib.compress(self.document_frequency.tobytes()), np.uint8),
            "slots": slots,
            "lengths": lengths,
            "columns": np.concatenate([r.columns for r in records]) if records else np.zeros(0, np.int32),
            "values": np.concatenate([r.values for r in records]) if records else np.zeros(0, np.float32),
            "top": np.stack([r.top for r in records]) if records else np.zeros((0, self.local_neighbours)),
            "minhash": np.stack([r.minhash for r in records]) if records else np.zeros((0, 0), np.uint64),
            **_terms_arrays(records),
            **_sentence_arrays(records),
            "index": np.frombuffer(bytes(saved), np.uint8),
            "dormant_index": np.frombuffer(bytes(dormant_saved), np.uint8),
        }
        buffer = io.BytesIO()
        np.savez(buffer, allow_pickle=False, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "ClusterState":
        """Rebuild a state written by `to_bytes`; raises ClusterError on anything else."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                arrays = {name: npz[name] for name in npz.files}
            header = json.loads(zlib.decompress(arrays["header"].tobytes()))
        except (OSError, ValueError, KeyError, zlib.error) as error:
            raise ClusterError(f"unreadable cluster state: {error}") from error
        if header.get("format") not in READABLE:
            raise ClusterError(f"unknown cluster state format {header.get('format')!r}")
        state = cls(header["model_id"], header["dim"], header["local_neighbours"])
        state.documents = header["documents"]
        state.next_slot, state.next_seq, state.next_story_seq = header["next"]
        state.newest_time = header["newest_time"]
        state.retired_at = -np.inf if header["retired_at"] is None else header["retired_at"]
        state.assigned = dict(header["assigned"])
        frequency = np.frombuffer(zlib.decompress(arrays["document_frequency"].tobytes()), np.uint32)
        state.document_frequency = frequency.copy()
        offsets = np.concatenate([[0], np.cumsum(arrays["lengths"])])
        terms = _terms_from_arrays(arrays, len(header["articles"]))
        sentences = _sentences_from_arrays(arrays, len(header["articles"]))
        for row, (slot, fields) in enumerate(zip(arrays["slots"].tolist(), header["articles"], strict=True)):
            columns = arrays["columns"][offsets[row] : offsets[row + 1]].copy()
            values = arrays["values"][offsets[row] : offsets[row + 1]].copy()
            record = _article_from_header(
                fields, slot, columns, values, arrays["top"][row].astype(np.float32), arrays["minhash"][row].copy()
            )
            record.terms = terms[row]
            record.sentences = sentences[row]
            state.articles[slot] = record
        for story_id, seq, created_at, updated_at, members, *follows in header["stories"]:
            story = StoryRecord(story_id, seq, created_at, updated_at, list(members))
            story.follows = list(follows[0]) if follows else []
            state.stories[story_id] = story
        for fields in header.get("dormant", []):
            dormant = _dormant_from_header(fields)
            state.dormant[dormant.story_id] = dormant
        state.next_dormant_key = header.get("next_dormant_key", 0)
        state.used_story_ids = set(state.assigned.values()) | set(state.stories) | set(state.dormant)
        state.index = _restore_index(arrays["index"])
        if "dormant_index" in arrays:
            state.dormant_index = _restore_index(arrays["dormant_index"])
        return state


def _new_index(dim: int) -> Index:
    return Index(ndim=dim, metric="cos", dtype="f16", connectivity=16, expansion_add=64, expansion_search=64)


def _restore_index(array: npt.NDArray[np.uint8]) -> Index:
    index = Index.restore(array.tobytes(), view=False)
    if index is None:
        raise ClusterError("unreadable cluster state: bad ANN index")
    return index


def _dormant_header(d: DormantRecord) -> list[Any]:
    members = [[m.article_id, m.seq, m.time, m.similarity, m.top.tolist(), m.received] for m in d.members]
    return [d.story_id, d.seq, d.created_at, d.updated_at, d.key, d.first, d.last, members, d.follows]


def _dormant_from_header(fields: list[Any]) -> DormantRecord:
    story_id, seq, created_at, updated_at, key, first, last, members, follows = fields
    return DormantRecord(
        story_id,
        seq,
        created_at,
        updated_at,
        key,
        first,
        last,
        [DormantMember(a, q, t, sim, np.array(top, np.float32), *rest) for a, q, t, sim, top, *rest in members],
        list(follows),
    )


def _article_header(r: ArticleRecord) -> list[Any]:
    credits = [[c.name, c.kind, c.evidence.start, c.evidence.end, c.cue] for c in r.credits]
    return [
        r.article_id,
        r.story_id,
        r.seq,
        r.time,
        r.published,
        r.outlet,
        r.language,
        list(r.authors),
        r.title_key,
        r.shingles,
        credits,
        r.similarity,
        r.received,
        r.weighted_at,
        r.unsourced,
    ]


def _article_from_header(
    fields: list[Any],
    slot: int,
    columns: npt.NDArray[np.int32],
    values: Floats,
    top: Floats,
    minhash: npt.NDArray[np.uint64],
) -> ArticleRecord:
    article_id, story_id, seq, time, published, outlet, language, authors, title_key, shingles, credits, sim = fields[
        :12
    ]
    return ArticleRecord(
        article_id=article_id,
        slot=slot,
        story_id=story_id,
        seq=seq,
        time=time,
        published=published,
        outlet=outlet,
        language=language,
        authors=tuple(authors),
        title_key=title_key,
        columns=columns,
        values=values,
        top=top,
        minhash=minhash,
        shingles=shingles,
        credits=tuple(Credit(n, k, Evidence(article_id, s, e), *cue) for n, k, s, e, *cue in credits),
        similarity=sim,
        received=fields[12] if len(fields) > 12 else None,
        weighted_at=fields[13] if len(fields) > 13 else 0,
        unsourced=fields[14] if len(fields) > 14 else "",
    )


def _terms_arrays(records: list[ArticleRecord]) -> dict[str, npt.NDArray[Any]]:
    """The records' raw terms as flat arrays (a length of -1: the record has none, read from a v2 state)."""
    kept = [r.terms for r in records if r.terms is not None]
    return {
        "term_lengths": np.array([-1 if r.terms is None else len(r.terms.columns) for r in records], np.int64),
        "term_blocks": np.concatenate([t.blocks for t in kept]) if kept else np.zeros(0, np.int8),
        "term_columns": np.concatenate([t.columns for t in kept]) if kept else np.zeros(0, np.int32),
        "term_tf": np.concatenate([t.tf for t in kept]) if kept else np.zeros(0, np.float32),
    }


def _terms_from_arrays(arrays: dict[str, npt.NDArray[Any]], count: int) -> list[Terms | None]:
    if "term_lengths" not in arrays:  # v1 / v2: rows are never weighed again
        return [None] * count
    out: list[Terms | None] = []
    start = 0
    for length in arrays["term_lengths"].tolist():
        if length < 0:
            out.append(None)
            continue
        end = start + length
        blocks, columns = arrays["term_blocks"][start:end].copy(), arrays["term_columns"][start:end].copy()
        out.append(Terms(blocks, columns, arrays["term_tf"][start:end].copy()))
        start = end
    return out


def _sentence_arrays(records: list[ArticleRecord]) -> dict[str, npt.NDArray[Any]]:
    """The records' sentence fingerprints as flat arrays (a length of -1: the record has none)."""
    kept = [r.sentences for r in records if r.sentences is not None]
    return {
        "sentence_lengths": np.array([-1 if r.sentences is None else len(r.sentences) for r in records], np.int64),
        "sentence_hashes": np.concatenate(kept) if kept else np.zeros(0, np.uint32),
    }


def _sentences_from_arrays(arrays: dict[str, npt.NDArray[Any]], count: int) -> list[npt.NDArray[np.uint32] | None]:
    if "sentence_lengths" not in arrays:  # written before sentence fingerprints
        return [None] * count
    out: list[npt.NDArray[np.uint32] | None] = []
    start = 0
    for length in arrays["sentence_lengths"].tolist():
        if length < 0:
            out.append(None)
            continue
        out.append(arrays["sentence_hashes"][start : start + length].copy())
        start += length
    return out
