"""HTML pages: main text through trafilatura; metadata candidates from JSON-LD, meta tags, <title>, htmldate, URL."""

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import trafilatura

from storyline.extract.dates import date_from_url, parse_date
from storyline.extract.metadata import Candidate

__all__ = ["HtmlParts", "extract_html", "outlet_from_url", "url_candidates"]

logger = logging.getLogger(__name__)

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "liveblogposting",
    "report",
    "scholarlyarticle",
    "socialmediaposting",
}
_META_FIELDS = {
    "og:title": "title",
    "twitter:title": "title",
    "og:site_name": "outlet",
    "application-name": "outlet",
    "article:published_time": "published",
    "og:article:published_time": "published",
    "datepublished": "published",
    "pubdate": "published",
    "publishdate": "published",
    "date": "published",
    "dc.date": "published",
    "dc.date.issued": "published",
    "dcterms.created": "published",
    "parsely-pub-date": "published",
    "sailthru.date": "published",
    "author": "authors",
    "dc.creator": "authors",
    "byl": "authors",
    "parsely-author": "authors",
    "sailthru.author": "authors",
    "article:tag": "tags",
    "news_keywords": "tags",
    "keywords": "tags",
}


@dataclass(frozen=True, slots=True)
class HtmlParts:
    lines: list[str]  # main text lines from trafilatura (title and byline lines included when the page has them)
    candidates: list[Candidate]
    flags: frozenset[str]


def extract_html(html: str, url: str | None) -> HtmlParts:
    """Main text lines and metadata candidates of an HTML page. Lines are empty when no main text is found."""
    tree = _parse(html)
    candidates: list[Candidate] = []
    flags: set[str] = set()
    if tree is not None:
        candidates += _json_ld(tree, flags)
        candidates += _meta(tree)
        candidates += _title_and_lang(tree, candidates)
    if url:
        candidates += url_candidates(url)
    document: Any = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True, deduplicate=False
    )
    lines: list[str] = []
    if document is not None and document.text:
        lines = document.text.splitlines()
        for field, value in (
            ("title", document.title),
            ("outlet", document.sitename),
            ("published", document.date),
        ):
            if value:
                candidates.append(Candidate(field, value, "trafilatura"))
        if document.author:
            candidates.append(Candidate("authors", _split_authors(document.author), "trafilatura"))
    return HtmlParts(lines, candidates, frozenset(flags))


def _parse(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(html.encode("utf-8"), lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.ParserError, ValueError) as error:
        logger.debug("unparsable HTML: %s", error)
        return None


def _json_ld(tree: lxml.html.HtmlElement, flags: set[str]) -> list[Candidate]:
    out: list[Candidate] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "null")
        except json.JSONDecodeError:
            continue
        for node in _nodes(data):
            kinds = node.get("@type", [])
            kinds = {k.lower() for k in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(k, str)}
            if not kinds & _ARTICLE_TYPES:
                continue
            if "opinionnewsarticle" in kinds:
                flags.add("opinion")
            out += _article_node(node)
    return out


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _nodes(data["@graph"])


def _names(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and not name.startswith("http"):
            names.append(name.strip())
    return tuple(names)


def _article_node(node: dict[str, Any]) -> list[Candidate]:
    out = []
    headline = node.get("headline") or node.get("name")
    if isinstance(headline, str):
        out.append(Candidate("title", headline.strip(), "json-ld"))
    authors = _names(node.get("author", []))
    if authors:
        out.append(Candidate("authors", authors, "json-ld"))
    published = node.get("datePublished") or node.get("dateCreated")
    if isinstance(published, str) and parse_date(published):
        out.append(Candidate("published", parse_date(published) or "", "json-ld"))
    publisher = _names(node.get("publisher", []))
    if publisher:
        out.append(Candidate("outlet", publisher[0], "json-ld"))
    keywords = node.get("keywords")
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    if isinstance(keywords, list):
        tags = tuple(k.strip() for k in keywords if isinstance(k, str) and k.strip())
        if tags:
            out.append(Candidate("tags", tags, "json-ld"))
    language = node.get("inLanguage")
    if isinstance(language, str):
        out.append(Candidate("language", language[:2].lower(), "json-ld"))
    return out


def _meta(tree: lxml.html.HtmlElement) -> list[Candidate]:
    out = []
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        field = _META_FIELDS.get(key)
        value = (meta.get("content") or "").strip()
        if not field or not value or value.startswith("http"):
            continue
        if field == "published":
            parsed = parse_date(value)
            if parsed:
                out.append(Candidate(field, parsed, "meta"))
        elif field == "authors":
            out.append(Candidate(field, _split_authors(value), "meta"))
        elif field == "tags":
            tags = tuple(t.strip() for t in value.split(",") if t.strip())
            if tags:
                out.append(Candidate(field, tags, "meta"))
        else:
            out.append(Candidate(field, value, "meta"))
    return out


def _split_authors(value: str) -> tuple[str, ...]:
    value = re.sub(r"^\s*by\s+", "", value, flags=re.IGNORECASE)
    parts = re.split(r"\s*(?:;|,|\band\b|&)\s*", value)
    return tuple(p.strip() for p in parts if p.strip())


def _title_and_lang(tree: lxml.html.HtmlElement, known: list[Candidate]) -> list[Candidate]:
    out = []
    titles = tree.xpath("//title")
    if titles:
        title = " ".join(titles[0].text_content().split())
        sites = {c.value.casefold() for c in known if c.field == "outlet" and isinstance(c.value, str)}
        parts = re.split(r"\s+[|–—-]\s+", title)
        if len(parts) > 1 and (parts[-1].casefold() in sites or len(parts[-1]) < len(parts[0])):
            out.append(Candidate("outlet", parts[-1], "html-title"))
            title = " - ".join(parts[:-1])
        if title:
            out.append(Candidate("title", title, "html-title"))
    language = tree.get("lang") or ""
    if re.match(r"^[a-zA-Z]{2}\b", language):
        out.append(Candidate("language", language[:2].lower(), "html-lang"))
    return out


def outlet_from_url(url: str) -> str | None:
    """The site's registered-looking domain name ('www.example.co.uk' -> 'example.co.uk')."""
    host = (urlsplit(url).hostname or "").lower()
    host = re.sub(r"^(?:www\d?|m|amp|mobile)\.", "", host)
    return host or None


def url_candidates(url: str) -> list[Candidate]:
    """Publication date and outlet as written in a URL (weak evidence)."""
    out = []
    date = date_from_url(url)
    if date:
        out.append(Candidate("published", date, "url"))
    outlet = outlet_from_url(url)
    if outlet and "." in outlet:
        out.append(Candidate("outlet", outlet, "url"))
    return out
