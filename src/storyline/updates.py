"""What changed: between two versions of a story's brief (`brief_changes`), and across the store in a time window
(`digest`), with their renderings (text, Markdown, HTML, JSON).

Every distinct brief a story had is a stored version (`Store.brief_versions`). Two versions differ by:
- new sources: a (article id, outlet, URL) not in the older version (a new article, or another outlet running a
  text already there);
- new key points: a key point whose text the older version did not have;
- new and resolved conflicts: a conflict (subject and set of values) only in the newer, or only in the older;
- new timeline events: a (date, text) only in the newer.

The digest lists the stories whose brief changed in the window: new ones (no version before the window) and
updated ones (compared with the last version before it), ranked by how much changed plus how many distinct
outlets cover the story, each with its headline, summary, changes, conflict count and source count.
"""

import datetime as dt
import html
import json
from collections.abc import Iterable
from dataclasses import dataclass

from storyline.records import Brief, BriefItem, Conflict, Source, to_dict
from storyline.render.citations import plural
from storyline.store import Store

__all__ = [
    "BriefChanges",
    "DigestEntry",
    "brief_changes",
    "changes_lines",
    "changes_since",
    "digest",
    "recent_updates",
    "render_digest",
    "since_time",
]


@dataclass(frozen=True, slots=True)
class BriefChanges:
    story_id: str
    since_version: int | None  # the older version compared (None: the story is new)
    version: int  # the newer version
    new_sources: tuple[Source, ...] = ()
    new_key_points: tuple[BriefItem, ...] = ()
    new_conflicts: tuple[Conflict, ...] = ()
    resolved_conflicts: tuple[Conflict, ...] = ()
    new_timeline: tuple[BriefItem, ...] = ()

    @property
    def size(self) -> int:
        """How much changed: the number of changed items."""
        parts = (self.new_sources, self.new_key_points, self.new_conflicts, self.resolved_conflicts)
        return sum(map(len, parts)) + len(self.new_timeline)


def _text(item: BriefItem) -> str:
    return " ".join(item.text.split()).casefold()


def _conflict_key(conflict: Conflict) -> tuple[str, frozenset[str]]:
    return conflict.subject.casefold(), frozenset(v.value.casefold() for v in conflict.values)


def brief_changes(old: Brief | None, new: Brief, since_version: int | None, version: int) -> BriefChanges:
    """What `new` has that `old` did not (everything, when `old` is None), and the conflicts it no longer has."""
    if old is None:
        return BriefChanges(new.id, None, version, new.sources, new.key_points, new.conflicts, (), new.timeline)
    sources = {(s.article_id, s.outlet, s.url) for s in old.sources}
    points = {_text(i) for i in old.key_points}
    conflicts = {_conflict_key(c) for c in old.conflicts}
    now = {_conflict_key(c) for c in new.conflicts}
    events = {(i.date, _text(i)) for i in old.timeline}
    return BriefChanges(
        new.id,
        since_version,
        version,
        tuple(s for s in new.sources if (s.article_id, s.outlet, s.url) not in sources),
        tuple(i for i in new.key_points if _text(i) not in points),
        tuple(c for c in new.conflicts if _conflict_key(c) not in conflicts),
        tuple(c for c in old.conflicts if _conflict_key(c) not in now),
        tuple(i for i in new.timeline if (i.date, _text(i)) not in events),
    )


def changes_lines(changes: BriefChanges) -> list[str]:
    """The changes as plain lines ("new source: Wire (2026-03-02)", ...); ["no change"] when nothing changed; one
    line of counts for a new story (everything in it is new)."""
    if changes.since_version is None:
        counts = [
            plural(len(changes.new_sources), "source"),
            plural(len(changes.new_key_points), "key point"),
            plural(len(changes.new_conflicts), "conflict"),
            plural(len(changes.new_timeline), "dated event"),
        ]
        return ["new story: " + ", ".join(counts)]
    lines = [
        f"new source: {s.outlet or s.title or s.article_id} ({(s.published or 'undated')[:10]})"
        for s in changes.new_sources
    ]
    lines += [f"new key point: {' '.join(i.text.split())}" for i in changes.new_key_points]
    lines += [f"new conflict: {c.subject} ({' / '.join(v.value for v in c.values)})" for c in changes.new_conflicts]
    lines += [f"resolved conflict: {c.subject}" for c in changes.resolved_conflicts]
    lines += [f"new event: {i.date or 'undated'}: {' '.join(i.text.split())}" for i in changes.new_timeline]
    return lines or ["no change"]


def since_time(value: str | None, now: dt.datetime | None = None) -> str | None:
    """A "since" as the store compares it: a version number stays as it is; "24h", "7d", "90m", "2w" become the
    ISO time that long ago; an ISO date or time is normalised to UTC. Raises ValueError otherwise."""
    if value is None or value.isdigit():
        return value
    now = now or dt.datetime.now(dt.UTC)
    units = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
    if len(value) > 1 and value[:-1].isdigit() and value[-1] in units:
        return (now - dt.timedelta(**{units[value[-1]]: int(value[:-1])})).isoformat(timespec="seconds")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"{value!r}: give 24h, 7d, 90m, an ISO date or time, or a version number") from error
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def changes_since(store: Store, story_id: str, since: str | None = None) -> BriefChanges | None:
    """The changes of a story's brief since `since`: a version number, an ISO time (the last version written
    before it), or None (the version before the latest). None when the story has no stored brief."""
    found = _compared(store, story_id, since)
    return found[0] if found else None


