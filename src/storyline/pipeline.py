"""The only module that knows the stage order: ingest -> extract -> store (-> analyze -> cluster -> brief)."""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from storyline.analyze.article import ANALYSIS_VERSION, Analyzer
from storyline.cluster import ClusterSettings, ClusterState, Embedder, cluster_articles
from storyline.errors import ExtractError, StoreError
from storyline.extract.article import Extractor
from storyline.ingest.sources import Ingestor
from storyline.records import Analysis, Article, Brief, Document, Skip, Story
from storyline.store.sqlite import SQLiteStore
from storyline.synthesize.brief import BriefSettings, write_checked_brief
from storyline.synthesize.bundle import SourceArticle, StoryInput

__all__ = [
    "BriefOutcome",
    "ClusterOutcome",
    "IngestOutcome",
    "Refresher",
    "analyze",
    "cluster",
    "ingest",
    "store_documents",
    "story_input",
    "write_briefs",
]

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
    yield from store_documents(ingestor(sources), store, extractor)


def store_documents(
    items: Iterable[Document | Skip], store: SQLiteStore, extractor: Extractor
) -> Iterator[IngestOutcome]:
    """Extract and store each document (one transaction each); skips and extraction failures are recorded."""
    for item in items:
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


@dataclass(frozen=True, slots=True)
class ClusterOutcome:
    articles: int  # articles assigned in this run
    stories_changed: int
    events: int


def cluster(store: SQLiteStore, settings: ClusterSettings, embedder: Embedder) -> ClusterOutcome:
    """Assign every article not yet in a story; stories, their log and the index are saved in one transaction.

    Articles are clustered with their analyses (entities, numbers and dates sharpen the match), so analysis runs
    first. A re-run with nothing new is a no-op.
    """
    pending = store.unclustered_articles()
    if not pending:
        return ClusterOutcome(0, 0, 0)
    saved = store.cluster_state()
    state = ClusterState.from_bytes(saved) if saved else None
    pairs = [(article, store.get_analysis(article.id)) for article in pending]
    result = cluster_articles(pairs, state, settings, embedder)
    store.put_stories(result.stories, result.events, result.state.to_bytes())
    return ClusterOutcome(len(pending), len(result.stories), len(result.events))


def story_input(store: SQLiteStore, story: Story) -> StoryInput:
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


@dataclass(frozen=True, slots=True)
class BriefOutcome:
    story_id: str
    brief: Brief
    problems: tuple[str, ...]  # grounding problems; empty when the checker passed
    articles: dict[str, Article]


def write_briefs(
    store: SQLiteStore, settings: BriefSettings, story_ids: Iterable[str] | None = None
) -> Iterator[BriefOutcome]:
    """Write (and check) the brief of each story whose brief is missing or stale, or of `story_ids`."""
    for story_id in store.stale_briefs() if story_ids is None else story_ids:
        story = store.get_story(story_id)
        bundle = story_input(store, story)
        brief, problems = write_checked_brief(bundle, settings)
        messages = tuple(str(p) for p in problems)
        store.put_brief(brief, list(messages), story.updated_at)
        yield BriefOutcome(story.id, brief, messages, {s.article.id: s.article for s in bundle.sources})


@dataclass
class Refresher:
    """Brings the stages after ingest up to date: analyse new articles, cluster them, rewrite stale briefs.

    Holds the loaded models (analyzer, embedder) so a long-running server pays for loading them once.
    """

    analyzer: Analyzer
    embedder: Embedder
    cluster_settings: ClusterSettings
    brief_settings: BriefSettings

    def __call__(self, store: SQLiteStore) -> dict[str, int]:
        analysed = sum(1 for _ in analyze(store, self.analyzer))
        clustered = cluster(store, self.cluster_settings, self.embedder)
        briefs = list(write_briefs(store, self.brief_settings))
        return {
            "analysed": analysed,
            "clustered": clustered.articles,
            "briefs": len(briefs),
            "grounding_failures": sum(1 for b in briefs if b.problems),
        }
