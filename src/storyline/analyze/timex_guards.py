"""Context checks that a rule's match must pass before it competes with the others.

A check returns the span to keep (sometimes trimmed: "a 30-year bond" keeps "30-year") or None to drop the
match: "may" the verb, "1,200 people" read as a year, "the fall of Rome", "his forties" (an age), "$5 a day"
versus "a day".
"""

import re
from collections.abc import Callable

from storyline.analyze.timex_rules import REFERENCE_WORDS

__all__ = ["check_match"]

Span = tuple[int, int] | None


def _phrases(text: str) -> frozenset[str]:
    """A set of lowercase phrases separated by '|' (or single words separated by whitespace)."""
    separator = "|" if "|" in text else None
    return frozenset(p.strip() for p in text.split(separator) if p.strip())


_TEMPORAL_PREPOSITIONS = _phrases("""
    in of since until till by from to through during before after early late mid last next this that each every
    between and or around for on at circa throughout into within mid- end beginning start middle as
""")
_AMBIGUOUS_MONTHS = _phrases("may march june april august jan mar jun sept sep")
_COUNT_NOUNS = re.compile(
    r"\s*(?:%|percent|per\b|people|persons|shares|employees|workers|troops|soldiers|cars|vehicles|units|tons|"
    r"tonnes|barrels|feet|foot|meters|metres|miles|kilometers|km|points|votes|jobs|homes|houses|students|members|"
    r"dollars|yen|marks|francs|pounds|euros|acres|hectares|calories|mph|hp|pages|words|copies|square|cubic|"
    r"residents|children|patients|cases|deaths|bodies|refugees|prisoners|stores|plants|beds|seats|rooms|"
    r"delegates|passengers|flights|pieces|times|hours|minutes|seconds|days|weeks|months|years|yards|yds|catches|"
    r"carries|receptions|rebounds|assists|games|goals|laps|inches|gallons|liters|litres|kilograms|kg|grams|"
    r"lbs|fans|visitors|signatures|comments|posts)\b",
    re.IGNORECASE,
)
_QUANTITY_BEFORE = re.compile(
    r"(?:\d|%|percent|cents?|dollars?|million|billion|thousand|trillion|points?|times|twice|once|miles|yen|"
    r"euros?|pounds?|marks|francs|barrels|tons|units|people|shares|hours?|rate|rent|interest|salary|fee|more|less)"
    r"\W*$",
    re.IGNORECASE,
)
_NUMBER_LABELS = _phrases("""
    no. no number nos. flight route room page pages article section chapter code rule form highway interstate bus
    boeing model version windows office issue vol. volume top copyright (c)
""")
_VAGUE_ADJECTIVES = _phrases("current")
_DEICTIC = _phrases("today yesterday tomorrow tonight")
_BARE_PLURAL_BEFORE = _phrases("for over within in than after took take takes taking spent lasted last lasting")


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower().replace("’", "'")


def _before(text: str, end: int, size: int = 32) -> str:
    """The text just before `end`: the whitespace right before it and `size` characters more. Checks anchored at
    the end of the text before a match read this, not the whole prefix (that made them quadratic in length)."""
    stop = end
    while stop > 0 and text[stop - 1].isspace():
        stop -= 1
    return text[max(0, stop - size) : end]


def _previous_word(text: str, start: int) -> str:
    match = re.search(r"([\w.'’-]+)\W*$", text[max(0, start - 40) : start])
    return match.group(1).lower() if match else ""


def _is_capitalized(word: str | None) -> bool:
    return bool(word) and word[:1].isupper()  # type: ignore[index]


def _month_ok(m: re.Match[str], text: str, bare: bool) -> bool:
    month = m["month"]
    if not _is_capitalized(month):
        return False
    key = month.lower().rstrip(".")
    if bare and len(key) <= 4 and key not in ("may", "june", "july") and not month.endswith("."):
        return False  # "Jan", "Mar", "Sat" without a period and without a day or year: a name
    if bare and key in _AMBIGUOUS_MONTHS:
        return _previous_word(text, m.start()) in _TEMPORAL_PREPOSITIONS
    return True


