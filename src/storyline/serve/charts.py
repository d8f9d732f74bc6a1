"""Geometry for the small SVG drawings on a story page: the sources' lineage, the timeline, coverage over time.

Functions here take view data (plain dicts) and return coordinates; the templates draw them as inline SVG with
escaped labels, so no script is needed to see them.
"""

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Bar", "Edge", "Graph", "Histogram", "Node", "Point", "Timeline", "coverage_histogram", "lineage_graph"]
__all__ += ["lineage_tree", "parse_day", "timeline_chart"]

_ISO_DAY = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_ROLE_ORDER = {"credited_upstream": 0, "original": 1, "independent": 2, "derivative": 3, "syndicated_copy": 4}
COLUMN_WIDTH, NODE_WIDTH, NODE_HEIGHT, ROW_GAP, PAD, MAX_ROWS = 196, 168, 30, 10, 8, 12
WIDE_NODE_HEIGHT = 40  # a box of the column layout: the outlet (or title) and, below it, the date
BAR_SLOT = 40  # widest bar slot of the coverage histogram
# The narrow (phone) lineage layout: one source a row, each indented under the source it derives from.
TREE_NODE_WIDTH, TREE_INDENT, TREE_GUTTER, TREE_MAX_ROWS = 290, 22, 14, 16


@dataclass(frozen=True, slots=True)
class Node:
    key: str  # article id, or "credit:N" for a credited upstream source
    label: str  # short text drawn in the box
    title: str  # full description shown on hover
    role: str  # original | independent | derivative | syndicated_copy | credited_upstream | more
    number: int | None  # the source number used by evidence markers
    href: str | None  # link target (the article page), None for sources that were not ingested
    x: int
    y: int
    when: str = ""  # the publication day as a second line ("19 Jun 2026"); empty when undated or in the label


@dataclass(frozen=True, slots=True)
class Edge:
    path: str  # SVG path data, parent to child
    kind: str  # copy (derived_from) | credit (the child credits the parent)


@dataclass(frozen=True, slots=True)
class Graph:
    width: int
    height: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    node_width: int = NODE_WIDTH
    node_height: int = NODE_HEIGHT


def lineage_graph(sources: Sequence[Mapping[str, Any]], numbers: Mapping[str, int]) -> Graph:
    """Lay the sources out in columns: credited upstream sources, then originals, then what derives from them.

    `sources` are brief `Source` dicts (article_id, outlet, title, role, derived_from, evidence); `numbers`
    maps article ids to the numbers their evidence markers show. Columns longer than MAX_ROWS are cut with a
    "+N more" box.
    """
    keys = _keys(sources)
    by_key = dict(zip(keys, sources, strict=True))
    parents = _parents(keys, by_key)
    base = 1 if any(k.startswith("credit:") for k in keys) else 0
    depth: dict[str, int] = {}
    for key in keys:
        _depth(key, parents, depth, base, set())
    for key in keys:  # a credited source stands in the column just before the first source that credits it
        below = [depth[child] for child, found in parents.items() if key in found and key.startswith("credit:")]
        if below:
            depth[key] = max(0, min(below) - 1)
    least = min(depth.values(), default=0)  # no empty first column
    depth = {key: value - least for key, value in depth.items()}
    columns: dict[int, list[str]] = {}
    for key in _ordered(keys, by_key, numbers):
        columns.setdefault(depth[key], []).append(key)
    nodes, placed = _place(columns, by_key, numbers)
    edges = [
        _edge(placed[parent], placed[child], "credit" if parent.startswith("credit:") else "copy")
        for child, found in parents.items()
        for parent in found
        if parent in placed and child in placed
    ]
    rows = max((min(len(c), MAX_ROWS) for c in columns.values()), default=0)
    width = PAD * 2 + (max(columns, default=0)) * COLUMN_WIDTH + NODE_WIDTH
    height = PAD * 2 + rows * (WIDE_NODE_HEIGHT + ROW_GAP) - ROW_GAP
    return Graph(width, max(height, WIDE_NODE_HEIGHT), tuple(nodes), tuple(edges), node_height=WIDE_NODE_HEIGHT)


