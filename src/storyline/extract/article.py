"""Document -> Article: clean text, voted metadata with provenance, flags, sections and a content-hash id."""

import dataclasses
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
from storyline.extract.text import Cleaned, clean_lines, is_heading, word_count
from storyline.instructions import FLAG as INSTRUCTIONS_FLAG
from storyline.instructions import addresses_model
from storyline.records import Article, Document, Evidence, Hint, Provenance, Section

__all__ = ["ExtractSettings", "Extractor", "article_id", "find_sections"]

PARAGRAPH = "\n\n"
DERIVED_TITLE_CONFIDENCE = 0.3  # a title cut from the first sentence is a stand-in, not the author's headline
MAX_METADATA_CHARS = 300  # a candidate value longer than this is page text, not a title, name or date
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    min_words: int = 10  # a text (title included) shorter than this, in `word_count` words, is "no main text"
    language_sample: int = 800  # characters of the body given to the language detector
    max_chars: int = 1_000_000  # characters of a document read; the rest is cut (flag html_truncated/text_truncated)
    time_limit: float = 20.0  # seconds one document may take; 0 disables (enforced by the pipeline)


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
        document = _without_surrogates(document)
        url = document.url or _hint(document.hints, "url")
        lines, candidates, flags = self._read(document, url)
        title_votes = vote(c for c in candidates if c.field == "title")
        title_hint = str(title_votes["title"].value) if "title" in title_votes else None
        cleaned = clean_lines(lines, title_hint)
        words = word_count(_article_text(cleaned))
        if words < self.settings.min_words:
            raise ExtractError(f"no main text: {words} words, the minimum is {self.settings.min_words}")
        if not cleaned.body:
            raise ExtractError(f"no main text: only a title ({words} words)")
        return self._assemble(document, url, cleaned, candidates + cleaned.candidates, flags)

    def _read(self, document: Document, url: str | None) -> tuple[list[str], list[Candidate], set[str]]:
        """The document's lines, its metadata candidates and the flags reading it set."""
        candidates = list(_hint_candidates(document.hints))
        flags = set(document.flags)
        if document.media_type == "html":
            parts = extract_html(document.content, url, self.settings.max_chars)
            lines = parts.lines
            flags |= parts.flags
            candidates += parts.candidates
        else:
            lines = _bounded_lines(document.content, self.settings.max_chars, flags)
            if url:
                candidates += url_candidates(url)
        candidates = [c for c in candidates if _plausible(c)]
        if any(_SURROGATE.search(v) for c in candidates for v in _values(c)):  # "\\ud800" escaped in JSON-LD
            candidates = [_without_surrogate_values(c) for c in candidates]
            flags.add("surrogates-replaced")
        return lines, candidates, flags

    def _assemble(
        self,
        document: Document,
        url: str | None,
        cleaned: Cleaned,
        candidates: list[Candidate],
        flags: set[str],
    ) -> Article:
        title = _article_title(cleaned)
        text = _article_text(cleaned)
        identifier = article_id(text)
        body = PARAGRAPH.join(cleaned.body)
        language, language_confidence = self.detect_language(body)
        votes = vote(candidates)
        votes["title"] = _title_vote(candidates, title, cleaned.title_derived)
        provenance = _voted_provenance(identifier, text, votes)
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
            flags=tuple(sorted(flags | cleaned.flags | ({INSTRUCTIONS_FLAG} if addresses_model(text) else set()))),
            provenance=tuple(sorted(provenance, key=lambda p: p.field)),
            sections=tuple(find_sections(text)),
            removed=tuple(cleaned.removed),
        )


def _voted_provenance(identifier: str, text: str, votes: dict[str, Vote]) -> list[Provenance]:
    return [
        Provenance(field, v.source, v.confidence, _evidence(identifier, text, v.value))
        for field, v in sorted(votes.items())
        if field not in ("language", "tags")
    ]


def _article_title(cleaned: Cleaned) -> str:
    """The headline: a derived title exactly as it starts the text, any other with its spacing collapsed."""
    return cleaned.title if cleaned.title_derived else " ".join(cleaned.title.split())


def _article_text(cleaned: Cleaned) -> str:
    """Title line, bylines, body. A derived title is the start of the first body line, so it is not repeated."""
    if cleaned.title_derived:
        return PARAGRAPH.join([*cleaned.header, *cleaned.body])
    return PARAGRAPH.join([_article_title(cleaned), *cleaned.header, *cleaned.body])


def _without_surrogates(document: Document) -> Document:
    """The document with lone surrogates (which no encoder accepts) replaced by U+FFFD, flagged when any were."""
    fields = (document.content, document.location, document.url or "", *(h.value for h in document.hints))
    if not any(_SURROGATE.search(value) for value in fields):
        return document
    hints = tuple(dataclasses.replace(h, value=_SURROGATE.sub("\ufffd", h.value)) for h in document.hints)
    return dataclasses.replace(
        document,
        content=_SURROGATE.sub("\ufffd", document.content),
        location=_SURROGATE.sub("\ufffd", document.location),
        url=_SURROGATE.sub("\ufffd", document.url) if document.url else document.url,
        hints=hints,
        flags=(*document.flags, "surrogates-replaced"),
    )


def _bounded_lines(text: str, max_chars: int, flags: set[str]) -> list[str]:
    """The lines of the first `max_chars` characters of `text`, cut at a line end (flag `text_truncated`)."""
    if len(text) > max_chars:
        end = text.rfind("\n", 0, max_chars)
        text = text[: end if end > 0 else max_chars]
        flags.add("text_truncated")
    return text.splitlines()


def _values(candidate: Candidate) -> tuple[str, ...]:
    return candidate.value if isinstance(candidate.value, tuple) else (candidate.value,)


def _without_surrogate_values(candidate: Candidate) -> Candidate:
    values = tuple(_SURROGATE.sub("\ufffd", v) for v in _values(candidate))
    return dataclasses.replace(candidate, value=values if isinstance(candidate.value, tuple) else values[0])


def _plausible(candidate: Candidate) -> bool:
    """False for a candidate value too long to be metadata (a whole page in a <title> or a meta tag)."""
    values = _values(candidate)
    return len(values) <= 100 and all(len(v) <= MAX_METADATA_CHARS for v in values)


def _title_vote(candidates: Sequence[Candidate], title: str, derived: bool = False) -> Vote:
    """The title is the one in the text; its confidence follows the voting formula over title candidates."""
    if derived:
        return Vote(title, "derived", DERIVED_TITLE_CONFIDENCE)
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
        if not value or hint.field in ("url", "fetched"):  # not metadata of the article
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