def _check_date(m: re.Match[str], text: str) -> Span:
    if not _month_ok(m, text, bare=False):
        return None
    if m.groupdict().get("wd") and not _is_capitalized(m["wd"]):
        return None
    may_percent = re.match(r"\s+\d+\s+(?:percent|%)", text[m.end("month") :])
    if m["month"].lower().rstrip(".") == "may" and not m["year"] and may_percent:
        return None  # "may 5 percent"
    return m.span()


def _check_month(m: re.Match[str], text: str) -> Span:
    bare = not (m["edge"] or m["rel"] or m["year"] or m["relyear"])
    return m.span() if _month_ok(m, text, bare) else None


def _check_year(m: re.Match[str], text: str) -> Span:
    year = m["year"]
    following = text[m.end() : m.end() + 30]
    if m["edge"] or m["fiscal"] or m["possessive"]:
        return m.span()
    previous = _previous_word(text, m.start())
    if (
        previous in _NUMBER_LABELS
        or _COUNT_NOUNS.match(following)
        or re.search(r"[\d$£€#©]\s*$", _before(text, m.start()))
    ):
        return None
    if year[0] in "'’" or int(year) < 1900:
        return m.span() if previous in _TEMPORAL_PREPOSITIONS else None
    return m.span()


def _check_decade(m: re.Match[str], text: str) -> Span:
    if m["word"]:
        has_the = m.group().lower().startswith("the")
        return m.span() if has_the and _previous_word(text, m.start()) not in ("his", "her", "their") else None
    return m.span()


def _check_season(m: re.Match[str], text: str) -> Span:
    rel = (m["rel"] or "").lower()
    if m["year"] or m["edge"] or rel not in ("", "the"):
        return m.span()
    if re.match(r"\s+of\b", text[m.end() :]):
        return None  # "the fall of Rome"
    previous = _previous_word(text, m.start())
    if rel == "the" or m["season"].lower() != "fall":
        return m.span() if previous in _TEMPORAL_PREPOSITIONS else None
    return None


def _check_quarter(m: re.Match[str], text: str) -> Span:
    noun_is_period = re.search(r"period$", m.group(), re.IGNORECASE) or " period " in m.group().lower()
    if noun_is_period and m["ord"].lower() not in ("latest", "year-earlier", "year-ago", "most recent"):
        return None
    if m["ord"].lower() in ("june", "september", "december", "march") and not _is_capitalized(m["ord"]):
        return None
    return m.span()


def _check_the_quarter(m: re.Match[str], text: str) -> Span:
    if m["what"].lower() != "quarter" or re.match(r"\s*(?:of\b|-)", text[m.end() :]):
        return None
    return m.span()


def _check_weekday(m: re.Match[str], text: str) -> Span:
    day = m["wd"]
    if not _is_capitalized(day):
        return None
    if len(day.rstrip(".")) <= 4 and not day.endswith(".") and day.lower() not in ("tues", "thurs"):
        return None
    return m.span()


def _check_set_every(m: re.Match[str], text: str) -> Span:
    determiner = m["det"].lower()
    if m["month"] and not _is_capitalized(m["month"]):
        return None
    if m["wd"] and not _is_capitalized(m["wd"]):
        return None
    if determiner in ("a", "an") and not m["times"]:
        if (m["unit"] or "").lower().startswith(("morning", "evening", "afternoon")) or m["wd"] or m["month"]:
            return None
        if not _QUANTITY_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
            return None
    return m.span()


