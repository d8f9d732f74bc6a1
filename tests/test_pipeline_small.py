"""A short run starts no worker processes and loads the embedder while it works; stored analyses are decoded
once per store; briefs written in worker processes are those written in one process (issue 16)."""

import copy
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import raw_sql
from storyline import pipeline
from storyline.analyze.article import Analyzer, AnalyzeSettings
from storyline.analyze.settings import ANALYSIS_VERSION
from storyline.cluster import ClusterSettings
from storyline.errors import BriefsFailed
from storyline.extract.article import Extractor
from storyline.ingest.sources import Ingestor, IngestSettings
from storyline.pipeline import ingesting
from storyline.records import Analysis, Article, Document, from_dict, to_dict
from storyline.store.sqlite import SQLiteStore
from storyline.synthesize.brief import BriefSettings
from streams import make_stream


def exactly(a: Any, b: Any, where: str = "") -> list[str]:
    """Where `a` and `b` differ in value or in type, at any depth (1 == 1.0 counts as a difference)."""
    if type(a) is not type(b):
        return [f"{where}: {type(a).__name__} != {type(b).__name__}"]
    if dataclasses.is_dataclass(a):
        return [d for f in dataclasses.fields(a) for d in exactly(getattr(a, f.name), getattr(b, f.name), f.name)]
    if isinstance(a, tuple | list):
        if len(a) != len(b):
            return [f"{where}: length"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in exactly(x, y, f"{where}[{i}]")]
    if isinstance(a, dict):
        if list(a) != list(b):
            return [f"{where}: keys"]
        return [d for k in a for d in exactly(a[k], b[k], f"{where}[{k!r}]")]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def no_fork(*_: object, **__: object) -> None:
    raise AssertionError("a worker pool was started")


def with_settings(analyzer: Analyzer, settings: AnalyzeSettings) -> Analyzer:
    other = copy.copy(analyzer)  # the loaded models, other settings
    other.settings = settings
    return other


