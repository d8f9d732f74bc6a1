"""Analysis, and the models a `run` loads beside its stages: the analysis worker forked first, the extractor and
the embedder loaded in threads (`RunModels`)."""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

from threadpoolctl import threadpool_limits

from storyline.analyze.settings import ANALYSIS_VERSION, AnalyzeSettings, batches
from storyline.errors import StorylineError
from storyline.pipeline.ingesting import LANGUAGE_SAMPLE, SMALL_BATCH
from storyline.records import Analysis, Article
from storyline.store.protocol import Store

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from storyline.analyze.article import Analyzer
    from storyline.cluster import ClusterSettings, Embedder
    from storyline.config import Settings
    from storyline.extract.article import Extractor, ExtractSettings

T = TypeVar("T")


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
    extractor.detect_language(LANGUAGE_SAMPLE)
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
