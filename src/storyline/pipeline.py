"""The only module that knows the stage order: ingest -> extract -> store (-> analyze -> cluster -> brief).

The stages are imported where they are used, not here: a command, or a short `run`, imports only the stages it
runs, when it runs them (`storyline run` on one document analyses in a process forked before it imports them).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import multiprocessing.pool
import os
import signal
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING, TypeVar

from threadpoolctl import threadpool_limits

from storyline.analyze.settings import ANALYSIS_VERSION, AnalyzeSettings, batches
from storyline.deadline import DeadlineExceeded, deadline
from storyline.errors import StoreError, StorylineError, unexpected_reason
from storyline.records import Analysis, Article, Brief, Document, Skip, Story
from storyline.render.story import StoryContext, StoryLink
from storyline.store.check import ClusterView, StoreReport, check_store
from storyline.store.protocol import ConcurrentUpdate, Store
from storyline.synthesize.bundle import SourceArticle, StoryInput

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from storyline.analyze.article import Analyzer
    from storyline.cluster import ClusterSettings, ClusterState, Embedder
    from storyline.config import Settings
    from storyline.extract.article import Extractor, ExtractSettings
    from storyline.ingest.sources import Ingestor
    from storyline.synthesize.brief import BriefSettings
    from storyline.synthesize.writer import ModelWriter

__all__ = [
    "AnalysisWorker",
    "BriefOutcome",
    "ClusterOutcome",
    "IngestOutcome",
    "Refresher",
    "RunModels",
    "analyze",
    "brief_outcome",
    "check",
    "cluster",
    "guarded",
    "ingest",
    "load_embedder",
    "few_documents",
    "import_cluster_stage",
    "load_in_background",
    "ready_extractor",
    "record_skip",
    "store_documents",
    "store_in_parallel",
    "story_context",
    "story_input",
    "write_briefs",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    status: str  # ingested | duplicate | unchanged | skipped
    location: str
    article_id: str | None = None
    reason: str | None = None
    unexpected: bool = False  # the skip came from an unexpected exception (a bug), not a known bad input


def ingest(
    sources: Iterable[str],
    store: Store,
    ingestor: Ingestor,
    extractor: Extractor,
    time_limit: float = 0.0,
    processes: int = 1,
    in_process: Callable[[], None] | None = None,
    forking: Callable[[], None] | None = None,
) -> Iterator[IngestOutcome]:
    """Read, extract and store every document of `sources`, one transaction per document.

    Yields one outcome per document as it is stored, so callers can show progress. Failures of one document
    are recorded as skips (with the document kept) and the batch goes on. With `processes` > 1 the documents
    are extracted in that many forked worker processes and stored here in reading order, with the same
    outcomes as in one process (`store_in_parallel`), unless the sources hold at most `SMALL_BATCH` documents.
    `in_process` is called when it is decided that the documents are extracted in this process (no fork
    follows here), before the first is extracted; `forking` when it is decided that they are extracted in
    worker processes, before these are forked.
    """
    items = guarded(ingestor(sources))
    if processes > 1:
        # A handful of documents is extracted here: starting the workers would cost more than it saves.
        head = list(islice(items, SMALL_BATCH + 1))
        if len(head) > SMALL_BATCH:
            if forking is not None:
                forking()
            yield from store_in_parallel(chain(head, items), store, extractor, time_limit, processes)
            return
        items = iter(head)
    if in_process is not None:
        in_process()
    yield from store_documents(items, store, extractor, time_limit)


def guarded(items: Iterable[Document | Skip]) -> Iterator[Document | Skip]:
    """`items`, with an unexpected exception from the reader turned into a final Skip instead of a crash."""
    iterator = iter(items)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as error:  # noqa: BLE001 - the batch boundary: record the bug and keep what was read
            logger.debug("reading failed", exc_info=True)
            yield Skip("(reader)", "ingest", unexpected_reason(error))
            return
        yield item


def store_documents(
    items: Iterable[Document | Skip], store: Store, extractor: Extractor, time_limit: float = 0.0
) -> Iterator[IngestOutcome]:
    """Extract and store each document (one transaction each); skips and failures of any kind are recorded.

    A document stored before with the same location and content is not extracted again ("unchanged"); one
    skipped before is tried again (the extractor may have improved). Extraction runs under `time_limit`
    seconds (0: none).
    """
    for item in items:
        yield _store_item(store, item, lambda document: _extract(extractor, document, time_limit))


def _store_item(store: Store, item: Document | Skip, extract: Callable[[Document], _Extracted]) -> IngestOutcome:
    """One item of a batch: a reader's skip recorded, a document stored before "unchanged", any other document
    extracted by `extract` (here or in a worker) and stored, or its skip recorded."""
    if isinstance(item, Skip):
        return record_skip(store, item)
    if store.document_outcome(item) == "ingested":
        return IngestOutcome("unchanged", item.location)
    return _store_extracted(store, item, extract(item))


@dataclass(frozen=True, slots=True)
class _Extracted:
    """What extracting one document gave: its article, or the skip to record (made where it was extracted)."""

    article: Article | None
    skip: Skip | None = None
    unexpected: bool = False


def _extract(extractor: Extractor, item: Document, time_limit: float) -> _Extracted:
    try:
        with deadline(time_limit):
            return _Extracted(extractor(item))
    except DeadlineExceeded as error:
        return _Extracted(None, Skip(item.location, "extract", f"{error} to extract"))
    except StorylineError as error:
        return _Extracted(None, Skip(item.location, "extract", str(error)))
    except Exception as error:  # noqa: BLE001 - the batch boundary: one document's failure never stops the batch
        logger.debug("extract failed on %s", item.location, exc_info=True)
        return _Extracted(None, Skip(item.location, "extract", unexpected_reason(error)), unexpected=True)


def _store_extracted(store: Store, item: Document, extracted: _Extracted) -> IngestOutcome:
    if extracted.article is None:
        assert extracted.skip is not None
        return record_skip(store, extracted.skip, item, unexpected=extracted.unexpected)
    article = extracted.article
    try:
        new = store.add_article(item, article)
    except StorylineError as error:
        return record_skip(store, Skip(item.location, "store", str(error)), item)
    except Exception as error:  # noqa: BLE001 - the batch boundary: one document's failure never stops the batch
        logger.debug("store failed on %s", item.location, exc_info=True)
        return record_skip(store, Skip(item.location, "store", unexpected_reason(error)), item, unexpected=True)
    return IngestOutcome("ingested" if new else "duplicate", item.location, article.id)


# Documents handed to the extraction workers and not stored yet, per worker process.
IN_FLIGHT_PER_PROCESS = 8
# At most this many documents are extracted in this process even when workers are asked for (`ingest`).
SMALL_BATCH = 8
_LANGUAGE_SAMPLE = "The minister said on Tuesday that the new rules would take effect next year."

# The Extractor and time limit of an extraction worker process, set by the pool's initializer. Per-process state
# of a pool worker, not shared module state: the parent process never sets it.
_worker: tuple[Extractor, float] | None = None


def _start_extract_worker(extractor: Extractor, time_limit: float) -> None:
    global _worker
    _worker = (extractor, time_limit)


def _extract_in_worker(item: Document) -> _Extracted:
    if _worker is None:
        raise RuntimeError("extraction worker used before its initializer ran")
    return _extract(_worker[0], item, _worker[1])


def _in_order(submitted: Iterable[T], window: int) -> Iterator[T]:
    """The items of `submitted` (each handed to a worker as it is drawn) back in the same order, drawing at most
    `window` items ahead of the one given back: the ordered, bounded queue of the worker-process stages."""
    pending: deque[T] = deque()
    for item in submitted:
        pending.append(item)
        if len(pending) > window:
            yield pending.popleft()
    yield from pending


def store_in_parallel(
    items: Iterable[Document | Skip], store: Store, extractor: Extractor, time_limit: float, processes: int
) -> Iterator[IngestOutcome]:
    """`store_documents` with the extraction in `processes` forked worker processes (each with the extractor
    as loaded here) and everything else here, in the order of `items`: the store sees the same writes in the
    same order, so the outcomes, articles and skips are those of one process. Extraction is a function of the
    document alone; whether a document was stored before is asked when it is read (to extract nothing
    again) and again when it is stored (the same document twice in one batch is "unchanged" the second time,
    as in one process). The time limit runs in the worker (SIGALRM in its main thread).

    Forks: call it before this process starts threads or loads models it does not need in the workers.
    """
    extractor.detect_language(_LANGUAGE_SAMPLE)  # load the language models once, here: the workers share them
    context = multiprocessing.get_context("fork")
    window = IN_FLIGHT_PER_PROCESS * processes
    # A worker that dies (a crash in C code) loses its document and the pool never answers for it: wait at most
    # this long for one document, then stop the batch as a crash in one process would.
    wait = None if time_limit <= 0 else 2 * time_limit + 60
    with context.Pool(processes, _start_extract_worker, (extractor, time_limit)) as pool:

        def submitted(item: Document | Skip) -> multiprocessing.pool.AsyncResult[_Extracted] | None:
            if isinstance(item, Skip) or store.document_outcome(item) == "ingested":
                return None
            return pool.apply_async(_extract_in_worker, (item,))

        for item, result in _in_order(((item, submitted(item)) for item in items), window):
            yield _store_next(store, item, result, wait)


def _store_next(
    store: Store,
    item: Document | Skip,
    result: multiprocessing.pool.AsyncResult[_Extracted] | None,
    wait: float | None,
) -> IngestOutcome:
    def collect(document: Document) -> _Extracted:
        assert result is not None  # every document not stored before was sent to a worker
        try:
            return result.get(wait)
        except multiprocessing.TimeoutError as error:
            raise StorylineError(
                f"the extraction of {document.location} did not end in {wait:g} s (a worker died?)"
            ) from error

    return _store_item(store, item, collect)


def record_skip(store: Store, skip: Skip, item: Document | None = None, unexpected: bool = False) -> IngestOutcome:
    """Store the skip (with its document, so nothing is lost); if even that fails, store the skip alone.

    Every engine records its skips here (the local one in `ingest`, the Ray engine for what its workers return),
    so a skip reads the same whichever engine met it."""
    try:
        store.add_skip(skip, item)
    except (StoreError, sqlite3.Error, UnicodeError, ValueError) as error:
        logger.warning("could not store the document of %s: %s", skip.source, error)
        store.add_skip(Skip(skip.source, skip.stage, f"{skip.reason} (document not stored: {error})"))
    return IngestOutcome("skipped", skip.source, reason=skip.reason, unexpected=unexpected)


def analyze(
    store: Store,
    analyzer: Analyzer | AnalysisWorker,
    batch_size: int = 64,
    articles: Sequence[Article] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[Analysis]:
    """Analyse every article that has no analysis of the current version (`articles`, when the caller has just
    read them with `store.articles_to_analyse`); store each batch in one transaction. With an `AnalysisWorker`,
    `meanwhile` runs here once while the worker analyses the first batch."""
    if articles is None:
        articles = store.articles_to_analyse(ANALYSIS_VERSION)
    analysed = analyzer.many(articles, meanwhile) if isinstance(analyzer, AnalysisWorker) else analyzer.many(articles)
    for batch in batches(analysed, batch_size):
        store.put_analyses(batch)
        yield from batch


class AnalysisWorker:
    """An Analyzer that loads in a process of its own, forked now, while this process goes on (a short `run`
    reads, extracts and stores meanwhile, and loads the embedder): this process then never imports the
    analysers (spaCy). `many` gives what `Analyzer(settings).many` gives on a list that fits in one batch in
    this process: the same batches through `Analyzer.batch`, with one BLAS thread.

    Fork it before this process starts threads. `close()` ends the worker, loaded or not (also the context
    exit); close it before this process forks others, so they do not inherit its pipe.
    """

    def __init__(self, settings: AnalyzeSettings) -> None:
        self.settings = settings
        self.closed = False
        for name in _SHARED_IMPORTS:  # imported once, here, and inherited, instead of on both sides of the fork
            importlib.import_module(name)
        context = multiprocessing.get_context("fork")
        self._connection, theirs = context.Pipe()
        self._process = context.Process(
            target=_serve_analyses, args=(settings, theirs), name="storyline-analyze", daemon=True
        )
        self._process.start()
        theirs.close()

    def many(self, articles: Iterable[Article], meanwhile: Callable[[], object] | None = None) -> Iterator[Analysis]:
        """The analyses of `articles`, batch by batch; `meanwhile` runs once, here, while the worker analyses the
        first batch (this process would only wait for it)."""
        for batch in batches(articles, self.settings.batch_size):
            try:
                self._connection.send(batch)
                if meanwhile is not None:
                    meanwhile()
                    meanwhile = None
                answer, value = self._connection.recv()
            except (EOFError, OSError) as error:
                raise StorylineError(f"the analysis worker process ended (exit code {self._exitcode()})") from error
            if answer == "error":
                raise value
            yield from value

    def close(self) -> None:
        self.closed = True
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._connection.close()

    def __enter__(self) -> AnalysisWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _exitcode(self) -> int | None:
        self._process.join(5)
        return self._process.exitcode


# Libraries both the analysis worker and a short run here import (numpy: the models and the clustering;
# wordfreq: topics and the briefs): about 0.25 s of CPU that the worker would otherwise spend again.
_SHARED_IMPORTS = ("numpy", "wordfreq")


def _serve_analyses(settings: AnalyzeSettings, connection: Connection) -> None:
    """The body of an `AnalysisWorker`: load the Analyzer, then answer each batch sent until the pipe closes.
    A failure to load is sent back as the answer to the first batch, to be raised there."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends this process
    with threadpool_limits(limits=1):  # as Analyzer.many in one process
        analyzer: Analyzer | None = None
        failure: BaseException | None = None
        try:
            from storyline.analyze.article import Analyzer

            analyzer = Analyzer(settings)
        except Exception as error:  # noqa: BLE001 - sent to the parent, which raises it where it analyses
            failure = error
        while True:
            try:
                batch = connection.recv()
            except EOFError:
                return
            if analyzer is None:
                connection.send(("error", failure))
                continue
            connection.send(("ok", analyzer.batch(batch)))


