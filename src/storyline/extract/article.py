"""Document -> Article: clean text, voted metadata with provenance, flags, sections and a content-hash id."""

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storyline.errors import ExtractError
from storyline.extract.dates import parse_date
from storyline.extract.html import extract_html, url_candidates
from storyline.extract.language import LanguageDetector
from storyline.extract.metadata import Candidate, Vote, normalize_key, vote
from storyline.extract.text import Cleaned, clean_lines, is_heading
from storyline.records import Article, Document, Evidence, Hint, Provenance, Section

__all__ = ["ExtractSettings", "Extractor", "article_id", "find_sections"]

PARAGRAPH = "\n\n"


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    min_words: int = 10  # a body shorter than this is "no main text"
    language_sample: int = 800  # characters of the body given to the language detector


def article_id(text: str) -> str:
    """Content hash of the normalized text: NFKC, case-folded, whitespace collapsed."""
    normalized = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


class Extractor:
    """Turns Documents into Articles. Holds the language detector, which loads its models on first use."""

    def __init__(self, settings: ExtractSettings = ExtractSettings()) -> None:
        self.settings = settings
        self.detect_language = LanguageDetector(settings.language_sample)

    def __call__(self, document: Document) -> Article:
        """Extract one article. Raises ExtractError when the document has no usable main text."""
        candidates = list(_hint_candidates(document.hints))
        flags: set[str] = set()
        url = document.url or _hint(document.hints, "url")
        if document.media_type == "html":
            parts = extract_html(document.content, url)
            lines, flags = parts.lines, set(parts.flags)
            candidates += parts.candidates
        else:
            lines = document.content.splitlines()
            if url:
                candidates += url_candidates(url)
        title_votes = vote(c for c in candidates if c.field == "title")
        title_hint = str(title_votes["title"].value) if "title" in title_votes else None
        cleaned = clean_lines(lines, title_hint)
        body = PARAGRAPH.join(cleaned.body)
        words = len(body.split())
        if words < self.settings.min_words or not cleaned.title:
            raise ExtractError(f"no main text: {words} words in the body (minimum {self.settings.min_words})")
        return self._assemble(document, url, cleaned, candidates + cleaned.candidates, flags)

    def _assemble(
        self,
        document: Document,
        url: str | None,
        cleaned: Cleaned,
        candidates: list[Candidate],
        flags: set[str],
    ) -> Article:
        title = " ".join(cleaned.title.split())
        text = PARAGRAPH.join([title, *cleaned.header, *cleaned.body])
        identifier = article_id(text)
        body = PARAGRAPH.join(cleaned.body)
        language, language_confidence = self.detect_language(body)
        votes = vote(candidates)
        votes["title"] = _title_vote(candidates, title)
        provenance = [
            Provenance(field, v.source, v.confidence, _evidence(identifier, text, v.value))
            for field, v in sorted(votes.items())
            if field not in ("language", "tags")
        ]
        if language:
            provenance.append(Provenance("language", "detector", language_confidence))
        tags = _merge_tags(cleaned.tags, candidates)
        if tags:
            provenance.append(Provenance("tags", "text" if cleaned.tags else _tag_source(candidates), 1.0))
        return Article(
            id=identifier,
            text=text,
            title=title,
            url=url,
            locations=(document.location,),
            outlet=_as_str(votes.get("outlet")),
            authors=_as_tuple(votes.get("authors")),
            published=_as_str(votes.get("published")),
            language=language or _as_str(votes.get("language")),
            tags=tags,
            flags=tuple(sorted(flags | cleaned.flags)),
            provenance=tuple(sorted(provenance, key=lambda p: p.field)),
            sections=tuple(find_sections(text)),
            removed=tuple(cleaned.removed),
        )


def _title_vote(candidates: Sequence[Candidate], title: str) -> Vote:
    """The title is the one in the text; its confidence follows the voting formula over title candidates."""
    key = normalize_key(title, "title")
    options = [c for c in candidates if c.field == "title"]
    agreeing = [c for c in options if normalize_key(c.value, "title") == key]
    if not agreeing:
        return Vote(title, "title-line", 0.5)
    best = max(agreeing, key=lambda c: c.weight)
    share = sum(c.weight for c in agreeing) / sum(c.weight for c in options)
    return Vote(title, best.source, round(share * best.weight, 3))


def _hint(hints: Sequence[Hint], field: str) -> str | None:
    return next((h.value for h in hints if h.field == field and h.value), None)


def _hint_candidates(hints: Iterable[Hint]) -> Iterable[Candidate]:
    for hint in hints:
        value = hint.value.strip()
        if not value or hint.field == "url":
            continue
        if hint.field == "published":
            parsed = parse_date(value)
            if parsed:
                yield Candidate("published", parsed, hint.source)
        elif hint.field in ("authors", "tags"):
            items = tuple(v.strip() for v in re.split(r"\s*[;,]\s*|\s+and\s+", value) if v.strip())
            if items:
                yield Candidate(hint.field, items, hint.source)
        else:
            yield Candidate(hint.field, value, hint.source)


def _evidence(article: str, text: str, value: str | tuple[str, ...]) -> Evidence | None:
    needle = value[0] if isinstance(value, tuple) and value else value
    if not isinstance(needle, str) or len(needle) < 2:
        return None
    start = text.find(needle)
    if start < 0:
        match = re.search(re.escape(needle), text, re.IGNORECASE)
        if match is None:
            return None
        start = match.start()
    return Evidence(article, start, start + len(needle))


def _merge_tags(text_tags: Sequence[str], candidates: Sequence[Candidate]) -> tuple[str, ...]:
    tags = list(text_tags)
    for candidate in candidates:
        if candidate.field == "tags" and isinstance(candidate.value, tuple):
            tags.extend(candidate.value)
    seen: set[str] = set()
    unique = []
    for tag in tags:
        key = tag.casefold().strip()
        if key and key not in seen:
            seen.add(key)
            unique.append(tag.strip())
    return tuple(unique)


def _tag_source(candidates: Sequence[Candidate]) -> str:
    return next((c.source for c in candidates if c.field == "tags"), "text")


def _as_str(v: Vote | None) -> str | None:
    return v.value if v is not None and isinstance(v.value, str) else None


def _as_tuple(v: Vote | None) -> tuple[str, ...]:
    if v is None:
        return ()
    return v.value if isinstance(v.value, tuple) else (v.value,)


def find_sections(text: str) -> list[Section]:
    """Headed parts of an article text: a heading paragraph followed by text, up to the next heading."""
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    heading = [is_heading(text[start:end]) for start, end in paragraphs]
    sections = []
    for i in range(1, len(paragraphs) - 1):
        if not heading[i] or heading[i + 1]:
            continue
        last = next((j - 1 for j in range(i + 1, len(paragraphs)) if heading[j]), len(paragraphs) - 1)
        start, end = paragraphs[i]
        sections.append(Section(text[start:end].strip(), start, paragraphs[last][1]))
    return sections
