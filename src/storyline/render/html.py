"""The brief as one standalone HTML file: no scripts, no external resources, all source text escaped.

Each item carries numbered evidence markers linking to the evidence list at the end, where every cited span is
shown inside its surrounding text with the span highlighted.
"""

from collections.abc import Mapping
from html import escape

from storyline.records import Article, Brief, BriefItem, Evidence
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

__all__ = ["render_html"]

_STYLE = """
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232a;background:#fafaf7;margin:0}
main{max-width:46rem;margin:0 auto;padding:2rem 1.25rem 4rem}
h1{font:700 1.9rem/1.2 Georgia,"Times New Roman",serif;margin:.2rem 0 .6rem}
h2{font-size:1.05rem;text-transform:uppercase;letter-spacing:.06em;color:#5a6470;margin:2.2rem 0 .6rem;
border-top:1px solid #e3e3dc;padding-top:1rem}
h3{font-size:1rem;margin:1.2rem 0 .3rem}
.meta{color:#5a6470;font-size:.9rem}
ul{padding-left:1.2rem}li{margin:.35rem 0}
sup a{font-size:.7rem;text-decoration:none;background:#e8eef7;color:#234;border-radius:.6rem;padding:0 .35rem;
margin-left:.15rem}
.support{font-size:.8rem;color:#2d6a3e;background:#e6f3e9;border-radius:.6rem;padding:0 .4rem}
.date{font-variant-numeric:tabular-nums;font-weight:600;margin-right:.4rem}
blockquote{margin:.8rem 0;padding:.2rem 0 .2rem 1rem;border-left:3px solid #c9a227;font-family:Georgia,serif}
.who{font-family:system-ui,sans-serif;color:#5a6470;font-size:.9rem}
.conflict{display:flex;gap:.6rem;flex-wrap:wrap}
.value{flex:1 1 12rem;border:1px solid #e0c9c9;background:#fff6f6;border-radius:.4rem;padding:.5rem .7rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid #e3e3dc;padding:.35rem;
text-align:left;vertical-align:top}
.evidence li{margin:.7rem 0;font-size:.9rem}mark{background:#fff1a8;padding:0 .1rem}
.ctx{color:#5a6470}
.status{font-weight:600;color:#7a5b00}
.worded{font-size:.72rem;color:#5b4a9e;background:#efeafd;border-radius:4px;padding:0 .3rem}
@media (max-width:30rem){h1{font-size:1.5rem}main{padding:1rem .8rem 3rem}}
"""


def _marks(citations: Citations, item: BriefItem) -> str:
    marks = "".join(f'<sup><a href="#ev{n}" id="m{n}">{n}</a></sup>' for n in citations.of(item))
    if item.generated_by != "extractive":
        marks += f' <span class="worded">worded by {escape(item.generated_by)}</span>'
    return marks


def _item_html(citations: Citations, section: str, item: BriefItem) -> str:
    text, marks = escape(display(item.text)), _marks(citations, item)
    if section in COUNTED_SECTIONS and item.support:
        plural = "s" if item.support > 1 else ""
        return f'<li>{text} <span class="support">{item.support} source{plural}</span>{marks}</li>'
    if section == "timeline":
        return f'<li><span class="date">{escape(item.date or "undated")}</span>{text}{marks}</li>'
    if section == "forecast":
        who = f' <span class="who">— {escape(item.speaker)}</span>' if item.speaker else ""
        when = f' <span class="who">(horizon: {escape(item.horizon)})</span>' if item.horizon else ""
        return f"<li>{text}{who}{when}{marks}</li>"
    if section == "quotes":
        who = escape(item.speaker or "unattributed")
        return f'<blockquote>“{text}”{marks}<div class="who">— {who}</div></blockquote>'
    return f"<li>{text}{marks}</li>"


def render_html(brief: Brief, articles: Mapping[str, Article], *, context: StoryContext | None = None) -> str:
    """A complete HTML document for the brief; `context` adds the story's status and links to sibling briefs."""
    citations = Citations(articles)
    coverage = brief.coverage
    dates = " to ".join(escape(d) for d in (coverage.first_seen, coverage.last_seen) if d) or "dates unknown"
    body = [
        f"<h1>{escape(brief.headline.text)}{_marks(citations, brief.headline)}</h1>",
        f'<p class="meta">{plural(coverage.articles, "article")} · {plural(len(coverage.outlets), "named outlet")} · '
        f"{escape(', '.join(coverage.languages) or 'language unknown')} · {dates} · noise {coverage.noise:.2f}</p>",
    ]
    if context is not None:
        body += _story_lines(context, coverage.last_seen)
    for name, title in SECTIONS:
        items = section_items(brief, name)
        if items:
            wrapper = ("<div>", "</div>") if name == "quotes" else ("<ul>", "</ul>")
            body += [f"<h2>{title}</h2>", wrapper[0], *(_item_html(citations, name, i) for i in items), wrapper[1]]
        if name == "explainer":
            body += _sides(brief, citations)
    body += _conflicts(brief, citations) + _sources(brief, citations)
    if brief.topics or brief.tags:
        body.append(f"<h2>Topics and tags</h2><p>{escape(', '.join((*brief.topics, *brief.tags)))}</p>")
    body.append(
        f'<p class="meta">Noise: {escape(coverage.noise_formula)}. Written by {escape(brief.generated_by)}.</p>'
    )
    body += _evidence(citations)
    title = escape(brief.headline.text)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{title}</title><style>{_STYLE}</style></head><body><main>\n"
        + "\n".join(body)
        + "\n</main></body></html>\n"
    )


