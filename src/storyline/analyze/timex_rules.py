"""The grammar of English time expressions: word lists and one regular expression per rule.

Each rule is a name and a compiled pattern with named groups; `timex_normalize` turns a match of a rule into a
TIMEX3 type and value. Extents follow the TimeML guidelines: determiners and modifiers ("the", "early", "about",
"the end of") belong to the expression, prepositions ("in", "on", "since") do not.
"""

import re
from dataclasses import dataclass

__all__ = [
    "DIGITS",
    "HOLIDAYS",
    "MONTHS",
    "NUMBER_WORDS",
    "ORDINALS",
    "PART_OF_DAY",
    "REFERENCE_WORDS",
    "RULES",
    "Rule",
    "SEASONS",
    "UNITS",
    "WEEKDAYS",
]

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3, "thursday": 4,
    "thu": 4, "thur": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6, "sunday": 7, "sun": 7,
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PART_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI", "midday": "MI",
}  # fmt: skip
_ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORDS: dict[str, float | None] = {
    **{word: i + 1 for i, word in enumerate(_ONES)},
    **{word: i + 10 for i, word in enumerate(_TEENS)},
    **{word: 20 + 10 * i for i, word in enumerate(_TENS)},
    "a": 1, "an": 1, "hundred": 100, "a hundred": 100, "one hundred": 100, "a dozen": 12, "dozen": 12,
    "a couple of": 2, "a couple": 2, "couple of": 2, "half a": 0.5, "half an": 0.5, "a half": 0.5,
    "a few": None, "few": None, "several": None, "some": None, "many": None, "a number of": None,
    "dozens of": None, "hundreds of": None, "the": 1,
}  # fmt: skip
_ORDINAL_WORDS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
    "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
    "twentieth",
]  # fmt: skip
ORDINALS: dict[str, int] = {word: i + 1 for i, word in enumerate(_ORDINAL_WORDS)}
ORDINALS.update({f"twenty-{word}": 20 + i + 1 for i, word in enumerate(_ORDINAL_WORDS[:9])})
ORDINALS.update({"thirtieth": 30, "thirty-first": 31, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4})
# unit word -> (duration unit code, shift unit code)
UNITS = {
    "second": ("S", ""), "minute": ("Mi", ""), "hour": ("H", ""), "day": ("D", "D"), "night": ("D", "D"),
    "week": ("W", "W"), "weekend": ("WE", "W"), "fortnight": ("W2", "W"), "month": ("Mo", "M"),
    "quarter": ("Q", "Q"), "year": ("Y", "Y"), "decade": ("DE", "DE"), "century": ("CE", "CE"),
    "centurie": ("CE", "CE"), "millennium": ("ML", ""), "millennia": ("ML", ""),
}  # fmt: skip
# "now", "recently", "the future": the words that stand for PRESENT_REF, PAST_REF and FUTURE_REF. Left out as too
# often not temporal in news: "soon", "once", "previously", "former", "future" and "recent" as bare adjectives.
REFERENCE_WORDS = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF", "at present": "PRESENT_REF",
    "presently": "PRESENT_REF", "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "the present": "PRESENT_REF",
    "at the moment": "PRESENT_REF", "at this time": "PRESENT_REF", "current": "PRESENT_REF",
    "recently": "PAST_REF", "lately": "PAST_REF", "the past": "PAST_REF",
    "the future": "FUTURE_REF", "the near future": "FUTURE_REF", "someday": "FUTURE_REF",
}  # fmt: skip
# holiday -> (month, day) or a rule name computed in timex_normalize
HOLIDAYS: dict[str, tuple[int, int] | str] = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1),
    "new year's eve": (12, 31), "new year's": (1, 1), "independence day": (7, 4), "the fourth of july": (7, 4),
    "july fourth": (7, 4), "halloween": (10, 31), "valentine's day": (2, 14), "veterans day": (11, 11),
    "boxing day": (12, 26), "st. patrick's day": (3, 17), "thanksgiving": "thanksgiving",
    "thanksgiving day": "thanksgiving", "easter": "easter", "easter sunday": "easter", "good friday": "good friday",
    "labor day": "labor day", "memorial day": "memorial day", "martin luther king day": "mlk day",
}  # fmt: skip


