"""Numbers in text, normalized to a value, a unit and a comparator.

`find_quantities` scans for a number core (digits such as ``8``, ``1,200`` or ``2.5``; the number words one
to ninety-nine; ``a``/``an`` before a scale word; vague plurals such as ``hundreds of``), then reads outwards:

* left: a currency symbol or code (``$``, ``US$``, ``€``, ``£``, ``EUR``) and a comparator (``over``,
  ``more than``, ``at least``, ``nearly``, ``about``, ``up to``, ``fewer than``, ``~``, ...);
* right: a range (``10-20``, ``3 to 5``, ``between 5 and 10``), a scale word (``million``, ``bn``, ``m``),
  a unit (``%``, ``percent``, ``percentage points``, ``dollars``, ``USD``) or, failing that, the counted
  noun (``2.5 million people`` -> unit ``people``), and a trailing ``or more`` / ``-plus``.

Choices, so callers know what they get:

* Money is normalized to its ISO code (``$`` -> USD, ``£`` -> GBP, ``¥`` -> JPY); the value carries the
  scale (``$8 trillion`` -> 8e12). ``cents`` become USD hundredths. ``pounds`` alone stays the noun
  ``pounds`` (it may be weight); ``pounds sterling`` and ``£`` are GBP. The one-letter scales ``m``, ``b``
  and ``k`` count only right after a currency (``£1.2m``), since ``5m`` is often metres.
* Percentages become ratios: ``90%`` -> 0.9, unit ``ratio``; ``3 percentage points`` -> 0.03, unit
  ``percentage_points``.
* A range keeps its whole text as the span, takes the *first* (lower) value and the comparator ``>=``.
  ``from X to Y`` is a change, not a range: it gives two quantities, and so does a range whose two ends carry
  their own units (``5% to 10%``).
* Number words count only when they clearly count something: followed by a scale word, a unit, or a plural
  noun (``three people``). ``one`` needs a scale or a unit (``one million``, ``one percent``): ``one of them``
  is not a quantity. Vague plurals are lower bounds: ``dozens`` -> >= 24, ``hundreds`` -> >= 200,
  ``tens of thousands`` -> >= 20,000. Fractions (``half``, ``two-thirds``) are not read.
* Not quantities: years (a bare four-digit number from 1500 to 2100 with no currency, scale, percentage or
  comparator, even before a noun: ``the 2016 election``; so ``2000 people`` is read as a year too, while
  ``2,000 people`` is a count), decades (``1990s``), day numbers next to a month name, clock times, ordinals
  (``1st``, ``third``), numbers glued to letters or slashes (``COVID-19``, ``9/11``, ``G20``, ``3D``), and
  numbered labels (``Article 5``, ``No. 10``).
* The counted noun is a guess: the next lowercase word, past one adjective from a short list (``17 new
  taxes`` -> ``taxes``), unless it is a function word or looks like a verb (``-ed``, ``-ing``, ``left``).
"""

import logging
import re
from dataclasses import dataclass

from storyline.records import Quantity

__all__ = ["find_quantities"]

