"""View data: one JSON-ready dict per page. The `/api/...` route returns it; the HTML route renders it.

Because both come from the same function, the API and the UI cannot disagree (the Datasette habit). Every
function here only reads the store.
"""

import functools
import logging
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from storyline import updates
from storyline.errors import StoreError
from storyline.records import Article, Brief, Evidence, Story, to_dict
from storyline.serve.cache import CardCache
from storyline.store import Store

__all__ = [
    "EXCERPT_LIMIT",
    "PER_PAGE",
    "article_card",
    "article_data",
    "cached",
    "evidence_key",
    "search_data",
    "sentence_context",
    "story_card",
    "story_data",
    "story_list_data",
]

logger = logging.getLogger(__name__)

PER_PAGE = 20
EXCERPT_LIMIT = 1000  # characters of an evidence span quoted in the page data
CONTEXT_LIMIT = 240  # characters of sentence context on either side of a conflicting value's span
_SENTENCE_ENDS = (". ", "! ", "? ", "\n", "。")


def evidence_key(evidence: Mapping[str, Any] | Evidence) -> str:
    """The key of an evidence span in `excerpts`: "article_id:start-end"."""
    if isinstance(evidence, Evidence):
        return f"{evidence.article_id}:{evidence.start}-{evidence.end}"
    return f"{evidence['article_id']}:{evidence['start']}-{evidence['end']}"


def story_list_data(
    store: Store,
    page: int = 1,
    per_page: int = PER_PAGE,
    cards: CardCache | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """Stories by latest activity, one page of cards, with paging counts; with `language`, only the stories
    with a member in that language. `cards` keeps built cards."""
    total = store.count_stories(language=language)
    pages = max(1, math.ceil(total / per_page))
    stories = store.stories(limit=per_page, offset=(page - 1) * per_page, language=language)
    if cards is None:
        built = [story_card(store, story) for story in stories]
    else:
        built = [cards.get((s.id, s.updated_at), functools.partial(story_card, store, s)) for s in stories]
    return {
        "stories": built,
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": pages,
        "language": language,
        "languages": [{"code": code, "stories": count} for code, count in store.story_languages()],
    }


def cached(
    cache: CardCache | None, view: Callable[[Store, str], dict[str, Any]], store: Store, record_id: str
) -> dict[str, Any]:
    """`view(store, record_id)`, kept in `cache` (per view and id; the cache is emptied when the store changes).
    The dict is shared: callers only read it."""
    if cache is None:
        return view(store, record_id)
    return cache.get((view.__name__, record_id), functools.partial(view, store, record_id))


def story_card(store: Store, story: Story) -> dict[str, Any]:
    """What a story list shows of one story: headline, first summary line, coverage, conflict count."""
    found = store.get_brief(story.id)
    brief = found[0] if found else None
    headline = brief.headline.text if brief is not None else (_member_title(store, story) or story.id)
    return {
        "id": story.id,
        "headline": headline,
        "summary": brief.summary[0].text if brief and brief.summary else None,
        "has_brief": brief is not None,
        "conflicts": len(brief.conflicts) if brief else 0,
        "topics": list(brief.topics[:6]) if brief else [],
        "articles": len(story.members),
        # the brief's coverage also counts the outlets that ran a member's text (syndicated copies)
        "coverage": to_dict(brief.coverage) if brief else to_dict(story.coverage) if story.coverage else None,
        "updated_at": story.updated_at,
        "status": story.status,
    }


def _member_title(store: Store, story: Story) -> str | None:
    for member in story.members:
        try:
            return store.get_article(member.article_id).title
        except StoreError:
            continue
    return None


def story_data(store: Store, story_id: str) -> dict[str, Any]:
    """A story page: the story, its brief (or None), grounding problems, the articles it cites, quoted spans.

    Raises StoreError when there is no such story.
    """
    story = store.get_story(story_id)
    found = store.get_brief(story.id)
    brief, problems = found if found else (None, [])
    articles = _load_articles(store, _article_ids(story, brief))
    numbers = _source_numbers(story, brief, articles)
    roles = {m.article_id: m.role for m in story.members}
    cards = {aid: article_card(a, roles.get(aid), numbers.get(aid)) for aid, a in articles.items()}
    excerpts = {}
    for evidence in _brief_evidence(brief) if brief else ():
        article = articles.get(evidence.article_id)
        if article is not None:
            excerpts[evidence_key(evidence)] = article.text[evidence.start : evidence.end][:EXCERPT_LIMIT]
    contexts = {}
    for evidence in _conflict_evidence(brief) if brief else ():
        article = articles.get(evidence.article_id)
        if article is not None:
            contexts[evidence_key(evidence)] = sentence_context(article.text, evidence.start, evidence.end)
    return {
        "story": to_dict(story),
        "brief": to_dict(brief) if brief else None,
        "problems": list(problems),
        "articles": cards,
        "excerpts": excerpts,
        "contexts": contexts,
        "events": [to_dict(event) for event in store.story_events(story.id)],
        "changes": _changes(store, story.id),
    }


def _changes(store: Store, story_id: str) -> dict[str, Any] | None:
    """What the brief's latest version changed against the one before (None for a first version)."""
    versions = dict(store.brief_versions(story_id))
    if max(versions, default=1) < 2:  # a first version changed nothing (asked first: comparing parses briefs)
        return None
    found = updates.changes_since(store, story_id)
    if found is None or found.since_version is None:
        return None
    at = versions.get(found.version)
    return {"version": found.version, "since": found.since_version, "at": at, "lines": updates.changes_lines(found)}


def article_card(article: Article, role: str | None = None, number: int | None = None) -> dict[str, Any]:
    """The short form of an article used in lists and source panels."""
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "authors": list(article.authors),
        "published": article.published,
        "language": article.language,
        "url": article.url,
        "role": role,
        "number": number,
    }


