"""Who wrote it first, as the renderers show it: for each copy and rewrite in a brief's sources, what it derives
from, how sure that is and why, and the sentences with facts its origin does not state ("adds")."""

from dataclasses import dataclass

from storyline.names import short_title
from storyline.records import Brief, Evidence, Source

__all__ = ["SHOWN_ADDED", "LineageLine", "lineage_lines"]

_KIND = {"derivative": "rewrite of", "syndicated_copy": "copy of"}
SHOWN_ADDED = 3  # a rewrite in its own words adds nearly every sentence: the rest is counted, not listed


@dataclass(frozen=True, slots=True)
class LineageLine:
    source: str  # the copying or rewriting outlet (its title when unnamed)
    relation: str  # "rewrite of Harbour Times", "copy of Wire", "rewrite crediting a source not ingested"
    basis: str  # the evidence in words, with the confidence: "credits Wire; 3 of 4 sentences ... (confidence 0.95)"
    published: str | None
    added: tuple[Evidence, ...]  # its first `SHOWN_ADDED` sentences with facts its origin does not state
    more: int = 0  # how many more such sentences the brief's JSON lists


def lineage_lines(brief: Brief) -> list[LineageLine]:
    """One line per copy or rewrite, in the order of the sources."""
    names = {}
    for source in brief.sources:
        if source.article_id and source.article_id not in names:
            names[source.article_id] = _name(source)
    lines = []
    for source in brief.sources:
        kind = _KIND.get(source.role)
        if kind is None:
            continue
        origin = next((names[i] for i in source.derived_from if i in names), None)
        relation = f"{kind} {origin}" if origin else f"{kind.split()[0]} crediting a source not ingested"
        confidence = f"confidence {source.confidence:.2f}" if source.confidence else ""
        said = source.basis.replace(origin, "it") if origin else source.basis  # "3 of 11 sentences from it"
        basis = "; ".join(p for p in (said, confidence) if p)
        added, more = source.added[:SHOWN_ADDED], max(0, len(source.added) - SHOWN_ADDED)
        lines.append(LineageLine(_name(source), relation, basis, source.published, added, more))
    return lines


def _name(source: Source) -> str:
    """The outlet; for an unnamed one its title in quotes, shortened."""
    if source.outlet:
        return source.outlet
    return short_title(source.title) if source.title else source.article_id or "unnamed source"