# Files that hold one document each (`few_documents`).
_ONE_DOCUMENT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm")


def few_documents(sources: Sequence[str]) -> bool:
    """A guess, before reading them, that `sources` hold at most `SMALL_BATCH` documents, so that `ingest`
    extracts them here: that many files with a suffix of one document each. (`ingest` decides on what it reads;
    a wrong guess only starts some loading earlier than it could.)"""
    return len(sources) <= SMALL_BATCH and all(
        s.lower().endswith(_ONE_DOCUMENT_SUFFIXES) and os.path.isfile(s) for s in sources
    )


def ready_extractor(settings: ExtractSettings) -> Extractor:
    """An Extractor with its language models loaded (as `store_in_parallel` loads them before it forks). lingua
    releases the GIL while it loads them, so in a thread (`load_in_background`) this overlaps the imports of the
    main one."""
    from storyline.extract.article import Extractor

    extractor = Extractor(settings)
    extractor.detect_language(_LANGUAGE_SAMPLE)
    return extractor


def load_embedder(settings: ClusterSettings, warm: Callable[[], bool] = lambda: True) -> Embedder:
    """The embedder `settings` names; when `warm()` says there is something to cluster, with its lazily loaded
    parts loaded too (one throw-away text through it), so that `load_in_background` leaves nothing to load to
    the first real call (the vectors of real texts do not depend on it)."""
    from storyline.cluster import Embedder

    embedder = Embedder.default(settings)
    if warm():
        embedder.embed(["storyline"])
    return embedder


