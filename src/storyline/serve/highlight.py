"""Article text cut into paragraphs and marked segments, so templates can highlight spans with plain escaping.

No HTML is built here: a `Segment` is text plus the kinds of spans covering it, and the template wraps it in a
`<span class=...>` with Jinja's autoescape. Overlapping spans (an entity inside a quote inside a claim) become
segments that carry every covering kind.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Mark", "Paragraph", "Segment", "analysis_marks", "paragraphs", "search_snippet"]

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SNIPPET_HIT = re.compile(r"\[([^\[\]]+)\]")


@dataclass(frozen=True, slots=True)
class Mark:
    """A span to highlight: `text[start:end]`, drawn with CSS class `kind`, described by `label`."""

    start: int
    end: int
    kind: str  # entity | quote | claim | event | evidence
    label: str  # shown on hover, e.g. "PERSON · Nathan Lambert"


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text covered by the same marks."""

    text: str
    kinds: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    anchor: bool = False  # the first segment of the evidence span: the page scrolls here

    @property
    def classes(self) -> str:
        return " ".join(f"mk-{kind}" for kind in self.kinds)

    @property
    def title(self) -> str:
        return " · ".join(self.labels)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of the text: `start` is its offset in the text."""

    start: int
    segments: tuple[Segment, ...]


def paragraphs(text: str, marks: Iterable[Mark] = ()) -> list[Paragraph]:
    """Split `text` at blank lines and cut each paragraph into segments at every mark boundary."""
    clipped = sorted(
        (Mark(max(0, m.start), min(len(text), m.end), m.kind, m.label) for m in marks),
        key=lambda m: (m.start, -m.end),
    )
    clipped = [m for m in clipped if m.start < m.end]
    evidence_start = min((m.start for m in clipped if m.kind == "evidence"), default=None)
    result = []
    for start, end in _paragraph_spans(text):
        inside = [m for m in clipped if m.start < end and m.end > start]
        segments = _segments(text, start, end, inside, evidence_start)
        result.append(Paragraph(start, tuple(segments)))
    return result


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    for found in _PARAGRAPH_BREAK.finditer(text):
        if found.start() > position:
            spans.append((position, found.start()))
        position = found.end()
    if position < len(text):
        spans.append((position, len(text)))
    return spans


def _segments(text: str, start: int, end: int, marks: Sequence[Mark], evidence_start: int | None) -> list[Segment]:
    cuts = sorted({start, end, *(max(start, m.start) for m in marks), *(min(end, m.end) for m in marks)})
    segments = []
    anchored = False
    for left, right in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in marks if m.start <= left and m.end >= right]
        kinds = tuple(dict.fromkeys(m.kind for m in covering))
        labels = tuple(dict.fromkeys(m.label for m in covering if m.label))
        anchor = not anchored and evidence_start is not None and "evidence" in kinds
        anchored = anchored or anchor
        segments.append(Segment(text[left:right], kinds, labels, anchor))
    return segments


def analysis_marks(analysis: Mapping[str, Any] | None) -> list[Mark]:
    """Marks for the entities, quotes, claims and dated events of an analysis (as `to_dict` data)."""
    if not analysis:
        return []
    marks = [Mark(e["start"], e["end"], "entity", f"{e['label']} · {e['canonical']}") for e in analysis["entities"]]
    for quote in analysis["quotes"]:
        who = quote["speaker"] or "unattributed"
        marks.append(Mark(quote["start"], quote["end"], "quote", f"{quote['kind']} quote · {who}"))
    for claim in analysis["claims"]:
        holder = f" · held by {claim['holder']}" if claim["holder"] else ""
        marks.append(Mark(claim["start"], claim["end"], "claim", f"claim {claim['score']:.2f}{holder}"))
    marks += [Mark(e["start"], e["end"], "event", f"dated {e['date']}") for e in analysis["events"]]
    return marks


def search_snippet(snippet: str) -> list[Segment]:
    """An FTS5 snippet whose hits are marked with [ ] as segments (hits have kind "hit")."""
    segments, position = [], 0
    for found in _SNIPPET_HIT.finditer(snippet):
        if found.start() > position:
            segments.append(Segment(snippet[position : found.start()]))
        segments.append(Segment(found.group(1), ("hit",)))
        position = found.end()
    if position < len(snippet):
        segments.append(Segment(snippet[position:]))
    return segments
