"""Sources of a brief (the member articles with their lineage, and the upstream sources their texts credit),
the story's topics and tags, and its coverage."""

from collections import Counter
from dataclasses import replace

from storyline.names import short_title
from storyline.records import Article, Coverage, Credit, Source
from storyline.synthesize.bundle import StoryInput
from storyline.synthesize.reuse import story_reuse

__all__ = ["brief_sources", "copies", "credited_upstream", "story_coverage", "story_tags", "story_topics"]


def brief_sources(story: StoryInput) -> list[Source]:
    """Every member article (role, derived_from, confidence and basis from clustering; for copies and rewrites
    the sentences taken from the origin and those adding facts, `reuse.story_reuse`), each followed by the other
    outlets that ran the same text (`copies`), then the credited upstream sources."""
    members = []
    reuse = story_reuse(story)
    names = {s.article.id: s.article.outlet or short_title(s.article.title) for s in story.sources}
    for s in story.sources:
        taken = reuse.get(s.article.id)
        members.append(
            Source(
                article_id=s.article.id,
                outlet=s.article.outlet,
                title=s.article.title,
                authors=s.article.authors,
                published=s.article.published,
                url=s.article.url or next((loc for loc in s.article.locations if "://" in loc), None),
                role=s.member.role,
                derived_from=s.member.derived_from,
                confidence=s.member.confidence,
                basis=_named(s.member.basis, names),
                reused=taken.reused if taken else (),
                added=taken.added if taken else (),
                language=s.article.language,
            )
        )
        members.extend(copies(s.article))
    return members + credited_upstream(story)


def _named(basis: str, names: dict[str, str]) -> str:
    """The lineage basis with each article id the clustering stage wrote replaced by that article's outlet."""
    for article_id, name in names.items():
        basis = basis.replace(article_id, name)
    return basis


def copies(article: Article) -> list[Source]:
    """The article's text as other outlets ran it: one `syndicated_copy` source per appearance whose outlet or
    URL is not the article's own, in publication order (undated last), each derived from the article.

    The article record keeps the metadata of the first location read; a copy that location's outlet ran under
    another URL or date is the same outlet and is not listed again."""
    own = {(article.outlet or "").casefold(), article.url or ""}
    seen: set[tuple[str, str]] = set()
    out = []
    for appearance in sorted(article.appearances, key=lambda a: (a.published is None, a.published or "")):
        outlet = (appearance.outlet or "").casefold()
        if not appearance.outlet or outlet in own or (outlet, appearance.url or "") in seen:
            continue
        seen.add((outlet, appearance.url or ""))
        url = appearance.url or (appearance.location if "://" in appearance.location else None)
        out.append(
            Source(
                article.id,
                appearance.outlet,
                appearance.title or article.title,
                appearance.authors,
                appearance.published,
                url,
                "syndicated_copy",
                (article.id,),
                confidence=1.0,
                basis=f"the same text as {article.outlet or article.title}",
                language=article.language,
            )
        )
    return out


def credited_upstream(story: StoryInput) -> list[Source]:
    """Outlets the texts credit that are not among the story's articles, with the people credited beside them.

    A person credited in the same phrase as an outlet ("first reported by Kevin Xu in Interconnected") is taken
    as an author of that outlet's piece.
    """
    ingested = {(s.article.outlet or "").casefold() for s in story.sources}
    outlets: dict[str, list[Credit]] = {}
    for credit in story.credits:
        if credit.kind == "outlet" and credit.name.casefold() not in ingested:
            outlets.setdefault(credit.name, []).append(credit)
    upstream = []
    for name, credits in outlets.items():
        spans = {c.evidence for c in credits}
        authors = tuple(dict.fromkeys(c.name for c in story.credits if c.kind == "person" and c.evidence in spans))
        evidence = tuple(dict.fromkeys(c.evidence for c in credits))
        upstream.append(Source(None, name, None, authors, None, None, "credited_upstream", (), evidence))
    return upstream


def story_topics(story: StoryInput, limit: int = 8) -> tuple[str, ...]:
    """Topics named by the most sources (then most often), in their most common written form."""
    sources_per: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for source in story.sources:
        for topic in dict.fromkeys(source.analysis.topics):
            key = topic.casefold().replace("-", " ")
            sources_per[key] += 1
            forms.setdefault(key, Counter())[topic] += 1
    ranked = sorted(sources_per, key=lambda k: (-sources_per[k], list(sources_per).index(k)))
    return tuple(forms[k].most_common(1)[0][0] for k in ranked[:limit])


def story_tags(story: StoryInput) -> tuple[str, ...]:
    """The sources' own tags, any language, first seen first."""
    tags: dict[str, str] = {}
    for source in story.sources:
        for tag in source.article.tags:
            tags.setdefault(tag.casefold(), tag)
    return tuple(tags.values())


def story_coverage(story: StoryInput) -> Coverage:
    """The clustering stage's coverage with the outlets that ran a member's text added (`with_copies`), or one
    computed from the members when there is none."""
    if story.coverage is not None:
        return with_copies(story.coverage, [c for s in story.sources for c in copies(s.article)])
    dates = sorted(s.article.published[:10] for s in story.sources if s.article.published)
    outlets = tuple(dict.fromkeys(s.article.outlet for s in story.sources if s.article.outlet))
    languages = tuple(dict.fromkeys(s.article.language for s in story.sources if s.article.language))
    formula = "not computed: the story has no clustering coverage"
    return Coverage(
        len(story.sources),
        outlets,
        languages,
        dates[0] if dates else None,
        dates[-1] if dates else None,
        0.0,
        0.0,
        formula,
    )


def with_copies(coverage: Coverage, extra: list[Source]) -> Coverage:
    """Coverage counting each copy under another outlet as an article of its own and a syndicated copy: the
    outlets gain the copying outlets, the dates their dates, and the noise (copies + 0.5 derivatives) /
    articles gains one copy per extra article."""
    if not extra:
        return coverage
    articles = coverage.articles + len(extra)
    outlets = tuple(dict.fromkeys([*coverage.outlets, *(c.outlet for c in extra if c.outlet)]))
    dates = sorted(d for d in (coverage.first_seen, coverage.last_seen, *(c.published for c in extra)) if d)
    noise = round((coverage.noise * coverage.articles + len(extra)) / articles, 4)
    first = dates[0][:10] if dates else None
    last = dates[-1][:10] if dates else None
    return replace(coverage, articles=articles, outlets=outlets, first_seen=first, last_seen=last, noise=noise)