logger = logging.getLogger(__name__)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 1e2, "thousand": 1e3, "lakh": 1e5, "million": 1e6, "crore": 1e7, "billion": 1e9,
    "trillion": 1e12, "dozen": 12.0, "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9,
    "tn": 1e12, "trn": 1e12,
}  # fmt: skip
_VAGUE = {
    "dozens": 12.0,
    "hundreds": 1e2,
    "thousands": 1e3,
    "millions": 1e6,
    "billions": 1e9,
    "trillions": 1e12,
}
_SYMBOLS = {
    "US$": "USD", "U.S.$": "USD", "$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD",
    "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "R$": "BRL", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR",
    "₽": "RUB", "₩": "KRW", "₺": "TRY", "₪": "ILS",
}  # fmt: skip
_CODES = _words("USD EUR GBP JPY CNY RMB CHF CAD AUD NZD INR RUB KRW BRL MXN HKD SGD SEK NOK DKK PLN ZAR TRY")
_CURRENCY_WORDS = {
    "dollar": "USD", "euro": "EUR", "pounds sterling": "GBP", "sterling": "GBP", "yen": "JPY", "yuan": "CNY",
    "renminbi": "CNY", "rupee": "INR", "rouble": "RUB", "ruble": "RUB", "franc": "CHF", "peso": "MXN",
}  # fmt: skip
_DOLLAR_ADJECTIVES = {
    "canadian": "CAD",
    "australian": "AUD",
    "hong kong": "HKD",
    "singapore": "SGD",
    "new zealand": "NZD",
}
_COMPARATORS = {
    ">": "more than|over|above|greater than|in excess of|upwards of|exceeding|>",
    ">=": "at least|no less than|no fewer than|a minimum of|>=|≥",
    "<=": "up to|at most|no more than|a maximum of|as many as|<=|≤",
    "<": "fewer than|less than|under|below|<",
    "~": "nearly|almost|about|around|roughly|approximately|some|close to|an estimated|circa|~|≈",
    "between": "between",
    "from": "from",
}
_ADJECTIVES = frozenset(
    _words(
        "new more additional other extra different small large big major young old full top local foreign "
        "million billion registered undocumented illegal"
    )
)
_NOT_NOUNS = frozenset(
    _words("""of and or the a an to in on at for from by with than that which who whom whose is are was were
    be been
    being has have had will would could should may might can must per as this these those more less fewer
    percent he she it they we you i his her its their our my your there here into out up down over under about
    after before since during while when where if but so not no nor too very just only also even still yet
    each every all both either neither such what how why times time left went came got made took gave saw won
    lost fell rose grew paid said says say do did does live work remain die vote""")
)
_DURATIONS = frozenset(_words("seconds minutes hours days weeks months years decades centuries"))
_IRREGULAR_PLURALS = frozenset(_words("people children men women police staff personnel cattle troops feet teeth"))