def import_cluster_stage() -> None:
    """Import the clustering stage (assignment, lineage: scipy, datasketch; about 0.3 s), e.g. while a short run
    waits for its analyses, so the clustering that follows does not start with it."""
    importlib.import_module("storyline.cluster.stories")


def load_in_background(load: Callable[[], T]) -> Future[T]:
    """Run `load` in a thread of its own; `.result()` waits for it (and raises what it raised).

    For models a short run needs later: they load while this thread reads, extracts and analyses. This
    process must not fork (worker pools) while the thread runs: a fork copies locks the thread may hold.
    """
    executor = ThreadPoolExecutor(1, thread_name_prefix="storyline-load")
    try:
        return executor.submit(load)
    finally:
        executor.shutdown(wait=False)


class RunModels:
    """The models a `run` loads beside its stages, and the moments it may fork worker pools.

    A short run analyses in an `AnalysisWorker` forked first, before this process imports any stage or starts a
    thread: the worker loads the analysers (spaCy) while this process reads, extracts and loads the embedder. The
    extractor and the embedder load in threads (`load_in_background`). A fork copies the locks a thread may hold
    and the worker's pipe, so extraction workers or analysis pools fork only after the worker was ended and the
    threads were done (`forking`, `analyses`). Create it before importing any stage; leaving it (the context exit)
    ends the worker and lets the embedder's thread end.
    """

    def __init__(self, settings: Settings, analyze: AnalyzeSettings, sources: Sequence[str], local: bool) -> None:
        """Fork the analysis worker when the run is `local` with more than one process, then start loading the
        extractor (`local`) and, when `sources` are a few files of one document each, the embedder."""
        self._settings = settings
        self._analyze = analyze
        self._embedder: Future[Embedder] | None = None
        self._new_articles = threading.Event()
        self._decided = threading.Event()  # set once whether there are new articles is known, or when the run ends
        self.extractor: Future[Extractor] | None = None
        with contextlib.ExitStack() as stack:
            # Ended as soon as the run turns out long (worker pools are forked then) or has nothing to analyse.
            forked = local and analyze.processes > 1
            self._worker = stack.enter_context(AnalysisWorker(analyze)) if forked else None
            stack.callback(self._decided.set)
            if local:
                # lingua's models load without holding the GIL; ingest waits for it (`.result()`) before it extracts,
                # so no thread of it runs when extraction workers fork.
                extract = settings.extract
                self.extractor = load_in_background(lambda: ready_extractor(extract))
            if local and few_documents(sources):
                self.start_embedder()
            self._exit = stack.pop_all()

    def start_embedder(self) -> None:
        """Start loading the embedder in a thread, unless it is loading already.

        A short run loads it while it extracts and analyses, whenever no worker process is forked meanwhile: from
        the start when the sources are a few files of one document each, else once ingest knows it extracts here
        (its `in_process`) or `analyses` knows it runs without a pool; a long run loads it after the analysis
        workers are done (`take_embedder`).
        """
        if self._embedder is None:
            self._embedder = load_in_background(lambda: load_embedder(self._settings.cluster, self._warm))

    def _warm(self) -> bool:
        """Whether the embedder loaded in the thread is warmed up (its lazy parts loaded): only when new articles
        need clustering, which the thread waits to know."""
        self._decided.wait()
        return self._new_articles.is_set()

    def forking(self) -> None:
        """Ingest's `forking`: extraction workers fork next, so no other process or thread may run then."""
        self.close_worker()
        if self._embedder is not None:
            self._decided.set()
            self._embedder.result()

    def close_worker(self) -> None:
        """End the analysis worker, once it is not needed (its models are released)."""
        if self._worker is not None:
            self._worker.close()

    def analyses(self, store: Store) -> Iterator[Analysis]:
        """The analyses of the articles `store` has yet to analyse, stored batch by batch as they are drawn: by the
        worker when they fit in one batch and it still runs, else by an `Analyzer` here (with its pool for more
        than a batch), and none on a re-run, which then loads no analyser (spaCy). Before it returns, whether the
        embedder is warmed up is decided, and its thread started, or finished when a pool forks."""
        pending = store.articles_to_analyse(ANALYSIS_VERSION)
        pool = self._analyze.forks(len(pending))
        if pending:
            self._new_articles.set()
        self._decided.set()
        if not pool:
            self.start_embedder()
        elif self._embedder is not None:
            self._embedder.result()  # loaded before the analysis workers fork
        if not pending:  # a re-run: no analyser to load
            self.close_worker()
            return iter(())
        if self._worker is not None and not self._worker.closed and not pool:
            return analyze(store, self._worker, articles=pending, meanwhile=import_cluster_stage)
        self.close_worker()  # ended before the analysis workers fork
        from storyline.analyze.article import Analyzer

        return analyze(store, Analyzer(self._analyze), articles=pending)

    def take_embedder(self) -> Embedder:
        """The embedder, loaded in its thread or else here (unwarmed). It is forgotten here, so that its models
        are released once the caller is done clustering with it."""
        embedder, self._embedder = self._embedder, None
        if embedder is not None:
            return embedder.result()
        from storyline.cluster import Embedder

        return Embedder.default(self._settings.cluster)

    def __enter__(self) -> RunModels:
        return self

    def __exit__(self, *exc: object) -> None:
        self._exit.close()


