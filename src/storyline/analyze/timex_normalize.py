"""Turn a match of a `timex_rules` rule into a TIMEX3 (type, value) pair.

Each handler takes the match and a `Context` (the anchor date, the tense of the sentence, the values already
found in the document) and returns `(type, value)` or None when the match is not a time expression after all.
Calendar expressions that need a year take it from the anchor: past tense -> the occurrence on or before the
anchor, future tense -> on or after it, otherwise the nearest one. Without an anchor they get `X` placeholders.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from storyline.analyze.timex_rules import (
    HOLIDAYS,
    MONTHS,
    NUMBER_WORDS,
    ORDINALS,
    PART_OF_DAY,
    SEASONS,
    WEEKDAYS,
)
from storyline.analyze.timex_values import (
    calendar_date,
    choose_year,
    granularity,
    holiday_date,
    shift_value,
)

__all__ = [
    "HANDLERS",
    "Context",
    "Value",
    "normalize_words",
    "parse_number",
    "relative_shift",
    "resolve_weekday",
    "with_part_of_day",
]

Value = tuple[str, str] | None
_PAST = frozenset({"last", "past", "previous", "this past", "the past", "the last", "the previous", "preceding",
                   "the preceding", "prior", "the prior"})  # fmt: skip
_NEXT = frozenset({"next", "coming", "this coming", "the next", "the coming", "following", "the following"})
_THIS = frozenset({"this", "current", "the current"})


@dataclass
class Context:
    """What a handler may look at besides its match."""

    anchor: datetime.date | None
    tense: str | None = None  # "past" | "future" | None
    references: list[str] = field(default_factory=list)  # specific DATE/TIME values so far, in document order
    sentence_references: list[str] = field(default_factory=list)  # those of the current sentence
    is_reference: bool = True  # a handler sets False for values derived from a reference ("a year earlier")

    def reference(self, finest: tuple[str, ...] = ()) -> str | None:
        """The latest specific value whose granularity is in `finest` (any when empty)."""
        for value in reversed(self.references):
            if not finest or granularity(value) in finest:
                return value
        return None

    def anchor_value(self, unit: str) -> str | None:
        """The anchor at the granularity of `unit` (D W M Q Y), or None without an anchor."""
        if self.anchor is None:
            return None
        day = self.anchor
        if unit == "D":
            return day.isoformat()
        if unit in ("W", "WE"):
            year, week, _ = day.isocalendar()
            return f"{year:04d}-W{week:02d}" + ("-WE" if unit == "WE" else "")
        if unit == "M":
            return f"{day.year:04d}-{day.month:02d}"
        if unit == "Q":
            return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
        if unit == "DE":
            return f"{day.year // 10:03d}"
        if unit == "CE":
            return f"{day.year // 100:02d}"
        return f"{day.year:04d}"


def normalize_words(text: str | None) -> str:
    """Lowercase, one space between words, straight apostrophes: the form the word tables use."""
    return re.sub(r"\s+", " ", text or "").lower().replace("’", "'")


def parse_number(text: str) -> float | None:
    """'three' -> 3, 'twenty-four' -> 24, '2 1/2' -> 2.5, 'a few' -> None (vague), '1,000' -> 1000."""
    words = normalize_words(text).replace("-and-a-half", " and a half")
    half = 0.5 if re.search(r"(1/2|½| and a half)$", words) else 0.0
    words = re.sub(r"\s*(1/2|½| and a half)$", "", words).strip()
    if re.fullmatch(r"[\d,]+(\.\d+)?", words):
        return float(words.replace(",", "")) + half
    if words in NUMBER_WORDS:
        number = NUMBER_WORDS[words]
        return None if number is None else number + half
    total = 0.0
    for part in re.split(r"[\s-]+", words):
        value = NUMBER_WORDS.get(part)
        if value is None:
            return None
        total += value
    return total + half


def relative_shift(rel: str | None) -> int | None:
    """-1 for last/past, +1 for next/coming, 0 for this; None when there is no relative word."""
    word = normalize_words(rel)
    if not word:
        return None
    if word in _PAST:
        return -1
    if word in _NEXT:
        return 1
    if word in _THIS:
        return 0
    return None


def _year_from_group(text: str | None, ctx: Context) -> int | None:
    if not text:
        return None
    digits = text.strip("'’")
    if len(digits) == 4:
        return int(digits)
    century = (ctx.anchor.year // 100) if ctx.anchor else 19
    year = century * 100 + int(digits)
    if ctx.anchor and year > ctx.anchor.year + 10:
        year -= 100
    return year


def _month_number(text: str) -> int:
    return MONTHS[normalize_words(text).rstrip(".")]


def _day_number(text: str) -> int:
    word = normalize_words(text)
    if word in ORDINALS:
        return ORDINALS[word]
    return int(re.sub(r"\D", "", word))


# --- absolute dates -----------------------------------------------------------------------------------------


def _iso(m: re.Match[str], ctx: Context) -> Value:
    value = calendar_date(int(m["year"]), int(m["month"]), int(m["day"]))
    if value is None:
        return None
    if m.groupdict().get("hour"):
        return "TIME", f"{value}T{m['hour']}:{m['minute']}"
    return "DATE", value


def _numeric(m: re.Match[str], ctx: Context) -> Value:
    first, second = int(m["a"]), int(m["b"])
    if m["sep"] == "." or first > 12:
        day, month = first, second
    else:
        month, day = first, second
    if len(m["year"]) == 2 and m["sep"] != "/":
        return None
    year = _year_from_group(m["year"], ctx)
    value = calendar_date(year, month, day) if year else None
    return ("DATE", value) if value else None


def _month_day(m: re.Match[str], ctx: Context) -> Value:
    month, day = _month_number(m["month"]), _day_number(m["day"])
    year = _year_from_group(m["year"] or m.groupdict().get("year2"), ctx)
    if year is None:
        if ctx.anchor is None:
            return ("DATE", f"XXXX-{month:02d}-{day:02d}") if 1 <= day <= 31 else None
        shift = relative_shift(m.groupdict().get("rel"))
        if shift in (-1, 1):
            year = _strict_year(ctx.anchor, month, day, shift)
        else:
            year = choose_year(ctx.anchor, month, day, ctx.tense)
    value = calendar_date(year, month, day)
    return ("DATE", value) if value else None


def _strict_year(anchor: datetime.date, month: int, day: int, shift: int) -> int:
    """The year of the latest month/day strictly before the anchor (shift -1) or the first strictly after (+1)."""
    for year in (anchor.year, anchor.year + shift):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            continue
        if (candidate - anchor).days * shift > 0:
            return year
    return anchor.year + shift


def _month(m: re.Match[str], ctx: Context) -> Value:
    month = _month_number(m["month"])
    year = _year_from_group(m["year"], ctx)
    if year is None and ctx.anchor is not None:
        year = _relative_year(m["relyear"], ctx) or _month_year(month, m["rel"], ctx)
    if year is None:
        return "DATE", f"XXXX-{month:02d}"
    return "DATE", f"{year:04d}-{month:02d}"


def _relative_year(relyear: str | None, ctx: Context) -> int | None:
    shift = {"this": 0, "last": -1, "next": 1}.get(normalize_words(relyear))
    if shift is None or ctx.anchor is None:
        return None
    return ctx.anchor.year + shift


def _month_year(month: int, rel: str | None, ctx: Context) -> int | None:
    if ctx.anchor is None:
        return None
    shift = relative_shift(rel)
    anchor_month = ctx.anchor.month
    if shift == -1:
        return ctx.anchor.year if month < anchor_month else ctx.anchor.year - 1
    if shift == 1:
        return ctx.anchor.year if month > anchor_month else ctx.anchor.year + 1
    if shift == 0:
        return ctx.anchor.year
    return choose_year(ctx.anchor, month, None, ctx.tense)


def _year(m: re.Match[str], ctx: Context) -> Value:
    year = _year_from_group(m["year"], ctx)
    return ("DATE", f"{year:04d}") if year is not None else None


def _decade(m: re.Match[str], ctx: Context) -> Value:
    if m["digits"]:
        number = int(m["digits"])
        if number % 100 == 0 and number < 2000:
            return "DATE", f"{number // 100:02d}"
        return "DATE", f"{number // 10:03d}"
    if m["short"]:
        tens = int(m["short"])
    else:
        names = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"]
        tens = 20 + 10 * names.index(normalize_words(m["word"]))
    century = 19
    if ctx.anchor is not None:
        century = ctx.anchor.year // 100 if tens <= ctx.anchor.year % 100 else ctx.anchor.year // 100 - 1
    return "DATE", f"{century:02d}{tens // 10}"


def _century(m: re.Match[str], ctx: Context) -> Value:
    number = int(m["number"]) if m["number"] else ORDINALS.get(normalize_words(m["word"]), 0)
    return ("DATE", f"{number - 1:02d}") if 1 <= number <= 30 else None


def _rel_century(m: re.Match[str], ctx: Context) -> Value:
    shift = relative_shift(m["rel"])
    base = ctx.anchor_value("CE")
    if shift is None or base is None:
        return ("DATE", "XX") if shift is not None else None
    return "DATE", f"{int(base) + shift:02d}"


def _season(m: re.Match[str], ctx: Context) -> Value:
    code = SEASONS[normalize_words(m["season"])]
    year = _year_from_group(m["year"], ctx)
    if year is None and ctx.anchor is not None:
        start_month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
        rel = normalize_words(m["rel"])
        year = _month_year(start_month, None if rel == "the" else rel, ctx)
        if rel in ("the", "") and ctx.tense is None:
            year = ctx.anchor.year
    return "DATE", f"{year:04d}-{code}" if year is not None else f"XXXX-{code}"


# --- quarters and halves ------------------------------------------------------------------------------------

_QUARTER_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                     "final": 4, "march": 1, "june": 2, "september": 3, "december": 4}  # fmt: skip


def _quarter(m: re.Match[str], ctx: Context) -> Value:
    word = normalize_words(m["ord"])
    explicit = _year_from_group(m["year"] or m["year0"] or m["year2"] or m["fyear"], ctx)
    if explicit is None:
        explicit = _relative_year(m["relyear"] or m["relyear0"], ctx)
    if word in _QUARTER_ORDINALS:
        number = _QUARTER_ORDINALS[word]
        value = f"{explicit:04d}-Q{number}" if explicit is not None else _numbered_quarter(number, ctx)
        if m["prior"] and normalize_words(m["prior"]) != "comparable" and value[:1].isdigit():
            ctx.is_reference = False
            value = shift_value(value, "Y", -1) or value
        return "DATE", value
    relative = _relative_quarter(word, ctx)
    return ("DATE", relative) if relative else None


def _numbered_quarter(number: int, ctx: Context) -> str:
    """A quarter named without a year: the latest one up to the anchor's quarter (news reports on quarters
    that have ended), the next one only in a future-tense sentence."""
    if ctx.anchor is None:
        return f"XXXX-Q{number}"
    current = (ctx.anchor.month - 1) // 3 + 1
    year = ctx.anchor.year
    if number > current and ctx.tense != "future":
        year -= 1
    return f"{year:04d}-Q{number}"


def _relative_quarter(word: str, ctx: Context) -> str | None:
    current = ctx.anchor_value("Q")
    reference = ctx.reference(("Q",))
    if word in ("year-earlier", "year-ago"):
        ctx.is_reference = False
        base = reference or (shift_value(current, "Q", -1) if current else None)
        return shift_value(base, "Y", -1) if base else "XXXX-QX"
    if word in ("same",):
        return reference
    if word in ("latest", "most recent", "recent"):
        return reference or (shift_value(current, "Q", -1) if current else "XXXX-QX")
    if current is None:
        return "XXXX-QX"
    if word in ("last", "previous", "past"):
        return shift_value(current, "Q", -1)
    if word in ("next", "coming"):
        return shift_value(current, "Q", 1)
    return current  # current, this


def _the_quarter(m: re.Match[str], ctx: Context) -> Value:
    if normalize_words(m["what"]) != "quarter":
        return None
    reference = ctx.reference(("Q",))
    if reference:
        return "DATE", reference
    current = ctx.anchor_value("Q")
    return "DATE", shift_value(current, "Q", -1) or "XXXX-QX" if current else "XXXX-QX"


def _quarter_short(m: re.Match[str], ctx: Context) -> Value:
    number = int((m["q"] or m["q2"]).upper().strip("Q"))
    year = _year_from_group(m["year"], ctx)
    if year is None:
        return "DATE", _numbered_quarter(number, ctx)
    return "DATE", f"{year:04d}-Q{number}"


def _half(m: re.Match[str], ctx: Context) -> Value:
    number = 1 if normalize_words(m["ord"]) in ("first", "1st") else 2  # second, latter, last
    year = _year_from_group(m["year"] or m.groupdict().get("year2"), ctx)
    if year is None:
        year = _relative_year(m.groupdict().get("relyear"), ctx) or (ctx.anchor.year if ctx.anchor else None)
    return "DATE", f"{year:04d}-H{number}" if year is not None else f"XXXX-H{number}"


def _half_short(m: re.Match[str], ctx: Context) -> Value:
    return "DATE", f"{int(m['year']):04d}-{m['h'].upper()}"


# --- days, weekdays, holidays -------------------------------------------------------------------------------


def resolve_weekday(anchor: datetime.date, weekday: int, rel: str | None, tense: str | None) -> datetime.date:
    """The date of a weekday (1 = Monday) named near `anchor`.

    "last X" -> the latest X strictly before the anchor; "next X" / "coming X" -> the first X strictly after;
    "this X" -> the X of the anchor's week. A bare weekday follows the tense of its sentence: past -> the latest
    X on or before the anchor, future -> the first X on or after it, unknown -> the nearest X (within 3 days).
    """
    shift = relative_shift(rel)
    back = (anchor.isoweekday() - weekday) % 7  # days back to the latest X on or before the anchor
    forward = (weekday - anchor.isoweekday()) % 7
    if shift == -1:
        return anchor - datetime.timedelta(days=back or 7)
    if shift == 1:
        return anchor + datetime.timedelta(days=forward or 7)
    if shift == 0:
        return anchor + datetime.timedelta(days=weekday - anchor.isoweekday())
    if tense == "past":
        return anchor - datetime.timedelta(days=back)
    if tense == "future":
        return anchor + datetime.timedelta(days=forward)
    return anchor - datetime.timedelta(days=back) if back <= forward else anchor + datetime.timedelta(days=forward)


def with_part_of_day(date_value: str, part: str | None) -> Value:
    if part:
        return "TIME", f"{date_value}T{PART_OF_DAY[normalize_words(part).rstrip('s')]}"
    return "DATE", date_value


def _weekday(m: re.Match[str], ctx: Context) -> Value:
    weekday = WEEKDAYS[normalize_words(m["wd"]).rstrip(".")]
    rel = normalize_words(m["rel"])
    if ctx.anchor is None:
        return with_part_of_day(f"XXXX-WXX-{weekday}", m["part"])
    anchor = ctx.anchor
    if rel == "that":
        reference = ctx.reference(("D",))
        anchor = datetime.date.fromisoformat(reference[:10]) if reference else anchor
        rel = ""
    day = resolve_weekday(anchor, weekday, rel or None, ctx.tense)
    return with_part_of_day(day.isoformat(), m["part"])


def _weekdays(m: re.Match[str], ctx: Context) -> Value:
    weekday = WEEKDAYS[normalize_words(m["wd"])]
    part = f"T{PART_OF_DAY[normalize_words(m['part']).rstrip('s')]}" if m["part"] else ""
    return "SET", f"XXXX-WXX-{weekday}{part}"


def _deictic(m: re.Match[str], ctx: Context) -> Value:
    word = normalize_words(m["word"])
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    if m["beforeafter"]:
        offset += -1 if normalize_words(m["beforeafter"]) == "before" else 1
    part = m["part"] or ("night" if word == "tonight" else None)
    if ctx.anchor is None:
        return with_part_of_day("XXXX-XX-XX", part)
    return with_part_of_day((ctx.anchor + datetime.timedelta(days=offset)).isoformat(), part)


def _this_part(m: re.Match[str], ctx: Context) -> Value:
    rel = normalize_words(m["rel"])
    part = normalize_words(m["part"])
    if rel == "the":
        return None
    if rel == "that":
        reference = ctx.reference(("D",))
        if reference is None:
            return None
        return with_part_of_day(reference[:10], part)
    if ctx.anchor is None:
        return with_part_of_day("XXXX-XX-XX", part)
    offset = -1 if rel == "last" else 0
    return with_part_of_day((ctx.anchor + datetime.timedelta(days=offset)).isoformat(), part)


def _holiday(m: re.Match[str], ctx: Context) -> Value:
    name = normalize_words(m["name"])
    if name not in HOLIDAYS:
        return None
    if m["year"]:
        day = holiday_date(name, int(m["year"]))
        return ("DATE", day.isoformat()) if day else None
    if ctx.anchor is None:
        rule = HOLIDAYS[name]
        return "DATE", f"XXXX-{rule[0]:02d}-{rule[1]:02d}" if isinstance(rule, tuple) else "XXXX-XX-XX"
    anchor = ctx.anchor
    days = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := holiday_date(name, y))]
    shift = relative_shift(m["rel"])
    tense = {-1: "past", 1: "future"}.get(shift or 0, ctx.tense)
    if tense == "past":
        chosen = max((d for d in days if d <= anchor), default=days[0])
    elif tense == "future":
        chosen = min((d for d in days if d >= anchor), default=days[-1])
    else:
        chosen = min(days, key=lambda d: abs((d - anchor).days))
    return "DATE", chosen.isoformat()


HANDLERS: dict[str, Callable[[re.Match[str], Context], Value]] = {
    "iso": _iso,
    "ymd": _iso,
    "numeric": _numeric,
    "month_day": _month_day,
    "day_month": _month_day,
    "month": _month,
    "year": _year,
    "decade": _decade,
    "century": _century,
    "rel_century": _rel_century,
    "season": _season,
    "quarter": _quarter,
    "quarter_short": _quarter_short,
    "the_quarter": _the_quarter,
    "half": _half,
    "half_short": _half_short,
    "deictic": _deictic,
    "this_part": _this_part,
    "weekday": _weekday,
    "weekdays": _weekdays,
    "holiday": _holiday,
}
