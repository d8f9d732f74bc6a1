"""The Ray engine: `storyline run --engine ray [--ray-address ADDR]`.

What runs where:
* The driver (this process) reads the sources (`Ingestor`: files, folders, feeds, WARC archives, URLs) in
  order, and is the only writer of the store: one transaction per document as in the local engine, one per
  batch of analyses, one per brief. The store never needs to accept writers from other machines.
* Ray actors (`_Worker`, one per worker CPU) extract documents, analyse articles and write briefs. Each loads
  its models once (the language detector, spaCy, the claim ranker) on its first batch and keeps them. Work goes
  out in batches and comes back in submission order (`ActorPool`), with at most two batches in flight per
  worker, so memory stays bounded on an archive of any size.
* Clustering stays on the driver, in order: `pipeline.cluster`, the very function the local engine calls. Its
  incremental, order-dependent semantics (stable story ids, merges logged in order) are kept as they are; its
  cost per article is measured in docs/scaling.md, which says when it needs sharding.

The engine reuses the local engine's stage functions (`Extractor`, `Analyzer`, `write_checked_brief`,
`pipeline.story_input`, `pipeline.cluster`) and stores results in the local order, so a run gives the same
articles, the same story partition and the same briefs as `--engine local` (tests/test_ray_engine.py).

Ray itself: without an address a private local Ray is started on loopback (`num_cpus` = workers, no dashboard,
no usage statistics, worker logs not forwarded, a small object store, Ray's default token authentication without
its notice) and shut down at the end; with an address the driver joins that cluster, whose nodes must have the
same storyline installed (and, when the cluster uses token authentication, `RAY_AUTH_MODE=token` and its token
must be set for this process too, as for any Ray client).

The briefs are equal down to which identical copy an item cites, although every worker is a process with its own
hash seed and its own thread count: the brief writer sums in a fixed order and compares scores with their last
bits dropped (`synthesize/ties.py`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import islice
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import ray
from ray.util import ActorPool

from storyline import pipeline
from storyline.analyze.article import ANALYSIS_VERSION, Analyzer, AnalyzeSettings
from storyline.extract.article import Extractor, ExtractSettings
from storyline.pipeline.ingesting import Extracted, extract_document, store_extracted
from storyline.records import Analysis, Article, Brief, Document, Skip
from storyline.synthesize.brief import BriefSettings, write_checked_brief

if TYPE_CHECKING:
    from storyline.ingest.sources import Ingestor
    from storyline.store.protocol import Store
    from storyline.synthesize.bundle import StoryInput

__all__ = ["RayEngine", "RaySettings"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RaySettings:
    workers: int = 2  # actors (one CPU each); a local Ray gets this many CPUs
    address: str | None = None  # a running cluster ("ray://host:10001" or "host:6379"); None: a private local Ray
    batch_size: int = 16  # documents, articles or stories per task
    object_store_bytes: int = 256 * 2**20  # the local Ray's shared-memory object store


class _Worker:
    """One Ray actor: the stage objects of the local engine, each built on first use and kept."""

    def __init__(self, extract: ExtractSettings, analyze: AnalyzeSettings, brief: BriefSettings) -> None:
        self.extract_settings = extract
        self.analyze_settings = replace(analyze, processes=1)  # the actor is the process
        self.brief_settings = brief
        self._extractor: Extractor | None = None
        self._analyzer: Analyzer | None = None

    def extract(self, documents: list[Document]) -> list[Extracted]:
        if self._extractor is None:
            self._extractor = Extractor(self.extract_settings)
        return [extract_document(self._extractor, d, self.extract_settings.time_limit) for d in documents]

    def analyze(self, articles: list[Article]) -> list[Analysis]:
        if self._analyzer is None:
            self._analyzer = Analyzer(self.analyze_settings)
        return list(self._analyzer.many(articles))

    def brief(self, stories: list[StoryInput]) -> list[tuple[Brief, list[str]]]:
        out = []
        for story in stories:
            brief, problems = write_checked_brief(story, self.brief_settings)
            out.append((brief, [str(p) for p in problems]))
        return out


class RayEngine:
    """Runs the parallel stages on Ray; a context manager that starts (or joins) Ray and shuts it down."""

    def __init__(
        self,
        settings: RaySettings,
        extract: ExtractSettings,
        analyze: AnalyzeSettings,
        brief: BriefSettings,
    ) -> None:
        self.settings = settings
        self._stage_settings = (extract, analyze, brief)
        self._pool: ActorPool | None = None

    def __enter__(self) -> RayEngine:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no usage report leaves the machine
        if self.settings.address is None:
            with _quiet_token_notice():
                ray.init(
                    num_cpus=self.settings.workers,
                    include_dashboard=False,
                    log_to_driver=False,
                    object_store_memory=self.settings.object_store_bytes,
                    _node_ip_address="127.0.0.1",
                    configure_logging=False,
                )
        else:
            ray.init(address=self.settings.address, log_to_driver=False, configure_logging=False)
        try:
            actor = ray.remote(num_cpus=1)(_Worker)
            actors = [actor.remote(*self._stage_settings) for _ in range(self.settings.workers)]
            self._pool = ActorPool(actors)
        except BaseException:
            ray.shutdown()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._pool = None
        ray.shutdown()

    # --- the stages -------------------------------------------------------------------------------------------

    def ingest(self, sources: Iterable[str], store: Store, ingestor: Ingestor) -> Iterator[pipeline.IngestOutcome]:
        """`pipeline.ingest` with extraction on the workers: read on the driver, extract in parallel, store here
        in reading order (one transaction per document). The time limit per document is the extract settings'."""
        pending: list[Document] = []
        for item in pipeline.guarded(ingestor(sources)):
            if isinstance(item, Skip):
                yield from self._stored(store, pending)
                pending = []
                yield pipeline.record_skip(store, item)
            elif store.document_outcome(item) == "ingested":
                yield pipeline.IngestOutcome("unchanged", item.location)
            else:
                pending.append(item)
                if len(pending) >= self.settings.batch_size * self.settings.workers * 4:
                    yield from self._stored(store, pending)
                    pending = []
        yield from self._stored(store, pending)

    def _stored(self, store: Store, documents: list[Document]) -> Iterator[pipeline.IngestOutcome]:
        results = self._map("extract", documents)
        for document, result in zip(documents, results, strict=True):
            yield store_extracted(store, document, result)

    def analyze(self, store: Store) -> Iterator[Analysis]:
        """`pipeline.analyze` with the analysis on the workers; each batch stored in one transaction, in order."""
        articles = store.articles_to_analyse(ANALYSIS_VERSION)
        size = self.settings.batch_size
        for batch in _ordered(self._pool_or_fail(), "analyze", _chunks(articles, size), self._window):
            store.put_analyses(batch)
            yield from batch

    def write_briefs(self, store: Store, settings: BriefSettings) -> Iterator[pipeline.BriefOutcome]:
        """`pipeline.write_briefs` for every stale story, the briefs written on the workers and stored here."""
        stories = [store.get_story(i) for i in store.stale_briefs()]
        inputs = [pipeline.story_input(store, s) for s in stories]
        written: list[tuple[Brief, list[str]]] = []
        for batch in _ordered(self._pool_or_fail(), "brief", _chunks(inputs, 1), self._window):
            written.extend(batch)
        for story, bundle, (brief, problems) in zip(stories, inputs, written, strict=True):
            store.put_brief(brief, problems, story.updated_at)
            articles = {s.article.id: s.article for s in bundle.sources}
            context = pipeline.story_context(store, story)
            yield pipeline.BriefOutcome(story.id, brief, tuple(problems), articles, context)

    def _map(self, method: str, items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for batch in _ordered(self._pool_or_fail(), method, _chunks(items, self.settings.batch_size), self._window):
            out.extend(batch)
        return out

    @property
    def _window(self) -> int:
        return 2 * self.settings.workers  # batches in flight: one running and one queued per actor

    def _pool_or_fail(self) -> ActorPool:
        if self._pool is None:
            raise RuntimeError("RayEngine used outside its 'with' block")
        return self._pool


_TOKEN_NOTICE = "Token authentication is enabled for this Ray cluster"


class _DropTokenNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_TOKEN_NOTICE)


