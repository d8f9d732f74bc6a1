"""From analysed articles to stories and briefs: clustering, the store check, and writing the briefs (here, or
in forked worker processes)."""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.pool
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from threadpoolctl import threadpool_limits

from storyline.errors import BriefsFailed, StoreError, StorylineError, unexpected_reason
from storyline.pipeline.analysing import analyze
from storyline.pipeline.ingesting import SMALL_BATCH, in_order
from storyline.records import Analysis, Article, Brief, Story
from storyline.render.story import StoryContext, StoryLink
from storyline.store.check import ClusterView, StoreReport, check_store
from storyline.store.protocol import ConcurrentUpdate, Store
from storyline.synthesize.bundle import SourceArticle, StoryInput

if TYPE_CHECKING:
    from storyline.analyze.article import Analyzer
    from storyline.cluster import ClusterSettings, ClusterState, Embedder
    from storyline.synthesize.brief import BriefSettings
    from storyline.synthesize.writer import ModelWriter

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClusterOutcome:
    articles: int  # articles assigned in this run
    stories_changed: int
    events: int
    waiting: int = 0  # articles stored without an analysis yet: left for the run that analyses them


def cluster(store: Store, settings: ClusterSettings, embedder: Embedder, attempts: int = 5) -> ClusterOutcome:
    """Assign every analysed article not yet in a story; stories, their log and the index are saved in one
    transaction.

    Articles are clustered with their analyses (entities, numbers and dates sharpen the match), so analysis runs
    first: an article stored without an analysis waits (`waiting`), as one another process stored and has yet to
    analyse does; a brief could not be written for a story holding it. Undated articles are clustered at the time
    they were stored. A re-run with nothing new is a no-op. The state is read with its version and saved only if
    no other process saved it meanwhile; otherwise the work is redone on the newer state (at most `attempts`
    times), so two processes never lose an update.
    """
    from storyline.cluster import ClusterState, cluster_articles

    for _ in range(attempts):
        saved, version = store.cluster_state_version()
        state = ClusterState.from_bytes(saved) if saved else None
        unclustered = store.unclustered_articles()
        pairs = [(article, store.get_analysis(article.id)) for article in unclustered]
        ready = [(article, analysis) for article, analysis in pairs if analysis is not None]
        waiting = len(pairs) - len(ready)
        if waiting:
            logger.info("%d article(s) have no analysis yet: left for clustering after it", waiting)
        if not ready:
            return ClusterOutcome(0, 0, 0, waiting)
        pending = [article for article, _ in ready]
        if state is not None:
            _forget_lost(state, [a.id for a in unclustered])
            embedder = _embedder_for(state, embedder)
        received = store.received_times([a.id for a in pending])
        result = cluster_articles(ready, state, settings, embedder, received=received, load=_loader(store))
        try:
            store.put_stories(result.stories, result.events, result.state.to_bytes(), result.removed, version)
        except ConcurrentUpdate:
            logger.info("another process clustered meanwhile; clustering again on its state")
            continue
        return ClusterOutcome(len(pending), len(result.stories), len(result.events), waiting)
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
    the store sees the same writes as in one process. A story whose brief fails (a bug met on its input) stops
    no other: the others are written and stored, then `BriefsFailed` names each failure.
    """
    if story_ids is None:
        story_ids = [story.id for story in store.stories()] if writer is not None else store.stale_briefs()
    story_ids = list(story_ids)
    from storyline.synthesize.brief import write_checked_brief

    failed: dict[str, str] = {}
    if writer is None and processes > 1 and len(story_ids) > SMALL_BATCH:
        yield from _briefs_in_parallel(store, settings, story_ids, processes, failed)
    else:
        for story_id in story_ids:
            story = store.get_story(story_id)
            try:
                bundle = story_input(store, story)
                brief, problems = write_checked_brief(bundle, settings, writer)
            except Exception as error:  # noqa: BLE001 - the batch boundary: one story's failure stops no other brief
                failed[story_id] = _failure(story_id, error)
                continue
            yield _store_brief(store, story, bundle, brief, tuple(str(p) for p in problems))
    if failed:
        raise BriefsFailed(failed)


def _failure(story_id: str, error: BaseException) -> str:
    """Why the brief of `story_id` failed, as a skip reason reads (the traceback goes to the debug log)."""
    logger.debug("the brief of %s failed", story_id, exc_info=error)
    return str(error) if isinstance(error, StorylineError) else unexpected_reason(error)


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
    store: Store, settings: BriefSettings, story_ids: list[str], processes: int, failed: dict[str, str]
) -> Iterator[BriefOutcome]:
    """The extractive briefs of `story_ids` written in `processes` forked workers; read and stored here, in
    order (at most two stories per worker in flight). A story whose brief fails is added to `failed`."""
    context = multiprocessing.get_context("fork")
    window = 2 * processes
    with context.Pool(processes, _start_brief_worker, (settings,)) as pool:

        def submitted(story_id: str) -> tuple[Story, StoryInput, multiprocessing.pool.AsyncResult[_Written]] | None:
            story = store.get_story(story_id)
            try:
                bundle = story_input(store, story)
            except StorylineError as error:
                failed[story_id] = _failure(story_id, error)
                return None
            return story, bundle, pool.apply_async(_brief_in_worker, (bundle,))

        for item in in_order((submitted(i) for i in story_ids), window):
            if item is not None and (collected := _collect_brief(store, *item, failed)) is not None:
                yield collected


# A worker that dies (a crash in C code) loses its story and the pool never answers for it: wait this long.
BRIEF_WAIT = 900.0


def _collect_brief(
    store: Store,
    story: Story,
    bundle: StoryInput,
    result: multiprocessing.pool.AsyncResult[_Written],
    failed: dict[str, str],
) -> BriefOutcome | None:
    try:
        brief, messages = result.get(BRIEF_WAIT)
    except multiprocessing.TimeoutError as error:
        raise StorylineError(f"the brief of {story.id} did not end in {BRIEF_WAIT:g} s (a worker died?)") from error
    except Exception as error:  # noqa: BLE001 - the batch boundary: one story's failure stops no other brief
        failed[story.id] = _failure(story.id, error)
        return None
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
        briefs: list[BriefOutcome] = []
        failures: dict[str, str] = {}
        try:
            briefs.extend(write_briefs(store, self.brief_settings, store.stale_briefs(), self.writer))
        except BriefsFailed as error:  # the others are stored; these stay stale, tried again next time
            failures = error.failures
            logger.error("%s", error)
        return {
            "analysed": analysed,
            "clustered": clustered.articles,
            "briefs": len(briefs),
            "grounding_failures": sum(1 for b in briefs if b.problems),
            "brief_failures": len(failures),
        }
