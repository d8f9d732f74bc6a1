"""The only module that knows the stage order: ingest -> extract -> store (-> analyze -> cluster -> brief)."""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from storyline.analyze.article import ANALYSIS_VERSION, Analyzer
from storyline.errors import ExtractError
from storyline.extract.article import Extractor
from storyline.ingest.sources import Ingestor
from storyline.records import Analysis, Skip
from storyline.store.sqlite import SQLiteStore

__all__ = ["IngestOutcome", "analyze", "ingest"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    status: str  # ingested | duplicate | skipped
    location: str
    article_id: str | None = None
    reason: str | None = None


def ingest(
    sources: Iterable[str], store: SQLiteStore, ingestor: Ingestor, extractor: Extractor
) -> Iterator[IngestOutcome]:
    """Read, extract and store every document of `sources`, one transaction per document.

    Yields one outcome per document as it is stored, so callers can show progress. Failures of one document
    are recorded as skips (with the document kept) and the batch goes on.
    """
    for item in ingestor(sources):
        if isinstance(item, Skip):
            store.add_skip(item)
            yield IngestOutcome("skipped", item.source, reason=item.reason)
            continue
        try:
            article = extractor(item)
        except ExtractError as error:
            skip = Skip(item.location, "extract", str(error))
            store.add_skip(skip, item)
            yield IngestOutcome("skipped", item.location, reason=skip.reason)
            continue
        new = store.add_article(item, article)
        yield IngestOutcome("ingested" if new else "duplicate", item.location, article.id)


def analyze(store: SQLiteStore, analyzer: Analyzer, batch_size: int = 64) -> Iterator[Analysis]:
    """Analyse every article that has no analysis of the current version; store each batch in one transaction."""
    pending = iter(analyzer.many(store.articles_to_analyse(ANALYSIS_VERSION)))
    while batch := list(islice(pending, batch_size)):
        store.put_analyses(batch)
        yield from batch