@dataclass(frozen=True, slots=True)
class ClusterOutcome:
    articles: int  # articles assigned in this run
    stories_changed: int
    events: int


def cluster(store: Store, settings: ClusterSettings, embedder: Embedder, attempts: int = 5) -> ClusterOutcome:
    """Assign every article not yet in a story; stories, their log and the index are saved in one transaction.

    Articles are clustered with their analyses (entities, numbers and dates sharpen the match), so analysis runs
    first. Undated articles are clustered at the time they were stored. A re-run with nothing new is a no-op.
    The state is read with its version and saved only if no other process saved it meanwhile; otherwise the
    work is redone on the newer state (at most `attempts` times), so two processes never lose an update.
    """
    from storyline.cluster import ClusterState, cluster_articles

    for _ in range(attempts):
        saved, version = store.cluster_state_version()
        state = ClusterState.from_bytes(saved) if saved else None
        pending = store.unclustered_articles()
        if not pending:
            return ClusterOutcome(0, 0, 0)
        if state is not None:
            _forget_lost(state, [a.id for a in pending])
            embedder = _embedder_for(state, embedder)
        pairs = [(article, store.get_analysis(article.id)) for article in pending]
        received = store.received_times([a.id for a in pending])
        result = cluster_articles(pairs, state, settings, embedder, received=received, load=_loader(store))
        try:
            store.put_stories(result.stories, result.events, result.state.to_bytes(), result.removed, version)
        except ConcurrentUpdate:
            logger.info("another process clustered meanwhile; clustering again on its state")
            continue
        return ClusterOutcome(len(pending), len(result.stories), len(result.events))
    raise StoreError(f"the clustering state kept changing under this process ({attempts} attempts)")


