"""One bad document never stops a batch: whatever goes wrong in extraction or storing becomes a recorded skip."""

import time

import pytest

from conftest import text_document
from storyline import pipeline
from storyline.deadline import DeadlineExceeded, deadline
from storyline.extract.article import Extractor
from storyline.records import Article, Document, Skip
from storyline.store import SQLiteStore

GOOD = "A harbour reopens\n\nThe harbour at Saltmarsh reopened on Monday after the storm, the port office said today."


class Flaky(Extractor):
    """An extractor with a bug on documents that mention 'poison', and a hang on ones that mention 'slow'."""

    def __call__(self, document: Document) -> Article:
        if "poison" in document.content:
            raise KeyError("a bug in extraction")
        if "slow" in document.content:
            while True:
                time.sleep(0.01)
        return super().__call__(document)


def test_an_unexpected_error_is_a_skip_with_its_type_and_the_batch_goes_on(store: SQLiteStore) -> None:
    docs = [text_document("poison " + GOOD, "bad.txt"), text_document(GOOD, "good.txt")]
    outcomes = list(pipeline.store_documents(docs, store, Flaky()))
    assert [o.status for o in outcomes] == ["skipped", "ingested"]
    assert outcomes[0].unexpected and outcomes[0].reason == "unexpected error: KeyError: 'a bug in extraction'"
    assert store.skips() == [Skip("bad.txt", "extract", "unexpected error: KeyError: 'a bug in extraction'")]
    assert store.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 2  # the bad document is kept


def test_a_document_over_the_time_limit_is_a_skip(store: SQLiteStore) -> None:
    docs = [text_document("slow " + GOOD, "slow.txt"), text_document(GOOD, "good.txt")]
    outcomes = list(pipeline.store_documents(docs, store, Flaky(), time_limit=0.3))
    assert [o.status for o in outcomes] == ["skipped", "ingested"]
    assert outcomes[0].reason == "took longer than 0.3 s to extract"


def test_a_reader_that_fails_midway_keeps_what_it_read(store: SQLiteStore) -> None:
    def reader() -> "list[Document | Skip]":
        yield text_document(GOOD, "first.txt")  # type: ignore[misc]
        raise RuntimeError("the reader broke")

    outcomes = list(pipeline.store_documents(pipeline.guarded(reader()), store, Extractor()))  # type: ignore[arg-type]
    assert [o.status for o in outcomes] == ["ingested", "skipped"]
    assert outcomes[1].reason == "unexpected error: RuntimeError: the reader broke"


def test_a_document_stored_before_is_not_extracted_again(store: SQLiteStore) -> None:
    list(pipeline.store_documents([text_document(GOOD, "good.txt")], store, Extractor()))
    again = list(pipeline.store_documents([text_document(GOOD, "good.txt")], store, Flaky()))
    assert [o.status for o in again] == ["unchanged"]
    moved = list(pipeline.store_documents([text_document(GOOD, "elsewhere.txt")], store, Extractor()))
    assert [o.status for o in moved] == ["duplicate"]  # same text at a new location: one article, two locations


def test_text_that_is_not_valid_unicode_is_stored_as_a_skip_not_a_crash(store: SQLiteStore) -> None:
    class Refusing(Extractor):
        def __call__(self, document: Document) -> Article:
            raise ValueError("no")

    doc = text_document("bad \ud800 text " + GOOD, "bad-\udcff.txt")
    [outcome] = pipeline.store_documents([doc], store, Refusing())
    assert outcome.status == "skipped"
    assert len(store.skips()) == 1


def test_the_deadline_does_nothing_when_disabled() -> None:
    with deadline(0):
        time.sleep(0.01)
    with pytest.raises(DeadlineExceeded, match="took longer than 0.05 s"), deadline(0.05):
        time.sleep(1)