def test_a_list_of_one_batch_is_analysed_here_with_the_same_results(
    seed_articles: dict[str, Article], analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = list(seed_articles.values())
    expected = list(analyzer.many(articles))
    two = with_settings(analyzer, AnalyzeSettings(processes=2, batch_size=len(articles)))
    assert not two.settings.forks(len(articles)) and two.settings.forks(len(articles) + 1)
    monkeypatch.setattr("storyline.analyze.article.multiprocessing.get_context", no_fork)
    assert list(two.many(articles)) == expected


def stored_analysis(store: SQLiteStore, article_id: str) -> Analysis:
    analysis = store.get_analysis(article_id)
    assert analysis is not None
    return analysis


def test_analyses_round_trip_exactly_and_are_decoded_once(
    seed_articles: dict[str, Article], analyzer: Analyzer, tmp_path: Path
) -> None:
    analyses = list(analyzer.many(list(seed_articles.values())))
    for analysis in analyses:  # the cache hands out what was written: decoding it must give the same, exactly
        decoded = from_dict(Analysis, json.loads(json.dumps(to_dict(analysis), ensure_ascii=False)))
        assert exactly(analysis, decoded) == []
    extractor = Extractor()
    with SQLiteStore(tmp_path / "cache.db") as store:
        for path in sorted((Path(__file__).parents[1] / "examples" / "seeds").glob("*.txt")):
            document = Document(str(path), str(path), path.read_text(encoding="utf-8"), "text")
            store.add_article(document, extractor(document))
        store.put_analyses(analyses)
        first = analyses[0]
        assert stored_analysis(store, first.article_id) is first  # not decoded again
        # Another process replaces the row: the store decodes what the row now holds.
        changed = dataclasses.replace(first, summary=None, topics=())
        raw_sql(
            store,
            "UPDATE analyses SET record = ? WHERE article_id = ?",
            json.dumps(to_dict(changed), ensure_ascii=False, separators=(",", ":")),
            first.article_id,
        )
        again = stored_analysis(store, first.article_id)
        assert again == changed and again is not first
        assert stored_analysis(store, first.article_id) is again
        with SQLiteStore(tmp_path / "cache.db") as other:  # a fresh store decodes every row, to the same records
            assert [stored_analysis(other, a.article_id) for a in analyses[1:]] == analyses[1:]


def write_texts(folder: Path, count: int) -> None:
    folder.mkdir()
    for number, item in enumerate(make_stream(count, 1, span_days=900, seed=3)):
        (folder / f"{number:02}.txt").write_text(item.article.text, encoding="utf-8")


def ingest(folder: Path, store: SQLiteStore, called: Callable[[], None]) -> list[pipeline.IngestOutcome]:
    ingestor = Ingestor(IngestSettings())
    try:
        return list(pipeline.ingest([str(folder)], store, ingestor, Extractor(), 0.0, 2, called))
    finally:
        ingestor.close()


def test_a_handful_of_documents_is_extracted_without_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_texts(tmp_path / "few", pipeline.SMALL_BATCH)
    write_texts(tmp_path / "more", pipeline.SMALL_BATCH + 1)
    calls: list[str] = []
    with SQLiteStore(tmp_path / "few.db") as store:
        monkeypatch.setattr(ingesting, "store_in_parallel", no_fork)
        outcomes = ingest(tmp_path / "few", store, lambda: calls.append("in process"))
        assert [o.status for o in outcomes] == ["ingested"] * pipeline.SMALL_BATCH and calls == ["in process"]
    forked: list[int] = []

    def parallel(items: Any, store: Any, extractor: Any, limit: float, processes: int) -> Any:
        forked.append(processes)
        return pipeline.store_documents(items, store, extractor, limit)

    with SQLiteStore(tmp_path / "more.db") as store:
        monkeypatch.setattr(ingesting, "store_in_parallel", parallel)
        outcomes = ingest(tmp_path / "more", store, lambda: calls.append("in process"))
        assert len(outcomes) == pipeline.SMALL_BATCH + 1 and forked == [2] and calls == ["in process"]


def test_briefs_written_by_worker_processes_are_those_of_one_process(tmp_path: Path, analyzer: Analyzer) -> None:
    folder = tmp_path / "stream"
    write_texts(folder, 16)
    settings = ClusterSettings()
    with SQLiteStore(tmp_path / "briefs.db") as store:
        assert all(o.status == "ingested" for o in ingest(folder, store, lambda: None))
        list(pipeline.analyze(store, analyzer))
        pipeline.cluster(store, settings, pipeline.load_embedder(settings))
        stale = store.stale_briefs()
        assert len(stale) > pipeline.SMALL_BATCH
        parallel = list(pipeline.write_briefs(store, BriefSettings(), processes=2))
        assert [o.story_id for o in parallel] == stale and not store.stale_briefs()
        alone = list(pipeline.write_briefs(store, BriefSettings(), stale, processes=1))
    assert [(o.brief, o.problems, o.articles, o.context) for o in parallel] == [
        (o.brief, o.problems, o.articles, o.context) for o in alone
    ]


def test_an_article_stored_without_an_analysis_waits_for_it_before_it_is_clustered(
    tmp_path: Path, analyzer: Analyzer
) -> None:
    """Another `run` on the store may have stored an article it has yet to analyse: clustering it now would put
    an article no brief can be written from into a story (two runs at once crashed on it)."""
    folder = tmp_path / "two"
    write_texts(folder, 2)
    settings = ClusterSettings()
    with SQLiteStore(tmp_path / "waiting.db") as store:
        list(ingest(folder, store, lambda: None))
        first, second = store.articles_to_analyse(ANALYSIS_VERSION)
        store.put_analyses(analyzer.batch([first]))  # the other one is still being analysed elsewhere
        embedder = pipeline.load_embedder(settings)
        outcome = pipeline.cluster(store, settings, embedder)
        assert (outcome.articles, outcome.waiting) == (1, 1)
        assert [a.id for a in store.unclustered_articles()] == [second.id]
        list(pipeline.write_briefs(store, BriefSettings()))  # every story's brief can be written
        list(pipeline.analyze(store, analyzer))
        assert (pipeline.cluster(store, settings, embedder).articles, store.unclustered_articles()) == (1, [])
        list(pipeline.write_briefs(store, BriefSettings()))
        assert pipeline.check(store).ok


@pytest.mark.parametrize("processes", [1, 2])
def test_a_brief_that_fails_stops_no_other_brief(
    tmp_path: Path, analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch, processes: int
) -> None:
    """A bug met on one story's input (here: any story holding a chosen article) is that story's failure: every
    other brief is written and stored, then `BriefsFailed` names the story and the error."""
    import storyline.synthesize.brief as brief_module

    folder = tmp_path / "stream"
    write_texts(folder, 16)
    settings = ClusterSettings()
    with SQLiteStore(tmp_path / "failing.db") as store:
        list(ingest(folder, store, lambda: None))
        list(pipeline.analyze(store, analyzer))
        pipeline.cluster(store, settings, pipeline.load_embedder(settings))
        stale = store.stale_briefs()
        doomed = store.get_story(stale[3]).members[0].article_id
        real = brief_module.write_checked_brief

        def flaky(bundle: Any, *args: Any, **kwargs: Any) -> Any:
            if any(s.article.id == doomed for s in bundle.sources):
                raise KeyError("a bug in brief writing")
            return real(bundle, *args, **kwargs)

        monkeypatch.setattr(brief_module, "write_checked_brief", flaky)  # forked workers inherit it
        with pytest.raises(BriefsFailed) as failed:
            list(pipeline.write_briefs(store, BriefSettings(), processes=processes))
        assert failed.value.failures == {stale[3]: "unexpected error: KeyError: 'a bug in brief writing'"}
        assert store.stale_briefs() == [stale[3]]  # every other brief was stored
