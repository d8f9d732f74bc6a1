"""Marks a page prints around a report that scraped text keeps at a line's start: bylines, page stamps, datelines.

Pages flattened to text run them into the title and the first sentence ("By the CNN Wire Staff The moment Egypt
was free ...", "8 November 2011 Last updated at 11:01 GMT Help The family of ..."). The headline (voices.py) and
every candidate sentence (candidates.py) start after them; spans stay exact, since only the start moves.
"""

import re

from storyline.records import Article
from storyline.synthesize.similarity import STOP_WORDS

__all__ = ["byline_prefix", "headline_span", "leading_marks", "run_on_cut", "title_run_on"]

# A byline run into a title that was derived from the first line of a scraped page: "By the CNN Wire Staff The
# moment Egypt was free", "By Michael Martinez, CNN It was 17 days ...", "By Amy Hybels, Special to CNN ..." (the
# outlet in capitals)
_BYLINE_PREFIX = re.compile(
    r"By\s+(?:the\s+(?:[A-Z][\w.'’-]*+\s+){1,3}[Ss]taff|(?:[A-Z][\w.'’-]*+\s+){1,3}?[A-Z][\w.'’-]*+"
    r"(?:\s+and\s+(?:[A-Z][\w.'’-]*+\s+){1,3}?[A-Z][\w.'’-]*+)?(?:,\s+|,?\s+(?:[Ss]pecial\s+to|[Ff]or)\s+)"
    r"[A-Z]{2,}+)\s+(?=[A-Z\"“‘'])"
)


# A page's stamp or a wire dateline in a title derived from a scraped page's first line: a clock time with its
# zone ("5:40 pm EDT", "15:41 GMT", "08:43 UK"), "Last updated", an agency in brackets ("WASHINGTON (Reuters)")
_ZONES = "GMT|BST|UTC|CET|CEST|EDT|EST|CDT|CST|MDT|MST|PDT|PST|ET|JST|IST|HKT|SGT|AEST|AEDT|UK"
_STAMP = re.compile(
    rf"\b\d{{1,2}}[:.]\d{{2}}\s*(?:[AaPp]\.?[Mm]\.?\s*)?(?:{_ZONES})\b"
    r"|\b(?:[Pp]age\s+)?[Ll]ast\s+[Uu]pdated\b|\((?:Reuters|AP|AFP|UPI)\)"
)
# what is left of a stamp on either side of it: separators, weekdays, day numbers, months, a dateline's city in
# capitals, an agency, a page's "Help" link (one separator a time: a run of them can then be matched one way only,
# where "[...]+" inside the repeated group tried every split of a long run)
_STAMP_WORD = (
    r"[\s,|:;–—-]|\((?:Reuters|AP|AFP|UPI)\)|\b(?:on|at|time|Help|[Pp]age|Aired)\b"
    r"|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
    r"|\b\d{1,4}(?:st|nd|rd|th)?\b|\b[A-Z][A-Z.-]*[A-Z]\b(?!['’])"
)
_STAMP_TAIL = re.compile(rf"(?:{_STAMP_WORD})+$")  # searched in the last STAMP_REACH characters before a stamp only
STAMP_REACH = 80  # (a search for a run that must reach the end tries every start: quadratic in what it reads)
_STAMP_HEAD = re.compile(rf"(?:{_STAMP_WORD})+")  # matched at the stamp's end
# ... when it is a page's: a year right before the clock ("May 11, 2009 5:40 pm EDT"), a bar, "Last updated", an agency
_STAMPED = re.compile(r"\b(?:19|20)\d\d[\s,–—-]+\d{1,2}[:.]\d{2}|\||[Ll]ast\s+[Uu]pdated|\((?:Reuters|AP|AFP|UPI)\)")


def byline_prefix(title: str) -> int:
    """Where a title starts after a byline run into it (0 when none, or when nothing of three words is left)."""
    found = _BYLINE_PREFIX.match(title)
    if found is None or len(title[found.end() :].split()) < 3:
        return 0
    return found.end()


# a bar and a date after a byline: "By the CNN Wire Staff | September 15, 2010 The U.S. Embassy ...", "By Bruce
# Feiler, Special to CNN | March 29, 2010 This Saturday ..."
_BAR_DATE = re.compile(r"\|\s*[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}\s+")
_BYLINE_BAR = re.compile(r"By\s+(?:the\s+)?[A-Z][^|\n]{2,60}?\s+(?=\|\s*[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}\s)")
_NAME_BAR = re.compile(r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,2} \|\s*")  # a writer's name and a bar before a stamp
LEAD_REACH = 120  # characters from a line's start within which a page stamp is looked for