_WORD_NUMBER = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_WORD = rf"\b(?:{'|'.join(_TENS)})[- ](?:{'|'.join(list(_UNITS)[:9])})\b|\b(?:{_WORD_NUMBER})\b"
_CORE = re.compile(
    r"(?<![\w.,/:])(?<!\w-)(?:"
    rf"(?P<digits>{_DIGITS})"
    rf"|(?P<word>{_WORD})"
    r"|(?P<article>\ban?)(?=\s+(?:hundred|thousand|million|billion|trillion|dozen)\b)"
    r"|(?P<vague>\b(?:(?:tens|hundreds)\s+of\s+)?(?:dozens|hundreds|thousands|millions|billions|trillions)\b)"
    r")",
    re.IGNORECASE,
)
_SYMBOL_ALTERNATIVES = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_CURRENCY_BEFORE = re.compile(
    rf"(?:(?<![A-Za-z])(?P<symbol>{_SYMBOL_ALTERNATIVES})|\b(?P<code>{'|'.join(_CODES)}))\s?$"
)
_COMPARATOR_BEFORE = re.compile(
    r"(?:(?<!\w)(?P<word>"
    + "|".join(w for key in _COMPARATORS for w in _COMPARATORS[key].split("|") if w[0].isalpha())
    + r")\s+|(?P<sign>>=|<=|[~≈≥≤<>])\s*)$",
    re.IGNORECASE,
)
_LABEL_BEFORE = re.compile(
    r"(?<!\w)(?:no\.|nos\.|number|section|article|chapter|title|room|flight|route|highway|interstate|page|vol\."
    r"|amendment|proposition|prop\.|level|phase|stage|grade|season|episode|category|version|fig\.|figure|table"
    r"|step|paragraph|clause|district|precinct|ward|exit|gate|platform|channel|apt\.|suite|pp?\.|boeing|airbus"
    r"|apollo|windows|iphone|order|bill|resolution|docket)\s*$",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MONTH_BEFORE = re.compile(rf"\b{_MONTH}\s+$")
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b")
_TIME_AFTER = re.compile(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock\b|GMT\b|UTC\b|[ECMP][SD]?T\b)")
_ATTACHED_SCALE = re.compile(r"(?P<scale>bn|mn|mln|tn|trn|k|m|b)(?![A-Za-z])", re.IGNORECASE)
_SPACED_SCALE = re.compile(
    r"\s+(?P<scale>hundred|thousand|lakh|million|crore|billion|trillion|dozen|bn|mn|mln|tn|trn)\b",
    re.IGNORECASE,
)
_RANGE = re.compile(
    r"\s*(?P<separator>-|–|—|\bto\b|\band\b)\s*(?:" + _SYMBOL_ALTERNATIVES + r")?(?=[\d.a-zA-Z])",
    re.IGNORECASE,
)
_SECOND = re.compile(rf"(?P<digits>{_DIGITS})|(?P<word>{_WORD})", re.IGNORECASE)
_PERCENT = re.compile(r"\s*(?:%|percent\b|per\s?cent\b|pct\b)", re.IGNORECASE)
_POINTS = re.compile(r"\s+percentage\s+points?\b|\s*pp\b", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(
    r"\s+(?:of\s+)?"
    r"(?:(?P<adjective>US|U\.S\.|American|Canadian|Australian|Hong Kong|Singapore|New Zealand)\s+)?"
    r"(?P<word>dollars?|euros?|pounds sterling|sterling|yen|yuan|renminbi|rupees?|roubles?|rubles?|francs?"
    r"|pesos?|cents?)\b"
    rf"|\s*\b(?-i:(?P<code>{'|'.join(_CODES)}))\b",
    re.IGNORECASE,
)
_NOUN_AFTER = re.compile(r"(?:-|\s+(?P<of>of\s+)?)(?:(?P<adjective>[a-z]+)\s+)?(?P<noun>[a-z]+)\b")
_MORE_AFTER = re.compile(r"\s*(?:\bor\s+(?:more|above|higher|greater|over)\b|\+|-?\s?plus\b)", re.IGNORECASE)
_LESS_AFTER = re.compile(r"\s*\bor\s+(?:less|fewer|lower|under|below)\b", re.IGNORECASE)


@dataclass(slots=True)
class _Reading:
    """A quantity being read outwards from its number core (mutable scratch state, never returned)."""

    start: int
    end: int
    value: float
    kind: str  # digits | word | article | vague
    raw: str
    comparator: str = "="
    unit: str | None = None
    scaled: bool = False
    currency: str | None = None
    noun: bool = False  # the unit is a counted noun, not a currency or a percentage
    opener: str = ""  # "between" or "from" before the number: decides whether "X and/to Y" is a range
    comparator_word: str = ""
    unprefixed_start: int = 0  # where the reading starts without its comparator


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Return the quantities in `text[start:end]`, in order, with offsets into `text`.

    >>> found = find_quantities("Over 90% of the $8 trillion went.")
    >>> [(q.text, q.value, q.unit, q.comparator) for q in found]
    [('Over 90%', 0.9, 'ratio', '>'), ('$8 trillion', 8000000000000.0, 'USD', '=')]
    """
    stop = len(text) if end is None else min(end, len(text))
    found: list[Quantity] = []
    floor = start
    for match in _CORE.finditer(text, start, stop):
        if match.start() < floor:
            continue
        reading = _read(text, match, floor, stop)
        if reading is None:
            continue
        found.append(
            Quantity(
                text=text[reading.start : reading.end],
                value=reading.value,
                unit=reading.unit,
                comparator=reading.comparator,
                start=reading.start,
                end=reading.end,
            )
        )
        floor = reading.end
    return found


def _read(text: str, match: re.Match[str], floor: int, stop: int) -> _Reading | None:
    """Read one quantity around the number core `match`, or None when it is not a quantity."""
    reading = _core(match)
    if reading.kind == "digits" and re.match(r"0\d", reading.raw):
        return None  # "000" or "007": a thousands group split off by a stray space, or a code, not a count
    if reading.kind == "digits" and not _digits_stand_alone(text, reading, stop):
        return None
    if _is_label_or_date(text, reading, floor, stop):
        return None
    _read_left(text, reading, floor)
    if not _read_right(text, reading, stop):
        return None
    if _is_year(reading) or not _counts_something(reading):
        return None
    if reading.comparator_word in ("over", "under") and reading.unit in _DURATIONS:
        reading.comparator, reading.start = "=", reading.unprefixed_start  # "over ten years" is a period
    return reading


def _core(match: re.Match[str]) -> _Reading:
    raw = match.group()
    kind = next(name for name in ("digits", "word", "article", "vague") if match.group(name) is not None)
    return _Reading(start=match.start(), end=match.end(), value=_core_value(raw, kind), kind=kind, raw=raw)


def _core_value(raw: str, kind: str) -> float:
    lowered = raw.lower()
    if kind == "digits":
        return float(raw.replace(",", ""))
    if kind == "article":
        return 1.0
    if kind == "vague":  # "hundreds" -> 200, "tens of thousands" -> 20 * 1000: the least the plural can mean
        words = lowered.split()
        prefix = {"tens": 10.0, "hundreds": 100.0}.get(words[0], 1.0) if len(words) > 1 else 1.0
        return 2 * prefix * _VAGUE[words[-1]]
    parts = re.split(r"[- ]", lowered)
    return float(sum(_TENS.get(part, 0) + _UNITS.get(part, 0) for part in parts))


def _digits_stand_alone(text: str, reading: _Reading, stop: int) -> bool:
    """Digits glued to a following letter, slash, colon or dotted number are no quantity ("3D", "10:30")."""
    after = text[reading.end : stop]
    if not after:
        return True
    if after[0].isalpha():
        return _ATTACHED_SCALE.match(after) is not None
    if after[0] in "/:" and after[1:2].isdigit():
        return False
    return not (after[0] == "." and after[1:2].isdigit())


def _is_label_or_date(text: str, reading: _Reading, floor: int, stop: int) -> bool:
    """Numbered labels ("Article 5"), clock times ("5 p.m.") and day numbers next to a month ("June 5")."""
    if _LABEL_BEFORE.search(text, max(floor, reading.start - 16), reading.start):
        return True
    if reading.kind != "digits":
        return False
    if _TIME_AFTER.match(text, reading.end, stop):
        return True
    if not (reading.raw.isdigit() and 1 <= reading.value <= 31):
        return False
    if _MONTH_BEFORE.search(text, max(floor, reading.start - 12), reading.start):
        return True
    return _MONTH_AFTER.match(text, reading.end, stop) is not None


def _read_left(text: str, reading: _Reading, floor: int) -> None:
    """Extend the reading left over a currency symbol or code and a comparator."""
    currency = _CURRENCY_BEFORE.search(text, max(floor, reading.start - 6), reading.start)
    if currency is not None:
        symbol = currency.group("symbol")
        reading.currency = _SYMBOLS[symbol] if symbol else currency.group("code").upper()
        reading.start = currency.start()
    comparator = _COMPARATOR_BEFORE.search(text, max(floor, reading.start - 24), reading.start)
    if comparator is not None:
        found = (comparator.group("word") or comparator.group("sign")).lower()
        reading.comparator = next(key for key, words in _COMPARATORS.items() if found in words.split("|"))
        reading.comparator_word, reading.unprefixed_start = found, reading.start
        if reading.comparator != "from":
            reading.start = comparator.start()
        if reading.comparator in ("between", "from"):
            reading.comparator, reading.opener = "=", reading.comparator
    if reading.kind == "vague":
        reading.comparator = ">="


def _read_right(text: str, reading: _Reading, stop: int) -> bool:
    """Extend the reading over scale, range, unit and a trailing comparator; False when it is no quantity."""
    if reading.kind == "digits":
        attached = _ATTACHED_SCALE.match(text, reading.end, stop)
        if attached is not None:
            scale = attached.group("scale").lower()
            if len(scale) == 1 and reading.currency is None:
                return False  # "5m" without a currency is more often metres than millions
            _apply_scale(reading, scale, attached.end())
    _read_scale(text, reading, stop)
    _read_range(text, reading, stop)
    _read_trailing_comparator(text, reading, stop)
    _read_unit(text, reading, stop)
    _read_trailing_comparator(text, reading, stop)
    return True


def _apply_scale(reading: _Reading, scale: str, end: int) -> None:
    reading.value *= _SCALES[scale]
    reading.scaled = True
    reading.end = end


def _read_scale(text: str, reading: _Reading, stop: int) -> None:
    if reading.scaled or reading.kind == "vague":
        return
    spaced = _SPACED_SCALE.match(text, reading.end, stop)
    if spaced is not None:
        _apply_scale(reading, spaced.group("scale").lower(), spaced.end())


def _read_range(text: str, reading: _Reading, stop: int) -> None:
    """ "10-20", "3 to 5 million", "between 5 and 10": keep the first value, mark it as a lower bound."""
    if reading.kind == "vague":
        return
    separator = _RANGE.match(text, reading.end, stop)
    if separator is None:
        return
    word = separator.group("separator").lower()
    if (word == "and") != (reading.opener == "between") or (word == "to" and reading.opener == "from"):
        return
    second = _SECOND.match(text, separator.end(), stop)
    if second is None:
        return
    if reading.kind == "digits" and _is_year_number(reading.raw, reading.value):
        return
    reading.end = second.end()
    reading.comparator = ">="
    attached = _ATTACHED_SCALE.match(text, reading.end, stop)
    if second.group("digits") and attached and (len(attached.group()) > 1 or reading.currency):
        scale, reading.end = attached.group("scale").lower(), attached.end()
    else:
        spaced = _SPACED_SCALE.match(text, reading.end, stop)
        scale = spaced.group("scale").lower() if spaced else ""
        reading.end = spaced.end() if spaced else reading.end
    if scale and not reading.scaled:  # "$3-4 billion": the scale after the range applies to both ends
        _apply_scale(reading, scale, reading.end)


def _read_trailing_comparator(text: str, reading: _Reading, stop: int) -> None:
    more = _MORE_AFTER.match(text, reading.end, stop)
    less = None if more else _LESS_AFTER.match(text, reading.end, stop)
    found = more or less
    if found is not None:
        reading.comparator = ">=" if more else "<="
        reading.end = found.end()


def _read_unit(text: str, reading: _Reading, stop: int) -> None:
    percent = _PERCENT.match(text, reading.end, stop)
    points = None if percent else _POINTS.match(text, reading.end, stop)
    ratio = percent or points
    if ratio is not None:
        reading.value /= 100
        reading.unit = "ratio" if percent else "percentage_points"
        reading.end = ratio.end()
        return
    money = _CURRENCY_AFTER.match(text, reading.end, stop)
    if money is not None:
        reading.unit = _currency_unit(money)
        if money.group("word") and money.group("word").lower().startswith("cent"):
            reading.value /= 100
        reading.end = money.end()
        return
    if reading.currency is not None:
        reading.unit = reading.currency
        return
    _read_noun(text, reading, stop)


def _currency_unit(money: re.Match[str]) -> str:
    if money.group("code"):
        return money.group("code").upper()
    word = money.group("word").lower()
    adjective = (money.group("adjective") or "").lower()
    if word.startswith("dollar") and adjective in _DOLLAR_ADJECTIVES:
        return _DOLLAR_ADJECTIVES[adjective]
    if word.startswith("cent"):
        return "USD"
    return _CURRENCY_WORDS.get(word if word in _CURRENCY_WORDS else word[:-1], "USD")


def _read_noun(text: str, reading: _Reading, stop: int) -> None:
    """Take the counted noun ("2.5 million people", "17 new taxes", "a 10-year plan") past one adjective."""
    found = _NOUN_AFTER.match(text, reading.end, stop)
    if found is None:
        return
    if found.group("of") and reading.kind != "vague":
        return  # "5 of the 10" has no noun; "hundreds of people" does
    adjective, noun = found.group("adjective"), found.group("noun")
    if adjective is not None and adjective not in _ADJECTIVES:
        noun_end = found.start("adjective") + len(adjective)
        adjective, noun = None, adjective
    else:
        noun_end = found.end()
    if noun in _NOT_NOUNS or noun.endswith(("ed", "ly", "ing")) and noun not in ("building", "buildings"):
        return
    reading.unit, reading.noun, reading.end = noun, True, noun_end


def _is_year_number(raw: str, value: float) -> bool:
    return raw.isdigit() and len(raw) == 4 and 1500 <= value <= 2100


def _is_year(reading: _Reading) -> bool:
    """A bare four-digit number from 1500 to 2100 with nothing that makes it a count is a year."""
    if reading.kind != "digits" or not _is_year_number(reading.raw, reading.value):
        return False
    bare = reading.unit is None or reading.noun
    return bare and reading.currency is None and not reading.scaled and reading.comparator == "="


def _counts_something(reading: _Reading) -> bool:
    """Number words need a scale, a unit or a plural noun; "one" needs a scale or a non-noun unit."""
    if reading.kind in ("digits", "vague") or reading.scaled:
        return True
    if reading.unit is None:
        return False
    if reading.unit in ("ratio", "percentage_points") or reading.unit.isupper():
        return True
    plural = reading.unit.endswith("s") or reading.unit in _IRREGULAR_PLURALS
    return plural and reading.value != 1
