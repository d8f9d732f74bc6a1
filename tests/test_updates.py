"""Brief versions, what changed between them, and the digest of a time window."""

import datetime as dt

import click
import pytest

from storyline.cli import since_time
from storyline.records import Brief, BriefItem, Conflict, ConflictValue, Coverage, Evidence, Source
from storyline.store import SQLiteStore
from storyline.updates import brief_changes, changes_lines, changes_since, digest, render_digest

E = Evidence("a1", 0, 5)


def item(text: str, date: str | None = None) -> BriefItem:
    return BriefItem(text, (E,), date=date)


def brief(
    story_id: str,
    headline: str = "Council approves bridge",
    sources: tuple[str, ...] = ("Wire",),
    points: tuple[str, ...] = ("The council voted 7 to 2.",),
    conflicts: tuple[tuple[str, str, str], ...] = (),
    events: tuple[tuple[str, str], ...] = (),
    topics: tuple[str, ...] = ("bridge",),
) -> Brief:
    found = tuple(
        Source("a1", outlet, "t", (), "2026-06-01", f"https://{outlet}.example/", "original") for outlet in sources
    )
    disputes = tuple(
        Conflict(subject, (ConflictValue(a, (E,)), ConflictValue(b, (E,))), "number") for subject, a, b in conflicts
    )
    coverage = Coverage(len(sources), sources, ("en",), None, None, 0.0, 0.0, "n/a")
    return Brief(
        story_id, item(headline), (item("The council approved the bridge."),), tuple(map(item, points)), (), (), (),
        tuple(item(text, date) for date, text in events), (), (), topics, (), found, disputes, coverage, "test",
    )  # fmt: skip


def test_every_distinct_brief_is_kept_as_a_version(store: SQLiteStore) -> None:
    store.put_brief(brief("s1"), [], "t1")
    store.put_brief(brief("s1"), [], "t1")  # the same brief again: no new version
    store.put_brief(brief("s1", sources=("Wire", "Paper")), [], "t2")
    assert [v for v, _ in store.brief_versions("s1")] == [1, 2]
    assert store.get_brief_version("s1", 1) == brief("s1")
    assert store.get_brief("s1") == (brief("s1", sources=("Wire", "Paper")), [])


def test_changes_name_new_sources_points_conflicts_and_events() -> None:
    old = brief("s1", conflicts=(("death toll", "12", "14"),), events=(("2026-06-01", "The vote."),))
    new = brief(
        "s1",
        sources=("Wire", "Paper"),
        points=("The council voted 7 to 2.", "Work starts in May."),
        conflicts=(("cost", "$40m", "$45m"),),
        events=(("2026-06-01", "The vote."), ("2026-06-03", "An appeal was filed.")),
    )
    changes = brief_changes(old, new, 1, 2)
    assert [s.outlet for s in changes.new_sources] == ["Paper"]
    assert [i.text for i in changes.new_key_points] == ["Work starts in May."]
    assert [c.subject for c in changes.new_conflicts] == ["cost"]
    assert [c.subject for c in changes.resolved_conflicts] == ["death toll"]
    assert [i.text for i in changes.new_timeline] == ["An appeal was filed."]
    assert changes.size == 5
    assert changes_lines(changes) == [
        "new source: Paper (2026-06-01)",
        "new key point: Work starts in May.",
        "new conflict: cost ($40m / $45m)",
        "resolved conflict: death toll",
        "new event: 2026-06-03: An appeal was filed.",
    ]
    assert changes_lines(brief_changes(new, new, 2, 2)) == ["no change"]
    assert changes_lines(brief_changes(None, new, None, 1)) == [
        "new story: 2 sources, 2 key points, 1 conflict, 2 dated events"
    ]


def test_changes_since_a_version_or_a_time(store: SQLiteStore) -> None:
    store.put_brief(brief("s1"), [], "t1")
    store.put_brief(brief("s1", sources=("Wire", "Paper")), [], "t2")
    store.put_brief(brief("s1", sources=("Wire", "Paper", "Blog")), [], "t3")
    latest = changes_since(store, "s1")
    assert latest is not None and (latest.since_version, [s.outlet for s in latest.new_sources]) == (2, ["Blog"])
    from_first = changes_since(store, "s1", "1")
    assert from_first is not None and [s.outlet for s in from_first.new_sources] == ["Paper", "Blog"]
    before_all = changes_since(store, "s1", "2000-01-01T00:00:00+00:00")
    assert before_all is not None and before_all.since_version is None  # nothing before: all of it is new
    assert changes_since(store, "nope") is None


def test_the_digest_lists_new_and_updated_stories_most_changed_first(store: SQLiteStore) -> None:
    store.put_brief(brief("old"), [], "t1")
    store.db.execute("UPDATE brief_versions SET generated_at = '2026-01-01T00:00:00+00:00'")
    start = "2026-06-01T00:00:00+00:00"
    store.put_brief(brief("old", sources=("Wire", "Paper")), [], "t2")  # updated in the window
    store.put_brief(brief("new", "Tram line opens", sources=("A", "B", "C"), topics=("tram",)), [], "t1")
    entries = digest(store, start)
    assert [(e.brief.id, e.is_new) for e in entries] == [("new", True), ("old", False)]
    assert [s.outlet for s in entries[1].changes.new_sources] == ["Paper"]
    assert [e.brief.id for e in digest(store, start, topic="TRAM")] == ["new"]
    text = render_digest(entries, start, "md")
    assert "## New: Tram line opens" in text and "## Updated: Council approves bridge" in text
    assert "- new source: Paper (2026-06-01)" in text and "3 sources · 3 outlets · 0 conflicts" in text
    assert "Nothing new in this window." in render_digest([], start, "md")
    assert '"story_id": "new"' in render_digest(entries, start, "json")
    assert "<h2>New: Tram line opens</h2>" in render_digest(entries, start, "html")


def test_since_accepts_durations_iso_times_and_versions() -> None:
    now = dt.datetime(2026, 6, 2, 12, 0, tzinfo=dt.UTC)
    assert since_time("24h", now) == "2026-06-01T12:00:00+00:00"
    assert since_time("7d", now) == "2026-05-26T12:00:00+00:00"
    assert since_time("2026-06-01", now) == "2026-06-01T00:00:00+00:00"
    assert since_time("2026-06-01T14:00:00+02:00", now) == "2026-06-01T12:00:00+00:00"
    assert since_time("3", now) == "3"
    with pytest.raises(click.BadParameter):
        since_time("yesterday", now)
