"""Ingest: read the sources, extract each document (here, or in forked worker processes) and store it, one
transaction per document; whatever goes wrong with one document becomes its recorded skip."""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.pool
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING, TypeVar

from storyline.deadline import DeadlineExceeded, deadline
from storyline.errors import StoreError, StorylineError, unexpected_reason
from storyline.records import Article, Document, Skip
from storyline.store.protocol import Store

if TYPE_CHECKING:
    from storyline.extract.article import Extractor
    from storyline.ingest.sources import Ingestor

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
        yield _store_item(store, item, lambda document: extract_document(extractor, document, time_limit))


def _store_item(store: Store, item: Document | Skip, extract: Callable[[Document], Extracted]) -> IngestOutcome:
    """One item of a batch: a reader's skip recorded, a document stored before "unchanged", any other document
    extracted by `extract` (here or in a worker) and stored, or its skip recorded."""
    if isinstance(item, Skip):
        return record_skip(store, item)
    if store.document_outcome(item) == "ingested":
        return IngestOutcome("unchanged", item.location)
    return store_extracted(store, item, extract(item))


@dataclass(frozen=True, slots=True)
class Extracted:
    """What extracting one document gave: its article, or the skip to record (made where it was extracted, in
    this process, a worker process or a Ray worker)."""

    article: Article | None
    skip: Skip | None = None
    unexpected: bool = False


def extract_document(extractor: Extractor, item: Document, time_limit: float) -> Extracted:
    try:
        with deadline(time_limit):
            return Extracted(extractor(item))
    except DeadlineExceeded as error:
        return Extracted(None, Skip(item.location, "extract", f"{error} to extract"))
    except StorylineError as error:
        return Extracted(None, Skip(item.location, "extract", str(error)))
    except Exception as error:  # noqa: BLE001 - the batch boundary: one document's failure never stops the batch
        logger.debug("extract failed on %s", item.location, exc_info=True)
        return Extracted(None, Skip(item.location, "extract", unexpected_reason(error)), unexpected=True)


def store_extracted(store: Store, item: Document, extracted: Extracted) -> IngestOutcome:
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
LANGUAGE_SAMPLE = "The minister said on Tuesday that the new rules would take effect next year."

# The Extractor and time limit of an extraction worker process, set by the pool's initializer. Per-process state
# of a pool worker, not shared module state: the parent process never sets it.
_worker: tuple[Extractor, float] | None = None


def _start_extract_worker(extractor: Extractor, time_limit: float) -> None:
    global _worker
    _worker = (extractor, time_limit)


def _extract_in_worker(item: Document) -> Extracted:
    if _worker is None:
        raise RuntimeError("extraction worker used before its initializer ran")
    return extract_document(_worker[0], item, _worker[1])


def in_order(submitted: Iterable[T], window: int) -> Iterator[T]:
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
    extractor.detect_language(LANGUAGE_SAMPLE)  # load the language models once, here: the workers share them
    context = multiprocessing.get_context("fork")
    window = IN_FLIGHT_PER_PROCESS * processes
    # A worker that dies (a crash in C code) loses its document and the pool never answers for it: wait at most
    # this long for one document, then stop the batch as a crash in one process would.
    wait = None if time_limit <= 0 else 2 * time_limit + 60
    with context.Pool(processes, _start_extract_worker, (extractor, time_limit)) as pool:

        def submitted(item: Document | Skip) -> multiprocessing.pool.AsyncResult[Extracted] | None:
            if isinstance(item, Skip) or store.document_outcome(item) == "ingested":
                return None
            return pool.apply_async(_extract_in_worker, (item,))

        for item, result in in_order(((item, submitted(item)) for item in items), window):
            yield _store_next(store, item, result, wait)


def _store_next(
    store: Store,
    item: Document | Skip,
    result: multiprocessing.pool.AsyncResult[Extracted] | None,
    wait: float | None,
) -> IngestOutcome:
    def collect(document: Document) -> Extracted:
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