def lineage_tree(sources: Sequence[Mapping[str, Any]], numbers: Mapping[str, int]) -> Graph:
    """The same lineage as `lineage_graph`, laid out for a narrow screen: one source a row, each row indented
    under its parent (the first source it derives from, else the credited source that names it), labelled with
    outlet and date. A source with a second parent gets one more edge, drawn in the right-hand gutter. Past
    TREE_MAX_ROWS rows the rest is one "+N more" row.
    """
    keys = _keys(sources)
    by_key = dict(zip(keys, sources, strict=True))
    parents = _parents(keys, by_key)
    tree_parent = {key: _tree_parent(found) for key, found in parents.items()}
    children: dict[str | None, list[str]] = {}
    order = _ordered(keys, by_key, numbers)
    for key in order:
        children.setdefault(tree_parent[key], []).append(key)
    rows: list[tuple[str, int]] = []
    seen: set[str] = set()

    def visit(key: str, depth: int) -> None:
        if key in seen:
            return
        seen.add(key)
        rows.append((key, depth))
        for child in children.get(key, ()):
            visit(child, depth + 1)

    for key in children.get(None, ()):
        visit(key, 0)
    for key in order:  # a cycle of derivations has no root: start it where the order does
        visit(key, 0)
    shown = rows if len(rows) <= TREE_MAX_ROWS else rows[: TREE_MAX_ROWS - 1]
    step = NODE_HEIGHT + ROW_GAP
    nodes, placed = [], {}
    for row, (key, depth) in enumerate(shown):
        node = _node(key, by_key[key], numbers.get(key), PAD + depth * TREE_INDENT, PAD + row * step, dated=True)
        nodes.append(node)
        placed[key] = node
    if len(shown) < len(rows):
        hidden = len(rows) - len(shown)
        nodes.append(
            Node("more", f"+{hidden} more", f"{hidden} more sources", "more", None, None, PAD, PAD + len(shown) * step)
        )
    right = PAD + max((depth for _, depth in shown), default=0) * TREE_INDENT + TREE_NODE_WIDTH
    edges = []
    for child, found in parents.items():
        for parent in found:
            if parent not in placed or child not in placed:
                continue
            kind = "credit" if parent.startswith("credit:") else "copy"
            if parent == tree_parent[child]:
                edges.append(_tree_edge(placed[parent], placed[child], kind))
            else:
                edges.append(_gutter_edge(placed[parent], placed[child], right, kind))
    height = PAD * 2 + len(nodes) * step - ROW_GAP
    return Graph(right + TREE_GUTTER + PAD, max(height, NODE_HEIGHT), tuple(nodes), tuple(edges), TREE_NODE_WIDTH)


def _tree_parent(parents: Sequence[str]) -> str | None:
    """The parent a source is drawn under: the first it derives from, else the first credit naming it."""
    return next((p for p in parents if not p.startswith("credit:")), parents[0] if parents else None)


def _tree_edge(parent: Node, child: Node, kind: str) -> Edge:
    x = parent.x + 11
    y = child.y + NODE_HEIGHT // 2
    return Edge(f"M{x},{parent.y + NODE_HEIGHT} V{y} H{child.x}", kind)


def _gutter_edge(parent: Node, child: Node, right: int, kind: str) -> Edge:
    x = right + TREE_GUTTER - 4
    y1, y2 = parent.y + NODE_HEIGHT // 2, child.y + NODE_HEIGHT // 2
    return Edge(f"M{parent.x + TREE_NODE_WIDTH},{y1} H{x} V{y2} H{child.x + TREE_NODE_WIDTH}", kind)


def _ordered(keys: Sequence[str], by_key: Mapping[str, Mapping[str, Any]], numbers: Mapping[str, int]) -> list[str]:
    """The sources in drawing order: by role (credits, originals, independents, derivatives, copies), then by
    their evidence number, unnumbered last."""
    return sorted(keys, key=lambda k: (_ROLE_ORDER.get(by_key[k]["role"], 9), numbers.get(k, 1 << 30), k))


