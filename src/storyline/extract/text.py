"""Structure of an article given as lines: chrome, title, bylines, tags, furniture, repeats.

`clean_lines` applies general rules, in order:
1. furniture lines (navigation, calls to action, comment prompts, disclaimers) are removed with their reason;
2. before the title, short non-prose lines are page chrome: dates there become publication-date candidates;
3. the title is the given hint's line, else the first title-like line (3+ words, not a sentence run);
   when no line in the first eight (before the first paragraph too long to be a title) is title-like, or the
   only candidate has nothing under it, the title is derived from the first sentence (`derive_title`) and every
   line is body;
4. byline lines just after the title ("Outlet · Author · date", "By X and Y") give author/outlet/date candidates
   and stay in the text; a date-only line there is chrome;
5. repeated paragraphs (exact, or a truncated "…" teaser of a later paragraph) and repeated titles are removed;
6. a run of short label lines between the title and the first paragraph, or a "Tags:" line, becomes tags;
7. headings left with nothing under them at the end ("Sources:") are removed.
"""

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from storyline.extract.boilerplate import classify_line
from storyline.extract.dates import find_date
from storyline.extract.metadata import Candidate
from storyline.records import Removal

__all__ = ["TITLE_WORDS", "Cleaned", "clean_lines", "derive_title", "is_heading", "word_count"]