def _story_lines(context: StoryContext, last_seen: str | None) -> list[str]:
    """The status line and the Follows / Followed by lines; none for an active story without links."""
    out = []
    status = status_line(context, last_seen)
    if status:
        out.append(f'<p class="meta status">{escape(status)}</p>')
    for label, links in link_groups(context):
        out.append(f'<p class="meta">{label}: ' + "; ".join(_link(link) for link in links) + "</p>")
    return out


def _link(link: StoryLink) -> str:
    """A relative link to the sibling brief `<id>.html` with the id after it; the id alone when not stored."""
    target = sibling(link, ".html")
    if target is None:
        return escape(link.story_id)
    return f'<a href="{escape(target)}">{escape(link_label(link))}</a> ({escape(link.story_id)})'


def _sides(brief: Brief, citations: Citations) -> list[str]:
    if not brief.sides:
        return []
    out = ["<h2>Sides</h2>"]
    for side in brief.sides:
        out += [
            f"<h3>{escape(side.label)}</h3>",
            f'<p class="meta">{escape(side.stance)} Voices: {escape(", ".join(side.actors))}.</p>',
            "<ul>",
        ]
        for item in side.items:
            who = f"<strong>{escape(item.speaker)}</strong>: " if item.speaker else ""
            out.append(f"<li>{who}{escape(display(item.text))}{_marks(citations, item)}</li>")
        out.append("</ul>")
    return out


def _conflicts(brief: Brief, citations: Citations) -> list[str]:
    if not brief.conflicts:
        return []
    out = ["<h2>Where sources disagree</h2>"]
    for conflict in brief.conflicts:
        out += [f"<h3>{escape(conflict.subject)}</h3>", f"<p><em>{escape(tally(conflict.values))}</em></p>"]
        out.append('<div class="conflict">')
        for value in conflict.values:
            marks = "".join(f'<sup><a href="#ev{n}">{n}</a></sup>' for n in citations.numbers(value.evidence))
            words = words_around(citations.text_of(value.evidence[0]), value.value) if value.evidence else ""
            out.append(
                f'<div class="value"><strong>{escape(value.value)}</strong> ({source_count(value)}){marks}'
                f'<div class="who">“{escape(words)}”</div></div>'
            )
        out.append("</div>")
    return out


def _sup(citations: Citations, span: Evidence) -> str:
    return "".join(f'<sup><a href="#ev{n}">{n}</a></sup>' for n in citations.numbers((span,)))


def _sources(brief: Brief, citations: Citations) -> list[str]:
    rows = []
    for source in brief.sources:
        marks = "".join(f'<sup><a href="#ev{n}">{n}</a></sup>' for n in citations.numbers(source.evidence))
        title = escape(source.title or "(not ingested)")
        if source.url and source.url[:8].lower().startswith(("http://", "https://")):  # schemes ignore case
            title = f'<a href="{escape(source.url)}" rel="noreferrer">{title}</a>'
        rows.append(
            f"<tr><td>{escape(source.outlet or '—')}{marks}</td><td>{title}</td>"
            f"<td>{escape(source.language or '—')}</td>"
            f"<td>{escape(', '.join(source.authors) or '—')}</td><td>{escape(source.published or '—')}</td>"
            f"<td>{escape(source.role)}</td>"
            f"<td>{escape(', '.join(d[:8] for d in source.derived_from) or '—')}</td></tr>"
        )
    head = (
        "<tr><th>Outlet</th><th>Title</th><th>Language</th><th>Authors</th><th>Published</th><th>Role</th>"
        "<th>Derived from</th></tr>"
    )
    out = ["<h2>Sources</h2>", f"<table>{head}{''.join(rows)}</table>"]
    found = lineage_lines(brief)
    if found:
        out.append('<h3>Who wrote it first</h3><ul class="lineage">')
        for line in found:
            basis = f" — {escape(line.basis)}" if line.basis else ""
            adds = "".join(
                f"<li>adds: “{escape(first_words(citations.text_of(span), 160))}”{_sup(citations, span)}</li>"
                for span in line.added
            )
            if line.more:
                adds += f"<li>and {line.more} more sentence(s) with facts its origin lacks (in the JSON)</li>"
            out.append(
                f"<li><strong>{escape(line.source)}</strong>: {escape(line.relation)}{basis}"
                + (f"<ul>{adds}</ul>" if adds else "")
                + "</li>"
            )
        out.append("</ul>")
    return out


def _evidence(citations: Citations) -> list[str]:
    out = ['<h2>Evidence</h2><ol class="evidence">']
    for citation in citations.all():
        before, span, after = citation.context()
        out.append(
            f'<li id="ev{citation.number}" value="{citation.number}"><strong>{escape(citation.source_label)}</strong> '
            f'<span class="meta">({escape(citation.evidence.article_id)}, characters {citation.evidence.start}–'
            f'{citation.evidence.end})</span><br><span class="ctx">{escape(before)}</span><mark>{escape(span)}</mark>'
            f'<span class="ctx">{escape(after)}</span></li>'
        )
    out.append("</ol>")
    return out
