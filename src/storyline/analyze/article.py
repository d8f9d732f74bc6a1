"""Article -> Analysis: sentences, entities, quotes, claims, time expressions, dated events, topics, summary.

The order matters inside one article: entities help attribute quotes; quotes give claims their holders; the
publication date anchors relative time expressions. The article's language picks the sentence, quote and date
rules and the entity model or rules (`languages.py`); `Analysis.analyzers` names what read each part. Models load
once per Analyzer. `Analyzer.many` spreads
articles over worker processes, each holding its own Analyzer.
"""

import datetime as dt
import logging
import multiprocessing
from collections.abc import Iterable, Iterator, Sequence

from threadpoolctl import threadpool_limits

from storyline.analyze.claims import ClaimScorer, find_claims
from storyline.analyze.entities import EntityFinder
from storyline.analyze.languages import profile
from storyline.analyze.quantities import find_quantities
from storyline.analyze.quotes import find_quotes, listed_quotes
from storyline.analyze.sentences import split_sentences
from storyline.analyze.settings import ANALYSIS_VERSION, AnalyzeSettings, batches
from storyline.analyze.times import find_events, find_times, times_method
from storyline.analyze.topics import TopicFinder, summary_sentence
from storyline.records import Analysis, Article, Entity

__all__ = ["ANALYSIS_VERSION", "AnalyzeSettings", "Analyzer", "anchor_date", "sentence_method"]

logger = logging.getLogger(__name__)


def anchor_date(article: Article) -> dt.date | None:
    """The date relative expressions count from: the article's publication date, when known."""
    if not article.published:
        return None
    try:
        return dt.date.fromisoformat(article.published[:10])
    except ValueError:
        return None


