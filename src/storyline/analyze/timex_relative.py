"""Handlers for relative expressions, durations, sets, clock times and PRESENT/PAST/FUTURE_REF.

"ago", "from now" and "last/this/next UNIT" count from the anchor; "earlier", "later", "that day", "the
following week" count from the latest specific date already found in the document (the anchor when there is
none). "a year earlier" keeps the granularity of what it counts from: after "the third quarter" it is the same
quarter a year before.
"""

import datetime
import re
from collections.abc import Callable

from storyline.analyze.timex_normalize import HANDLERS as CALENDAR_HANDLERS
from storyline.analyze.timex_normalize import (
    Context,
    Value,
    normalize_words,
    parse_number,
    relative_shift,
    resolve_weekday,
    with_part_of_day,
)
from storyline.analyze.timex_rules import MONTHS, NUMBER_WORDS, REFERENCE_WORDS, SEASONS, UNITS, WEEKDAYS
from storyline.analyze.timex_values import choose_year, duration_value, granularity, shift_value

__all__ = ["HANDLERS"]

# How fine a reference must be for a shift by a unit: "two days later" needs a day.
_FINE_ENOUGH = {
    "D": ("D",),
    "W": ("D", "W", "WE"),
    "M": ("D", "M"),
    "Q": ("D", "M", "Q"),
    "Y": (),
    "DE": (),
    "CE": (),
}
_GRANULARITY_OF_UNIT = {"D": "D", "W": "W", "M": "M", "Q": "Q", "Y": "Y", "DE": "Y", "CE": "Y"}


def _unit_codes(unit: str) -> tuple[str, str]:
    """'years' -> ('Y', 'Y'): the duration unit code and the shift unit code."""
    word = normalize_words(unit).rstrip("s")
    return UNITS.get(word, UNITS.get(word + "s", ("", "")))


def _shift_from(base: str | None, unit: str, amount: float) -> str | None:
    """Shift `base` by a whole number of units, using a finer unit for fractions (1.5 years -> 18 months)."""
    if base is None:
        return None
    if amount != int(amount):
        finer = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "DE": ("Y", 10)}.get(unit)
        if finer is None:
            return None
        unit, amount = finer[0], amount * finer[1]
    return shift_value(base, unit, round(amount))


def _anchor_shift(ctx: Context, unit: str, amount: float) -> str:
    """The anchor moved by `amount` units, at the unit's granularity ('2 weeks ago' -> a week value)."""
    if ctx.anchor is None:
        return {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "M": "XXXX-XX", "Q": "XXXX-QX"}.get(unit, "XXXX")
    base = ctx.anchor_value(_GRANULARITY_OF_UNIT[unit])
    return _shift_from(base, unit, amount) or "XXXX"


def _ago(m: re.Match[str], ctx: Context) -> Value:
    _, unit = _unit_codes(m["unit"])
    which = normalize_words(m["which"])
    amount = parse_number(m["num"])
    forward = which in ("later", "after", "hence", "from now")
    if amount is None:
        return "DATE", "FUTURE_REF" if forward else "PAST_REF"
    if not unit:
        return ("DATE", ctx.anchor.isoformat()) if ctx.anchor and which in ("ago", "back") else None
    signed = amount if forward else -amount
    ctx.is_reference = not (unit == "Y" and amount == 1)  # "a year ago/earlier" compares, it does not move on
    quarter = ctx.reference(("Q",))
    if unit == "Y" and amount == 1 and quarter and ctx.references and ctx.references[-1] == quarter:
        return "DATE", shift_value(quarter, "Y", -1 if not forward else 1) or quarter
    if which in ("ago", "back", "hence", "from now"):
        return "DATE", _anchor_shift(ctx, unit, signed)
    reference = ctx.reference(_FINE_ENOUGH[unit])
    if reference is None:
        return "DATE", _anchor_shift(ctx, unit, signed)
    value = _shift_from(reference.partition("T")[0], unit, signed)
    return ("DATE", value) if value else None


def _year_earlier(m: re.Match[str], ctx: Context) -> Value:
    if normalize_words(m["what"]).endswith("end"):
        years = [v for v in ctx.sentence_references if granularity(v) == "Y"]
        return "DATE", years[-1] if years else ctx.anchor_value("Y") or "XXXX"
    ctx.is_reference = False
    reference = ctx.reference(("Q",)) or ctx.reference()
    if reference is None:
        reference = ctx.anchor_value("Y")
    if reference is None:
        return "DATE", "XXXX"
    return "DATE", shift_value(reference.partition("T")[0], "Y", -1) or "XXXX"


_UNIT_OF_WORD = {"day": "D", "week": "W", "weekend": "WE", "month": "M", "year": "Y", "fiscal year": "Y"}


