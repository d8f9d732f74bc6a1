"""The brief for the terminal, with rich: sections, [n] evidence markers, and the cited spans at the end."""

import io
from collections.abc import Mapping

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

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
from storyline.render.story import StoryContext, link_groups, status_line

__all__ = ["render_text"]


def _marks(citations: Citations, item: BriefItem) -> str:
    worded = f" [magenta](worded by {escape(item.generated_by)})[/]" if item.generated_by != "extractive" else ""
    return " " + "".join(f"[dim cyan]\\[{n}][/]" for n in citations.of(item)) + worded


def _line(citations: Citations, section: str, item: BriefItem) -> str:
    text = escape(display(item.text))
    if section in COUNTED_SECTIONS and item.support:
        text += f" [green]({plural(item.support, 'source')})[/]"
    elif section == "timeline":
        text = f"[bold]{escape(item.date or 'undated')}[/]  {text}"
    elif section in ("forecast", "quotes"):
        text = f"“{text}”" if section == "quotes" else text
        if item.speaker:
            text += f" [italic]— {escape(item.speaker)}[/]"
        if item.horizon:
            text += f" [dim](horizon: {escape(item.horizon)})[/]"
    return f"  • {text}{_marks(citations, item)}"


def _story_lines(context: StoryContext, last_seen: str | None) -> list[str]:
    """The status line and the Follows / Followed by lines (headline and id); none for an unlinked story."""
    lines = []
    status = status_line(context, last_seen)
    if status:
        lines.append(f"[yellow]{escape(status)}[/]")
    for label, links in link_groups(context):
        named = "; ".join(
            escape(link.story_id if link.headline is None else f"{link.headline} ({link.story_id})") for link in links
        )
        lines.append(f"{label}: {named}")
    return lines


def render_text(
    brief: Brief,
    articles: Mapping[str, Article],
    width: int = 100,
    color: bool = False,
    *,
    context: StoryContext | None = None,
) -> str:
    """The brief as terminal text (ANSI colours when `color`); `context` adds the story's status and links."""
    citations = Citations(articles)
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=color, color_system="standard" if color else None)
    coverage = brief.coverage
    outlets = ", ".join(coverage.outlets) or "outlets unknown"
    meta = f"{coverage.articles} articles · {outlets} · noise {coverage.noise:.2f}"
    head = f"[bold]{escape(brief.headline.text)}[/]{_marks(citations, brief.headline)}\n[dim]{escape(meta)}[/]"
    if context is not None:
        head += "".join(f"\n{line}" for line in _story_lines(context, coverage.last_seen))
    console.print(Panel(head))
    for name, title in SECTIONS:
        items = section_items(brief, name)
        if items:
            console.print(f"\n[bold underline]{title}[/]")
            for item in items:
                console.print(_line(citations, name, item))
        if name == "explainer":
            for side in brief.sides:
                console.print(
                    f"\n[bold underline]Side: {escape(side.label)}[/] [dim]({escape(', '.join(side.actors))})[/]"
                )
                for item in side.items:
                    who = f"[italic]{escape(item.speaker)}[/]: " if item.speaker else ""
                    console.print(f"  • {who}{escape(' '.join(item.text.split()))}{_marks(citations, item)}")
    for conflict in brief.conflicts:
        console.print(f"\n[bold red]Sources disagree: {escape(conflict.subject)}[/]")
        console.print(f"  [dim]{escape(tally(conflict.values))}[/]")
        for value in conflict.values:
            numbers = "".join(f"[dim cyan]\\[{n}][/]" for n in citations.numbers(value.evidence))
            words = words_around(citations.text_of(value.evidence[0]), value.value) if value.evidence else ""
            console.print(f"  ≠ {escape(value.value)} ({source_count(value)}): [italic]“{escape(words)}”[/] {numbers}")
    console.print("\n[bold underline]Sources[/]")
    for source in brief.sources:
        numbers = "".join(f"[dim cyan]\\[{n}][/]" for n in citations.numbers(source.evidence))
        label = source.title or "(credited, not ingested)"
        language = f", {source.language}" if source.language else ""
        console.print(
            f"  - {escape(source.outlet or '—')}: {escape(label)} [dim]({source.role}{language})[/] {numbers}"
        )
    for line in lineage_lines(brief):
        basis = f" — {escape(line.basis)}" if line.basis else ""
        console.print(f"  [dim]↳ {escape(line.source)}: {escape(line.relation)}{basis}[/]")
        for span in line.added:
            numbers = "".join(f"[dim cyan]\\[{n}][/]" for n in citations.numbers((span,)))
            console.print(f"      adds: [italic]“{escape(first_words(citations.text_of(span), 160))}”[/] {numbers}")
        if line.more:
            console.print(f"      [dim]and {line.more} more sentence(s) with facts its origin lacks (in the JSON)[/]")
    console.print("\n[bold underline]Evidence[/]")
    for citation in citations.all():
        quote = escape(" ".join(citation.quote.split()))
        console.print(f"  [cyan]\\[{citation.number}][/] {escape(citation.source_label)}: [italic]“{quote}”[/]")
    return out.getvalue()
