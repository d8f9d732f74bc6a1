"""Publication dates from metadata values, page chrome, byline segments and URLs, as ISO 8601 strings."""

import datetime as dt
import email.utils
import re

__all__ = ["date_from_url", "find_date", "parse_date"]

MIN_YEAR, MAX_YEAR = 1970, 2100

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ISO = re.compile(
    r"(?P<year>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_YMD = re.compile(r"(?<!\d)(?P<year>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?!\d)")
_DMY_OR_MDY = re.compile(r"(?<!\d)(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4})(?!\d)")
_MONTH_DAY_YEAR = re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s+" + _MONTH + r",?\s+(?P<year>\d{4})", re.I)
_CJK = re.compile(r"(?P<year>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_URL = re.compile(r"/(?P<year>(?:19|20)\d{2})[/-](?P<m>[01]?\d)[/-](?P<d>[0-3]?\d)(?:[/-]|$)")
_URL_COMPACT = re.compile(r"/(?P<year>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?:/|-|_)")


def _make(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return date if MIN_YEAR <= date.year <= MAX_YEAR else None


def _from_match(match: re.Match[str]) -> tuple[dt.date | None, str | None]:
    groups = match.groupdict()
    if "a" in groups and groups.get("a"):
        first, second = int(groups["a"]), int(groups["b"])
        # Day-first unless the first number cannot be a day; "/" with a first part <= 12 reads as US month-first.
        month_first = first <= 12 < second or (first <= 12 and second <= 12 and "/" in match.group())
        month, day = (first, second) if month_first else (second, first)
        return _make(groups["year"], month, day), None
    name = groups.get("month")
    month_number = _MONTHS[name.lower()] if name else groups["m"]
    return _make(groups["year"], month_number, groups["d"]), groups.get("time")


_PATTERNS = (_ISO, _CJK, _YMD, _MONTH_DAY_YEAR, _DAY_MONTH_YEAR, _DMY_OR_MDY)


def find_date(text: str) -> tuple[str, int, int] | None:
    """Find the first calendar date written in `text`: (ISO date, start, end), or None."""
    best: tuple[str, int, int] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            date, _ = _from_match(match)
            if date is not None:
                if best is None or match.start() < best[1]:
                    best = (date.isoformat(), match.start(), match.end())
                break
    return best


def parse_date(value: str) -> str | None:
    """Normalize a metadata date value to ISO 8601 (date, or datetime when a time and zone are given)."""
    value = value.strip()
    if not value:
        return None
    iso = _ISO.match(value)
    if iso:
        date, time = _from_match(iso)
        if date is None:
            return None
        if time and iso.group("tz"):
            return f"{date.isoformat()}T{time}{_zone(iso.group('tz'))}"
        return date.isoformat()
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):  # OverflowError: a year past the C int range
        parsed = None
    if parsed is not None and MIN_YEAR <= parsed.year <= MAX_YEAR:
        return parsed.isoformat() if parsed.tzinfo else parsed.date().isoformat()
    found = find_date(value)
    return found[0] if found else None


def _zone(zone: str) -> str:
    if zone == "Z":
        return "+00:00"
    return zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"


def date_from_url(url: str) -> str | None:
    """A date written in a URL path (/2026/06/19/ or /20260619-), as ISO, or None."""
    for pattern in (_URL, _URL_COMPACT):
        match = pattern.search(url)
        if match:
            date = _make(match["year"], match["m"], match["d"])
            if date is not None:
                return date.isoformat()
    return None