def _alternation(words: object) -> str:
    """A regex alternation of words, longest first, with spaces matching any whitespace."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]") for w in items) + ")"


_B = r"(?<![\w$£€#])"  # word start
_E = r"(?![\w])"  # word end
MONTH = (
    r"(?:"
    + _alternation(m for m in MONTHS if len(m) > 3 or m == "may")
    + "|"
    + _alternation(m for m in MONTHS if (len(m) <= 3 or m == "sept") and m != "may")
    + r"\.?)"
)
WEEKDAY = (
    r"(?:"
    + _alternation(d for d in WEEKDAYS if len(d) > 4)
    + "|"
    + _alternation(d for d in WEEKDAYS if len(d) <= 4)
    + r"\.?)"
)
YEAR4 = r"(?:1[0-9]\d\d|20\d\d)"
YEAR = r"(?:" + YEAR4 + r"|['’]\d\d)"
DAY_NUMBER = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
DAY_WORD = _alternation(w for w in ORDINALS if not w[0].isdigit())
NUM_WORD = (
    r"(?:" + _alternation(_TENS) + r"(?:[\s-]" + _alternation(_ONES) + ")?|" + _alternation(_TEENS + _ONES)
    + r"|(?:a|one)\s+hundred|hundred)"
)  # fmt: skip
NUM_DIGIT = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
FRACTION = r"(?:\s+1/2|\s*½|\s+and\s+a\s+half|-and-a-half)"
VAGUE = _alternation(["a few", "few", "several", "some", "many", "a number of", "dozens of", "hundreds of",
                      "a couple of", "a couple", "couple of", "a dozen"])  # fmt: skip
NUMBER = rf"(?:(?:{NUM_DIGIT}|{NUM_WORD}){FRACTION}?|{VAGUE}|half\s+an?|an?(?:\s+half)?)"
UNIT = (
    r"(?:second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade|centur(?:y|ie)|millenni(?:um|a))"
)
APPROX = _alternation([
    "about", "around", "approximately", "roughly", "some", "nearly", "almost", "more than", "less than",
    "fewer than", "under", "at least", "at most", "up to", "no more than", "no less than", "not more than",
    "just over", "just under", "well over", "an estimated", "close to", "upwards of",
])[:-1] + r"|over(?!\s+the\b))"  # fmt: skip
EDGE = _alternation([
    "early", "earlier", "late", "later", "mid", "mid-", "the end of", "the beginning of", "the start of",
    "the middle of", "the close of", "the turn of", "the rest of", "the remainder of", "the first half of",
    "the second half of", "the first part of", "the latter part of", "the early part of", "the later part of",
    "the end of the",
])  # fmt: skip
RELATIVE = _alternation(["this", "last", "next", "past", "coming", "previous", "current", "this coming",
                         "this past", "the past", "the last", "the next", "the coming", "the previous",
                         "the current"])  # fmt: skip
TOD = (
    r"(?:(?P<hour>[01]?\d|2[0-3])(?::(?P<minute>[0-5]\d))?\s*(?P<ampm>[ap]\.?\s?m\.?(?![\w])|o['’]clock)"
    r"|(?P<hour24>[01]\d|2[0-3]):(?P<minute24>[0-5]\d)(?!\d)(?:\s*(?:h|hrs|hours))?"
    r"|(?P<named>noon|midnight|midday)"
    r"|(?P<hourword>" + _alternation(_ONES + _TEENS[:3]) + r")\s+o['’]clock"
    r"|(?P<hourin>[01]?\d)\s+in\s+the\s+(?P<inpart>morning|afternoon|evening|night))"
    r"(?:\s+(?P<zone>[ECMP][SD]T|GMT|UTC|ET|PT|local\s+time))?"
)  # fmt: skip
PART = r"(?:morning|afternoon|evening|night|overnight)"


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    priority: int  # among matches of equal length, the lower wins
    triggers: frozenset[str]  # lowercase words one of which every match contains (DIGITS: any word with a digit)


_UNIT_WORDS = (
    "second seconds minute minutes hour hours day days night nights week weeks weekend weekends fortnight "
    "fortnights month months quarter quarters year years decade decades century centuries millennium millennia"
)
_MONTH_WORDS = " ".join(MONTHS) + " sept"
_WEEKDAY_WORDS = " ".join(WEEKDAYS) + " " + " ".join(d + "s" for d in WEEKDAYS if len(d) > 5)
DIGITS = "<digits>"  # stands for any word with a digit in it ("1990", "1990s", "21st", "q3")
# The words that every match of a rule contains: the full pattern only runs near them (much faster).
_TRIGGERS = {
    "iso": DIGITS,
    "ymd": DIGITS,
    "numeric": DIGITS,
    "month_day": _MONTH_WORDS,
    "day_month": _MONTH_WORDS,
    "month": _MONTH_WORDS,
    "year": DIGITS,
    "decade": DIGITS + " twenties thirties forties fifties sixties seventies eighties nineties",
    "century": "century",
    "rel_century": "century",
    "season": "spring summer fall autumn winter",
    "quarter": "quarter period qtr",
    "quarter_short": DIGITS,
    "the_quarter": "quarter period",
    "half": "half",
    "half_short": DIGITS,
    "deictic": "today yesterday tomorrow tonight",
    "this_part": "morning afternoon evening night overnight",
    "weekday": _WEEKDAY_WORDS,
    "weekdays": _WEEKDAY_WORDS,
    "rel_unit": "day week weekend month year",
    "the_unit": "year week weekend day",
    "unit_relative": "before after earlier later",
    "ago": "ago earlier later before after hence now back",
    "year_earlier": "year earlier ago end",
    "duration": _UNIT_WORDS,
    "vague_duration": _UNIT_WORDS,
    "bare_plural": _UNIT_WORDS,
    "decade_noun": "decade century",
    "ref": "now currently present presently nowadays days moment time recently lately past future near someday current",
    "set_every": _UNIT_WORDS
    + " morning mornings evening evenings afternoon afternoons spring summer fall autumn "
    + "winter "
    + _WEEKDAY_WORDS
    + " "
    + _MONTH_WORDS,
    "set_adverb": "daily weekly monthly annually yearly hourly nightly biweekly semiannually semi bimonthly every "
    "everyday",
    "tod": DIGITS + " noon midnight midday clock",
    "holiday": "christmas new independence fourth july halloween valentine veterans boxing patrick thanksgiving "
    "easter good labor memorial luther",
}


def _rule(name: str, body: str, priority: int = 5) -> Rule:
    return Rule(name, re.compile(_B + body + _E, re.IGNORECASE), priority, frozenset(_TRIGGERS[name].split()))


_WEEKDAY_PREFIX = rf"(?:(?P<wd>{WEEKDAY}),?\s+)?"
RULES: tuple[Rule, ...] = (
    # 2026-06-19, 2026-06-19T10:30, 2026/06/20, 6/19/2026, 20.06.2026, 19-06-2026
    _rule(
        "iso",
        r"(?P<year>\d{4})-(?P<month>[01]\d)-(?P<day>[0-3]\d)"
        r"(?:T(?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?",
        1,
    ),
    _rule("ymd", r"(?P<year>\d{4})/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)(?![/.\d])", 1),
    _rule("numeric", r"(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)(?P<year>\d{4}|\d\d)(?![/.]?\d)", 1),
    # June 19, 2026 / Friday, June 19 / June 19th / the 19th of June / 19 June 2026 / March eighth
    _rule(
        "month_day",
        r"(?:(?P<rel>last|next|this\s+past|this\s+coming|this)\s+)?"
        + _WEEKDAY_PREFIX
        + rf"(?P<month>{MONTH})\s+(?:the\s+)?"
        rf"(?P<day>{DAY_NUMBER}|{DAY_WORD})(?![\d,]\d)(?:,?\s+(?P<year>{YEAR4})|\s*,\s*(?P<year2>['’]\d\d))?(?!\d)",
        2,
    ),
    _rule(
        "day_month",
        _WEEKDAY_PREFIX + rf"(?:the\s+)?(?P<day>{DAY_NUMBER}|{DAY_WORD})\s+(?:of\s+)?"
        rf"(?P<month>{MONTH})(?:,?\s+(?P<year>{YEAR4}))?",
        2,
    ),
    # June 2026, early June, last June, June last year, the end of June
    _rule(
        "month",
        rf"(?:(?P<edge>{EDGE})[\s-]*)?(?:(?P<rel>{RELATIVE})\s+)?(?P<month>{MONTH})"
        rf"(?:,?\s+(?:of\s+)?(?P<year>{YEAR})|\s+(?P<relyear>this|last|next)\s+year)?",
        3,
    ),
    # 1983, fiscal 1989, mid-1996, the end of 1990, '89 (after fiscal / in)
    _rule(
        "year",
        rf"(?:(?P<edge>{EDGE})[\s-]*)?(?P<fiscal>(?:fiscal|calendar|the\s+year|model\s+year)\s+|FY\s?)?"
        rf"(?P<year>{YEAR})(?P<possessive>['’]s)?(?![\d%-]|\.\d|,\d|/\d|:\d)",
        4,
    ),
    # the 1990s, the '90s, the nineties, the early 1980s, the 21st century
    _rule(
        "decade",
        r"(?:the\s+)?(?:(?P<edge>early|late|mid)[\s-]*)?(?:(?P<digits>1\d\d0|20\d0)['’]?s"
        r"|['’](?P<short>\d0)['’]?s|(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))",
        3,
    ),
    _rule(
        "century",
        rf"(?:the\s+)?(?:(?P<edge>early|late|mid)[\s-]*)?(?:(?P<number>\d{{1,2}})(?:st|nd|rd|th)"
        rf"|(?P<word>{DAY_WORD}))\s+century",
        3,
    ),
    _rule("rel_century", rf"(?P<rel>{RELATIVE})\s+century", 3),
    # summer 2026, last fall, this winter, the summer of 1998
    _rule(
        "season",
        rf"(?:(?P<edge>{EDGE})[\s-]*)?(?:(?P<rel>{RELATIVE}|the)\s+)?(?P<season>spring|summer|fall|autumn|"
        rf"winter)(?:\s+(?:of\s+)?(?P<year>{YEAR}))?",
        4,
    ),
    # the third quarter, third-quarter, the fourth quarter of 1990, the 1989 third quarter, Q3 2026, 3Q
    _rule(
        "quarter",
        rf"(?:the\s+)?(?:(?P<year0>{YEAR4})['’]?s?\s+|(?P<relyear0>this|last|next)\s+year['’]s\s+)?"
        r"(?:(?P<prior>year-earlier|year-ago|comparable(?:\s+year-(?:earlier|ago))?|prior-year)\s+)?"
        r"(?:fiscal\s+(?:(?P<fyear>\d{4})\s+)?)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final|last|"
        r"latest|current|previous|past|same|most\s+recent|recent|year-earlier|year-ago|next|coming|this|"
        r"june|september|december|march)(?:\s+fiscal)?[\s-]+(?:quarter|period|qtr\.?)"
        rf"(?:\s+of\s+(?:fiscal\s+)?(?:(?P<year>{YEAR4})|(?P<relyear>this|last|next)\s+year|the\s+(?:fiscal\s+)?year))?"
        rf"(?:\s+(?P<year2>{YEAR4})(?![\d,.]))?",
        3,
    ),
    _rule("quarter_short", rf"(?:(?P<q>Q[1-4])|(?P<q2>[1-4]Q))(?:\s*['’]?(?P<year>{YEAR4}|\d\d))?", 2),
    _rule("the_quarter", r"the\s+(?P<what>quarter|period)", 6),
    _rule(
        "half",
        rf"(?:the\s+)?(?P<ord>first|second|1st|2nd|latter|last)\s+half(?:\s+of\s+(?:(?P<year>{YEAR4})|"
        rf"(?P<relyear>this|last|next)\s+year|the\s+(?:fiscal\s+)?year)|\s+(?P<year2>{YEAR4}))",
        3,
    ),
    _rule("half_short", rf"(?P<h>H[12])\s*(?P<year>{YEAR4})", 2),
    # today, yesterday morning, tonight, last night, the day before yesterday
    _rule(
        "deictic",
        r"(?:(?P<edge>early|late|later|earlier)\s+)?(?:the\s+day\s+(?P<beforeafter>before|after)\s+)?"
        rf"(?P<word>today|yesterday|tomorrow|tonight)(?:\s+(?P<part>{PART}))?",
        2,
    ),
    _rule("this_part", rf"(?:(?P<edge>early|late|later|earlier)\s+)?(?P<rel>this|last|that|the)\s+(?P<part>{PART})", 4),
    # Friday, last Friday, Friday morning, early Tuesday
    _rule(
        "weekday",
        rf"(?:(?P<rel>{RELATIVE}|that)\s+)?(?:(?P<edge>early|late|later|earlier)\s+)?(?P<wd>{WEEKDAY})"
        rf"(?:\s+(?P<part>{PART}))?(?![\w-])",
        4,
    ),
    _rule(
        "weekdays", rf"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s(?:\s+(?P<part>{PART}s?))?", 4
    ),
    # this week, last month, next year, earlier this year, the past year, the coming week, that day
    _rule(
        "rel_unit",
        rf"(?:(?P<edge>{EDGE})\s+)?(?P<rel>{RELATIVE}|that|the\s+same|the\s+following|the\s+previous|"
        r"the\s+preceding|the\s+prior)\s+(?P<unit>day|week|weekend|month|year|fiscal\s+year)",
        4,
    ),
    _rule(
        "the_unit",
        rf"(?:(?P<edge>{EDGE})\s+)?the\s+(?P<unit>year|weekend|week|day)(?P<ended>(?=\s+(?:ended|ending)\b))?(?!-)",
        7,
    ),
    _rule(
        "unit_relative", r"the\s+(?P<unit>day|week|month|year)\s+(?P<which>before|after|earlier|later)(?!\s+than)", 3
    ),
    # two weeks ago, a year earlier, three days later, 10 years from now
    _rule(
        "ago",
        rf"(?:(?P<approx>{APPROX})\s+)?(?P<num>{NUMBER})(?:\s+or\s+(?:so|more))?[\s-]+(?P<unit>{UNIT})s?"
        r"(?:\s+or\s+so)?\s+(?P<which>ago|hence|from\s+now|back(?!\s+(?:to|in|from|into|on)\b)|"
        r"(?:earlier|later)(?!\s+than\b)|"
        r"(?:before|after)(?!\s+(?:than|the|a|an|his|her|their|its|this|that|he|she|it|they|we|i|(?-i:[A-Z]))\b))",
        2,
    ),
    _rule(
        "year_earlier",
        r"(?P<what>year-earlier|year-ago|prior-year|year-end|year\s+end)",
        6,
    ),
    # three years, the past two months, a decade, 16-hour, 2 1/2 years, the first nine months
    _rule(
        "duration",
        rf"(?:(?P<approx>{APPROX})\s+)?(?:(?P<the>the|a|an)\s+)?(?:(?P<rel>past|last|next|first|final|"
        r"coming|previous|following|initial|remaining|latest|ensuing|subsequent|additional|further|same|other|"
        r"year-earlier|recent)\s+)?"
        rf"(?P<num>{NUMBER})(?P<more>\s+more|\s+additional|\s+full|\s+straight|\s+consecutive|\s+successive)?"
        rf"[\s-]+(?:(?:trading|business|working|calendar|fiscal)\s+)?(?P<unit>{UNIT})(?P<plural>s)?(?P<long>-long)?"
        r"(?:\s+or\s+(?:so|more|longer))?",
        5,
    ),
    _rule(
        "vague_duration",
        r"(?:(?P<the>the)\s+)?(?P<qual>(?:(?:past|last|next|coming|recent|previous|first|"
        r"following|ensuing|early|few|several|many|couple\s+of)\s+)+)(?P<unit>second|minute|hour|day|week|month|"
        r"quarter|year|decade|centurie)s",
        6,
    ),
    _rule("bare_plural", r"(?P<unit>days|weeks|months|years|decades|centuries|hours|minutes)", 8),
    _rule("decade_noun", r"(?P<the>the\s+)?(?P<rel>past|last|previous|next|coming)\s+(?P<unit>decade|century)", 4),
    # now, recently, the future
    _rule(
        "ref",
        r"(?P<word>right\s+now|now|currently|at\s+present|presently|nowadays|these\s+days|the\s+present|"
        r"at\s+the\s+moment|at\s+this\s+time|recently|lately|formerly|the\s+past|earlier|"
        r"the\s+future|soon|shortly|the\s+near\s+future|"
        r"some\s+day|someday|one\s+day|current|recent|former|future|once|previously|later|then|meantime|"
        r"the\s+time\s+being|this\s+time)",
        9,
    ),
    # every week, daily, twice a year, on Mondays, $5 a year
    _rule(
        "set_every",
        rf"(?P<times>(?:{NUM_WORD}|\d+)\s+times\s+|twice\s+|once\s+)?(?P<det>every|each|per|a|an)"
        rf"\s+(?:(?P<other>other)\s+)?(?:(?P<num>{NUM_WORD}|\d+)\s+)?(?:(?P<unit>{UNIT}|morning|evening|afternoon)s?"
        rf"|(?P<wd>{WEEKDAY})|(?P<month>{MONTH})|(?P<season>spring|summer|fall|autumn|winter))",
        4,
    ),
    _rule(
        "set_adverb",
        r"(?P<word>daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly|semiannually|"
        r"semi-annually|bimonthly|every\s+day|everyday)",
        6,
    ),
    # 10:35 a.m., noon Thursday, 5 p.m. EST Nov. 9, 4 in the morning
    _rule(
        "tod",
        TOD + rf"(?:,?\s+(?:on\s+)?(?P<day>today|yesterday|tomorrow|tonight|{WEEKDAY}"
        rf"(?:,?\s+{MONTH}\s+{DAY_NUMBER}(?:,?\s+{YEAR4})?)?|{MONTH}\s+{DAY_NUMBER}(?:,?\s+{YEAR4})?))?",
        3,
    ),
    _rule(
        "holiday",
        rf"(?:(?P<rel>last|next|this|this\s+past|this\s+coming)\s+)?(?P<name>{_alternation(HOLIDAYS)})"
        rf"(?:,?\s+(?P<year>{YEAR4}))?",
        3,
    ),
)