# Scripts written without spaces between words: their characters are counted and divided by the characters of
# an average word. Han and kana: 2 (a Chinese word averages about 1.7 characters, a Japanese one a little more
# with its kana endings). Thai, Lao, Khmer and Myanmar: 4 code points (vowel and tone marks are code points of
# their own). Hangul is written with spaces and is counted by them.
_HAN_KANA = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_SOUTHEAST_ASIAN = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
_UNSPACED = ((re.compile(f"[{_HAN_KANA}]"), 2), (re.compile(f"[{_SOUTHEAST_ASIAN}]"), 4))
_UNSPACED_ANY = re.compile(f"[{_HAN_KANA}{_SOUTHEAST_ASIAN}]")
_ALNUM = re.compile(r"[^\W_]")
_TERMINAL = tuple('.!?。！？"”’»」』:：')
_BULLET = re.compile(r"^\s*(?:[-*•·▪‣–]|\d{1,2}[.)])\s+")
_BYLINE_SPLIT = re.compile(r"\s+[·•|—–-]\s+|\s*[·•|]\s*")
_BY = re.compile(r"^(?:by|von|par|por|di|door|作者[:：]?)\s+(?P<names>.+)$", re.IGNORECASE)
_ROLE = re.compile(
    r"\b(?:editor|reporter|correspondent|writer|staff|contributor|columnist|analyst|producer|bureau|desk)\b",
    re.I,
)
# Nouns that newspaper, magazine, wire and site names are made of: a segment holding one is not a person.
_OUTLET_WORD = re.compile(
    r"\b(?:news|times|post|journal|daily|press|media|review|tribune|herald|gazette|weekly|magazine|wire|radio|tv"
    r"|network|reuters|ap|afp|bloomberg|insider|today|report|observer|guardian|telegraph|chronicle|standard"
    r"|monitor|digest|blog|newsletter|substack|online|agency|broadcasting|channel|world|global|watch|courier"
    r"|sun|star|mail|express|examiner|inquirer|register|bulletin|dispatch|ledger|record|sentinel|telegram"
    r"|voice|beacon|citizen|independent|nation|globe|mercury|leader|mirror|week|quarterly|wired"
    r"|associated|united|tech|labs?|\.com)\b",
    re.IGNORECASE,
)
# English words a person's name does not hold, which a Title Case headline fragment does
_NOT_IN_NAMES = frozenset(
    "and or but nor not no the an is are was were be been has have had would could should here there "
    "they they're we we're you you're it it's its this that these those what why how when who to for with from "
    "about after before over into our your their my his her".split()
)
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_][\w'’-]*|[^\W\d_]\.|de|da|van|von|der|bin|al|la|le|di)$")
_TAG_LABEL = re.compile(
    r"^(?:tags?|topics?|keywords?|filed under|categories|标签|关键词|schlagwörter|etiquetas|mots-clés)\s*[:：]\s*(.+)$",
    re.IGNORECASE,
)
_TAG_SPLIT = re.compile(r"\s*[,，、;；|#·]\s*")
_DATELINE = re.compile(r"^[A-Z][A-Z .,'’-]{2,40}\s*\((?P<outlet>[A-Z][\w .&'-]{1,30})\)\s*[-–—]")
_SOURCE_LABEL = re.compile(r"^(?:sources?|references?|citations?|links|further reading)\s*[:：]?$", re.IGNORECASE)
_ELLIPSIS = ("...", "…")
_FULL_STOP = (".", "。", "．")
TITLE_WORDS = 20  # a derived title longer than this is cut at a clause boundary, else after HARD_CUT_WORDS
MIN_CLAUSE_WORDS = 8  # a clause boundary closer to the start than this leaves too short a title
HARD_CUT_WORDS = 16
TITLE_SCAN_CHARS = 2000  # the first sentence is looked for in this many characters
_SENTENCE_END = re.compile(r"(?:[.!?…]+[\"'”’»)\]]*(?=\s|$))|(?:[。！？．]+[」』）]*)")
_CLAUSE_END = re.compile(
    r"[,;:，、；：](?=\s|[^\x00-\x7f])|\s[—–-]\s" + f"|(?<=[{_SOUTHEAST_ASIAN}])\\s(?=[{_SOUTHEAST_ASIAN}])"
)  # Thai and its neighbours put a space between clauses, not between words
_PARTICLE_END = re.compile(
    r"[\u3041-\u309f](?=[\u30a0-\u30ff\u3400-\u9fff])(?!.*[\u3041-\u309f][\u30a0-\u30ff\u3400-\u9fff])"
)
_TOKEN = re.compile(f"[{_HAN_KANA}{_SOUTHEAST_ASIAN}]|[^\\s{_HAN_KANA}{_SOUTHEAST_ASIAN}]+")
_DANGLING = frozenset("a an the and or but of to in on at for with after before by from that as into".split())
_TITLE_TRIM = " .,;:。，、；：．—–-"
MAX_TAG_CHARS = 40


@dataclass
class Cleaned:
    """What `clean_lines` found. Mutable while it is being built; `extract_article` freezes it into an Article."""

    title: str
    header: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    candidates: list[Candidate] = field(default_factory=list)
    title_derived: bool = False  # no title line: `title` is the start of the first body line (`derive_title`)


def word_count(text: str) -> int:
    """Words in `text`, any script: space-separated tokens holding a letter or digit, plus the characters of
    scripts written without spaces divided by their characters per word (`_UNSPACED`), rounded up.

    >>> word_count("Open source AI 开源人工智能的未来")
    8
    """
    words = sum(1 for token in _UNSPACED_ANY.sub(" ", text).split() if _ALNUM.search(token))
    for pattern, chars_per_word in _UNSPACED:
        characters = pattern.subn("", text)[1]
        words += -(-characters // chars_per_word)
    return words


_SENTENCE_INSIDE = re.compile(r"[.!?。！？][\"”’»」]?\s")


def is_heading(line: str) -> bool:
    """A short line without closing punctuation: a section heading or a label (not a quote, not sentences)."""
    stripped = line.strip()
    return (
        0 < len(stripped) <= 80
        and word_count(stripped) <= 10
        and not stripped.endswith(_TERMINAL[:-2])
        and not stripped.startswith(("“", '"', "«", "„", "「", "‘"))
        and not _SENTENCE_INSIDE.search(stripped)
        and not _BULLET.match(stripped)
    )


def _is_prose(line: str) -> bool:
    return word_count(line) >= 12 or (word_count(line) >= 6 and line.rstrip().endswith(_TERMINAL))


def _is_title_like(line: str) -> bool:
    words = word_count(line)
    return (
        3 <= words <= 40
        and len(line) <= 250
        and not _is_sentence(line)
        and not line.endswith((":", "："))
        and not _BULLET.match(line)
    )


def _is_sentence(line: str) -> bool:
    """A body line, not a headline: too long for one, or a sentence of six words or more closed by a full stop."""
    return len(line) > 250 or word_count(line) > 40 or (line.endswith(_FULL_STOP) and word_count(line) >= 6)


def _key(line: str) -> str:
    text = unicodedata.normalize("NFKC", line).casefold()
    return re.sub(r"\W+", " ", text).strip()


def clean_lines(lines: Sequence[str], title_hint: str | None = None) -> Cleaned:
    """Split `lines` into title, header (bylines), body and tags; record every removal and metadata candidate."""
    kept = [line.strip() for line in lines if line.strip()]
    cleaned = Cleaned(title=title_hint or "")
    kept = _drop_furniture(kept, cleaned)
    position = _find_title(kept, title_hint, cleaned)
    rest = kept[position + 1 :] if position >= 0 else kept
    if not cleaned.title_derived:  # bylines follow a title line
        rest = _take_bylines(rest, cleaned)
    rest = _drop_repeats(rest, cleaned)
    rest = _take_tags(rest, cleaned)
    cleaned.body = _drop_empty_tail(rest, cleaned)
    if cleaned.body:
        _dateline(cleaned.body[0], cleaned)
        if cleaned.title_derived:
            cleaned.title = derive_title(cleaned.body[0])
            cleaned.flags.add("title_derived")
    return cleaned


def _drop_furniture(lines: list[str], cleaned: Cleaned) -> list[str]:
    out = []
    for line in lines:
        reason = classify_line(line)
        if reason is None:
            out.append(line)
            continue
        cleaned.removed.append(Removal(line, reason))
        if reason == "ai-disclaimer":
            cleaned.flags.add("ai_generated_disclosure")
        else:
            cleaned.flags.add("boilerplate_removed")
    return out


def _find_title(lines: list[str], hint: str | None, cleaned: Cleaned) -> int:
    """Index of the title line in `lines` (-1 when the title comes only from the hint); chrome before it goes."""
    if hint:
        hint_key = _key(hint)
        position = next((i for i, line in enumerate(lines[:8]) if _key(line) == hint_key), -1)
    else:
        window = list(itertools.takewhile(lambda line: not _is_sentence(line), lines[:8]))
        position = next((i for i, line in enumerate(window) if _is_title_like(line) and not _byline(line)), -1)
        if position < 0 or position == len(lines) - 1:  # no headline, or a lone line: it is the body
            cleaned.title_derived = True
            return -1
    if position < 0:
        return -1
    for line in lines[:position]:
        _chrome(line, cleaned)
    cleaned.title = hint or lines[position]
    if not hint:
        cleaned.candidates.append(Candidate("title", lines[position], "title-line"))
    return position


def _chrome(line: str, cleaned: Cleaned) -> None:
    found = find_date(line)
    if found and len(line) - (found[2] - found[1]) <= 12:
        cleaned.candidates.append(Candidate("published", found[0], "chrome"))
        cleaned.removed.append(Removal(line, "chrome-date"))
    else:
        cleaned.removed.append(Removal(line, "chrome"))
    cleaned.flags.add("boilerplate_removed")


def _take_bylines(lines: list[str], cleaned: Cleaned) -> list[str]:
    taken = 0
    for line in lines[:3]:
        found = find_date(line)
        if found and len(line) - (found[2] - found[1]) <= 12 and not _byline(line):
            cleaned.candidates.append(Candidate("published", found[0], "chrome"))
            cleaned.removed.append(Removal(line, "chrome-date"))
        else:
            candidates = _byline(line)
            if not candidates:
                break
            cleaned.candidates.extend(candidates)
            cleaned.header.append(line)
        taken += 1
    return lines[taken:]


def _byline(line: str) -> list[Candidate]:
    """Metadata in a byline line, or [] when the line is not a byline."""
    if len(line) > 160 or line.endswith((".", "!", "?")) and not _BY.match(line):
        return []
    by = _BY.match(line)
    if by:
        line = by.group("names")
    segments = [s.strip() for s in _BYLINE_SPLIT.split(line) if s.strip()]
    found: list[Candidate] = []
    authors: list[str] = []
    for segment in segments:
        date = find_date(segment)
        if date and len(segment) - (date[2] - date[1]) <= 12:
            found.append(Candidate("published", date[0], "byline"))
            continue
        names = _names(segment) if (by or len(segments) > 1) else []
        if names:
            authors.extend(names)
        elif by is None and len(segments) > 1 and word_count(segment) <= 5 and not _ROLE.search(segment):
            found.append(Candidate("outlet", segment, "byline"))
    if authors:
        found.append(Candidate("authors", tuple(authors), "byline"))
    has_person_or_date = any(c.field in ("authors", "published") for c in found)
    return found if has_person_or_date and (by or len(segments) > 1) else []


def _names(segment: str) -> list[str]:
    """Person names in a byline segment ("Jane Doe and John Roe"), or [] when it does not read as names."""
    parts = re.split(r"\s*(?:,|\band\b|&|\bund\b|\bet\b|\by\b)\s*", segment)
    names = []
    for part in parts:
        part = part.strip()
        if not part or _ROLE.search(part):
            continue
        tokens = part.split()
        if not 2 <= len(tokens) <= 4 or _OUTLET_WORD.search(part):
            return []
        if not all(_NAME_TOKEN.match(token) and (token[0].isupper() or token.islower()) for token in tokens):
            return []
        if not tokens[0][0].isupper() or any(t.isupper() and len(t) > 2 for t in tokens):
            return []
        if any(t.casefold().replace("’", "'") in _NOT_IN_NAMES for t in tokens):
            return []  # a headline's second half in Title Case ("... — And They're Not Great"), not a name
        names.append(part)
    return names


def _drop_repeats(lines: list[str], cleaned: Cleaned) -> list[str]:
    title_key = _key(cleaned.title) or None  # a derived title is not known yet, and is part of the body
    keys = [_key(line) for line in lines]
    out, seen = [], set()
    for line, key in zip(lines, keys, strict=True):
        stem = _key(line.rstrip(".… ")) if line.endswith(_ELLIPSIS) else ""
        teaser = len(stem) >= 30 and any(other != key and other.startswith(stem) for other in keys)
        if key == title_key or key in seen or teaser:
            cleaned.removed.append(Removal(line, "repeated"))
            cleaned.flags.add("repeated_paragraphs_removed")
            continue
        if len(key) >= 20:
            seen.add(key)
        out.append(line)
    return out


def _take_tags(lines: list[str], cleaned: Cleaned) -> list[str]:
    out = []
    for line in lines:
        labelled = _TAG_LABEL.match(line)
        tags = [t for t in _TAG_SPLIT.split(labelled.group(1)) if t] if labelled else []
        if tags and all(len(t) <= MAX_TAG_CHARS for t in tags):
            cleaned.tags.extend(tags)
            cleaned.removed.append(Removal(line, "tags"))
        else:
            out.append(line)
    first_prose = next((i for i, line in enumerate(out) if _is_prose(line)), len(out))
    run = [i for i in range(first_prose) if _is_tag_like(out[i])]
    if len(run) >= 2 and run == list(range(first_prose - len(run), first_prose)):
        for i in run:
            cleaned.tags.append(out[i])
            cleaned.removed.append(Removal(out[i], "tags"))
        out = out[: run[0]] + out[first_prose:]
    return out


def _is_tag_like(line: str) -> bool:
    return len(line) <= 30 and word_count(line) <= 4 and not line.endswith(_TERMINAL) and not _BULLET.match(line)


def _drop_empty_tail(lines: list[str], cleaned: Cleaned) -> list[str]:
    """Headings at the end with nothing under them; never the only line left (a one-line record is its text)."""
    out = list(lines)
    while len(out) > 1 and is_heading(out[-1]) and not _is_prose(out[-1]):
        line = out.pop()
        cleaned.removed.append(Removal(line, "empty-section"))
        if _SOURCE_LABEL.match(line):
            cleaned.flags.add("empty_source_list")
    return out


def derive_title(paragraph: str) -> str:
    """A title for a text that has none: its first sentence, cut at a clause boundary (or after
    `HARD_CUT_WORDS` words) when longer than `TITLE_WORDS`. It is a prefix of `paragraph`, without the
    sentence's closing full stop: no word is invented and it can be cited where it stands.

    >>> derive_title("Dr. Ana Ruiz opened the new clinic on Monday. It has 40 beds.")
    'Dr. Ana Ruiz opened the new clinic on Monday'
    """
    sentence = _first_sentence(paragraph[:TITLE_SCAN_CHARS])
    if word_count(sentence) > TITLE_WORDS:
        sentence = sentence[: _clause_cut(sentence)]
    return sentence.rstrip(_TITLE_TRIM) or sentence


def _first_sentence(text: str) -> str:
    """Up to the first sentence end that closes at least three words (so "Dr." or "U.S." does not end it)."""
    for match in _SENTENCE_END.finditer(text):
        if word_count(text[: match.end()]) >= 3:
            return text[: match.end()]
    return text


def _clause_cut(sentence: str) -> int:
    """Where to cut a long sentence: the last clause boundary within `TITLE_WORDS` words (and after
    `MIN_CLAUSE_WORDS`), else after the word that reaches `HARD_CUT_WORDS`."""
    best = None
    for clause in _CLAUSE_END.finditer(sentence):
        words = word_count(sentence[: clause.start()])
        if words > TITLE_WORDS:
            break
        if words >= MIN_CLAUSE_WORDS:
            best = clause.start()
    return best if best is not None else _hard_cut(sentence)


def _hard_cut(sentence: str) -> int:
    """After the word that reaches `HARD_CUT_WORDS`, not after a dangling "the" or "of"; in Japanese, after
    the last particle (hiragana before a kanji or katakana) when there is one in the last ten characters."""
    words, ends = 0.0, []
    for token in _TOKEN.finditer(sentence):
        words += _token_words(token.group())
        ends.append((token.end(), token.group().casefold() in _DANGLING))
        if words >= HARD_CUT_WORDS:
            break
    while len(ends) > 1 and ends[-1][1]:  # "... over the river after" -> "... over the river"
        ends.pop()
    cut = ends[-1][0] if ends else len(sentence)
    particle = _PARTICLE_END.search(sentence, max(0, cut - 10), cut + 1)
    return particle.start() + 1 if particle else cut


def _token_words(token: str) -> float:
    """How much of a word one token of `_TOKEN` is: a spaced word is 1, an unspaced character a fraction."""
    for pattern, chars_per_word in _UNSPACED:
        if pattern.match(token):
            return 1 / chars_per_word
    return 1.0 if _ALNUM.search(token) else 0.0


def _dateline(line: str, cleaned: Cleaned) -> None:
    match = _DATELINE.match(line)
    if match:
        cleaned.candidates.append(Candidate("outlet", match.group("outlet").strip(), "dateline"))
