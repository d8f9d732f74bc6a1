"""Dates in languages other than English: expressions found by pattern, normalised against the publication date.

The words come from dateparser's locale data (dateparser 1.5.0 covers 200+ locales): month and weekday names,
the relative-day words ("gestern", "вчера", "昨天", "أمس") and the order of numeric dates. A few forms it lacks are
added here (Russian months after "в": "в марте"; the Levantine Arabic months: "آذار"). dateparser's own
`search_dates` reads bare numbers and short words as dates ("mar", "Die", "2"), so the patterns here admit only
expressions that hold a month name, a weekday, a full numeric date, a relative-day word, or (in Chinese and
Japanese) a year written with 年; abbreviated names are left out unless a month has no longer name.

Values (TimeML, like the English rules): a full date YYYY-MM-DD; a month and day without a year take the year
that puts them nearest the anchor; a month with a year YYYY-MM, alone (after a preposition: "im März", "в марте")
the nearest such month; a Chinese or Japanese day alone ("11日") that day of the anchor's month, or of the month
before when it is after the anchor; a weekday the latest one on or before the anchor, strictly before or after it with a
"last" or "next" word ("vergangenen Montag", "上周二"), in the previous or next week after 上周 / 下周 / 先週 /
来週; a relative day the anchor plus its offset. Without an anchor, expressions that need one are left out.
"""

import datetime
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from storyline.analyze.languages import primary_code
from storyline.analyze.timex_values import calendar_date
from storyline.records import TimeExpression

__all__ = ["LOCAL_LANGUAGES", "find_local_times", "method_name"]

LOCAL_LANGUAGES = frozenset("de fr es it nl pt pl ru zh ja ar".split())
_MONTHS = "january february march april may june july august september october november december".split()
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()

# Forms dateparser's locale data lacks.
_EXTRA_MONTHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "ru": tuple(
        (m,) for m in "январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре".split()
    ),
    "ar": (
        ("كانون الثاني",),
        ("شباط",),
        ("آذار",),
        ("نيسان",),
        ("أيار",),
        ("حزيران",),
        ("تموز",),
        ("آب",),
        ("أيلول",),
        ("تشرين الأول",),
        ("تشرين الثاني",),
        ("كانون الأول",),
    ),
}
# Words that put a weekday before (-1) or after (+1) the anchor, and the week words of Chinese and Japanese.
_SHIFTS: dict[str, dict[str, int]] = {
    "de": {"vergangenen": -1, "letzten": -1, "vorigen": -1, "kommenden": 1, "nächsten": 1},
    "fr": {"dernier": -1, "prochain": 1},
    "es": {"pasado": -1, "próximo": 1},
    "it": {"scorso": -1, "prossimo": 1},
    "nl": {"afgelopen": -1, "vorige": -1, "komende": 1, "volgende": 1},
    "pt": {"passado": -1, "passada": -1, "próximo": 1, "próxima": 1},
    "pl": {"zeszły": -1, "ostatni": -1, "przyszły": 1},
    "ru": {"прошлый": -1, "прошлую": -1, "прошлое": -1, "следующий": 1, "следующую": 1},
    "ar": {"الماضي": -1, "الماضية": -1, "المقبل": 1, "القادم": 1, "المقبلة": 1},
}
# Chinese weekday names start with 周 / 星期, so 上 + 周二 is "last week's Tuesday"; Japanese says 先週 + 火曜日.
_WEEK_SHIFTS = {"上": -1, "下": 1, "本": 0, "这": 0, "先週": -1, "来週": 1, "今週": 0}
# Prepositions that make a lone month name a date ("im März"), and relative words that are also ordinary words.
_MONTH_PREPOSITIONS = {
    "de": "im|ab|seit|bis",
    "fr": "en|depuis",
    "es": "en|desde",
    "it": "a|in|da",
    "nl": "in|sinds",
    "pt": "em|desde",
    "pl": "w|od",
    "ru": "в|с|до",
    "ar": "في|منذ|خلال",
}
# A relative-day word that is also "morning": "am Morgen", "por la mañana", "deze morgen".
_MORNING = {
    "de": re.compile(r"Morgen"),
    "es": re.compile(r"(?<=\bla )mañana|(?<=\besta )mañana", re.IGNORECASE),
    "nl": re.compile(r"(?<=\bde )morgen|(?<=\bdeze )morgen|(?<='s )morgens?", re.IGNORECASE),
}
_YEAR_WORDS = {"今年": 0, "去年": -1, "明年": 1, "来年": 1, "昨年": -1}


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    months: dict[str, int]  # lower-case name -> 1..12
    weekdays: dict[str, int]  # lower-case name -> 0 (Monday) .. 6
    relative: dict[str, int]  # relative-day word -> offset in days
    pattern: re.Pattern[str]