def _embedder_for(state: ClusterState, embedder: Embedder) -> Embedder:
    """The embedder a saved state was built with, when `embedder` holds it: a store clustered before the
    multilingual default (English MiniLM alone) keeps being clustered with that MiniLM, so its stories stay
    comparable, instead of being refused. Any other mismatch is left to `cluster_articles` to refuse."""
    from storyline.cluster.multilingual import MultilingualEmbedder

    if not isinstance(embedder, MultilingualEmbedder) or state.model_id == embedder.model_id:
        return embedder
    english = embedder.english_model
    if english.model_id == state.model_id:
        logger.warning(
            "this store was clustered with %s alone; it keeps that embedder (cross-lingual stories need a new "
            'store, or embedder = "minilm" in [cluster] to silence this)',
            state.model_id,
        )
        return english
    return embedder


def _forget_lost(state: ClusterState, unstored: list[str]) -> None:
    """Un-assign articles the state holds in a story the store never saved (written by an older version)."""
    lost = [i for i in unstored if i in state.assigned and state.assigned[i] not in state.stories]
    lost = [i for i in lost if state.assigned[i] not in state.dormant]
    for article_id in lost:
        del state.assigned[article_id]
    if lost:
        logger.warning(
            "%d article(s) were assigned to stories that were never stored: clustering them again", len(lost)
        )


