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

from storyline.errors import ExtractError
from storyline.extract.dates import date_from_url, parse_date
from storyline.extract.metadata import Candidate

__all__ = ["HtmlParts", "cap_attributes", "extract_html", "outlet_from_url", "url_candidates"]

logger = logging.getLogger(__name__)

MAX_ATTRIBUTES = 100  # per element; libxml2 checks each new attribute against the others (quadratic)
MAX_HTML_CHARS = 1_000_000  # a bigger page is slimmed (scripts, styles, comments out), then cut, for trafilatura
MAX_HEAD_ELEMENTS = 200
MAX_TITLE_CHARS = 300  # <meta> and <link> elements kept when a page is slimmed
_ATTRIBUTE = r"""\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?"""
_CROWDED_TAG = re.compile(rf"<[a-zA-Z][^\s/>]*(?:{_ATTRIBUTE}){{{MAX_ATTRIBUTES}}}")
_MORE_ATTRIBUTES = re.compile(rf"(?:{_ATTRIBUTE})*")
_NOT_TEXT = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object")
MAX_JSON_LD_CHARS = 1_000_000  # a metadata block is a few kilobytes; bigger ones are not read
MAX_JSON_LD_DEPTH = 64  # schema.org graphs nest a handful of levels; json.loads recurses once per level
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_NON_BRACKET = re.compile(r"[^\[\]{}]+")
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


def extract_html(html: str, url: str | None, max_chars: int = MAX_HTML_CHARS) -> HtmlParts:
    """Main text lines and metadata candidates of an HTML page. Lines are empty when no main text is found.

    Elements keep their first `MAX_ATTRIBUTES` attributes. A page over `max_chars` characters goes to trafilatura
    slimmed and, if still too big, cut (flag `html_truncated`); metadata is read from the whole page first.

    Raises:
        ExtractError: trafilatura failed on the page.
    """
    html = cap_attributes(html)
    tree = _parse(html)
    flags: set[str] = set()
    candidates = _page_candidates(tree, flags) if tree is not None else []
    if url:
        candidates += url_candidates(url)
    html = _bounded(html, tree, max_chars, flags)
    document = _main_text(html, url)
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


def _page_candidates(tree: lxml.html.HtmlElement, flags: set[str]) -> list[Candidate]:
    candidates = _json_ld(tree, flags)
    candidates += _meta(tree)
    return candidates + _title_and_lang(tree, candidates)


def cap_attributes(html: str) -> str:
    """`html` with every attribute after an element's first `MAX_ATTRIBUTES` removed."""
    pieces, done = [], 0
    for crowded in _CROWDED_TAG.finditer(html):
        if crowded.start() < done:
            continue
        rest = _MORE_ATTRIBUTES.match(html, crowded.end())
        pieces += [html[done : crowded.end()]]
        done = rest.end() if rest else crowded.end()
    return "".join([*pieces, html[done:]]) if pieces else html


def _bounded(html: str, tree: lxml.html.HtmlElement | None, max_chars: int, flags: set[str]) -> str:
    """The page, slimmed and then cut to `max_chars` when it is bigger (the tree is changed in place)."""
    if len(html) <= max_chars:
        return html
    if tree is not None:
        _slim(tree)
        html = lxml.html.tostring(tree, encoding="unicode")
    if len(html) > max_chars:
        opened = html.rfind("<", 0, max_chars)
        inside_a_tag = opened > html.rfind(">", 0, max_chars)
        html = html[: opened if inside_a_tag else max_chars]
        flags.add("html_truncated")
    return html


def _slim(tree: lxml.html.HtmlElement) -> None:
    """Drop what is not page text: scripts, styles, embedded objects, comments, <meta>/<link> past the first
    `MAX_HEAD_ELEMENTS`; shorten <title> to what a title can be."""
    lxml.etree.strip_elements(tree, *_NOT_TEXT, with_tail=False)
    lxml.etree.strip_tags(tree, lxml.etree.Comment, lxml.etree.ProcessingInstruction)
    for name in ("meta", "link"):
        for element in tree.xpath(f"//{name}")[MAX_HEAD_ELEMENTS:]:
            element.drop_tree()
    for title in tree.iter("title"):
        title.text = (title.text or "")[:MAX_TITLE_CHARS]


def _main_text(html: str, url: str | None) -> Any:
    """trafilatura's document (text and metadata), or None when it finds no main text."""
    try:
        return trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True, deduplicate=False
        )
    except (lxml.etree.LxmlError, ValueError, RecursionError) as error:
        raise ExtractError(f"the HTML could not be read: {type(error).__name__}: {error}") from error


def _parse(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(html.encode("utf-8"), lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.ParserError, ValueError) as error:
        logger.debug("unparsable HTML: %s", error)
        return None


def _json_ld(tree: lxml.html.HtmlElement, flags: set[str]) -> list[Candidate]:
    out: list[Candidate] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        data = _load_json_ld(script.text_content() or "null")
        for node in _nodes(data):
            kinds = node.get("@type", [])
            kinds = {k.lower() for k in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(k, str)}
            if not kinds & _ARTICLE_TYPES:
                continue
            if "opinionnewsarticle" in kinds:
                flags.add("opinion")
            out += _article_node(node)
    return out


def _load_json_ld(text: str) -> Any:
    """The parsed block, or None when it is malformed, too big or nested too deeply to be page metadata."""
    if len(text) > MAX_JSON_LD_CHARS or _json_depth(text) > MAX_JSON_LD_DEPTH:
        logger.debug("JSON-LD block ignored: %d characters, nested too deeply or too big", len(text))
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, an integer too long to convert
        logger.debug("JSON-LD block ignored: %s", error)
        return None


def _json_depth(text: str) -> int:
    """How deeply arrays and objects nest in a JSON text (brackets inside strings do not count)."""
    brackets = _JSON_NON_BRACKET.sub("", _JSON_STRING.sub('""', text))
    depth = deepest = 0
    for bracket in brackets:
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_LD_DEPTH:
            break
    return deepest


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
    for meta in tree.xpath("//meta[@content]")[:MAX_HEAD_ELEMENTS]:
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