class Analyzer:
    """Analyses articles. Holds the entity model, the claim scorer and the topic finder."""

    def __init__(self, settings: AnalyzeSettings = AnalyzeSettings()) -> None:  # noqa: B008 - frozen
        self.settings = settings
        self.entities = EntityFinder(settings.entities)
        self.claims = ClaimScorer()
        self.topics = TopicFinder(settings.topics)

    def __call__(self, article: Article) -> Analysis:
        """Analyse one article."""
        return self._analyse(article, self.entities(article.text, article.language))

    def batch(self, articles: Sequence[Article]) -> list[Analysis]:
        """Analyse several articles, running the entity model over them in one batch per language.

        If the batch fails, each article is analysed alone; an article whose analysis fails gets a degraded
        analysis (sentences only, when even they can be split) with the failure in `skipped`, so one bad
        article never stops the stage and every article still reaches clustering.
        """
        try:
            return self._batch(articles)
        except Exception:  # noqa: BLE001 - isolate the failing article below; its error is recorded there
            logger.debug("batch analysis failed; analysing its articles one by one", exc_info=True)
            return [self._alone(article) for article in articles]

    def _alone(self, article: Article) -> Analysis:
        try:
            return self(article)
        except Exception as error:  # noqa: BLE001 - the per-article boundary: record the failure, keep going
            logger.warning("analysis of %s failed: %s: %s", article.id, type(error).__name__, error)
            reason = f"analysis failed: {type(error).__name__}: {str(error)[:200]}"
            try:
                sentences = tuple(split_sentences(article.text, article.language))
            except Exception:  # noqa: BLE001 - even sentence splitting failed: no sentences then
                sentences = ()
            return Analysis(
                article_id=article.id,
                version=ANALYSIS_VERSION,
                sentences=sentences,
                skipped=(reason,),
                analyzers=(sentence_method(article.language),) if sentences else (),
            )

    def _batch(self, articles: Sequence[Article]) -> list[Analysis]:
        found: dict[int, list[Entity]] = {}
        for language in dict.fromkeys(a.language for a in articles):
            indexes = [i for i, a in enumerate(articles) if a.language == language]
            texts = [articles[i].text for i in indexes]
            found.update(zip(indexes, self.entities.pipe(texts, language), strict=True))
        return [self._analyse(article, found[i]) for i, article in enumerate(articles)]

    def _analyse(self, article: Article, entities: list[Entity]) -> Analysis:
        text, language = article.text, article.language
        skipped = [r for r in (self.entities.skip_reason(language), self.topics.skip_reason(language)) if r]
        sentences = split_sentences(text, language)
        # The headline paraphrases ("..., Warn Experts"): quotes are read from the text below it.
        headline_end = 0 if "title_derived" in article.flags else len(article.title)  # a derived one is body text
        quotes = [q for q in find_quotes(text, sentences, entities, language) if q.start >= headline_end]
        quotes = sorted(quotes + listed_quotes(text, article.sections, quotes), key=lambda q: q.start)
        claims = find_claims(text, sentences, entities, quotes, self.claims)
        times = find_times(text, anchor_date(article), language)
        events = [e for e in find_events(text, sentences, times) if not _in_byline(article, e.start, e.end)]
        return Analysis(
            article_id=article.id,
            version=ANALYSIS_VERSION,
            sentences=tuple(sentences),
            entities=tuple(entities),
            quotes=tuple(quotes),
            claims=tuple(claims),
            times=tuple(times),
            events=tuple(events),
            topics=tuple(self.topics(text, sentences, entities, language)),
            summary=summary_sentence(text, sentences),
            skipped=tuple(skipped),
            quantities=tuple(find_quantities(text)),
            analyzers=self.analyzers(language),
        )

    def analyzers(self, language: str | None) -> tuple[str, ...]:
        """What reads an article in `language`, one "step:method" entry per step (entities only when found)."""
        entities = self.entities.analyzer(language)
        quote_rules = profile(language)
        return (
            sentence_method(language),
            *((entities,) if entities else ()),
            f"quotes:rules-{quote_rules.code if quote_rules.cues else 'en'}",
            times_method(language),
        )

    def many(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        """Analyse many articles, in order, in `settings.processes` worker processes.

        A list that fits in one batch is analysed here: a pool would hand its single batch to one worker, so
        the workers would only add their start-up (the batches, and so the analyses, are the same either way).
        """
        if self.settings.processes <= 1 or (isinstance(articles, Sequence) and not self.settings.forks(len(articles))):
            with threadpool_limits(limits=1):  # BLAS threads only fight the model's own loop for the cores
                for batch in batches(articles, self.settings.batch_size):
                    yield from self.batch(batch)
            return
        # Forked workers inherit this Analyzer's loaded models (copy-on-write) instead of loading their own.
        context = multiprocessing.get_context("fork")
        with context.Pool(self.settings.processes, _start_worker, (self,)) as pool:
            for analyses in pool.imap(_analyse_batch, batches(articles, self.settings.batch_size)):
                yield from analyses


def sentence_method(language: str | None) -> str:
    """The sentence rules used for `language`: by script, plus the language's abbreviations."""
    rules = profile(language)
    return f"sentences:rules-{rules.script}" + (f"-{rules.code}" if rules.abbreviations or rules.ordinals else "")


def _in_byline(article: Article, start: int, end: int) -> bool:
    """True when [start, end) holds metadata the extractor read (a byline's date is not a news event)."""
    return any(
        p.field != "title" and p.evidence is not None and start <= p.evidence.start < end for p in article.provenance
    )


# The Analyzer of a pool worker process, set by the pool's initializer. This is per-process state of a pool
# worker, not shared module state: the parent process never sets it.
_worker: Analyzer | None = None


def _start_worker(analyzer: Analyzer) -> None:
    global _worker
    threadpool_limits(limits=1)  # one BLAS thread per worker: the workers already use every core
    _worker = analyzer


def _analyse_batch(batch: Sequence[Article]) -> list[Analysis]:
    if _worker is None:
        raise RuntimeError("analysis worker used before its initializer ran")
    return _worker.batch(batch)