def _loader(store: Store) -> Callable[[Sequence[str]], list[tuple[Article, Analysis | None]]]:
    def load(article_ids: Sequence[str]) -> list[tuple[Article, Analysis | None]]:
        return [(store.get_article(i), store.get_analysis(i)) for i in article_ids]

    return load


def check(store: Store) -> StoreReport:
    """The store's invariants (store/check.py), with the clustering state's view of the stories."""
    from storyline.cluster import ClusterState

    saved = store.cluster_state()
    view = None
    if saved is not None:
        state = ClusterState.from_bytes(saved)
        view = ClusterView(dict(state.assigned), frozenset(state.stories), frozenset(state.dormant))
    return check_store(store, view)


def story_input(store: Store, story: Story) -> StoryInput:
    """Everything the brief of `story` is written from, read from the store, members in publication order."""
    sources = []
    for member in story.members:
        article = store.get_article(member.article_id)
        analysis = store.get_analysis(member.article_id)
        if analysis is None:
            raise StoreError(f"article {member.article_id} of story {story.id} has no analysis: run analyze first")
        sources.append(SourceArticle(article, analysis, member))
    sources.sort(key=lambda s: (s.article.published is None, s.article.published or "", s.article.id))
    return StoryInput(story.id, tuple(sources), story.credits, story.coverage)