def _compared(store: Store, story_id: str, since: str | None) -> tuple[BriefChanges, Brief] | None:
    """`changes_since` with the latest brief it compared."""
    versions = store.brief_versions(story_id)
    if not versions:
        return None
    latest = versions[-1][0]
    if since is None:
        older = latest - 1 if latest > 1 else None
    elif since.isdigit():
        older = int(since) if 1 <= int(since) <= latest else None
    else:
        before = [v for v, at in versions if at < since]
        older = before[-1] if before else None
    new = store.get_brief_version(story_id, latest)
    assert new is not None  # listed just above
    old = store.get_brief_version(story_id, older) if older is not None else None
    return brief_changes(old, new, older, latest), new


@dataclass(frozen=True, slots=True)
class DigestEntry:
    brief: Brief
    changes: BriefChanges
    is_new: bool

    @property
    def score(self) -> int:
        return self.changes.size + len(self.brief.coverage.outlets)


def digest(store: Store, since: str, topic: str | None = None) -> list[DigestEntry]:
    """Stories whose brief changed at or after `since` (an ISO time), most changed and most covered first;
    `topic` keeps those whose topics, tags or headline mention it."""
    entries = []
    for story_id in store.briefs_changed_since(since):
        found = _compared(store, story_id, since)
        if found is None or (topic and not _mentions(found[1], topic)):
            continue
        changes, brief = found
        entries.append(DigestEntry(brief, changes, changes.since_version is None))  # no version before: new
    return sorted(entries, key=lambda e: (-e.score, e.brief.id))


def recent_updates(store: Store, limit: int = 50) -> list[tuple[BriefChanges, Brief, str]]:
    """The most recent brief versions that changed something, newest first: (changes against the version before,
    that version's brief, when it was written)."""
    out = []
    for story_id, version, at in store.recent_brief_versions(limit):
        brief = store.get_brief_version(story_id, version)
        if brief is None:
            continue
        previous = store.get_brief_version(story_id, version - 1) if version > 1 else None
        changes = brief_changes(previous, brief, version - 1 if previous else None, version)
        if changes.size:
            out.append((changes, brief, at))
    return out


def _mentions(brief: Brief, topic: str) -> bool:
    wanted = topic.casefold()
    return any(wanted in t.casefold() for t in (*brief.topics, *brief.tags, brief.headline.text))


def _summary(brief: Brief, items: int = 2) -> str:
    return " ".join(" ".join(i.text.split()) for i in brief.summary[:items])


def _counts(brief: Brief) -> str:
    sources = sum(1 for s in brief.sources if s.role != "credited_upstream")
    named = len(brief.coverage.outlets)
    return f"{plural(sources, 'source')} · {plural(named, 'outlet')} · {plural(len(brief.conflicts), 'conflict')}"


def render_digest(entries: Iterable[DigestEntry], since: str, format: str = "md") -> str:
    """The digest as md | text | html | json."""
    entries = list(entries)
    if format == "json":
        return "".join(
            json.dumps(
                {
                    "story_id": e.brief.id,
                    "new": e.is_new,
                    "headline": e.brief.headline.text,
                    "summary": _summary(e.brief),
                    "changes": changes_lines(e.changes),
                    "changed_items": e.changes.size,
                    "conflicts": len(e.brief.conflicts),
                    "outlets": len(e.brief.coverage.outlets),
                    "sources": [to_dict(s) for s in e.changes.new_sources],
                },
                ensure_ascii=False,
            )
            + "\n"
            for e in entries
        )
    if format == "html":
        body = [f"<h1>Digest since {html.escape(since)}</h1>"]
        for e in entries:
            label = "New" if e.is_new else "Updated"
            headline, summary = html.escape(e.brief.headline.text), html.escape(_summary(e.brief))
            body.append(f"<article><h2>{label}: {headline}</h2><p>{summary}</p>")
            body.append(f"<p>{html.escape(_counts(e.brief))}</p><ul>")
            body += [f"<li>{html.escape(line)}</li>" for line in changes_lines(e.changes)]
            body.append("</ul></article>")
        if not entries:
            body.append("<p>Nothing new in this window.</p>")
        return (
            '<!doctype html><html><head><meta charset="utf-8"><title>storyline digest</title></head><body>'
            + "".join(body)
            + "</body></html>\n"
        )
    lines = [f"# Digest since {since}" if format == "md" else f"Digest since {since}", ""]
    for e in entries:
        label = "New" if e.is_new else "Updated"
        head = f"## {label}: {e.brief.headline.text}" if format == "md" else f"{label}: {e.brief.headline.text}"
        lines += [head, "", _summary(e.brief), ""]
        lines.append(f"{_counts(e.brief)} · story {e.brief.id}")
        lines += [f"- {line}" for line in changes_lines(e.changes)]
        lines.append("")
    if not entries:
        lines.append("Nothing new in this window.")
    return "\n".join(lines) + "\n"