def _check_duration(m: re.Match[str], text: str) -> Span:
    following = text[m.end() : m.end() + 12]
    if re.match(r"[\s-]+old\b", following):
        return None  # an age: "a 45-year-old", "two years old"
    if re.search(r"\d[-–/]$", _before(text, m.start())):
        return None  # "2025-26 fiscal year", "24/7 days"
    number = (m["num"] or "").lower()
    unit = m["unit"].lower()
    if unit.startswith("second") and number in ("a", "an"):
        return None  # "a second term"
    if unit.startswith("quarter") and (number in ("a", "an", "one") or re.match(r"\s+of\b", following)):
        return None  # "a quarter of the shares"
    if _is_capitalized(m["unit"]) and not m.group().isupper() and m["num"][:1].isdigit():
        return None  # "60 Minutes", a title
    between = text[m.end("num") : m.start("unit")]
    singular_count = not m["plural"] and number not in ("a", "an", "one", "half a", "half an", "a half")
    adjectival = ("-" in between or singular_count) and not m["plural"] and not m["rel"]
    if adjectival and m["the"]:
        return m.start("num"), m.end()
    return m.span()


def _check_bare_plural(m: re.Match[str], text: str) -> Span:
    previous = _previous_word(text, m.start())
    if previous not in _BARE_PLURAL_BEFORE:
        return None
    return None if re.match(r"\s*(?:of\b|-)", text[m.end() :]) else m.span()


def _check_ref(m: re.Match[str], text: str) -> Span:
    word = _words(m["word"])
    if word not in REFERENCE_WORDS:
        return None
    if word in _VAGUE_ADJECTIVES and not re.match(r"\s+[a-z]", text[m.end() :]):
        return None
    return m.span()


def _check_set_adverb(m: re.Match[str], text: str) -> Span:
    return None if _is_capitalized(m["word"]) and m.start() > 0 and text[m.start() - 1] != "\n" else m.span()


def _check_tod(m: re.Match[str], text: str) -> Span:
    if (
        m["hour24"]
        and not m["zone"]
        and not re.search(
            r"\b(?:at|around|about|by|from|until|till|before|after|"
            r"since|to)\s+$",
            text[max(0, m.start() - 8) : m.start()],
        )
    ):
        return None
    day = m["day"] or ""
    if re.match(r"[A-Za-z]", day) and not _is_capitalized(day) and day.lower() not in _DEICTIC:
        return None  # "at 10 a.m. friday" is not how a day is written
    return m.span()


def _check_holiday(m: re.Match[str], text: str) -> Span:
    name = m["name"]
    first = re.search(r"[A-Za-z]", name[4:] if name.lower().startswith("the ") else name)
    return m.span() if first and first.group().isupper() else None


def _check_the_unit(m: re.Match[str], text: str) -> Span:
    return m.span() if m["unit"].lower() in ("year", "weekend") else None


def _check_this_part(m: re.Match[str], text: str) -> Span:
    return None if m["rel"].lower() == "the" else m.span()


def _check_numeric(m: re.Match[str], text: str) -> Span:
    if len(m["year"]) == 2 and m["sep"] != "/":
        return None
    if re.search(r"[\d.]$", _before(text, m.start())):
        return None
    return m.span()


_CHECKS: dict[str, Callable[[re.Match[str], str], Span]] = {
    "month_day": _check_date,
    "day_month": _check_date,
    "month": _check_month,
    "year": _check_year,
    "decade": _check_decade,
    "season": _check_season,
    "quarter": _check_quarter,
    "the_quarter": _check_the_quarter,
    "weekday": _check_weekday,
    "weekdays": _check_weekday,
    "set_every": _check_set_every,
    "duration": _check_duration,
    "bare_plural": _check_bare_plural,
    "ref": _check_ref,
    "set_adverb": _check_set_adverb,
    "tod": _check_tod,
    "holiday": _check_holiday,
    "the_unit": _check_the_unit,
    "this_part": _check_this_part,
    "numeric": _check_numeric,
}


def check_match(rule: str, match: re.Match[str], text: str) -> Span:
    """The span to keep for a match of `rule`, or None when its context says it is not a time expression."""
    check = _CHECKS.get(rule)
    return check(match, text) if check else match.span()