def _rel_unit(m: re.Match[str], ctx: Context) -> Value:
    unit = _UNIT_OF_WORD[normalize_words(m["unit"])]
    rel = normalize_words(m["rel"])
    anaphoric = {"that": 0, "the same": 0, "the following": 1, "the previous": -1, "the preceding": -1,
                 "the prior": -1}  # fmt: skip
    if rel in anaphoric:
        return _from_reference(unit, anaphoric[rel], ctx)
    if unit == "D" and rel in ("the next", "next"):
        return _from_reference(unit, 1, ctx)  # "the next day": the day after the one just mentioned
    shift = relative_shift(rel)
    if shift is None or unit == "D":
        return None
    if unit == "Y" and rel in ("the next", "the last") and m["edge"] is None:
        return None  # "the next year" and "the last year" are mostly durations or anaphora; leave them
    if ctx.anchor is None:
        return "DATE", {"W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX"}.get(unit, "XXXX")
    base = ctx.anchor_value(unit)
    step = "W" if unit == "WE" else unit
    return "DATE", shift_value(base or "", step, shift) or "XXXX"


def _from_reference(unit: str, shift: int, ctx: Context) -> Value:
    step = "W" if unit == "WE" else unit
    reference = ctx.reference(_FINE_ENOUGH[step])
    if reference is None:
        if ctx.anchor is None:
            return None
        reference = ctx.anchor.isoformat()
    base = reference.partition("T")[0]
    if unit in ("W", "WE") and granularity(base) == "D":
        year, week, _ = datetime.date.fromisoformat(base).isocalendar()
        base = f"{year:04d}-W{week:02d}" + ("-WE" if unit == "WE" else "")
    elif unit == "M" and granularity(base) == "D":
        base = base[:7]
    elif unit == "Y":
        base = base[:4]
    value = shift_value(base, step, shift)
    return ("DATE", value) if value else None


def _the_unit(m: re.Match[str], ctx: Context) -> Value:
    unit = normalize_words(m["unit"])
    if unit == "weekend":
        if ctx.anchor is None:
            return "DATE", "XXXX-WXX-WE"
        week = ctx.anchor_value("WE") or ""
        weekday = ctx.anchor.isoweekday()
        if ctx.tense == "past" and weekday < 6:
            return "DATE", shift_value(week, "W", -1) or week
        return "DATE", week
    if unit == "year":
        if m["ended"]:
            return "DURATION", "P1Y"  # "the year ended March 31": a fiscal year
        years = [v for v in ctx.sentence_references if granularity(v) == "Y"]
        return "DATE", years[-1] if years else ctx.anchor_value("Y") or "XXXX"
    return None


def _unit_relative(m: re.Match[str], ctx: Context) -> Value:
    unit = _UNIT_OF_WORD[normalize_words(m["unit"])]
    shift = -1 if normalize_words(m["which"]) in ("before", "earlier") else 1
    return _from_reference(unit, shift, ctx)


def _duration(m: re.Match[str], ctx: Context) -> Value:
    unit, _ = _unit_codes(m["unit"])
    amount = parse_number(m["num"])
    if normalize_words(m["rel"]) == "other" and amount is not None:
        amount = None
    if unit == "WE":
        unit, amount = "D", None if amount is None else amount * 2
    elif unit == "W2":
        unit, amount = "W", None if amount is None else amount * 2
    elif unit == "ML":
        unit, amount = "Y", None if amount is None else amount * 1000
    elif unit == "Q":
        unit, amount = "Mo", None if amount is None else amount * 3
    return "DURATION", duration_value(amount, unit)


def _vague_duration(m: re.Match[str], ctx: Context) -> Value:
    unit, _ = _unit_codes(m["unit"])
    return "DURATION", duration_value(None, "Mo" if unit == "Q" else unit)


def _decade_noun(m: re.Match[str], ctx: Context) -> Value:
    return "DURATION", "P10Y" if normalize_words(m["unit"]) == "decade" else "P100Y"


def _ref(m: re.Match[str], ctx: Context) -> Value:
    value = REFERENCE_WORDS.get(normalize_words(m["word"]))
    return ("DATE", value) if value else None


def _set_every(m: re.Match[str], ctx: Context) -> Value:
    if m["wd"]:
        return "SET", f"XXXX-WXX-{WEEKDAYS[normalize_words(m['wd']).rstrip('.')]}"
    if m["month"]:
        return "SET", f"XXXX-{MONTHS[normalize_words(m['month']).rstrip('.')]:02d}"
    if m["season"]:
        return "SET", f"XXXX-{SEASONS[normalize_words(m['season'])]}"
    word = normalize_words(m["unit"]).rstrip("s")
    if word in ("morning", "evening", "afternoon"):
        return _set_part(word)
    unit, _ = _unit_codes(word)
    amount = 2.0 if m["other"] else parse_number(m["num"]) if m["num"] else 1.0
    if unit == "WE":
        return "SET", "XXXX-WXX-WE"
    return "SET", duration_value(amount or 1.0, {"W2": "W", "ML": "Y"}.get(unit, unit))