def method_name() -> str:
    """The name and version of what reads non-English dates, for `Analysis.analyzers`."""
    import dateparser  # type: ignore[import-untyped]  # ships no type information

    return f"times:rules+dateparser-{dateparser.__version__}-locales"


def find_local_times(text: str, anchor: datetime.date | None, language: str | None) -> list[TimeExpression]:
    """The dates of `text` in `language` (one of LOCAL_LANGUAGES), normalised against `anchor`; [] otherwise."""
    code = primary_code(language)
    if code not in LOCAL_LANGUAGES:
        return []
    vocabulary = _vocabulary(code)
    found = []
    for match in vocabulary.pattern.finditer(text):
        value = _value(match, vocabulary, anchor)
        if value is not None and not _blocked(text, match, code):
            start, end = match.span()
            found.append(TimeExpression(text[start:end], start, end, "DATE", value))
    return found


def _blocked(text: str, match: re.Match[str], code: str) -> bool:
    """Whether a relative-day word means "morning" here."""
    morning = _MORNING.get(code)
    if morning is None or not match.groupdict().get("relative"):
        return False
    return morning.match(text, match.start()) is not None


@functools.cache  # a pure function of the language code, bounded by LOCAL_LANGUAGES
def _vocabulary(code: str) -> _Vocabulary:
    from dateparser.languages.loader import default_loader  # type: ignore[import-untyped]

    info = default_loader.get_locale(code).info
    shortest = 2 if code in ("zh", "ja") else 4  # one Han character is a word; "周二" is no abbreviation
    months = {name: index + 1 for index, key in enumerate(_MONTHS) for name in _names(info.get(key, []), shortest)}
    for index, names in enumerate(_EXTRA_MONTHS.get(code, ())):
        months.update({name: index + 1 for name in names})
    weekdays = {name: index for index, key in enumerate(_WEEKDAYS) for name in _names(info.get(key, []), shortest)}
    relative: dict[str, int] = {}
    for key, words in info.get("relative-type", {}).items():
        offset = re.fullmatch(r"(in )?(\d) day( ago)?", key)
        if offset and (offset.group(1) or offset.group(3)):
            days = int(offset.group(2)) * (-1 if offset.group(3) else 1)
            relative.update({w.lower(): days for w in words if len(w) >= min(shortest, 3) and not w.isdigit()})
    if code in ("zh", "ja"):
        months = {}  # CJK months are numbers: read by the pattern itself
    return _Vocabulary(months, weekdays, relative, _pattern(code, months, weekdays, relative))


def _names(names: list[str], shortest: int) -> list[str]:
    """Lower-case names worth matching: no abbreviations (shorter than `shortest`, ending in "."), unless a
    name has no longer form."""
    names = [n.lower() for n in names if not n.endswith(".") and not n.startswith("(")]
    longest = max(names, key=len, default="")
    return [n for n in dict.fromkeys(names) if len(n) >= shortest or n == longest]