def _article_ids(story: Story, brief: Brief | None) -> list[str]:
    ids = [m.article_id for m in story.members]
    if brief is not None:
        ids += [s.article_id for s in brief.sources if s.article_id]
        ids += [e.article_id for e in _brief_evidence(brief)]
    return list(dict.fromkeys(ids))


def _load_articles(store: Store, ids: Iterable[str]) -> dict[str, Article]:
    articles = {}
    for article_id in ids:
        try:
            articles[article_id] = store.get_article(article_id)
        except StoreError:
            logger.warning("story cites article %s, which is not in the store", article_id)
    return articles


def _source_numbers(story: Story, brief: Brief | None, articles: Mapping[str, Article]) -> dict[str, int]:
    """Numbers for evidence markers: brief sources in their order, then other members, then anything else cited."""
    order = [s.article_id for s in brief.sources if s.article_id] if brief else []
    order += [m.article_id for m in story.members]
    order += list(articles)
    numbers: dict[str, int] = {}
    for article_id in order:
        if article_id in articles and article_id not in numbers:
            numbers[article_id] = len(numbers) + 1
    return numbers


def _brief_evidence(brief: Brief) -> list[Evidence]:
    items = [brief.headline, *brief.summary, *brief.key_points, *brief.why_it_matters, *brief.explainer]
    items += [*brief.timeline, *brief.forecast, *brief.quotes]
    items += [item for side in brief.sides for item in side.items]
    evidence = [e for item in items for e in item.evidence]
    evidence += [e for conflict in brief.conflicts for value in conflict.values for e in value.evidence]
    evidence += [e for source in brief.sources for e in (*source.evidence, *source.added)]
    return evidence


def _conflict_evidence(brief: Brief) -> list[Evidence]:
    return [e for conflict in brief.conflicts for value in conflict.values for e in value.evidence]


def sentence_context(text: str, start: int, end: int, limit: int = CONTEXT_LIMIT) -> dict[str, str]:
    """The sentence around `text[start:end]`: {"before", "span", "after"}, each side at most `limit` characters."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    window = text[max(0, start - limit) : start]
    cut = max(window.rfind(mark) for mark in _SENTENCE_ENDS)
    before = window[cut + 1 :].lstrip() if cut >= 0 else window
    after = text[end : end + limit]
    stops = [i + 1 for i in (after.find(mark) for mark in _SENTENCE_ENDS) if i >= 0]
    after = after[: min(stops)] if stops else after
    return {"before": before, "span": text[start:end][:EXCERPT_LIMIT], "after": after.rstrip()}


def article_data(store: Store, article_id: str) -> dict[str, Any]:
    """An article page: the extraction record, its analysis (or None) and the story it belongs to.

    Raises StoreError when there is no such article.
    """
    article = store.get_article(article_id)
    analysis = store.get_analysis(article.id)
    return {
        "article": to_dict(article),
        "analysis": to_dict(analysis) if analysis else None,
        "story_id": store.story_of(article.id),
    }


def search_data(store: Store, query: str, limit: int = 20) -> dict[str, Any]:
    """Full-text search results: article cards with a snippet (hits in [ ]) and the story each belongs to.

    Raises StoreError on a query the index cannot run.
    """
    query = query.strip()
    results = []
    if query:
        for article, snippet in store.search(query, limit):
            results.append(
                {"article": article_card(article), "snippet": snippet, "story_id": store.story_of(article.id)}
            )
    return {"query": query, "results": results}