def leading_marks(text: str, start: int, end: int) -> int:
    """Where the words of `text[start:end]` start after a byline run into them (and a bar with a date after it)
    and after a page stamp or wire dateline they open with ("Page last updated at 08:14 GMT, Tuesday, 8 November
    2011 Propofol is ..."): `start` when there is none, or when fewer than three words would be left."""
    position = start
    byline = _BYLINE_PREFIX.match(text, position, end) or _BYLINE_BAR.match(text, position, end)
    if byline is not None and len(text[byline.end() : end].split()) >= 3:
        position = byline.end()
        bar = _BAR_DATE.match(text, position, end)
        position = bar.end() if bar is not None else position
    stamps = list(_STAMP.finditer(text, position, min(end, position + LEAD_REACH)))
    if not stamps or not _STAMPED.search(text, position, stamps[-1].end()):
        return position
    first = stamps[0]
    named = _NAME_BAR.match(text, position, first.start())  # a blog's "Fergus Walsh | 08:17 UK time, ..."
    opening = named.end() if named is not None else position
    if first.start() > opening and not _STAMP_TAIL.fullmatch(text, opening, first.start()):
        return position  # words before the stamp: it is no opening mark
    last = first
    for stamp in stamps[1:]:  # stamp marks joined by what is left of a stamp ("22:54 JST WASHINGTON (Reuters)")
        if not _STAMP_HEAD.fullmatch(text, last.end(), stamp.start()):
            break
        last = stamp
    after = _STAMP_HEAD.match(text, last.end(), end)
    words = after.end() if after is not None else last.end()
    if text[words:end][:1].isupper() and len(text[words:end].split()) >= 3:
        return words
    return position


def headline_span(title: str) -> tuple[int, int] | None:
    """The part of a title a headline may show: after a byline run into it (`byline_prefix`), and, where a page's
    stamp or a wire dateline ran into it ("Page last updated at 08:58 GMT, Thursday", "Last updated: 1 May, 2009
    - 17:54 GMT Mexico shuts down ...", "WASHINGTON | Mon May 11, 2009 5:40 pm EDT WASHINGTON (Reuters)"), the
    longer of the words before and after the stamp; None when neither side is a headline (three words or more,
    some of them lower case, not a bracket's or a byline's start)."""
    start = byline_prefix(title)
    stamps = list(_STAMP.finditer(title, start))
    if not stamps or not _STAMPED.search(title, start):  # a clock time alone is news: "Kim meets Trump at 9:00 ET"
        return start, len(title)
    sides = []
    before = _STAMP_TAIL.search(title, max(start, stamps[0].start() - STAMP_REACH), stamps[0].start())
    sides.append((start, before.start() if before else stamps[0].start()))
    after = _STAMP_HEAD.match(title, stamps[-1].end())
    sides.append((after.end() if after else stamps[-1].end(), len(title)))
    sides = [(a + len(title[a:b]) - len(title[a:b].lstrip()), b) for a, b in sides]  # no leading space
    usable = [(a, b) for a, b in sides if _headline_words(title[a:b])]
    return max(usable, key=lambda side: len(title[side[0] : side[1]].split())) if usable else None


_PLACE_LINE = re.compile(r"[A-Z][A-Z .'-]+,\s*[A-Z][a-z]+(?: [A-Z][a-z]+)?")  # "SAN JUAN, Puerto Rico"


def _headline_words(text: str) -> bool:
    """Three words or more, some with lower-case letters; no bracket, byline, credit or dateline place."""
    words = text.split()
    lettered = any(c.islower() for c in text)  # not a dateline's city in capitals
    opening = text.startswith(("(", "By ", "Credit:", "Photo:"))
    return len(words) >= 3 and lettered and not opening and not _PLACE_LINE.fullmatch(text)


# A sentence that starts inside a derived title, the page's headline and lead having been run together: a word
# after a lower-case content word, capitalised though the text writes it in lower case elsewhere ("... withdrawn
# from auction The value of ...", "... to return after weekend Prosecutors ended their case ...")
_RUN_ON_START = re.compile(r"(?<=[a-z,;)’'\d]) ([A-Z][a-z]+)\b(?= [a-z])")  # then a lower-case word
_RUN_ON_OPENER = re.compile(r"(?<=[a-z,;)’'\d]) ([A-Z][a-z]*)\b")  # "... auction The value", "... sentence With ..."
_SENTENCE_OPENERS = frozenset(
    "The A An In On At For But And As It He She They We This That These Those His Her Their Its Our After Before "
    "When While If With Some Many More Most".split()
)


def run_on_cut(title: str, start: int, end: int, text: str) -> int | None:
    """Where a second sentence starts inside `title[start:end]` (a run-on of a headline and its lead), leaving
    three words or more before it; None when there is none."""
    openers = [f for f in _RUN_ON_OPENER.finditer(title, start, end) if f.group(1) in _SENTENCE_OPENERS]
    for found in sorted([*openers, *_RUN_ON_START.finditer(title, start, end)], key=lambda f: f.start()):
        before = title[start : found.start()].split()
        word = found.group(1)
        if len(before) < 3 or not before[-1][:1].islower() or before[-1].lower().strip(",;") in STOP_WORDS:
            continue  # "... of the Senate", "... Pennsylvania Supreme Court": part of a name
        if word in _SENTENCE_OPENERS:
            return found.start()  # a function word needs no more
        lower = re.search(rf"\b{re.escape(word.lower())}\b", text)
        inside = re.findall(rf"\b[a-z][\w'’-]* {re.escape(word)}\b", text)
        if lower and len(inside) <= 1:
            return found.start()  # written in lower case in the text, capitalised inside a sentence only here
    return None


def title_run_on(article: Article, start: int, end: int) -> int | None:
    """`run_on_cut` of a derived title (the first line of a title-less record) within `title[start:end]`, for an
    English record (the test reads English capitalisation); None for any other title."""
    if "title_derived" not in article.flags or (article.language or "en") != "en":
        return None
    return run_on_cut(article.title, start, end, article.text)