def _keys(sources: Sequence[Mapping[str, Any]]) -> list[str]:
    """One key per source: its article id; `credit:i` for a credited upstream source; `copy:i` for another
    outlet's run of an article already listed (a syndicated copy shares the article id of its text)."""
    keys: list[str] = []
    for index, source in enumerate(sources):
        article_id = source["article_id"]
        if not article_id:
            keys.append(f"credit:{index}")
        else:
            keys.append(article_id if article_id not in keys else f"copy:{index}")
    return keys


def _parents(keys: Sequence[str], by_key: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    parents: dict[str, list[str]] = {key: [] for key in keys}
    for key in keys:
        for parent in by_key[key].get("derived_from") or ():
            if parent in by_key and parent != key and parent not in parents[key]:
                parents[key].append(parent)
        if key.startswith("credit:"):
            for evidence in by_key[key].get("evidence") or ():
                child = evidence["article_id"]
                if child in parents and key not in parents[child]:
                    parents[child].append(key)
    return parents


def _depth(key: str, parents: Mapping[str, list[str]], depth: dict[str, int], base: int, seen: set[str]) -> int:
    if key in depth:
        return depth[key]
    if key.startswith("credit:"):
        depth[key] = 0
        return 0
    seen.add(key)
    above = [_depth(p, parents, depth, base, seen) + 1 for p in parents[key] if p not in seen]
    depth[key] = max([base, *above])
    return depth[key]


def _place(
    columns: Mapping[int, list[str]], by_key: Mapping[str, Mapping[str, Any]], numbers: Mapping[str, int]
) -> tuple[list[Node], dict[str, Node]]:
    nodes: list[Node] = []
    placed: dict[str, Node] = {}
    for column, keys in sorted(columns.items()):
        x = PAD + column * COLUMN_WIDTH
        shown = keys if len(keys) <= MAX_ROWS else keys[: MAX_ROWS - 1]
        for row, key in enumerate(shown):
            node = _node(key, by_key[key], numbers.get(key), x, PAD + row * (WIDE_NODE_HEIGHT + ROW_GAP))
            nodes.append(node)
            placed[key] = node
        if len(shown) < len(keys):
            hidden = len(keys) - len(shown)
            y = PAD + len(shown) * (WIDE_NODE_HEIGHT + ROW_GAP)
            nodes.append(Node(f"more:{column}", f"+{hidden} more", f"{hidden} more sources", "more", None, None, x, y))
    return nodes, placed


def _node(key: str, source: Mapping[str, Any], number: int | None, x: int, y: int, dated: bool = False) -> Node:
    outlet = source.get("outlet") or ""
    title = source.get("title") or ""
    label = outlet or title or key.removeprefix("credit:")
    role = source.get("role") or "independent"
    day = parse_day(source.get("published"))
    when = f"{day.day} {day:%b %Y}" if day else ""
    description = " — ".join(p for p in (outlet, title, role.replace("_", " "), when) if p)
    article_id = source.get("article_id")
    href = f"/articles/{article_id}" if article_id else None
    if dated:
        short = f"{day.day} {day:%b}" if day else ""
        label = " · ".join(p for p in (_shorten(label, 35 - len(short) - (3 if short else 0)), short) if p)
        return Node(key, label, description, role, number, href, x, y)
    return Node(key, _shorten(label, 17 if number else 20), description, role, number, href, x, y, when)


def _edge(parent: Node, child: Node, kind: str) -> Edge:
    x1, y1 = parent.x + NODE_WIDTH, parent.y + WIDE_NODE_HEIGHT // 2
    x2, y2 = child.x, child.y + WIDE_NODE_HEIGHT // 2
    middle = (x1 + x2) / 2
    return Edge(f"M{x1},{y1} C{middle:.0f},{y1} {middle:.0f},{y2} {x2},{y2}", kind)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- time ---------------------------------------------------------------------------------------------------


def parse_day(value: str | None) -> dt.date | None:
    """The first day of an ISO date, month or year ("2026-06-19", "2026-06", "1983", datetimes), else None."""
    found = _ISO_DAY.match(value or "")
    if not found:
        return None
    year, month, day = int(found.group(1)), int(found.group(2) or 1), int(found.group(3) or 1)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    number: int  # the item's number in the list under the chart
    label: str  # the date as written
    title: str  # the item's text


@dataclass(frozen=True, slots=True)
class Timeline:
    width: int
    height: int
    axis_y: int
    points: tuple[Point, ...]
    ticks: tuple[tuple[float, str], ...]  # (x, label)


def timeline_chart(items: Sequence[Mapping[str, Any]], width: int = 640) -> Timeline | None:
    """Dated brief items placed on a time axis (positions proportional to time); None with under two dates."""
    dated = [(day, n, item) for n, item in enumerate(items, 1) if (day := parse_day(item.get("date")))]
    if len(dated) < 2:
        return None
    first, last = min(d for d, _, _ in dated), max(d for d, _, _ in dated)
    span = max((last - first).days, 1)
    left, right = 24, width - 24
    placed: list[tuple[float, int, int, Mapping[str, Any]]] = []
    lanes: list[float] = []
    for day, number, item in sorted(dated, key=lambda t: (t[0], t[1])):
        x = left + (right - left) * (day - first).days / span
        lane = next((i for i, end in enumerate(lanes) if x - end >= 22), None)
        if lane is None and len(lanes) < 4:
            lanes.append(x)
        lane = len(lanes) - 1 if lane is None else lane
        lanes[lane] = x
        placed.append((x, lane, number, item))
    axis_y = 16 + 20 * max(lane for _, lane, _, _ in placed)
    points = tuple(
        Point(round(x, 1), axis_y - 20 * lane, number, str(item["date"]), _shorten(item["text"], 140))
        for x, lane, number, item in placed
    )
    return Timeline(width, axis_y + 28, axis_y, points, _ticks(first, last, left, right))


def _ticks(first: dt.date, last: dt.date, left: float, right: float) -> tuple[tuple[float, str], ...]:
    span = max((last - first).days, 1)

    def at(day: dt.date) -> float:
        return round(left + (right - left) * (day - first).days / span, 1)

    fmt = "%Y" if span > 3 * 365 else "%b %Y" if span > 90 else "%d %b"
    labels = [(at(first), first.strftime(fmt)), (at(last), last.strftime(fmt))]
    if span > 30:
        middle = first + (last - first) / 2
        labels.insert(1, (at(middle), middle.strftime(fmt)))
    return tuple(labels)


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str  # the bin's first day


@dataclass(frozen=True, slots=True)
class Histogram:
    width: int
    height: int
    bars: tuple[Bar, ...]
    first: str
    last: str
    unit: str  # "day" | "N days"
    bars_width: int  # where the last bar ends


def coverage_histogram(dates: Sequence[str | None], width: int = 640, max_bins: int = 30) -> Histogram | None:
    """Articles per day (or per N days on long stories) as bars; None when fewer than two articles are dated."""
    days = sorted(d for d in map(parse_day, dates) if d)
    if len(days) < 2:
        return None
    span = (days[-1] - days[0]).days + 1
    size = max(1, math.ceil(span / max_bins))
    counts = [0] * math.ceil(span / size)
    for day in days:
        counts[(day - days[0]).days // size] += 1
    top, height = max(counts), 64
    slot = min(width / len(counts), BAR_SLOT)
    width = max(round(slot * len(counts)), 260)  # room for the two date labels under few bars
    bars = tuple(
        Bar(
            round(i * slot + 1, 1),
            round(height - height * c / top, 1),
            round(max(slot - 2, 1), 1),
            round(height * c / top, 1),
            c,
            (days[0] + dt.timedelta(days=i * size)).isoformat(),
        )
        for i, c in enumerate(counts)
    )
    unit = "day" if size == 1 else f"{size} days"
    return Histogram(width, height, bars, days[0].isoformat(), days[-1].isoformat(), unit, round(slot * len(counts)))
