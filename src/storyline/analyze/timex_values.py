"""TimeML (TIMEX3) value arithmetic: parse a calendar value, shift it by a unit, format it back.

A calendar value names one period at one granularity: `2026-06-19` (day), `2026-W25` (ISO week),
`2026-W25-WE` (weekend), `2026-06` (month), `2026-Q3` (quarter), `2026-H2` (half), `2026-SU` (season),
`2026` (year), `202` (decade), `20` (century). TIME values add `T...` to a day: `2026-06-19T14:30`,
`2026-06-19TMO`. Values with `X` are unanchored and never shift.
"""

import calendar
import datetime
import re

from storyline.analyze.timex_rules import HOLIDAYS

__all__ = [
    "Period",
    "calendar_date",
    "choose_year",
    "duration_value",
    "format_period",
    "granularity",
    "holiday_date",
    "parse_period",
    "shift_value",
]

# Granularity codes, finest first.
DAY, WEEK, WEEKEND, MONTH, SEASON, QUARTER, HALF, YEAR, DECADE, CENTURY = (
    "D",
    "W",
    "WE",
    "M",
    "S",
    "Q",
    "H",
    "Y",
    "DE",
    "CE",
)
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_MONTHS_PER_UNIT = {"M": 1, "Q": 3, "H": 6, "S": 12, "Y": 12, "DE": 120, "CE": 1200}

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (DAY, re.compile(r"(\d{4})-(\d\d)-(\d\d)$")),
    (WEEKEND, re.compile(r"(\d{4})-W(\d\d)-WE$")),
    (WEEK, re.compile(r"(\d{4})-W(\d\d)$")),
    (MONTH, re.compile(r"(\d{4})-(\d\d)$")),
    (QUARTER, re.compile(r"(\d{4})-Q([1-4])$")),
    (HALF, re.compile(r"(\d{4})-H([12])$")),
    (SEASON, re.compile(r"(\d{4})-(SP|SU|FA|WI)$")),
    (YEAR, re.compile(r"(\d{4})$")),
    (DECADE, re.compile(r"(\d{3})$")),
    (CENTURY, re.compile(r"(\d{2})$")),
)


class Period:
    """A calendar period: its granularity code and its first day."""

    __slots__ = ("granularity", "start", "label")

    def __init__(self, granularity: str, start: datetime.date, label: str = "") -> None:
        self.granularity = granularity
        self.start = start
        self.label = label  # the season code for SEASON periods

    def __repr__(self) -> str:
        return f"Period({self.granularity!r}, {self.start!r})"


def parse_period(value: str) -> Period | None:
    """Parse a calendar value (no time part) into a Period, or None when it is not one."""
    for code, pattern in _PATTERNS:
        match = pattern.match(value)
        if match is None:
            continue
        if code == DAY:
            try:
                return Period(DAY, datetime.date.fromisoformat(value))
            except ValueError:
                return None
        part = match.group(2) if code not in (YEAR, DECADE, CENTURY) else ""
        return _period(code, int(match.group(1)), part)
    return None


def _period(code: str, number: int, part: str) -> Period | None:
    try:
        if code in (WEEK, WEEKEND):
            return Period(code, datetime.date.fromisocalendar(number, int(part), 1))
        if code == MONTH:
            return Period(MONTH, datetime.date(number, int(part), 1))
        if code == QUARTER:
            return Period(QUARTER, datetime.date(number, 3 * int(part) - 2, 1))
        if code == HALF:
            return Period(HALF, datetime.date(number, 6 * int(part) - 5, 1))
        if code == SEASON:
            return Period(SEASON, datetime.date(number, _SEASON_START[part], 1), part)
        if code == YEAR:
            return Period(YEAR, datetime.date(number, 1, 1))
        if code == DECADE:
            return Period(DECADE, datetime.date(number * 10, 1, 1))
        return Period(CENTURY, datetime.date(max(number * 100, 1), 1, 1))
    except ValueError:
        return None


def format_period(period: Period) -> str:
    """Format a Period as a TIMEX3 value."""
    start = period.start
    code = period.granularity
    if code == DAY:
        return start.isoformat()
    if code in (WEEK, WEEKEND):
        year, week, _ = start.isocalendar()
        return f"{year:04d}-W{week:02d}" + ("-WE" if code == WEEKEND else "")
    if code == MONTH:
        return f"{start.year:04d}-{start.month:02d}"
    if code == QUARTER:
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    if code == HALF:
        return f"{start.year:04d}-H{1 if start.month <= 6 else 2}"
    if code == SEASON:
        return f"{start.year:04d}-{period.label}"
    if code == YEAR:
        return f"{start.year:04d}"
    if code == DECADE:
        return f"{start.year // 10:03d}"
    return f"{start.year // 100:02d}"


