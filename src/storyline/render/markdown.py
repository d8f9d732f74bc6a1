"""The brief as Markdown: every item followed by its citation numbers; the cited spans listed as footnotes."""

from collections.abc import Mapping

from storyline.records import Article, Brief, BriefItem
from storyline.render.citations import (
    COUNTED_SECTIONS,
    SECTIONS,
    Citations,
    display,
    first_words,
    plural,
    section_items,
    source_count,
    tally,
    words_around,
)
from storyline.render.lineage import lineage_lines
from storyline.render.story import StoryContext, StoryLink, link_groups, link_label, sibling, status_line

__all__ = ["render_markdown"]


def _marks(citations: Citations, item: BriefItem) -> str:
    worded = f" *(worded by {_escape(item.generated_by)})*" if item.generated_by != "extractive" else ""
    return "".join(f"[^{n}]" for n in citations.of(item)) + worded


def _escape(text: str) -> str:
    """Keep source text from being read as Markdown structure."""
    text = display(text).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;")


def _line(citations: Citations, section: str, item: BriefItem) -> str:
    text = _escape(item.text)
    marks = _marks(citations, item)
    if section in COUNTED_SECTIONS and item.support:
        return f"- {text} *({item.support} source{'s' if item.support > 1 else ''})* {marks}"
    if section == "timeline":
        return f"- **{item.date or 'undated'}** — {text} {marks}"
    if section == "forecast":
        who = f" — {_escape(item.speaker)}" if item.speaker else ""
        when = f" *(horizon: {_escape(item.horizon)})*" if item.horizon else ""
        return f"- {text}{who}{when} {marks}"
    if section == "quotes":
        return f"> “{text}” — {_escape(item.speaker or 'unattributed')} {marks}\n"
    return f"- {text} {marks}"


def render_markdown(brief: Brief, articles: Mapping[str, Article], *, context: StoryContext | None = None) -> str:
    """Markdown with footnote citations; `articles` supplies the cited text, `context` the status and links."""
    citations = Citations(articles)
    coverage = brief.coverage
    lines = [f"# {_escape(brief.headline.text)} {_marks(citations, brief.headline)}", ""]
    dates = " to ".join(d for d in (coverage.first_seen, coverage.last_seen) if d) or "dates unknown"
    lines += [
        f"*{plural(coverage.articles, 'article')} · {plural(len(coverage.outlets), 'named outlet')} · languages: "
        f"{', '.join(coverage.languages) or 'unknown'} · {dates} · noise {coverage.noise:.2f}*",
        "",
    ]
    if context is not None:
        lines += _story_lines(context, coverage.last_seen)
    for name, title in SECTIONS:
        items = section_items(brief, name)
        if items:
            lines += [f"## {title}", "", *(_line(citations, name, item) for item in items), ""]
        if name == "explainer" and brief.sides:
            lines += _sides(brief, citations)
    lines += _conflicts(brief, citations) + _sources(brief, citations)
    if brief.topics or brief.tags:
        lines += ["## Topics and tags", "", ", ".join(_escape(t) for t in (*brief.topics, *brief.tags)), ""]
    lines += [f"*Noise: {_escape(coverage.noise_formula)}. Written by {brief.generated_by}.*", ""]
    lines += ["---", ""] + [
        f"[^{c.number}]: **{_escape(c.source_label)}** "
        f"(`{c.evidence.article_id}` {c.evidence.start}–{c.evidence.end}): "
        f"“{_escape(c.quote)}”"
        for c in citations.all()
    ]
    return "\n".join(lines) + "\n"


def _story_lines(context: StoryContext, last_seen: str | None) -> list[str]:
    """The status line and the Follows / Followed by lines, each its own paragraph; none for an unlinked story."""
    lines = []
    status = status_line(context, last_seen)
    if status:
        lines += [f"**{_escape(status)}**", ""]
    for label, links in link_groups(context):
        lines += [f"{label}: " + "; ".join(_link(link) for link in links), ""]
    return lines


def _link(link: StoryLink) -> str:
    """`[headline](<id>.md) (id)`; the id alone when the store does not hold the story."""
    target = sibling(link, ".md")
    if target is None:
        return _escape(link.story_id)
    return f"[{_escape(link_label(link))}]({target}) ({_escape(link.story_id)})"


def _sides(brief: Brief, citations: Citations) -> list[str]:
    lines = ["## Sides", ""]
    for side in brief.sides:
        actors = ", ".join(_escape(a) for a in side.actors)
        lines += [f"### {_escape(side.label)}", "", f"*{_escape(side.stance)}* Voices: {actors}.", ""]
        for item in side.items:
            who = f"**{_escape(item.speaker)}**: " if item.speaker else ""
            lines.append(f"- {who}{_escape(item.text)} {_marks(citations, item)}")
        lines.append("")
    return lines


def _conflicts(brief: Brief, citations: Citations) -> list[str]:
    if not brief.conflicts:
        return []
    lines = ["## Where sources disagree", ""]
    for conflict in brief.conflicts:
        lines += [f"### {_escape(conflict.subject)}", "", f"*{_escape(tally(conflict.values))}*", ""]
        for value in conflict.values:
            marks = "".join(f"[^{n}]" for n in citations.numbers(value.evidence))
            words = words_around(citations.text_of(value.evidence[0]), value.value) if value.evidence else ""
            lines.append(f"- **{_escape(value.value)}** ({source_count(value)}): “{_escape(words)}” {marks}")
        lines.append("")
    return lines


def _sources(brief: Brief, citations: Citations) -> list[str]:
    lines = [
        "## Sources",
        "",
        "| outlet | title | language | authors | published | role | derived from |",
        "|---|---|---|---|---|---|---|",
    ]
    for source in brief.sources:
        marks = "".join(f"[^{n}]" for n in citations.numbers(source.evidence))
        title = _escape(source.title or "(not ingested)")
        if source.url:
            title = f"[{title}]({source.url})"
        derived = ", ".join(d[:8] for d in source.derived_from)
        lines.append(
            f"| {_escape(source.outlet or '—')} {marks} | {title} | {source.language or '—'} "
            f"| {_escape(', '.join(source.authors)) or '—'} "
            f"| {source.published or '—'} | {source.role} | {derived or '—'} |"
        )
    lines.append("")
    found = lineage_lines(brief)
    if found:
        lines += ["### Who wrote it first", ""]
        for line in found:
            basis = f" — {_escape(line.basis)}" if line.basis else ""
            lines.append(f"- **{_escape(line.source)}**: {_escape(line.relation)}{basis}")
            for span in line.added:
                marks = "".join(f"[^{n}]" for n in citations.numbers((span,)))
                lines.append(f"  - adds: “{_escape(first_words(citations.text_of(span), 160))}” {marks}")
            if line.more:
                lines.append(f"  - and {line.more} more sentence(s) with facts its origin lacks (in the JSON)")
        lines.append("")
    return lines
