"""Extraction in worker processes (`pipeline.store_in_parallel`) stores what one process stores, in the same order,
with the same outcomes and skips: bugs, time limits, reader skips, duplicates and a document given twice."""

from typing import Any

from conftest import text_document
from storyline import pipeline
from storyline.records import Document, Skip
from storyline.store import SQLiteStore
from test_pipeline_isolation import GOOD, Flaky

OTHER = "A bridge closes\n\nThe old bridge over the Wey closed on Friday for repairs, the county council said."


def _batch() -> "list[Document | Skip]":
    items: list[Document | Skip] = [
        text_document(GOOD, "good.txt"),
        text_document("poison " + GOOD, "bad.txt"),
        Skip("unreadable.bin", "ingest", "binary content"),
        text_document("slow " + GOOD, "slow.txt"),
        text_document(GOOD, "copy.txt"),  # the same text elsewhere: a duplicate
        text_document(OTHER, "other.txt"),
        text_document(OTHER, "other.txt"),  # the same document twice: unchanged the second time
        text_document("too short", "short.txt"),
    ]
    items += [text_document(f"{OTHER} Item {n} of the list.", f"item-{n}.txt") for n in range(20)]
    return items


def _state(store: SQLiteStore) -> dict[str, Any]:
    return {
        "articles": [tuple(r) for r in store.db.execute("SELECT id, record FROM articles ORDER BY rowid")],
        "locations": [tuple(r) for r in store.db.execute("SELECT * FROM locations ORDER BY rowid")],
        "documents": store.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0],
        "skips": store.skips(),
    }


def test_workers_store_what_one_process_stores(tmp_path: Any) -> None:
    with SQLiteStore(tmp_path / "one.db") as one, SQLiteStore(tmp_path / "two.db") as two:
        serial = list(pipeline.store_documents(_batch(), one, Flaky(), time_limit=3.0))
        parallel = list(pipeline.store_in_parallel(_batch(), two, Flaky(), time_limit=3.0, processes=2))
        assert [o.status for o in serial][:8] == [
            "ingested",
            "skipped",
            "skipped",
            "skipped",
            "duplicate",
            "ingested",
            "unchanged",
            "skipped",
        ]
        assert parallel == serial
        first, second = _state(one), _state(two)
    assert first["skips"] == second["skips"]
    assert first["articles"] == second["articles"]
    assert first["documents"] == second["documents"]
    assert len(first["locations"]) == len(second["locations"])


def test_a_rerun_in_workers_extracts_nothing_again(tmp_path: Any) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        list(pipeline.store_in_parallel(_batch(), store, Flaky(), time_limit=3.0, processes=2))
        again = list(pipeline.store_in_parallel(_batch(), store, Flaky(), time_limit=3.0, processes=2))
    statuses = {o.status for o in again}
    assert statuses <= {"unchanged", "skipped"}  # stored documents are not extracted; skipped ones are tried again