def _set_part(word: str) -> Value:
    result = with_part_of_day("XXXX-XX-XX", word)
    return ("SET", result[1]) if result else None


_ADVERBS = {"daily": "P1D", "every day": "P1D", "everyday": "P1D", "weekly": "P1W", "monthly": "P1M",
            "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W",
            "semiannually": "P6M", "semi-annually": "P6M", "bimonthly": "P2M"}  # fmt: skip


def _set_adverb(m: re.Match[str], ctx: Context) -> Value:
    return "SET", _ADVERBS[normalize_words(m["word"])]


def _tod(m: re.Match[str], ctx: Context) -> Value:
    clock = _clock(m)
    if clock is None:
        return None
    day_text = m["day"]
    if day_text:
        day_value = _day_phrase(day_text, ctx)
    else:
        reference = ctx.sentence_references[-1] if ctx.sentence_references else None
        if reference is not None and granularity(reference) == "D":
            day_value = reference[:10]
        else:
            day_value = ctx.anchor.isoformat() if ctx.anchor else "XXXX-XX-XX"
    if day_value is None:
        return None
    return "TIME", f"{day_value}T{clock}"


def _clock(m: re.Match[str]) -> str | None:
    if m["named"]:
        return {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}[normalize_words(m["named"])]
    if m["hour24"]:
        return f"{int(m['hour24']):02d}:{m['minute24']}"
    if m["hourword"]:
        number = NUMBER_WORDS.get(normalize_words(m["hourword"]))
        return f"{int(number):02d}:00" if number else None
    if m["hourin"]:
        hour = int(m["hourin"])
        part = normalize_words(m["inpart"])
        if part in ("afternoon", "evening") or (part == "night" and hour >= 6):
            hour = hour % 12 + 12
        return f"{hour:02d}:00" if hour <= 24 else None
    hour = int(m["hour"])
    marker = normalize_words(m["ampm"]).replace(".", "").replace(" ", "")
    if hour > 12 and marker in ("am", "pm"):
        return None
    if marker == "pm":
        hour = hour % 12 + 12
    elif marker == "am":
        hour = hour % 12
    return f"{hour:02d}:{m['minute'] or '00'}"


_DAY_PATTERN = re.compile(
    r"(?P<deictic>today|yesterday|tomorrow|tonight)|(?P<wd>[a-z]+\.?)"
    r"(?:,?\s+(?P<m1>[a-z]+\.?)\s+(?P<d1>\d+)(?:\w\w)?(?:,?\s+(?P<y1>\d{4}))?)?"
    r"|(?P<m2>[a-z]+\.?)\s+(?P<d2>\d+)(?:\w\w)?(?:,?\s+(?P<y2>\d{4}))?",
    re.IGNORECASE,
)


def _day_phrase(text: str, ctx: Context) -> str | None:
    """The date of the day part of a clock time ('Wednesday', 'Nov. 9', 'yesterday')."""
    match = _DAY_PATTERN.fullmatch(text.strip())
    if match is None:
        return None
    if match["deictic"]:
        offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[normalize_words(match["deictic"])]
        return (ctx.anchor + datetime.timedelta(days=offset)).isoformat() if ctx.anchor else "XXXX-XX-XX"
    month_text, day_text = (match["m1"], match["d1"]) if match["wd"] and match["m1"] else (match["m2"], match["d2"])
    if month_text and day_text:
        month = MONTHS.get(normalize_words(month_text).rstrip("."))
        if month is None:
            return None
        day = int(day_text)
        explicit = match["y1"] or match["y2"]
        year = int(explicit) if explicit else choose_year(ctx.anchor, month, day, ctx.tense) if ctx.anchor else None
        if year is None:
            return f"XXXX-{month:02d}-{day:02d}"
        try:
            return datetime.date(year, month, day).isoformat()
        except ValueError:
            return None
    weekday = WEEKDAYS.get(normalize_words(match["wd"]).rstrip("."))
    if weekday is None:
        return None
    if ctx.anchor is None:
        return f"XXXX-WXX-{weekday}"
    return resolve_weekday(ctx.anchor, weekday, None, ctx.tense).isoformat()


HANDLERS: dict[str, Callable[[re.Match[str], Context], Value]] = {
    **CALENDAR_HANDLERS,
    "ago": _ago,
    "year_earlier": _year_earlier,
    "rel_unit": _rel_unit,
    "the_unit": _the_unit,
    "unit_relative": _unit_relative,
    "duration": _duration,
    "vague_duration": _vague_duration,
    "bare_plural": _vague_duration,
    "decade_noun": _decade_noun,
    "ref": _ref,
    "set_every": _set_every,
    "set_adverb": _set_adverb,
    "tod": _tod,
}