def shift_value(value: str, unit: str, amount: int) -> str | None:
    """Shift a calendar or TIME value by `amount` units (D, W, M, Q, H, Y, DE, CE); keep its granularity.

    >>> shift_value("1989-Q3", "Y", -1)
    '1988-Q3'
    >>> shift_value("2026-06-19T10:00", "D", 1)
    '2026-06-20T10:00'
    """
    date_part, sep, time_part = value.partition("T")
    period = parse_period(date_part)
    if period is None:
        return None
    if unit in ("D", "W"):
        if period.granularity in (DAY, WEEK, WEEKEND):
            days = amount * (7 if unit == "W" else 1)
            moved = Period(period.granularity, period.start + datetime.timedelta(days=days), period.label)
            return format_period(moved) + sep + time_part
        return None
    months = _MONTHS_PER_UNIT.get(unit)
    if months is None:
        return None
    start = _add_months(period.start, amount * months)
    if period.granularity in (WEEK, WEEKEND):
        start = _add_months(period.start + datetime.timedelta(days=3), amount * months)  # the week's Thursday
    moved = Period(period.granularity, start, period.label)
    return format_period(moved) + sep + time_part


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, 1), 9999)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def granularity(value: str) -> str | None:
    """The granularity code of a calendar value (the date part of a TIME value), or None."""
    period = parse_period(value.partition("T")[0])
    return period.granularity if period else None


def choose_year(anchor: datetime.date, month: int, day: int | None, tense: str | None) -> int:
    """The year of a month (and day) given without one.

    The occurrence nearest the anchor when it is within 45 days (news rarely names a date a year off that is this
    close); otherwise past tense -> the latest occurrence on or before the anchor, future tense -> the first on
    or after it, no tense -> the nearest.
    """
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(datetime.date(year, month, day or 1))
        except ValueError:  # 29 February in a common year
            continue
    if not candidates:
        return anchor.year
    reference = anchor if day else anchor.replace(day=1)
    nearest = min(candidates, key=lambda c: abs((c - reference).days))
    if abs((nearest - reference).days) <= 45 or tense is None:
        return nearest.year
    if tense == "past":
        return max((c for c in candidates if c <= reference), default=nearest).year
    return min((c for c in candidates if c >= reference), default=nearest).year


def duration_value(amount: float | None, unit: str) -> str:
    """A TIMEX3 duration: `P3Y`, `PT5H`, `P2Y6M`, `PXM` for a vague amount.

    `unit` is one of S, Mi (minute), H, D, W, Mo (month), Q, Y, DE (decade), CE (century); decades and centuries
    are written in years ("a decade" -> P10Y) unless the amount is vague (PXDE).
    """
    is_time = unit in ("S", "Mi", "H")
    prefix = "PT" if is_time else "P"
    if amount is None:
        return f"{prefix}X{_LETTER[unit]}"
    if unit in ("DE", "CE"):
        amount, unit = amount * (10 if unit == "DE" else 100), "Y"
    whole = int(amount)
    fraction = amount - whole
    parts = f"{whole}{_LETTER[unit]}" if whole else ""
    smaller = _SMALLER.get(unit)
    if fraction > 1e-9 and smaller is not None:
        sub_unit, factor = smaller
        sub = f"{round(fraction * factor)}{_LETTER[sub_unit]}"
        if sub_unit in ("S", "Mi", "H") and not is_time:
            return f"P{parts}T{sub}"
        parts += sub
    return prefix + (parts or f"0{_LETTER[unit]}")


_LETTER = {"S": "S", "Mi": "M", "H": "H", "D": "D", "W": "W", "Mo": "M", "Q": "Q", "Y": "Y", "DE": "DE", "CE": "CE"}
# A fraction of a unit is written in the next smaller unit: 2.5 years -> P2Y6M.
_SMALLER: dict[str, tuple[str, float]] = {
    "Y": ("Mo", 12),
    "Mo": ("D", 30),
    "W": ("D", 7),
    "D": ("H", 24),
    "H": ("Mi", 60),
    "Mi": ("S", 60),
    "Q": ("Mo", 3),
}


def holiday_date(name: str, year: int) -> datetime.date | None:
    """The date of a holiday from `timex_rules.HOLIDAYS` in `year`."""
    rule = HOLIDAYS[name]
    if isinstance(rule, tuple):
        return datetime.date(year, *rule)
    if rule == "easter" or rule == "good friday":
        easter = _easter(year)
        return easter - datetime.timedelta(days=2) if rule == "good friday" else easter
    month, weekday, nth = _NTH_WEEKDAY_HOLIDAYS[rule]
    days = [datetime.date(year, month, d) for d in range(1, 32) if _valid(year, month, d)]
    matching = [d for d in days if d.isoweekday() == weekday]
    return matching[nth - 1] if nth > 0 else matching[nth]


# month, ISO weekday, which one (-1: the last)
_NTH_WEEKDAY_HOLIDAYS = {
    "thanksgiving": (11, 4, 4),
    "labor day": (9, 1, 1),
    "memorial day": (5, 1, -1),
    "mlk day": (1, 1, 3),
}


def _valid(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _easter(year: int) -> datetime.date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (2 * e + 2 * i - h - k + 32) % 7
    m = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * m + 90) // 25
    return datetime.date(year, month, (h + l_ - 7 * m + 33 * month + 19) % 32)


def calendar_date(year: int, month: int, day: int) -> str | None:
    """The ISO date, or None when there is no such day (February 30, month 13)."""
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None