def _alternation(words: dict[str, int] | dict[str, str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _pattern(code: str, months: dict[str, int], weekdays: dict[str, int], relative: dict[str, int]) -> re.Pattern[str]:
    weekday = _alternation(weekdays)
    day_words = _alternation(relative)
    if code in ("zh", "ja"):
        week = _alternation(_WEEK_SHIFTS)
        parts = [
            r"(?P<cy>\d{4})年(?:(?P<cm>\d{1,2})月(?:(?P<cd>\d{1,2})[日号])?)?",
            r"(?P<md_m>\d{1,2})月(?P<md_d>\d{1,2})[日号]",
            r"(?<![\d月])(?P<dd>\d{1,2})日(?![間间本])",  # "11日": a day of the anchor's month (not "5日間")
            r"(?P<week>" + week + r")?(?P<weekday>" + weekday + r")",
            r"(?P<yearword>" + _alternation(_YEAR_WORDS) + r")",
            r"(?P<relative>" + day_words + r")",
        ]
        return re.compile("|".join(parts))
    month = _alternation(months)
    shift = _alternation(_SHIFTS.get(code, {}))
    left, right = r"(?<!\w)", r"(?!\w)"
    if code == "ar":  # "و" (and) and "ب" (at) are written onto the next word: "و5 آذار"
        left = r"(?:(?<!\w)|(?<=(?<!\w)[وب]))"
    day = r"(?P<d>\d{1,2})(?:\.|er|º|°)?\s*(?:de\s+|del\s+)?"
    year = r"(?:,?\s*(?:de\s+|del\s+)?(?P<y>\d{4})(?:\s*(?:года|г\.|r\.|roku|م))?)?"
    shifted = r"(?:(?P<pre>" + shift + r")\s+)?(?P<weekday>" + weekday + r")(?:\s+(?P<post>" + shift + r"))?"
    if code == "ar":
        shifted = r"(?:يوم\s+)?" + shifted
    parts = [
        left + r"(?P<iso>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})" + right,
        left + r"(?P<nd>\d{1,2})[./](?P<nm>\d{1,2})[./](?P<ny>\d{4})" + right,
        left + day + r"(?P<m>" + month + r")" + right + year,
        left + r"(?P<my_m>" + month + r")\s+(?:de\s+|del\s+)?(?P<my_y>\d{4})" + right,
        left
        + r"(?:"
        + _MONTH_PREPOSITIONS.get(code, "in")
        + r")\s+(?P<lone>"
        + month
        + r")"
        + right
        + r"(?!\s+(?:de\s+|del\s+)?\d{4})",  # "en mayo de 2026" is a month with its year
        left + shifted + right,
        left + r"(?P<relative>" + day_words + r")" + right,
    ]
    return re.compile("|".join(parts), re.IGNORECASE)


def _value(match: re.Match[str], vocabulary: _Vocabulary, anchor: datetime.date | None) -> str | None:
    groups = {name: value or "" for name, value in match.groupdict().items()}
    for reader in (_full_date, _month_date, _cjk_date, _weekday, _relative):
        value = reader(groups, vocabulary, anchor)
        if value != "":
            return value
    return None


def _nearest_year(month: int, day: int, anchor: datetime.date | None) -> int | None:
    """The year that puts month-day nearest the anchor."""
    if anchor is None:
        return None
    options = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            options.append((abs((datetime.date(year, month, day) - anchor).days), year))
        except ValueError:
            continue
    return min(options)[1] if options else None


_Groups = dict[str, str]  # group name -> matched text, "" when the group did not take part


def _number(groups: _Groups, name: str) -> int:
    return int(groups.get(name) or 0)


def _full_date(groups: _Groups, vocabulary: _Vocabulary, anchor: datetime.date | None) -> str | None:
    """ISO and numeric day-month-year dates ("" when the match is of another kind)."""
    if groups.get("iso"):
        return calendar_date(_number(groups, "iso"), _number(groups, "im"), _number(groups, "id"))
    if groups.get("ny"):
        return calendar_date(_number(groups, "ny"), _number(groups, "nm"), _number(groups, "nd"))
    return ""


def _month_date(groups: _Groups, vocabulary: _Vocabulary, anchor: datetime.date | None) -> str | None:
    """ "12. März 2026", "5 de marzo", "März 2025", "im März" ("" when the match is of another kind)."""
    if groups.get("m"):
        month, day = vocabulary.months[groups["m"].lower()], _number(groups, "d")
        year = _number(groups, "y") or _nearest_year(month, day, anchor)
        return calendar_date(year, month, day) if year else f"XXXX-{month:02d}-{day:02d}"
    if groups.get("my_m"):
        return f"{_number(groups, 'my_y'):04d}-{vocabulary.months[groups['my_m'].lower()]:02d}"
    if groups.get("lone"):
        month = vocabulary.months[groups["lone"].lower()]
        year = _nearest_year(month, 15, anchor)
        return f"{year:04d}-{month:02d}" if year else f"XXXX-{month:02d}"
    return ""


def _cjk_date(groups: _Groups, vocabulary: _Vocabulary, anchor: datetime.date | None) -> str | None:
    """ "2026年3月5日", "2026年3月", "2026年", "3月5日", "去年" ("" when the match is of another kind)."""
    if groups.get("cy"):
        year, month = _number(groups, "cy"), _number(groups, "cm")
        if groups.get("cd"):
            return calendar_date(year, month, _number(groups, "cd"))
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else f"{year:04d}"
    if groups.get("md_m"):
        month, day = _number(groups, "md_m"), _number(groups, "md_d")
        nearest = _nearest_year(month, day, anchor) if 1 <= month <= 12 else None
        return calendar_date(nearest, month, day) if nearest else None
    if groups.get("dd"):
        return _day_of_month(_number(groups, "dd"), anchor)
    if groups.get("yearword"):
        return f"{anchor.year + _YEAR_WORDS[groups['yearword']]:04d}" if anchor else None
    return ""


def _day_of_month(day: int, anchor: datetime.date | None) -> str | None:
    """A day number alone: in the anchor's month when it is not after the anchor, else in the month before."""
    if anchor is None:
        return None
    if day <= anchor.day:
        return calendar_date(anchor.year, anchor.month, day)
    previous = anchor.replace(day=1) - datetime.timedelta(days=1)
    return calendar_date(previous.year, previous.month, day)


def _weekday(groups: _Groups, vocabulary: _Vocabulary, anchor: datetime.date | None) -> str | None:
    """A weekday: the latest on or before the anchor, or shifted by a word before or after it."""
    if not groups.get("weekday"):
        return ""
    if anchor is None:
        return None
    target = vocabulary.weekdays[groups["weekday"].lower()]
    week = groups.get("week")
    if week:
        monday = anchor - datetime.timedelta(days=anchor.weekday()) + datetime.timedelta(weeks=_WEEK_SHIFTS[week])
        return (monday + datetime.timedelta(days=target)).isoformat()
    shift_word = (groups.get("pre") or groups.get("post") or "").lower()
    shift = next((v for k, v in _shift_words() if k == shift_word), 0)
    back = (anchor.weekday() - target) % 7
    if shift > 0:
        return (anchor + datetime.timedelta(days=(target - anchor.weekday()) % 7 or 7)).isoformat()
    if shift < 0 and back == 0:
        back = 7
    return (anchor - datetime.timedelta(days=back)).isoformat()


def _shift_words() -> Iterator[tuple[str, int]]:
    for words in _SHIFTS.values():
        yield from words.items()


def _relative(groups: _Groups, vocabulary: _Vocabulary, anchor: datetime.date | None) -> str | None:
    word = groups.get("relative")
    if not word or anchor is None:
        return None
    return (anchor + datetime.timedelta(days=vocabulary.relative[word.lower()])).isoformat()