def story_context(store: Store, story: Story) -> StoryContext:
    """What the brief of `story` shows of its place among the others: its status, the stories it follows and those
    that follow it, each with its headline when the store holds that story (read now, so links stay current)."""
    return StoryContext(
        story.status,
        tuple(_story_link(store, i) for i in story.follows),
        tuple(_story_link(store, i) for i in story.followed_by),
    )


def _story_link(store: Store, story_id: str) -> StoryLink:
    """The linked story with its brief's headline (its first article's title before a brief is written)."""
    try:
        other = store.get_story(story_id)
        if other.id != story_id:  # get_story also takes a prefix: a longer id is another story
            return StoryLink(story_id)
        stored = store.get_brief(other.id)
        if stored is not None:
            return StoryLink(story_id, stored[0].headline.text)
        return StoryLink(story_id, store.get_article(other.members[0].article_id).title if other.members else None)
    except StoreError:
        return StoryLink(story_id)


@dataclass(frozen=True, slots=True)
class BriefOutcome:
    story_id: str
    brief: Brief
    problems: tuple[str, ...]  # grounding problems; empty when the checker passed
    articles: dict[str, Article]
    context: StoryContext = StoryContext()  # the story's status and links, for the renderers


def write_briefs(
    store: Store,
    settings: BriefSettings,
    story_ids: Iterable[str] | None = None,
    writer: ModelWriter | None = None,
    processes: int = 1,
) -> Iterator[BriefOutcome]:
    """Write (and check) the brief of each story whose brief is missing or stale, or of `story_ids`.

    With a model `writer`, every brief is written again (its model answers are cached, so an unchanged story
    costs no request): a brief written by the extractive writer is not stale by date, yet not what was asked.
    With `processes` > 1 and more than `SMALL_BATCH` stories, the extractive briefs are written in that many
    forked worker processes (a brief is a function of its story's input alone) and stored here in order, so
    the store sees the same writes as in one process.
    """
    if story_ids is None:
        story_ids = [story.id for story in store.stories()] if writer is not None else store.stale_briefs()
    story_ids = list(story_ids)
    from storyline.synthesize.brief import write_checked_brief

    if writer is None and processes > 1 and len(story_ids) > SMALL_BATCH:
        yield from _briefs_in_parallel(store, settings, story_ids, processes)
        return
    for story_id in story_ids:
        story = store.get_story(story_id)
        bundle = story_input(store, story)
        brief, problems = write_checked_brief(bundle, settings, writer)
        yield _store_brief(store, story, bundle, brief, tuple(str(p) for p in problems))


