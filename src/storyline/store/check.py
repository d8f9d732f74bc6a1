"""The invariants `storyline check --store` proves about a store, each failure a readable line.

1. Every analysed article is in exactly one story, or has a recorded cluster skip.
2. Every story has at least one member; its member count, its record's members and the article -> story
   table agree; every member exists; its status is active or dormant and the record says the same.
3. Every story has a brief whose id is the story's; a brief older than its story is counted as stale (it is
   marked: `stale_briefs` finds it), a missing one is a failure; no brief without a story.
4. The clustering state agrees with the tables: the same article -> story assignments, its active stories
   are the active rows and its dormant stories the dormant rows (given as a `ClusterView` by the caller, since
   the store does not read the clustering stage's format).
5. No dangling ids: analyses, locations and story links name existing rows; `follows` / `followed_by` name
   existing stories.
6. The full-text index matches the articles table; the backend's own checks pass (SQLite: integrity and
   foreign keys; Postgres: every article has its search vector).

The rows come from `Store.contents()`, so the same checks run on both backends.
"""

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from storyline.store.protocol import Store, StoreContents, StoryRow

__all__ = ["ClusterView", "StoreReport", "check_store"]

SAMPLE = 5  # ids shown per failure


@dataclass(frozen=True, slots=True)
class ClusterView:
    """What the clustering state says: article -> story, and its active and dormant story ids."""

    assigned: dict[str, str]
    active: frozenset[str]
    dormant: frozenset[str]


@dataclass(frozen=True, slots=True)
class StoreReport:
    counts: dict[str, int]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, object]:
        return {"ok": self.ok, "counts": self.counts, "problems": self.problems}

    def lines(self) -> list[str]:
        counts = " · ".join(f"{name.replace('_', ' ')} {value}" for name, value in self.counts.items())
        head = "store check passed" if self.ok else f"store check FAILED: {len(self.problems)} problem(s)"
        return [head, counts, *(f"  - {p}" for p in self.problems)]


def _some(ids: Collection[str]) -> str:
    shown = sorted(ids)[:SAMPLE]
    return ", ".join(shown) + (f" and {len(ids) - SAMPLE} more" if len(ids) > SAMPLE else "")


def check_store(store: Store, view: ClusterView | None) -> StoreReport:
    """Check every invariant above; `view` None means no clustering state was saved."""
    rows = store.contents()
    stories, links, articles = rows.stories, rows.links, rows.articles
    problems: list[str] = []
    problems += _check_membership(articles, rows.analysed, links, stories, rows.cluster_skips)
    problems += _check_stories(stories, links)
    stale = set(store.stale_briefs())
    problems += _check_briefs(rows.briefs, stories)
    if view is not None:
        problems += _check_view(view, links, stories)
    elif links:
        problems.append(f"{len(links)} article(s) are in stories but no clustering state was saved")
    problems += _check_dangling(rows)
    problems += store.integrity_problems(len(articles))
    status = Counter(s for _, _, s in stories.values())
    counts = {
        "articles": len(articles),
        "analysed": len(rows.analysed),
        "in_stories": len(links),
        "stories": len(stories),
        "active": status["active"],
        "dormant": status["dormant"],
        "briefs": len(rows.briefs),
        "stale_briefs": len(stale & set(stories) & set(rows.briefs)),
        "skips": rows.skips,
    }
    return StoreReport(counts, problems)


def _check_membership(
    articles: set[str], analysed: set[str], links: dict[str, str], stories: dict[str, StoryRow], skips: set[str]
) -> list[str]:
    problems = []
    outside = analysed - set(links) - skips
    if outside:
        problems.append(
            f"{len(outside)} analysed article(s) are in no story and have no recorded reason: {_some(outside)}"
        )
    missing_story = {a for a, s in links.items() if s not in stories}
    if missing_story:
        problems.append(
            f"{len(missing_story)} article(s) are linked to stories that do not exist: {_some(missing_story)}"
        )
    unknown = set(links) - articles
    if unknown:
        problems.append(f"{len(unknown)} story member(s) are not stored articles: {_some(unknown)}")
    return problems


def _check_stories(stories: dict[str, StoryRow], links: dict[str, str]) -> list[str]:
    problems = []
    by_story: dict[str, set[str]] = {}
    for article_id, story_id in links.items():
        by_story.setdefault(story_id, set()).add(article_id)
    seen: dict[str, str] = {}
    for story_id, (record, count, status) in sorted(stories.items()):
        members = [m["article_id"] for m in record.get("members", [])]
        if not members:
            problems.append(f"story {story_id} has no members")
        if count != len(members):
            problems.append(f"story {story_id}: article_count {count} but {len(members)} members in its record")
        if set(members) != by_story.get(story_id, set()) or len(set(members)) != len(members):
            problems.append(f"story {story_id}: its record's members and the article -> story table disagree")
        for member in members:
            if member in seen and seen[member] != story_id:
                problems.append(f"article {member} is a member of both {seen[member]} and {story_id}")
            seen[member] = story_id
        if status not in ("active", "dormant") or record.get("status", "active") != status:
            problems.append(f"story {story_id}: status {status!r} but its record says {record.get('status')!r}")
        for key in ("follows", "followed_by"):
            for other in record.get(key, []):
                if other not in stories:
                    problems.append(f"story {story_id}: {key} names {other}, which does not exist")
    return problems


def _check_briefs(briefs: dict[str, str | None], stories: dict[str, StoryRow]) -> list[str]:
    problems = []
    missing = set(stories) - set(briefs)
    if missing:
        problems.append(f"{len(missing)} story(ies) have no brief: {_some(missing)}")
    orphans = set(briefs) - set(stories)
    if orphans:
        problems.append(f"{len(orphans)} brief(s) belong to no story: {_some(orphans)}")
    wrong = {s for s, brief_id in briefs.items() if brief_id != s}
    if wrong:
        problems.append(f"{len(wrong)} brief(s) carry another story's id: {_some(wrong)}")
    return problems


def _check_view(view: ClusterView, links: dict[str, str], stories: dict[str, StoryRow]) -> list[str]:
    problems = []
    if view.assigned != links:
        only_state = set(view.assigned) - set(links)
        only_table = set(links) - set(view.assigned)
        moved = {a for a in set(links) & set(view.assigned) if links[a] != view.assigned[a]}
        problems.append(
            f"the clustering state and the article -> story table disagree: {len(only_state)} only in the state"
            f" ({_some(only_state)}), {len(only_table)} only in the table, {len(moved)} in different stories"
        )
    active = {s for s, (_, _, status) in stories.items() if status == "active"}
    dormant = {s for s, (_, _, status) in stories.items() if status == "dormant"}
    if view.active != active:
        problems.append(f"active stories differ between the state and the table: {_some(view.active ^ active)}")
    if view.dormant != dormant:
        problems.append(f"dormant stories differ between the state and the table: {_some(view.dormant ^ dormant)}")
    return problems


def _check_dangling(rows: StoreContents) -> list[str]:
    problems = []
    for table, named in (("analyses", rows.analysed), ("locations", rows.located)):
        dangling = named - rows.articles
        if dangling:
            problems.append(f"{len(dangling)} {table} row(s) name missing articles: {_some(dangling)}")
    unlocated = rows.articles - rows.located
    if unlocated:
        problems.append(f"{len(unlocated)} article(s) have no location: {_some(unlocated)}")
    return problems