@contextmanager
def _quiet_token_notice() -> Iterator[None]:
    """Drop Ray's notice that the local Ray it starts uses token authentication, and nothing else.

    Since Ray 2.59 a local `ray.init()` turns token authentication on (a token made once in ~/.ray/auth_token)
    and logs that notice on every start unless `RAY_AUTH_MODE` is set. Authentication stays on: the notice only
    says so. Setting `RAY_AUTH_MODE=token` would say it without a notice, but Ray reads that variable once, when
    it is first imported, and this module imports Ray before it knows whether it starts a Ray or joins one (a
    cluster without authentication must not be asked for a token). A user's own `RAY_AUTH_MODE` is obeyed."""
    logger = logging.getLogger("ray._private.authentication.authentication_token_setup")
    notice = _DropTokenNotice()
    logger.addFilter(notice)
    try:
        yield
    finally:
        logger.removeFilter(notice)


def _ordered(pool: ActorPool, method: str, batches: Iterable[list[T]], window: int) -> Iterator[list[Any]]:
    """Each batch's result from `method` of an actor, in submission order, with at most `window` batches in
    flight (submitted, not yet taken back), so a long input is never all in memory at once."""

    def call(actor: Any, batch: list[T]) -> Any:
        return getattr(actor, method).remote(batch)

    iterator = iter(batches)
    in_flight = 0
    for batch in islice(iterator, window):
        pool.submit(call, batch)
        in_flight += 1
    while in_flight:
        result = pool.get_next()
        in_flight -= 1
        for batch in islice(iterator, 1):
            pool.submit(call, batch)
            in_flight += 1
        yield result


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