def _store_brief(
    store: Store, story: Story, bundle: StoryInput, brief: Brief, messages: tuple[str, ...]
) -> BriefOutcome:
    store.put_brief(brief, list(messages), story.updated_at)
    return brief_outcome(store, story, bundle, brief, messages)


def brief_outcome(
    store: Store, story: Story, bundle: StoryInput, brief: Brief, messages: tuple[str, ...]
) -> BriefOutcome:
    """What a written brief is shown with: its story's articles and context (stored or not)."""
    articles = {s.article.id: s.article for s in bundle.sources}
    return BriefOutcome(story.id, brief, messages, articles, story_context(store, story))


_Written = tuple[Brief, tuple[str, ...]]  # a brief and its grounding problems, as a worker returns them

# The brief settings of a brief worker process, set by the pool's initializer (per-process state of a worker).
_brief_worker: BriefSettings | None = None


def _start_brief_worker(settings: BriefSettings) -> None:
    global _brief_worker
    threadpool_limits(limits=1)  # one BLAS thread per worker: the workers already use every core
    _brief_worker = settings


def _brief_in_worker(bundle: StoryInput) -> _Written:
    if _brief_worker is None:
        raise RuntimeError("brief worker used before its initializer ran")
    from storyline.synthesize.brief import write_checked_brief

    brief, problems = write_checked_brief(bundle, _brief_worker)
    return brief, tuple(str(p) for p in problems)


def _briefs_in_parallel(
    store: Store, settings: BriefSettings, story_ids: list[str], processes: int
) -> Iterator[BriefOutcome]:
    """The extractive briefs of `story_ids` written in `processes` forked workers; read and stored here, in
    order (at most two stories per worker in flight)."""
    context = multiprocessing.get_context("fork")
    window = 2 * processes
    with context.Pool(processes, _start_brief_worker, (settings,)) as pool:

        def submitted(story_id: str) -> tuple[Story, StoryInput, multiprocessing.pool.AsyncResult[_Written]]:
            story = store.get_story(story_id)
            bundle = story_input(store, story)
            return story, bundle, pool.apply_async(_brief_in_worker, (bundle,))

        for story, bundle, result in _in_order((submitted(i) for i in story_ids), window):
            yield _collect_brief(store, story, bundle, result)


# A worker that dies (a crash in C code) loses its story and the pool never answers for it: wait this long.
BRIEF_WAIT = 900.0


def _collect_brief(
    store: Store,
    story: Story,
    bundle: StoryInput,
    result: multiprocessing.pool.AsyncResult[_Written],
) -> BriefOutcome:
    try:
        brief, messages = result.get(BRIEF_WAIT)
    except multiprocessing.TimeoutError as error:
        raise StorylineError(f"the brief of {story.id} did not end in {BRIEF_WAIT:g} s (a worker died?)") from error
    return _store_brief(store, story, bundle, brief, messages)


@dataclass
class Refresher:
    """Brings the stages after ingest up to date: analyse new articles, cluster them, rewrite stale briefs.

    Holds the loaded models (analyzer, embedder) so a long-running server pays for loading them once.
    """

    analyzer: Analyzer
    embedder: Embedder
    cluster_settings: ClusterSettings
    brief_settings: BriefSettings
    writer: ModelWriter | None = None  # the model writer, when `--writer llm` (stale briefs only here)

    def __call__(self, store: Store) -> dict[str, int]:
        analysed = sum(1 for _ in analyze(store, self.analyzer))
        clustered = cluster(store, self.cluster_settings, self.embedder)
        briefs = list(write_briefs(store, self.brief_settings, store.stale_briefs(), self.writer))
        return {
            "analysed": analysed,
            "clustered": clustered.articles,
            "briefs": len(briefs),
            "grounding_failures": sum(1 for b in briefs if b.problems),
        }
