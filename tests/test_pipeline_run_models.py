"""`pipeline.RunModels`: when a run's analysis worker ends, when its embedder is warmed up, and that nothing of
either runs when a worker pool would fork. The worker and the loaders are doubles: what is checked is the order."""

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import make_article, text_document
from storyline import pipeline
from storyline.analyze.settings import ANALYSIS_VERSION, AnalyzeSettings
from storyline.config import Settings
from storyline.pipeline import analysing
from storyline.records import Analysis, Article
from storyline.store import SQLiteStore


class Worker:
    """An `AnalysisWorker` that analyses in this process and remembers what it was asked."""

    def __init__(self, settings: AnalyzeSettings) -> None:
        self.closed = False
        self.meanwhile: Callable[[], object] | None = None
        made.append(self)

    def many(self, articles: Iterable[Article], meanwhile: Callable[[], object] | None = None) -> Iterator[Analysis]:
        self.meanwhile = meanwhile
        return iter([Analysis(a.id, ANALYSIS_VERSION) for a in articles])

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


made: list[Worker] = []


@pytest.fixture
def warmed(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Doubles for the worker and the two loaders; the list receives what `warm()` answered the embedder."""
    answers: list[bool] = []

    def load_embedder(settings: Any, warm: Callable[[], bool]) -> str:
        answers.append(warm())
        return "embedder"

    made.clear()
    monkeypatch.setattr(analysing, "AnalysisWorker", Worker)
    monkeypatch.setattr(analysing, "ready_extractor", lambda settings: "extractor")
    monkeypatch.setattr(analysing, "load_embedder", load_embedder)
    return answers


def one_file(tmp_path: Path) -> list[str]:
    path = tmp_path / "one.txt"
    path.write_text("A title\n\nA body.", encoding="utf-8")
    return [str(path)]


def models(sources: list[str], processes: int = 2) -> pipeline.RunModels:
    return pipeline.RunModels(Settings(), AnalyzeSettings(processes=processes), sources, local=True)


def test_a_rerun_closes_the_worker_and_leaves_the_embedder_cold(
    warmed: list[bool], store: SQLiteStore, tmp_path: Path
) -> None:
    with models(one_file(tmp_path)) as loaded:
        assert loaded.extractor is not None and loaded.extractor.result() == "extractor"
        assert list(loaded.analyses(store)) == []
        assert made[0].closed
        assert loaded.take_embedder() == "embedder"
    assert warmed == [False]


def test_new_articles_of_one_batch_go_to_the_worker_and_warm_the_embedder(
    warmed: list[bool], store: SQLiteStore
) -> None:
    article = make_article()
    store.add_article(text_document(article.text), article)
    with models(["a-feed.xml"]) as loaded:  # not a few one-document files: the embedder waits for the analysis
        analyses = loaded.analyses(store)
        assert [a.article_id for a in analyses] == [article.id]
        assert made[0].meanwhile is pipeline.import_cluster_stage and not made[0].closed
        assert loaded.take_embedder() == "embedder"
    assert warmed == [True] and made[0].closed


def test_forking_ends_the_worker_and_waits_for_the_embedder_unwarmed(warmed: list[bool], tmp_path: Path) -> None:
    with models(one_file(tmp_path)) as loaded:
        loaded.forking()
        assert made[0].closed and warmed == [False]  # the thread was done before forking returned


def test_one_process_forks_no_worker(warmed: list[bool], store: SQLiteStore, tmp_path: Path) -> None:
    with models(one_file(tmp_path), processes=1) as loaded:
        assert list(loaded.analyses(store)) == []
        assert loaded.take_embedder() == "embedder"
    assert made == [] and warmed == [False]
