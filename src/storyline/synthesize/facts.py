"""Fact alignment: statements from different sources that report the same fact, and the slots they fill.

A statement is one sentence of one source. Its *slots* are the values a fact can be changed in: numbers
(analysis quantities), people (PERSON entities), places (GPE / LOC / FAC entities) and dates (DATE time
expressions). Its *frame* is what is left when every slot is taken out: the stems of its content words.
Two statements of different sources report the same fact when their frames agree (enough shared stems and a
high enough overlap coefficient, per kind: `ALIGNMENT`): a changed value does not lower the agreement, because
values are not part of the frame, and a few reworded words around it lower it only a little.

Inside an aligned pair, the slots of one kind are matched by their own context (the content words just
before and after each slot), so that in "10 killed and 6 injured" the 10 is compared with the other source's
killed count, not its injured count. A matched pair of values is a disagreement when:

* numbers: same unit, same counted thing when both name one, and ranges that exclude each other ("at least
  10" and "14" agree; "about 1,200" and "1,234" agree; "40 percent" and "40%" are one value);
* people, places: different names (not variants of one name: "Smith" / "John Smith", initials, "Jr.");
* dates: different normalized values of the same form (each article's relative dates are already resolved
  against its own publication date, so "last year" in articles of different years agrees), unless the two
  expressions are written the same;
* and, for every kind, neither source states the other's value anywhere: a source that names both people,
  or gives both numbers, knows both, so they are two facts, not two versions of one.

Pairs are found through an inverted index over frame stems (stems used by more than `COMMON_SHARE` of all
statements are not indexed), so a 50-article story does not compare every sentence with every other.
"""

import bisect
import datetime as dt
import difflib
import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from storyline.records import Entity, Quantity
from storyline.synthesize import places
from storyline.synthesize.bundle import SourceArticle, StoryInput
from storyline.synthesize.candidates import report_end
from storyline.synthesize.similarity import word_terms

__all__ = [
    "FRAME_OVERLAP",
    "MIN_SHARED",
    "Match",
    "PLACE_WRITINGS",
    "Slot",
    "Statement",
    "aligned_matches",
    "counted",
    "date_form",
    "is_age",
    "states",
    "near",
    "place_key",
    "published_at",
    "same_value",
    "statements",
]

FRAME_OVERLAP = 0.3  # the loosest alignment any kind accepts (ALIGNMENT holds each kind's own)
MIN_SHARED = 2
# Per kind: (shared frame stems, frame overlap, context overlap strictly above). Chosen on the dev half of
# bench/conflicts.py as the loosest setting with at most 0.25 false conflicts per 10 untouched stories each;
# the held-out half is reported with the same values. People need 3 shared stems since step 41 of
# docs/conflicts.md: with 2, a 3-word frame ("Palin responded by firing the board") agreed at 0.67 with any long
# sentence holding "responded" and "fire" (1 dev planted fact fewer; 3 real-store and 3 untouched false ones).
ALIGNMENT = {
    "number": (2, 0.5, 0.1),
    "person": (3, 0.5, 0.3),
    "place": (3, 0.5, 0.0),
    "date": (4, 0.3, 0.0),
}
# Two dates need a shared word around them ("stormed the Capitol on Jan. 6" / "voted on Jan. 13 to impeach" are two
# events) unless the two sentences agree on at least this share of their frames (step 41 of docs/conflicts.md)
DATE_FRAME_ALONE = 0.5
COMMON_SHARE = 0.3
COMMON_FLOOR = 12  # a small story indexes every stem: its few statements repeat the same words (title and lead)
# Numbers followed by the same noun ("440,000 jobs" / "250,000 jobs"): frame stems shared besides the noun, and
# the frame overlap, that two statements need to be compared (`_count_matches`).
COUNT_ALIGNMENT = (2, 0.2)
# Units and nouns that many different counts of one story share ("100 people" marched, "46 people" arrested):
# those need the frames to agree more.
GENERIC_COUNT_ALIGNMENT = (5, 0.45)
_GENERIC = (
    "people persons times years days weeks months hours minutes seconds points games votes "
    "yards goals runs carries plays rebounds assists shots touchdowns innings laps passes lead miles"
)
GENERIC_COUNTS = frozenset({*_GENERIC.split(), *word_terms(_GENERIC)})  # as units ("people") and as stems
COUNT_RATIO = 4.0  # two versions of one count differ by less than this factor
UNIT_COUNT_ALIGNMENT = (3, 0.3)  # shares and amounts of money ("ratio", "USD" ...): many facts of a story have them
_CLOCK = re.compile(r"\s*(?::\s*\d|[ap]\.?\s?m\b)", re.IGNORECASE)  # "8 : 30", "8 p. m."
CONTEXT_WORDS = 3
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_NAME_WORD = re.compile(r"[^\W\d_]+")
# Titles that name one holder in a story: two sources giving the title to two people disagree on who holds it.
ROLE_TITLES = frozenset(
    word_terms(
        "president minister secretary senator governor mayor judge chief spokesman spokeswoman spokesperson "
        "chairman chairwoman ceo director coach commissioner prosecutor sheriff captain ambassador superintendent "
        "speaker leader challenger nominee attorney lawyer sergeant sgt accuser chancellor premier pope counsel "
        "chair chairperson lady gentleman administrator inspector treasurer"
    )
)
# One title written several ways ("Chairman Schiff" / "Chair Schiff"): the stem each is compared as.
_ROLE_SAME = {
    stem: word_terms(head)[0]
    for head, variants in (
        ("chair", "chairman chairwoman chairperson"),
        ("spokesperson", "spokesman spokeswoman"),
    )
    for stem in word_terms(variants)
}
OFFICES = ROLE_TITLES | frozenset(word_terms("undersheriff"))
_TITLE_RANKS = frozenset(
    "vice deputy former acting assistant associate chief senior interim prime head general".split()
)
_TITLE_BEFORE = re.compile(r"(?:([^\W\d_]+)[ \t]+)?([^\W\d_]+)[ \t]+$")
_FORMER = re.compile(r"\b(?:former|ex-|then-)\s*(?:[A-Z][\w.]*\s+)?$", re.IGNORECASE)  # "former U.S. "
_QUALIFIER = re.compile(r"\b([A-Z][a-z]+(?:ian|ish|ese|an|i|ch))[ \t]+$")  # Egyptian, British, Chinese, Israeli
_PLACE_BEFORE = frozenset({"in", "at", "from", "near", "outside", "of", "to", "across", "into"})
# a name the entity model took for a person is a place after these only ("a cousin of Sid Richardson", "a letter
# from John Smith" and "to Boras" name people), or after "of" following a place noun ("the town of Denholm")
_PERSON_PLACE_BEFORE = _PLACE_BEFORE - {"from", "of", "to"}
_PLACE_NOUNS = frozenset(
    "town city village state county province region island port district capital suburb borough".split()
)
# Counts of mutually exclusive things: a number near "killed" and one near "injured" are two counts, not two
# versions of one (the words are stemmed like the frames).
_COUNTED = {
    "dead": "killed kill kills killing dead death deaths died die dies fatal fatalities lives",
    "injured": "injured injuring injuries injury wounded wounding hurt hospitalized hospitalised",
    "missing": "missing",
    "arrested": "arrested arrests arrest detained detention custody",
    "displaced": "evacuated evacuation displaced homeless",
}
# Counted only as the number's own noun ("50 cases", "12,515 infections"): "wanted in another case" counts nothing
_COUNTED_NOUNS = {stem: "infected" for stem in word_terms("cases infections infected")}
COUNTED = {stem: name for name, words in _COUNTED.items() for stem in word_terms(words)}
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


@dataclass(frozen=True, slots=True)
class Slot:
    """One value in one statement: `kind` number | person | place | date, at `text[start:end]` of its article."""

    kind: str
    start: int
    end: int
    text: str
    key: str  # what is compared: a name's words, a date's normalized value, a number's unit
    quantity: Quantity | None = None
    before: tuple[str, ...] = ()  # stems of the content words just before the slot
    after: tuple[str, ...] = ()  # ... and just after
    peers: tuple[str, ...] = ()  # a place named in a list: the keys of the other places of the list


@dataclass(frozen=True, slots=True)
class Statement:
    """One sentence of one source with its slots and its frame (content stems outside the slots)."""

    source: SourceArticle
    start: int
    end: int
    frame: frozenset[str]
    slots: tuple[Slot, ...]


@dataclass(frozen=True, slots=True)
class Match:
    """Two slots of one kind, in aligned statements of two sources, that give different values."""

    kind: str
    one: Slot
    other: Slot
    one_statement: Statement
    other_statement: Statement
    agreement: float  # frame overlap of the two statements


# One place written several ways, as written: US states with their AP and postal abbreviations, and common
# short forms of a few countries. The first writing of a group gives the place's key (`place_key`).
PLACE_WRITINGS: tuple[tuple[str, ...], ...] = (
    ("Alabama", "Ala.", "AL"),
    ("Alaska", "AK"),
    ("Arizona", "Ariz.", "AZ"),
    ("Arkansas", "Ark.", "AR"),
    ("California", "Calif.", "CA"),
    ("Colorado", "Colo.", "CO"),
    ("Connecticut", "Conn.", "CT"),
    ("Delaware", "Del.", "DE"),
    ("Florida", "Fla.", "FL"),
    ("Georgia", "Ga.", "GA"),
    ("Hawaii", "HI"),
    ("Idaho", "ID"),
    ("Illinois", "Ill.", "IL"),
    ("Indiana", "Ind.", "IN"),
    ("Iowa", "IA"),
    ("Kansas", "Kan.", "KS"),
    ("Kentucky", "Ky.", "KY"),
    ("Louisiana", "La.", "LA"),
    ("Maine", "ME"),
    ("Maryland", "Md.", "MD"),
    ("Massachusetts", "Mass.", "MA"),
    ("Michigan", "Mich.", "MI"),
    ("Minnesota", "Minn.", "MN"),
    ("Mississippi", "Miss.", "MS"),
    ("Missouri", "Mo.", "MO"),
    ("Montana", "Mont.", "MT"),
    ("Nebraska", "Neb.", "NE"),
    ("Nevada", "Nev.", "NV"),
    ("New Hampshire", "N.H.", "NH"),
    ("New Jersey", "N.J.", "NJ"),
    ("New Mexico", "N.M.", "NM"),
    ("New York", "N.Y.", "NY"),
    ("North Carolina", "N.C.", "NC"),
    ("North Dakota", "N.D.", "ND"),
    ("Ohio", "OH"),
    ("Oklahoma", "Okla.", "OK"),
    ("Oregon", "Ore.", "OR"),
    ("Pennsylvania", "Pa.", "PA"),
    ("Rhode Island", "R.I.", "RI"),
    ("South Carolina", "S.C.", "SC"),
    ("South Dakota", "S.D.", "SD"),
    ("Tennessee", "Tenn.", "TN"),
    ("Texas", "Tex.", "TX"),
    ("Utah", "UT"),
    ("Vermont", "Vt.", "VT"),
    ("Virginia", "Va.", "VA"),
    ("Washington state", "Wash.", "WA"),
    ("West Virginia", "W.Va.", "WV"),
    ("Wisconsin", "Wis.", "WI"),
    ("Wyoming", "Wyo.", "WY"),
    ("United States", "U.S.", "US", "U.S.A.", "USA", "America", "United States of America"),
    ("United Kingdom", "U.K.", "UK", "Britain", "Great Britain"),
    ("United Arab Emirates", "U.A.E.", "UAE"),
    ("Netherlands", "the Netherlands", "Holland"),
    ("Middle East", "Mideast", "the Middle East", "the Mideast"),
    # "Washington" alone is the capital, or the US government by metonymy ("Washington threatens ..."), far more
    # often than the state in news
    ("Washington DC", "Washington, D.C.", "Washington D.C.", "Washington", "D.C.", "DC", "District of Columbia"),
)


@functools.lru_cache(maxsize=1)
def _place_groups() -> dict[str, tuple[tuple[str, ...], re.Pattern[str]]]:
    """Place key -> (its writings' keys, a case-sensitive pattern for its writings in a text)."""
    groups: dict[str, tuple[tuple[str, ...], re.Pattern[str]]] = {}
    for writings in PLACE_WRITINGS:
        keys = tuple(dict.fromkeys(_place_words(w) for w in writings))
        pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(w) for w in writings) + r")(?![\w])")
        for key in keys:
            groups[key] = (keys, pattern)
    return groups


def place_key(name: str) -> str:
    """A place's key: its name words, or its place's first writing's ("Calif." and "CA" are "california")."""
    words = _place_words(name)
    group = _place_groups().get(words)
    return group[0][0] if group else " ".join(name_words(name))


def _place_words(name: str) -> str:
    """`name_words` joined by spaces; for initials ("U.S.", "D.C.") their letters ("us", "dc")."""
    return " ".join(name_words(name)) or "".join(_NAME_WORD.findall(name.casefold()))


def name_words(name: str) -> tuple[str, ...]:
    """A name's words without punctuation, initials and generational suffixes ("George W. Bush" -> george, bush)."""
    words = _NAME_WORD.findall(name.casefold())
    return tuple(w for w in words if len(w) > 1 and w not in _SUFFIXES)


def _quantities(source: SourceArticle) -> tuple[Quantity, ...]:
    """Every number of the article; for analyses stored before `Analysis.quantities` existed, the claims'."""
    analysis = source.analysis
    return analysis.quantities or tuple(q for claim in analysis.claims for q in claim.quantities)


def _raw_slots(source: SourceArticle) -> list[Slot]:
    """Every slot of an article, in text order, without context (read once per article)."""
    text, analysis = source.article.text, source.analysis
    found: list[Slot] = []
    for quantity in _quantities(source):
        if not _is_year(quantity):
            found.append(Slot("number", quantity.start, quantity.end, quantity.text, quantity.unit or "", quantity))
    person_ends = {entity.end for entity in analysis.entities if entity.label == "PERSON"}
    dialogue = transcript(text)
    for entity in analysis.entities:
        if entity.label == "PERSON" and dialogue:
            continue  # "Mary Snow, thanks very much", "Joining us now is ...": who talks, not who holds a role
        if entity.label in PLACE_LABELS and (_credential(text, entity, person_ends) or _zone(text, entity.start)):
            continue
        if entity.label in PLACE_LABELS and _titled(text, entity.start, entity.end):
            continue  # the romantic epic "Australia,": the title of a work, no place of an event
        if entity.label in PLACE_LABELS and (
            filed_from(text, entity.start, entity.end) or _of_holder(text, entity) or _CAPTION.match(text, entity.end)
        ):
            continue  # where a report was filed or a photo taken; a country's minister: no place of an event
        if entity.label == "PERSON" and speaker_label(text, entity.start, entity.end):
            continue  # "NIC ROBERTSON, CNN SENIOR INTERNATIONAL CORRESPONDENT:" opens a turn of a transcript
        if entity.label == "PERSON" and credited(text, entity.start):
            continue  # "(Reporting by Lucy Hornby; Editing by Sanjeev Miglani)", "| By Amir Ahmed, CNN": who wrote it
        if entity.label == "PERSON" and _no_name(entity.canonical):
            continue  # "Thu Apr" of a page stamp, "Field Marshal", "Health Minister": the model's slips
        if entity.label == "PERSON" and len(name_words(entity.canonical)) >= 2:  # a full name is known
            found.append(Slot("person", entity.start, entity.end, entity.text, " ".join(name_words(entity.canonical))))
        elif (
            entity.label in PLACE_LABELS
            and not _office(entity.text)
            or (entity.label == "PERSON" and _person_read_as_place(text, entity.start))
        ):
            found.append(Slot("place", entity.start, entity.end, entity.text, place_key(entity.text)))
    for time in analysis.times:
        if time.type == "DATE" and time.value[:1] in "0123456789X" and not page_stamp(text, time.start, time.end):
            found.append(Slot("date", time.start, time.end, time.text, time.value))
    found.sort(key=lambda s: s.start)
    return found


_CALENDAR_WORDS = frozenset(
    """mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday saturday sunday jan feb
    mar apr jun jul aug sep sept oct nov dec january february march april may june july august september october
    november december""".split()
)
_TITLE_WORDS = frozenset("field marshal general minister health defence defense foreign prime chief".split())


def _no_name(name: str) -> bool:
    """Whether a PERSON entity holds no name: only calendar words ("Thu Apr"), or only title words ("Field
    Marshal", "Health Minister")."""
    words = [w.casefold().strip(".,") for w in name.split()]
    if not words:
        return True
    return all(w in _CALENDAR_WORDS for w in words) or all(
        w in _TITLE_WORDS or w in ROLE_TITLES or w in _TITLE_RANKS for w in words
    )


_OPEN_QUOTES = "\"“‘'"
_TITLE_CLOSE = re.compile(r"\s*[,.!?]?\s*(?:''|[\"”’'])")


def _titled(text: str, start: int, end: int) -> bool:
    """Whether a name stands alone inside quotation marks, as the title of a film, a book or a song does."""
    return start > 0 and text[start - 1] in _OPEN_QUOTES and bool(_TITLE_CLOSE.match(text, end))


TRANSCRIPT_TURNS = 3  # speaker labels that make a text a transcript
_TURN = re.compile(r"(?:^|(?<=[.!?\"”]\s))[A-Z][A-Z'’ .\-]{1,40}(?:,[^\n:a-z]{1,80})?:\s", re.MULTILINE)


def transcript(text: str) -> bool:
    """A broadcast transcript: `TRANSCRIPT_TURNS` or more turns opened by a name in capitals ("BLITZER: ...",
    "MARY SNOW, CNN CORRESPONDENT: ...")."""
    return sum(1 for _ in itertools.islice(_TURN.finditer(text), TRANSCRIPT_TURNS)) >= TRANSCRIPT_TURNS


_SPEAKER_LABEL = re.compile(r"[^\S\n]*(?:,[^\S\n]*[^\W\da-z][^\n:a-z]{0,80})?:")  # ", CNN ANCHOR:" / ":"


def speaker_label(text: str, start: int, end: int) -> bool:
    """A name in capitals that opens a turn of a transcript ("KURTZ: I don't think", "JESSICA YELLIN, CNN
    CORRESPONDENT: Well"): who speaks next, not a person in a role of the story."""
    name = text[start:end]
    return name.isupper() and _SPEAKER_LABEL.match(text, end) is not None


_CLOCK_BEFORE = re.compile(r"\d{1,2}\s?[:.]\s?\d{2}\s*(?:[ap]\.?m\.?\s*)?$", re.IGNORECASE)


def _zone(text: str, start: int) -> bool:
    """A place right after a clock time names its time zone, not where anything happened ("08:02 UK")."""
    return _CLOCK_BEFORE.search(text, max(0, start - 14), start) is not None


STAMP_REACH = 40  # characters each side of a date looked at for a clock time and a stamp word
_STAMP_CLOCK = re.compile(r"\b\d{1,2}\s?:\s?\d{2}\b")
_STAMP_WORD = re.compile(
    r"\b(?:(?:last\s+)?updated\s+(?:at|on)|posted\s+(?:at|on)|published\s+(?:at|on)|aired|report\s+abuse)\b"
    r"|\|\s*reply\b|\(\s*update\b|\bwrote\s*:|\b[ap]\.?m\.?\s*\|"
    r"|\b[ap]\.?m\.?\s+(?:EDT|EST|CDT|CST|PDT|PST|ET|GMT|BST|UTC|CET|CEST|JST)\b|\((?:Reuters|AP|AFP|UPI)\)",
    re.IGNORECASE,
)


def page_stamp(text: str, start: int, end: int) -> bool:
    """The date stamps the page, not an event: "7 November 2011 Last updated at 21:40 GMT", "Page last updated at
    05:27 GMT, Tuesday, 27 September 2011", "Aired February 6, 2011 - 10:00 ET", a comment's "January 27, 2011 at
    7:59 pm | Report abuse". Two pages updated on two days do not disagree on a fact. It takes a clock time and a
    stamp word (updated at, posted at, published on, aired, report abuse, "| reply", "(Update", a commenter's
    "wrote:", a clock's "pm |", a clock's time zone "7:30 pm EDT", a wire's "(Reuters)": "MEXICO CITY | Thu Apr
    30, 2009 7:30 pm EDT MEXICO CITY (Reuters) -") beside the date, on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    around = text[max(line_start, start - STAMP_REACH) : min(line_end, end + STAMP_REACH)]
    return bool(_STAMP_CLOCK.search(around) and _STAMP_WORD.search(around))


def _in_sentence(
    text: str, found: list[Slot], starts: list[int], start: int, end: int, stems: dict[str, str] | None = None
) -> list[Slot]:
    """The slots that start inside [start, end), widened to whole words, with their context."""
    out = []
    for found_slot in found[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]:
        slot = _whole_words(text, found_slot)
        before = word_terms(text[max(start, slot.start - 80) : slot.start], stems)[-CONTEXT_WORDS:]
        after = word_terms(text[slot.end : min(end, slot.end + 80)], stems)[:CONTEXT_WORDS]
        out.append(
            Slot(slot.kind, slot.start, slot.end, slot.text, slot.key, slot.quantity, tuple(before), tuple(after))
        )
    return out


def _after_place_word(text: str, start: int) -> bool:
    """Whether the word before `start` is one that introduces a place ("in", "at", "from", "of" ...)."""
    before = re.findall(r"\w+", text[max(0, start - 20) : start].casefold())
    return bool(before) and before[-1] in _PLACE_BEFORE


def _person_read_as_place(text: str, start: int) -> bool:
    """Whether a name the entity model took for a person stands where a place does ("in Denholm", "the town of
    Denholm"), not a person ("a cousin of Sid Richardson", "from John Smith")."""
    before = re.findall(r"\w+", text[max(0, start - 30) : start].casefold())
    if before and before[-1] in _PERSON_PLACE_BEFORE:
        return True
    return len(before) >= 2 and before[-1] == "of" and before[-2] in _PLACE_NOUNS


# A dateline's place in capitals, then maybe its state or the day, then the agency and a dash, or a bar and a weekday:
# "RABAT, June 12 (Reuters) -", "COLUMBIA, S.C. (AP) —", "NEW YORK | Mon May 18, 2009 4:02 pm EDT"
_FILED_AFTER = re.compile(
    r"(?:,\s*[A-Z][A-Za-z.]*)?(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*"
    r"(?:\([^()\n]{1,40}\)\s*(?:—|–|--|-)\s|\|\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b)"
)
# "Turkey's prime minister", "Peru's health minister", "John McCain, R-Arizona": the place says whose office
_HOLDER_AFTER = re.compile(r"['’]s\s+((?:[\w-]+\s+){0,2}[\w-]+)")
# A photo caption ends with the place and the day it was taken: "walk down the street in Osaka May 15, 2009."
_CAPTION = re.compile(
    r",?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s+\d{4}\s*[.\n]"
)
_PARTY_BEFORE = re.compile(r"(?:^|[\s,(])[RDI]-$")


# A credit: "By", or "Reporting by", "Editing by" ..., opening a line, a bracket or a part of a credit line, then
# names only ("(Reporting by Bob Burgdorfer in Chicago, Editing by Sandra Maler)", "By Tim Lister and Emily Smith");
# each word is taken whole (`*+`): split into its capitals ("NATO" as "N", "ATO"), a run of capitals that fails to
# reach the name would be tried every way, twice as long for each letter
_CREDIT = re.compile(
    r"(?:^|[\n(|;,])\s*(?:(?:[Aa]dditional\s+)?(?:[Rr]eporting|[Ee]diting|[Ww]riting|[Cc]ompiled|[Ee]dited|[Ww]ritten|"
    r"[Rr]eported|[Pp]hotos?|[Pp]hotography|[Rr]esearch)(?:\s+and\s+[a-z]+)?\s+)?[Bb]y\s+"
    r"(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|August|September|"
    r"October|November|December|[Tt]he\b)(?P<names>(?:[A-Z][\w.'’-]*+\s*|,\s*|and\s+)*)$"
)


def credited(text: str, start: int) -> bool:
    """Whether the name at `start` is credited as an author, reporter or editor of the piece, not a person in it."""
    found = _CREDIT.search(text, max(0, start - 120), start)
    return found is not None and not set(word_terms(found.group("names"))) & ROLE_TITLES  # "by Foreign Minister"


def filed_from(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is a dateline's place, written in capitals: where the report was filed."""
    name = text[start:end]
    return name.upper() == name and any(c.isalpha() for c in name) and bool(_FILED_AFTER.match(text, end))


def _of_holder(text: str, entity: Entity) -> bool:
    """Whether a place names whose office follows ("Turkey's prime minister") or a lawmaker's state ("R-Ariz.")."""
    if _PARTY_BEFORE.search(text, max(0, entity.start - 3), entity.start) or re.match(r"[RDI]-", entity.text):
        return True
    after = _HOLDER_AFTER.match(text, entity.end)
    return after is not None and bool(set(word_terms(after.group(1))) & ROLE_TITLES)


def _credential(text: str, entity: Entity, person_ends: set[int]) -> bool:
    """ "Regina Benjamin, MD": two capitals right after a person's name and a comma are a credential, not a
    state."""
    if not re.fullmatch(r"[A-Z]\.?[A-Z]\.?", entity.text.strip()):
        return False
    before = text[max(0, entity.start - 3) : entity.start]
    comma = before.rstrip().endswith(",")
    return comma and any(end in person_ends for end in range(entity.start - 3, entity.start - 1))


def _office(name: str) -> bool:
    """Whether a place entity is an office named after its place ("Genesee County Sheriff"): a title, no place."""
    words = word_terms(name)
    return bool(words) and words[-1] in OFFICES


def _whole_words(text: str, slot: Slot) -> Slot:
    """The slot widened to whole words: a number read inside "10-year-old" is shown (and checked) as the word."""
    start, end = slot.start, slot.end

    def inside(i: int) -> bool:
        return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "-'’" and 0 < i < len(text) - 1)

    while inside(end) and (text[end].isalnum() or inside(end + 1) and text[end + 1].isalnum()):
        end += 1
    while inside(start - 1) and (text[start - 1].isalnum() or inside(start - 2) and text[start - 2].isalnum()):
        start -= 1
    if (start, end) == (slot.start, slot.end):
        return slot
    return Slot(slot.kind, start, end, text[start:end], slot.key, slot.quantity)


def _is_year(quantity: Quantity) -> bool:
    return not quantity.unit and quantity.text.strip().isdigit() and 1800 <= quantity.value <= 2200


def statements(story: StoryInput) -> list[Statement]:
    """Every sentence of every source that holds at least one slot, with its frame."""
    out = []
    stems: dict[str, str] = {}  # word -> stem, for the whole story
    for source in story.sources:
        text = source.article.text
        found = _raw_slots(source)
        starts = [slot.start for slot in found]
        headline = [_headline_case(text[sentence.start : sentence.end]) for sentence in source.analysis.sentences]
        confirmed = {
            slot.key
            for sentence, title_case in zip(source.analysis.sentences, headline, strict=True)
            if not title_case
            for slot in found[bisect.bisect_left(starts, sentence.start) : bisect.bisect_left(starts, sentence.end)]
            if slot.kind in ("person", "place")
        }
        report = report_end(source)  # the comments and what follows a closing credit line state no fact
        for sentence, title_case in zip(source.analysis.sentences, headline, strict=True):
            if sentence.start >= report:
                break
            slots = _in_sentence(text, found, starts, sentence.start, sentence.end, stems)
            if title_case:  # names read from Title Case are guesses ...
                # ... unless the article names the same person or place in an ordinary sentence too
                slots = [slot for slot in slots if slot.kind not in ("person", "place") or slot.key in confirmed]
            slots = _unlisted(text, slots)
            if not slots:
                continue
            pieces, cursor = [], sentence.start
            for slot in slots:
                pieces.append(text[cursor : max(cursor, slot.start)])
                cursor = max(cursor, slot.end)
            pieces.append(text[cursor : sentence.end])
            frame = frozenset(word_terms(" ".join(pieces), stems)) - _function_stems(source.article.language)
            out.append(Statement(source, sentence.start, sentence.end, frame, tuple(slots)))
    return out


FUNCTION_WORDS = 150  # a language's most frequent words (wordfreq), left out of its frames


@functools.lru_cache(maxsize=32)
def _function_stems(language: str | None) -> frozenset[str]:
    """Stems of the most frequent words of a language other than English ("die", "der", "um" in German), which
    `word_terms`' English stop list keeps: two German sentences sharing them state no common fact. English and
    an unknown language keep their frames as they were."""
    if not language or language == "en":
        return frozenset()
    from wordfreq import available_languages, top_n_list

    if language not in available_languages():  # wordfreq would answer with its nearest language's words
        return frozenset()
    return frozenset(word_terms(" ".join(top_n_list(language, FUNCTION_WORDS))))


_LIST_GAP = re.compile(r"\s*(?:,|,?\s*(?:and|or))\s*(?:the\s+)?", re.IGNORECASE)


def _unlisted(text: str, slots: list[Slot]) -> list[Slot]:
    """The slots, each place named in a list ("between Europe, the Middle East and Asia", "in Arizona and
    Michigan") with the other places of its list as its `peers`: one of several places is compared only with
    a place of a list that shares a member (`_differs`)."""
    places = [slot for slot in slots if slot.kind == "place"]
    lists: list[list[Slot]] = []
    for one, two in zip(places, places[1:], strict=False):
        if _LIST_GAP.fullmatch(text[one.end : two.start]):
            if lists and lists[-1][-1] is one:
                lists[-1].append(two)
            else:
                lists.append([one, two])
    if not lists:
        return slots
    peers = {id(slot): tuple(o.key for o in group if o is not slot) for group in lists for slot in group}
    return [replace(slot, peers=peers[id(slot)]) if id(slot) in peers else slot for slot in slots]


def _headline_case(sentence: str) -> bool:
    """Most words capitalized ("Riots Erupt Following Death of Brooklyn Teen"): the entity model cannot tell
    names from words there."""
    words = [w for w in re.findall(r"[^\W\d_]+", sentence) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) > 0.6 * len(words)


def _candidate_pairs(items: list[Statement]) -> Iterator[tuple[int, int, float]]:
    """(i, j, frame overlap) of statements of different sources whose frames agree."""
    document_frequency: Counter[str] = Counter(word for item in items for word in item.frame)
    common = max(COMMON_FLOOR, int(COMMON_SHARE * len(items)))
    postings: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        for word in item.frame:
            if document_frequency[word] <= common:
                postings.setdefault(word, []).append(index)
    for index, item in enumerate(items):
        shared: Counter[int] = Counter()
        for word in item.frame:
            for other in postings.get(word, ()):
                if other > index:
                    shared[other] += 1
        for other in sorted(shared):  # in index order: `shared` fills in frame (set) order, which varies by process
            partner = items[other]
            if partner.source.article.id == item.source.article.id:
                continue
            both = len(item.frame & partner.frame)
            if both < MIN_SHARED:
                continue
            agreement = both / min(len(item.frame), len(partner.frame))
            if agreement >= FRAME_OVERLAP:
                yield index, other, agreement


def _context_score(one: Slot, other: Slot) -> float:
    near_one, near_other = set(one.before) | set(one.after), set(other.before) | set(other.after)
    if not near_one or not near_other:
        return 0.0
    return len(near_one & near_other) / len(near_one | near_other)


def _interval(quantity: Quantity) -> tuple[float, float]:
    """The values a quantity allows: "over 90%" allows (0.9, inf), "about 80" allows 72..88, "80" allows 79.2..80.8."""
    value = quantity.value
    if quantity.comparator in (">", ">="):
        return value, float("inf")
    if quantity.comparator in ("<", "<="):
        return float("-inf"), value
    spread = max((0.1 if quantity.comparator == "~" else 0.01) * abs(value), _rounding(quantity))
    return value - spread, value + spread


ROUNDING = 0.05  # at most what rounding changes a figure by: "$2m" is not "$3m" rounded
_WRITTEN = re.compile(r"\d[\d,]*(?:\.(\d+))?")


def _rounding(quantity: Quantity) -> float:
    """Half a unit of the last digit written, when a scale word multiplies it: "$1.4 trillion" is any amount that
    rounds to it ($1.35-1.45 trillion), so "$1.37 trillion" agrees with it; at most `ROUNDING` of the figure. 0 for
    numbers written in full."""
    written = _WRITTEN.search(quantity.text)
    if written is None:
        return 0.0
    number = float(written.group().replace(",", ""))
    if not number or abs(quantity.value) < 1000 * number:  # no scale word (thousand, million, bn ...)
        return 0.0
    decimals = len(written.group(1) or "")
    return min(0.5 * 10.0**-decimals * abs(quantity.value) / number, ROUNDING * abs(quantity.value))


def incompatible(one: Quantity, other: Quantity) -> bool:
    """Whether two quantities disagree: their ranges exclude each other, or, both bounded the same way ("as
    many as 7,000" / "as many as 15,000"), their bounds differ by more than rounding."""
    if one.comparator == other.comparator and one.comparator != "=":
        one = Quantity(one.text, one.value, one.unit, "~", one.start, one.end)
        other = Quantity(other.text, other.value, other.unit, "~", other.start, other.end)
    (a_low, a_high), (b_low, b_high) = _interval(one), _interval(other)
    return a_high < b_low or b_high < a_low


def _mentions(source: SourceArticle, slot: Slot) -> bool:
    """Whether the source names the slot's person or place anywhere (a person by surname)."""
    words = slot.key.split()
    if not words:
        return True
    if slot.kind == "person":
        return words[-1] in _name_words_of(source.article.text)
    group = _place_groups().get(slot.key)
    if group is not None:  # a known place: any of its writings, as written ("Mo." counts, "mo" in a word not)
        return group[1].search(source.article.text) is not None
    return f" {slot.key} " in _name_text_of(source.article.text)


def states(source: SourceArticle, slot: Slot) -> bool:
    """Whether the source gives the slot's value anywhere: its person or place named, its number (same unit,
    compatible value), its date (as it is or more precisely)."""
    if slot.kind == "number":
        return _states_number(source, slot)
    if slot.kind == "date":
        return _states_date(source, slot)
    return _mentions(source, slot)


@functools.lru_cache(maxsize=512)
def _name_text_of(text: str) -> str:
    """The text as space-separated name words (`name_words`), padded: a phrase search finds whole words."""
    return " " + " ".join(name_words(text)) + " "


@functools.lru_cache(maxsize=512)
def _name_words_of(text: str) -> frozenset[str]:
    return frozenset(name_words(text))


def _inside_united_states(one: str, other: str) -> bool:
    """One key is the United States and the other a place of `PLACE_WRITINGS` inside it (a state, the capital)."""
    keys = _place_heads()
    return (one == "united states" and other in keys) or (other == "united states" and one in keys)


@functools.lru_cache(maxsize=1)
def _place_heads() -> frozenset[str]:
    return frozenset(group[0][0] for group in _place_groups().values())


def _same_name(one: Slot, other: Slot) -> bool:
    """Whether two person or place slots name one person or place (`_names_one`, cached: a long story asks for
    the same pairs of names thousands of times)."""
    return _names_one(one.kind, one.key, one.text, other.key, other.text)


@functools.lru_cache(maxsize=65536)
def _names_one(kind: str, one_key: str, one_text: str, other_key: str, other_text: str) -> bool:
    a, b = one_key.split(), other_key.split()
    if not a or not b:
        return True
    if kind == "place" and _inside_united_states(one_key, other_key):
        return True  # "Texas" and "the U.S.": one inside the other
    if kind == "place":
        gazetteer = places.bundled()
        related = gazetteer.related(one_key, other_key)
        if related is not None:  # "Houston" / "Texas", "Malibu" / "Los Angeles": one place; "Mexico" / "New Mexico":
            return related  # two, though one's words hold the other's
        if gazetteer.related_in_part(one_key, other_key):
            return True  # "the Gilroy Garlic Festival" / "San Jose": a known place inside a name the data lacks
        # a place the data does not know: its words less the generic ones ("North Atlantic" / "the Atlantic Ocean"),
        # or the same words spelt a little differently ("Independence Street" / "Independent Street")
        a, b = list(places.core_words(one_key)), list(places.core_words(other_key))
        if not a or not b or spelt_alike(a, b):
            return True
    if set(a) <= set(b) or set(b) <= set(a):
        return True  # "Smith" / "John Smith", "Paris" / "Paris, France"
    if kind != "person":
        return False
    if spelt_alike(name_words(_ARTICLE.sub("", one_text)), name_words(_ARTICLE.sub("", other_text))):
        return True  # "Habib Al-Adli" / "Habib Adly": an Arabic article joined by a hyphen is a writing, not a name
    return a[-1] == b[-1] or spelt_alike(a, b)


def same_value(one: Slot, other: Slot) -> bool:
    """Whether two slots of one kind give one value: one person or place however named, one date, one number."""
    if one.kind in ("person", "place"):
        return _same_name(one, other)
    return one.key == other.key if one.kind == "date" else one.text == other.text


_ARTICLE = re.compile(r"\b(?:[Aa]l|[Ee]l|[Aa]d|[Aa]s|[Aa]sh|[Aa]r)-(?=[A-Z])")


SPELLING_SIMILARITY = 0.85  # "Zelensky" / "Zelenskiy", "Kurbanguly" / "Gurbanguly": one person's name, two spellings


def spelt_alike(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two writings of one name (as `name_words`) close enough in spelling to be one name spelt two ways."""
    return _spelt_alike(" ".join(a), " ".join(b))


@functools.lru_cache(maxsize=65536)
def _spelt_alike(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b).ratio() >= SPELLING_SIMILARITY


def _differs(one: Slot, other: Slot, first: Statement, second: Statement, twins: bool = False) -> bool:
    """Whether two slots give different values of one fact; `twins`: the statements are one sentence worded
    alike (`TWINS`), where even a bare number ("scored 13" / "scored 30") fills the same place."""
    if one.kind == "number":
        assert one.quantity is not None and other.quantity is not None
        if one.key != other.key or not (one.key or counted(one) or counted(other) or twins):
            return False  # different units, or bare numbers that say nothing of what they count
        counted_one, counted_other = counted(one), counted(other)
        if counted_one and counted_other and not counted_one & counted_other:
            return False  # 10 killed and 6 injured: two counts of two things
        if _digits(one.quantity.text) and _digits(one.quantity.text) == _digits(other.quantity.text):
            return False  # "2.000" and "2,000": one number in two grouping conventions, read two ways
        if not incompatible(one.quantity, other.quantity):
            return False
        if _part(one, first) != _part(other, second):
            return False  # "four more boys freed" / "the remaining eight boys": a part is not the whole
        if _composite(one, first) or _composite(other, second):
            return False  # "4 minutes 48 seconds" is one time: its minutes alone are no figure to compare
        owners = _owner(one, first), _owner(other, second)
        if owners[0] is not None and owners[1] is not None and not _same_name(owners[0], owners[1]):
            return False  # "65 % of traffic to India" / "52 percent in Egypt": two places' figures
        return not _states_number(first.source, other) and not _states_number(second.source, one)
    if one.kind == "date":  # same precision and form: a weekday with a weekday, a full date with a full date
        shape = re.sub(r"\d", "9", one.key) == re.sub(r"\d", "9", other.key)
        form = date_form(one.text)
        if not shape or form is None or form != date_form(other.text):
            return False  # "last month" and "March 2020", "a week before" and "Sept. 18": not one kind of date
        if one.key == other.key or _same_night(one, other, first, second):
            return False
        if _date_words(one.text) <= _date_words(other.text) or _date_words(other.text) <= _date_words(one.text):
            return False  # one date written alike, or less fully: "Saturday" / "Saturday, July 24, 2004"
        next_day = _days_from(one, other) in (1, -1)
        if next_day and (_NEXT_DAY.search(_sentence(first)) or _NEXT_DAY.search(_sentence(second))):
            return False  # "on Monday ... a retweet a day earlier": the sentence names the other day too
        if _before_the_other_day(one, first, other, second):
            return False  # "went about business as usual Wednesday" / "stepped down Friday", written on Thursday
        return not _states_date(first.source, other) and not _states_date(second.source, one)
    if _same_name(one, other):
        return False
    if one.kind == "person" and _two_titles(_role(one, first), _role(other, second)):
        return False  # "Egyptian Foreign Minister X" / "Jordanian Foreign Minister Y": two offices
    if one.kind == "place" and (_dateline(first, one) or _dateline(second, other)):
        return False  # "COLUMBIA, S.C. (AP) —" / "WASHINGTON (AP) —": where two reports were filed
    if one.kind == "place" and bool(_DIGIT.search(one.text)) != bool(_DIGIT.search(other.text)):
        return False  # "Route 94" / "San Diego", "Interstate 805": a road is not a rival of the town it runs through
    if (one.peers or other.peers) and not set(one.peers) & set(other.peers):
        return False  # a place of a list against a place not in a list like it
    return not _mentions(first.source, other) and not _mentions(second.source, one)


_PART_AFTER = re.compile(
    r"\W*\w[\w,.]*(?:\s+(?:hundred|thousand|million|billion|trillion))?\s+(more|additional|new|other|further|extra)\b",
    re.IGNORECASE,
)
_PART_BEFORE = re.compile(r"\b(another|remaining|other|additional|further)\s+$", re.IGNORECASE)
_REST_WORDS = frozenset({"remaining", "other"})
_COMPOSITE_AFTER = re.compile(
    r"\s*,?\s*(?:and\s+)?\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)\b", re.IGNORECASE
)
_COMPOSITE_BEFORE = re.compile(r"\d+\s*(?:hours?|hrs?|minutes?|mins?|days?)\s*,?\s*(?:and\s+)?$", re.IGNORECASE)


def _composite(slot: Slot, statement: Statement) -> bool:
    """Whether a duration is one part of a longer one ("4 minutes 48 seconds", "12 minutes, 31 seconds")."""
    if slot.key not in ("seconds", "minutes", "hours", "days", ""):
        return False
    text = statement.source.article.text
    return bool(_COMPOSITE_AFTER.match(text, slot.end, min(len(text), slot.end + 24))) or bool(
        _COMPOSITE_BEFORE.search(text, max(0, slot.start - 24), slot.start)
    )


OWNER_REACH = 24  # characters between a figure and the place it belongs to ("52 percent in Egypt")


def _owner(slot: Slot, statement: Statement) -> Slot | None:
    """The place a figure belongs to: a place of the statement within OWNER_REACH characters after the figure
    ("52 percent in Egypt") or right before it ("India's 65 %"), with no other figure between them."""
    text = statement.source.article.text
    best: tuple[int, Slot] | None = None
    for place in statement.slots:
        if place.kind != "place":
            continue
        if place.start >= slot.end:
            gap = text[slot.end : place.start]
        elif place.end <= slot.start:
            gap = text[place.end : slot.start]
        else:
            continue
        if len(gap) > OWNER_REACH or _DIGIT.search(gap) or any(mark in gap for mark in ",;:()—"):
            continue
        if best is None or len(gap) < best[0]:
            best = (len(gap), place)
    return best[1] if best else None


def _part(slot: Slot, statement: Statement) -> str | None:
    """Whether a count is a part of a total, and which: "step" for an increment ("four more boys", "35 new cases",
    "another 20"), "rest" for the others or the rest ("three other schools", "the remaining eight boys"), None
    for a count of its own. A count is compared only with a count of the same kind of part."""
    text = statement.source.article.text
    found = _PART_AFTER.match(text, slot.start, min(len(text), slot.end + 24)) or _PART_BEFORE.search(
        text, max(0, slot.start - 12), slot.start
    )
    if found is None:
        return None
    return "rest" if found.group(1).casefold() in _REST_WORDS else "step"


_DIGIT = re.compile(r"\d")
_LATE = re.compile(r"\b(?:late|night|evening|overnight)\b", re.IGNORECASE)
_EARLY = re.compile(r"\b(?:early|overnight|before dawn)\b", re.IGNORECASE)


def _day_number(key: str) -> int | None:
    """A date value's day, as a count of days (a full date) or a weekday number ("XXXX-WXX-3": Wednesday)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", key):
        try:
            return dt.date.fromisoformat(key).toordinal()
        except ValueError:
            return None
    weekday = re.fullmatch(r"XXXX-WXX-(\d)", key)
    return int(weekday.group(1)) if weekday else None


def _days_from(one: Slot, other: Slot) -> int | None:
    """Days from `one`'s date to `other`'s (two weekdays: the nearer way round the week, -3 to 3); None when
    either is not a day."""
    first, second = _day_number(one.key), _day_number(other.key)
    if first is None or second is None:
        return None
    if one.key.startswith("XXXX-W"):
        return (second - first + 3) % 7 - 3
    return second - first


_NEXT_DAY = re.compile(
    r"\b(?:(?:a|one|the) day (?:before|after|earlier|later)|the (?:next|previous|following|prior) day)\b",
    re.IGNORECASE,
)


def _sentence(statement: Statement) -> str:
    return statement.source.article.text[statement.start : statement.end]


def _same_night(one: Slot, other: Slot, first: Statement, second: Statement) -> bool:
    """ "late Tuesday" and "early Wednesday", or "Thursday night" and "early Friday": one night told from either
    side, not two dates (a word of night next to the earlier day, one of early morning next to the later)."""
    gap = _days_from(one, other)
    if gap not in (1, -1):
        return False
    (earlier, earlier_in), (later, later_in) = (
        ((one, first), (other, second)) if gap == 1 else ((other, second), (one, first))
    )
    return bool(_LATE.search(_beside(earlier, earlier_in)) and _EARLY.search(_beside(later, later_in)))


def _beside(slot: Slot, statement: Statement) -> str:
    """The slot with the words right next to it in its sentence ("night Thursday", "Thursday night")."""
    text = statement.source.article.text
    before = text[max(statement.start, slot.start - NIGHT_REACH) : slot.start]
    after = text[slot.end : min(statement.end, slot.end + NIGHT_REACH)]
    return f"{before.split()[-1] if before.split() else ''} {slot.text} {after.split()[0] if after.split() else ''}"


NIGHT_REACH = 12  # characters each side of a day looked at for "night" / "early"


_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)
_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)(?:[a-z]*)\.?(?=\s|$|,)", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?:before|after|ago|last|next|this|since|until|earlier|later|previous)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)  # read for every pair of dates a story's sentences hold
def date_form(text: str) -> str | None:
    """How a date is written, for comparing like with like: "weekday", "day" (a month and a day), "month",
    "year"; None for dates written relative to something else ("the day after", "last month", "a week
    before"), which the analysis resolves against the article's date and which are not compared."""
    if _RELATIVE.search(text):
        return None
    if _WEEKDAY.search(text):
        return "weekday"
    month = _MONTH.search(text) is not None
    numbers = re.findall(r"\d+", text)
    if month and any(len(n) <= 2 for n in numbers):
        return "day"
    if month:
        return "month"
    if re.fullmatch(r"(?:in\s+)?\d{4}", text.strip(), re.IGNORECASE):
        return "year"
    if re.fullmatch(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", text.strip()):
        return "day"
    return None


def _date_words(text: str) -> frozenset[str]:
    """A date's words and numbers, lower case, without a possessive ("Monday's" is "monday") or "late" and
    "early"."""
    words = re.findall(r"[^\W_]+", text.casefold().replace("’", "'").replace("'s", ""))
    return frozenset(words) - {"late", "early", "on", "in", "the"}


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _states_number(source: SourceArticle, slot: Slot) -> bool:
    """Whether the source gives the slot's number anywhere (same unit, compatible value): then it knows both
    numbers, and they are two facts, not two versions of one."""
    assert slot.quantity is not None
    value = slot.quantity
    return any(
        ((q.unit or "") == slot.key and not incompatible(q, value))
        or ((not q.unit or not slot.key) and q.value == value.value)  # "of the 338" states "338 seats"
        for q in _quantities(source)
    )


def _states_date(source: SourceArticle, slot: Slot) -> bool:
    """Whether the source gives the slot's date anywhere, as it is or more precisely ("in June 1999" gives 1999)."""
    for time in source.analysis.times:
        value = time.value.split("T")[0]  # "Sunday night" too
        if value == slot.key or value.startswith(f"{slot.key}-"):
            return True
    return False


def counted(slot: Slot) -> set[str]:
    """The kinds of counted things (dead, injured, ...) named next to a number, and the number's own noun (cases)."""
    own = word_terms(slot.text)[-1:] or slot.after[:1]
    return {COUNTED[word] for word in (*slot.before, *slot.after, *own) if word in COUNTED} | {
        _COUNTED_NOUNS[word] for word in own if word in _COUNTED_NOUNS
    }


def _best_partner(slot: Slot, others: list[Slot]) -> Slot | None:
    """The other statement's slot of the same kind that fills the same place in the fact."""
    same = [
        o
        for o in others
        if o.kind == slot.kind
        and (slot.kind != "number" or o.key == slot.key)
        and (slot.kind != "date" or date_form(o.text) == date_form(slot.text))
    ]
    if not same:
        return None
    scored = sorted(((_context_score(slot, o), -i, o) for i, o in enumerate(same)), key=lambda t: (t[0], t[1]))
    best = scored[-1]
    if best[0] > 0 or len(same) == 1:
        return best[2]
    return None  # several candidates and no shared word around any: which one is meant is not known


def aligned_matches(story: StoryInput) -> list[Match]:
    """Every pair of slots of one kind that aligned statements of two sources fill with different values."""
    items = statements(story)
    out = []
    for i, j, agreement in _candidate_pairs(items):
        first, second = items[i], items[j]
        for slot in first.slots:
            partner = _best_partner(slot, list(second.slots))
            if partner is None or _best_partner(partner, list(first.slots)) is not slot:
                continue
            twins = _twins(first, second, agreement) and _context_score(slot, partner) >= TWINS[2]
            if not _differs(slot, partner, first, second, twins):
                continue
            kind = slot.kind
            shared, overlap, context = ALIGNMENT[kind]
            aligned = len(first.frame & second.frame) >= shared and agreement >= overlap
            loose = kind == "date" and agreement >= DATE_FRAME_ALONE  # one sentence of one event, its day moved
            if aligned and (_context_score(slot, partner) > context or loose):
                out.append(Match(kind, slot, partner, first, second, agreement))
    seen = {(m.one_statement.source.article.id, m.one.start, m.other_statement.source.article.id) for m in out}
    for match in [
        *_role_matches(items),
        *_count_matches(items),
        *_toll_matches(items),
        *_age_matches(items),
        *_lead_matches(story, items),
    ]:
        if (
            match.one_statement.source.article.id,
            match.one.start,
            match.other_statement.source.article.id,
        ) not in seen:
            out.append(match)
    return [m for m in out if not _differs_elsewhere(m) and not _holder_changed(m)]


def _holder_changed(match: Match) -> bool:
    """Two people in one place of a fact in reports more than ROLE_WINDOW_HOURS apart: the post changed hands, or
    the story moved on to another country's minister; neither is a disagreement."""
    return match.kind == "person" and _apart_in_time(match.one_statement, match.other_statement, ROLE_WINDOW_HOURS)


def _differs_elsewhere(match: Match) -> bool:
    """Whether the two statements also give different values of a slot of another kind: "Dorsey has been at
    the plant for 37 years" / "Andy Ryan, who has worked at the plant for nearly 30 years" differ in the person
    and in the number, so they are two facts (two workers), not two versions of one. A disagreement between
    two reports of one fact changes one value; the rest of what they say about it agrees."""
    first, second = match.one_statement, match.other_statement
    others = list(second.slots)
    for slot in first.slots:
        if slot.kind == match.kind or slot is match.one:
            continue
        partner = _best_partner(slot, others)
        if partner is None or partner is match.other or _best_partner(partner, list(first.slots)) is not slot:
            continue
        if _other_value(slot, partner, first, second):
            return True
    return False


def _other_value(one: Slot, other: Slot, first: Statement, second: Statement) -> bool:
    """Whether two paired slots hold plainly different values, whether or not each source also names the other
    (for `_differs_elsewhere`: a source naming both people knows two people, which makes two facts likelier).
    Places are left out: two sentences of one event often name different places of it ("in Qeshm" / "off Iran's
    coast"); counted as a second difference they cost 3-4 planted facts in 100 for 10 false alarms in 150."""
    if one.kind == "person":
        return not _same_name(one, other)
    if one.kind == "number":
        assert one.quantity is not None and other.quantity is not None
        return bool(one.key) and one.key == other.key and incompatible(one.quantity, other.quantity)
    if one.kind == "date":
        form = date_form(one.text)
        return (
            form is not None
            and form == date_form(other.text)
            and one.key != other.key
            and not _same_night(one, other, first, second)
        )
    return False


def _agreement(one: Statement, other: Statement) -> float:
    """The frame overlap of two statements: shared stems over the smaller frame."""
    return len(one.frame & other.frame) / max(1, min(len(one.frame), len(other.frame)))


TWINS = (4, 0.8, 0.5)  # shared frame stems, frame overlap, and slot context overlap of one sentence worded alike


def _twins(first: Statement, second: Statement, agreement: float) -> bool:
    return agreement >= TWINS[1] and len(first.frame & second.frame) >= TWINS[0]


def _two_titles(one: tuple[str, ...] | None, other: tuple[str, ...] | None) -> bool:
    """Both people have a title, and the titles differ."""
    return one is not None and other is not None and one != other


def _role(slot: Slot, statement: Statement) -> tuple[str, ...] | None:
    """The title written right before a person's name, with the word before it ("police chief" in "the
    regional police chief Anna Berg", "vice president" in "Vice President Mike Pence"), or None."""
    return _role_before(statement.source.article.text[max(statement.start, slot.start - 40) : slot.start])


@functools.lru_cache(maxsize=65536)
def _role_before(text: str) -> tuple[str, ...] | None:
    """`_role` of the (at most 40) characters before a name: every pair of people asks for it again."""
    title = _TITLE_BEFORE.search(text)  # only spaces between the words and the name: not "president,” Graham"
    if title is None or not set(word_terms(title.group(2))) & ROLE_TITLES:
        return None
    before, word = title.groups()
    # the word before belongs to the title when it is capitalized ("Vice President", "House Speaker") or a
    # rank ("former president", "acting attorney"); "in President Donald Trump's" is the title alone
    keep = before is not None and (before[:1].isupper() or before.casefold() in _TITLE_RANKS)
    role = tuple(_ROLE_SAME.get(term, term) for term in word_terms(f"{before} {word}" if keep else word))
    # whose title: "British Prime Minister David Cameron" and "Egyptian Prime Minister Ahmed Shafik" hold two
    # offices; a country's or a party's adjective before the title is part of it
    qualifier = _QUALIFIER.search(text, 0, title.start() if keep else title.start(2))
    role = (qualifier.group(1).casefold(), *role) if qualifier else role
    # "former U.S. Defense Secretary William Cohen" does not hold the office "Defense Secretary Robert Gates" holds
    former = _FORMER.search(text, 0, title.start() if keep else title.start(2))
    return ("former", *role) if former and "former" not in role else role


def _role_matches(items: list[Statement]) -> Iterator[Match]:
    """People given the same title by two sources that never name the other's person: "the regional police
    chief Anna Berg" / "police chief Carla Moss", whatever the rest of the sentences say."""
    by_role: dict[tuple[str, ...], list[tuple[Slot, Statement]]] = {}
    for statement in items:
        for slot in statement.slots:
            role = _role(slot, statement) if slot.kind == "person" else None
            if role is not None:
                by_role.setdefault(role, []).append((slot, statement))
    for holders in by_role.values():
        for index, (slot, statement) in enumerate(holders):
            for other, other_statement in holders[index + 1 :]:
                if other_statement.source.article.id == statement.source.article.id:
                    continue
                if _differs(slot, other, statement, other_statement):
                    agreement = _agreement(statement, other_statement)
                    yield Match("person", slot, other, statement, other_statement, agreement)


ROLE_WINDOW_HOURS = 48.0
LEAD_WINDOW_HOURS = 48.0  # leads of reports further apart tell two steps of a story


def _apart_in_time(one: Statement, other: Statement, hours: float) -> bool:
    """Whether the two statements' sources were published more than `hours` apart (False when either is undated)."""
    one_time, other_time = published_at(one.source), published_at(other.source)
    return (
        one_time is not None and other_time is not None and abs((one_time - other_time).total_seconds()) > hours * 3600
    )


def _count_matches(items: list[Statement]) -> Iterator[Match]:
    """Numbers that count the same thing in statements of two sources that share some wording: "US adds robust
    440,000 jobs" / "US employers added 250,000 jobs in October" (the noun right after the number, "jobs",
    and COUNT_ALIGNMENT of the frames), where the sentences around them are worded too differently for the
    general alignment. The disagreement rules are those of every number (`_differs`)."""
    by_noun: dict[tuple[str, str], list[tuple[Slot, Statement]]] = {}
    for statement in items:
        for slot in statement.slots:
            if slot.kind != "number":
                continue
            # what the number counts: its unit ("40 percent", "$600", "six weeks"), else the word after it
            # ("440,000 jobs"), else the word before it ("a record 9.3 million")
            noun = slot.key or (slot.after[0] if slot.after else slot.before[-1] if slot.before else None)
            if noun in ("ratio", "percentage_points"):
                continue  # shares: a story has many ("25 percent" of one staff, "53%" of another)
            # a clock time is no count; a forecast is not the count, and two forecasters may differ
            if noun is not None and not _clock(statement.source.article.text, slot) and not _expected(statement, slot):
                by_noun.setdefault((slot.key, noun), []).append((slot, statement))
    for (_, noun), counts in by_noun.items():
        measure = noun in ("ratio", "percentage_points") or noun.isupper()  # a share or a currency
        shared_needed, overlap_needed = (
            GENERIC_COUNT_ALIGNMENT
            if noun.casefold() in GENERIC_COUNTS
            else UNIT_COUNT_ALIGNMENT
            if measure
            else COUNT_ALIGNMENT
        )
        for index, (slot, statement) in enumerate(counts):
            for other, other_statement in counts[index + 1 :]:
                if other_statement.source.article.id == statement.source.article.id:
                    continue
                shared = len(statement.frame & other_statement.frame - {noun})
                agreement = shared / max(1, min(len(statement.frame), len(other_statement.frame)))
                if (
                    shared >= shared_needed
                    and agreement >= overlap_needed
                    and near(slot, other)  # "$600 checks" and a "$900 billion" bill are two things
                    and _differs(slot, other, statement, other_statement)
                ):
                    yield Match("number", slot, other, statement, other_statement, agreement)


def _clock(text: str, slot: Slot) -> bool:
    """A clock time ("8 p. m.", "8 : 30"), or a piece of a number split at its thousands ("2, 117"): not a count."""
    before = text[max(0, slot.start - 4) : slot.start]
    return bool(_CLOCK.match(text, slot.end) or re.search(r"(?::|\d,)\s*$", before))


_EXPECTED = re.compile(
    r"\b(?:expect(?:s|ing)?|forecast(?:s|ing)?|estimat(?:e|es|ing)|predict(?:s|ing)?|project(?:s|ing)|"
    r"anticipat(?:e|es|ing)|looking\s+for|hoping\s+for|see(?:s|ing)?)\s+(?:\S+\s+){0,3}$",
    re.IGNORECASE,
)


def _expected(statement: Statement, slot: Slot) -> bool:
    """The number is what someone expects ("economists were expecting 870,000 jobs"), not a reported count;
    "a better-than-expected 250,000 jobs" is a count."""
    text = statement.source.article.text
    return _EXPECTED.search(text[max(statement.start, slot.start - 60) : slot.start]) is not None


def near(one: Slot, other: Slot) -> bool:
    """Two values within `COUNT_RATIO` of each other: versions of one count differ by a factor, not by orders."""
    assert one.quantity is not None and other.quantity is not None
    a, b = abs(one.quantity.value), abs(other.quantity.value)
    return min(a, b) > 0 and max(a, b) / min(a, b) <= COUNT_RATIO


_AGE_AFTER_NAME = re.compile(r"\s*,\s*(?:aged\s+)?$")  # "Tara Reid, 33" / "Lo Presti, aged 81"
_AGE_CLOSE = re.compile(r"\s*(?:,|\)|\.|;|\s+(?:who|and|was|is|has|had|of|from)\b)")
_YEAR_OLD = re.compile(r"(?:-|\s-\s|\s)?(?:years?|yrs?)?(?:-|\s-\s|\s)old\s+", re.IGNORECASE)
_NAME_LEAD = re.compile(r"(?:[a-z]+\s+){0,2}$")  # "36-year-old Duncan Raite", "17-year-old suspect Kyle Rittenhouse"


def _ages(statement: Statement) -> Iterator[tuple[Slot, tuple[str, ...]]]:
    """The ages a statement gives to a named person, with the person's name words: "Tara Reid, 33," and
    "36-year-old Duncan Raite" (the name is the article's fullest form of it)."""
    source = statement.source
    text = source.article.text
    people = [e for e in source.analysis.entities if e.label == "PERSON" and statement.start <= e.start < statement.end]
    for slot in statement.slots:
        quantity = slot.quantity
        if (
            slot.kind != "number"
            or quantity is None
            or quantity.comparator != "="
            or quantity.unit not in (None, "year")
        ):
            continue
        if not (0 < quantity.value < 125 and quantity.value == int(quantity.value)):
            continue
        owner = None
        for person in people:
            between = text[person.end : slot.start]
            if person.end <= slot.start and _AGE_AFTER_NAME.fullmatch(between) and _AGE_CLOSE.match(text, slot.end):
                owner = person
        year_old = _YEAR_OLD.match(text, quantity.end) if owner is None else None
        if year_old is not None:
            owner = next(
                (
                    p
                    for p in people
                    if p.start >= year_old.end() and _NAME_LEAD.fullmatch(text[year_old.end() : p.start])
                ),
                None,
            )
        words = name_words(owner.canonical) if owner is not None else ()
        if words:
            yield slot, words


def is_age(slot: Slot, statement: Statement) -> bool:
    """Whether a number of a statement is a named person's age ("Tara Reid, 33,")."""
    return any(found is slot for found, _ in _ages(statement))


def _aged_between(one: Statement, other: Statement, years: float) -> bool:
    """Whether the two articles were published far enough apart for a person to age by `years` (a year's
    slack: a birthday may fall between), counted in months."""
    dates = [published_at(s.source) for s in (one, other)]
    if dates[0] is None or dates[1] is None:
        return False
    months = abs((dates[0].year - dates[1].year) * 12 + dates[0].month - dates[1].month)
    return months / 12 >= years - 1


def _before_the_other_day(one: Slot, first: Statement, other: Slot, second: Statement) -> bool:
    """Two past days of a story, the earlier told by a source published before the later day: it could not
    report what happened then, so the two sources tell two steps, not one event on two days. Both days must be
    calendar dates (the analysis resolves a weekday against its article's publication date) and neither after
    its own source's publication day (a day to come may be disputed: "the vote is on Thursday" / "on Friday")."""
    days, published = [], []
    for slot, statement in ((one, first), (other, second)):
        day, when = _calendar_day(slot.key), published_at(statement.source)
        if day is None or when is None or day > when.date():
            return False
        days.append(day)
        published.append(when.date())
    earlier = 0 if days[0] < days[1] else 1
    return days[0] != days[1] and published[earlier] < days[1 - earlier]


def _calendar_day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def published_at(source: SourceArticle) -> dt.datetime | None:
    """The source's publication time (UTC when the text gives no zone), or None when it has none or it is not
    an ISO date."""
    value = source.article.published
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _age_matches(items: list[Statement]) -> Iterator[Match]:
    """One person given two ages by two sources ("Tara Reid, 33" / "Reid, 15"), when neither source gives the
    other's age to that person and each source gives the person one age."""
    by_source: dict[str, list[tuple[Slot, tuple[str, ...], Statement]]] = {}
    for statement in items:
        for slot, words in _ages(statement):
            by_source.setdefault(statement.source.article.id, []).append((slot, words, statement))

    def same(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
        shorter, longer = sorted((one, other), key=len)  # "Lo Presti" is "Gaetano Lo Presti"
        return one[-1] == other[-1] and (len(shorter) == 1 or one[0] == other[0] or longer[-len(shorter) :] == shorter)

    sources = list(by_source.values())
    for index, ages in enumerate(sources):
        for other_ages in sources[index + 1 :]:
            done: list[tuple[str, ...]] = []
            for slot, words, statement in ages:
                if any(same(words, d) for d in done):
                    continue
                done.append(words)
                mine = {a.quantity.value for a, w, _ in ages if same(w, words) and a.quantity is not None}
                theirs = [(o, s) for o, w, s in other_ages if same(words, w)]
                values = {o.quantity.value for o, _ in theirs if o.quantity is not None}
                if theirs and len(mine) == 1 and len(values) == 1 and not mine & values:
                    other, other_statement = theirs[0]
                    if _aged_between(statement, other_statement, abs(next(iter(mine)) - next(iter(values)))):
                        continue  # "Orozco, 27" at the shooting, "Orozco, 29" at the verdict two years later
                    agreement = _agreement(statement, other_statement)
                    yield Match("number", slot, other, statement, other_statement, agreement)


LEAD_SENTENCES = 2  # the title and the first sentence: where each source states the story's main facts
LEAD_KINDS = ("place", "date", "person")
LEAD_SHARED = 1
LEAD_DATE_SHARED = 3  # frame stems two lead sentences share for their dates to be one event's without a shared word


def _lead_matches(story: StoryInput, items: list[Statement]) -> Iterator[Match]:
    """The odd one out: a value in one source's lead (title and first sentence) where another source's lead has a
    value of the same kind that a third source also states, while no source but the first states its value:
    "Texas governor" in one lead, "Georgia governor" in two others. The usual rules (`_differs`: neither of the
    two sources states the other's value) apply."""
    lead: dict[str, list[Statement]] = {}
    for source in story.sources:
        starts = {sentence.start for sentence in source.analysis.sentences[:LEAD_SENTENCES]}
        lead[source.article.id] = [st for st in items if st.source is source and st.start in starts]
    values: dict[str, set[str]] = {}
    for statement in items:
        for slot in statement.slots:
            if slot.kind in LEAD_KINDS:
                values.setdefault(statement.source.article.id, set()).add(slot.key)

    def stated_elsewhere(slot: Slot, exclude: set[str]) -> int:
        words = set(slot.key.split())
        count = 0
        for article_id, keys in values.items():
            if article_id in exclude:
                continue
            if slot.kind == "date":
                count += slot.key in keys
            else:
                count += any(words <= set(k.split()) or set(k.split()) <= words for k in keys if k)
        return count

    ids = list(lead)
    for index, one_id in enumerate(ids):
        for other_id in ids[index + 1 :]:
            for first in lead[one_id]:
                for second in lead[other_id]:
                    if len(first.frame & second.frame) < LEAD_SHARED or _apart_in_time(
                        first, second, LEAD_WINDOW_HOURS
                    ):
                        continue
                    for slot in first.slots:
                        for other in second.slots:
                            if slot.kind != other.kind or slot.kind not in LEAD_KINDS or not slot.key or not other.key:
                                continue
                            if not _differs(slot, other, first, second):
                                continue
                            if not _lead_roles_agree(slot, other, first, second):
                                continue
                            pair = {one_id, other_id}
                            one_alone = stated_elsewhere(slot, pair) == 0
                            other_alone = stated_elsewhere(other, pair) == 0
                            if one_alone != other_alone:
                                agreement = _agreement(first, second)
                                yield Match(slot.kind, slot, other, first, second, agreement)


# A dateline: a sentence that opens with the place the report was filed from, in capitals, maybe its state, then
# the agency and a dash ("WASHINGTON (AP) —", "COLUMBIA, S.C. (AP) -"), or a long dash alone ("BEIJING —"; a short
# one alone is a headline's "US - China")
_DATELINE = re.compile(
    r"[\"“]?\s*([A-Z][A-Z .'-]*?[A-Z])(?:,\s*([A-Z][A-Za-z.]*))?\s*(?:\([^()\n]{1,40}\)\s*(?:—|–|--|-)|—|–|--)\s"
)


def _dateline(statement: Statement, slot: Slot) -> bool:
    """Whether the slot is the place of the statement's dateline: where the report was filed, not where its events
    happened. Two reports of one story filed from two cities do not disagree."""
    dateline = _DATELINE.match(statement.source.article.text, statement.start)
    if dateline is None:
        return False
    end = dateline.end(2) if dateline.group(2) else dateline.end(1)
    return dateline.start(1) <= slot.start and slot.end <= end


def _lead_roles_agree(one: Slot, other: Slot, first: Statement, second: Statement) -> bool:
    """Two lead values fill the same role: a shared word next to them, the same title before two people, for
    places the same kind of place word before both ("in Texas" / "in Georgia") or two places the gazetteer knows
    to be apart, whatever words stand next to them ("Georgia governor" / "Texas Gov."), for dates sentences sharing
    `LEAD_DATE_SHARED` frame stems ("Supreme Court Justice Ruth Bader Ginsburg died Friday ..." / "Justice Ruth
    Bader Ginsburg of the Supreme Court was mourned ... after she was lost on Sunday")."""
    if _context_score(one, other) > 0:
        return True
    if one.kind == "person":
        role = _role(one, first)
        return role is not None and role == _role(other, second)
    if one.kind == "place":
        place_words = _after_place_word(first.source.article.text, one.start) and _after_place_word(
            second.source.article.text, other.start
        )
        return place_words or places.bundled().related(one.key, other.key) is False
    if one.kind == "date":  # a lead often dates another step of the story ("voted Wednesday" / "plans work
        # Tuesday"): without a shared word beside both, only leads that share several words state one event
        return len(first.frame & second.frame) >= LEAD_DATE_SHARED
    return False


TOLL_SHARED = 2  # frame stems two sentences giving one toll share ("killed 4 people in a courthouse escape")


def _toll_matches(items: list[Statement]) -> Iterator[Match]:
    """Two tolls of one kind (dead, injured, missing, arrested, displaced: `COUNTED`) in sentences of two
    sources that share some wording: "killing six people" / "killed four people in a brazen courthouse
    escape". A story has one toll of each kind at a time; a later, larger one is an update (conflicts.py)."""
    tolls: dict[str, list[tuple[Slot, Statement]]] = {}
    for statement in items:
        for slot in statement.slots:
            kinds = counted(slot) if slot.kind == "number" and slot.key in ("", "people", "persons") else set()
            if len(kinds) == 1 and not _expected(statement, slot):
                tolls.setdefault(next(iter(kinds)), []).append((slot, statement))
    for counts in tolls.values():
        for index, (slot, statement) in enumerate(counts):
            for other, other_statement in counts[index + 1 :]:
                if other_statement.source.article.id == statement.source.article.id:
                    continue
                shared = len(statement.frame & other_statement.frame)
                if shared >= TOLL_SHARED and near(slot, other) and _differs(slot, other, statement, other_statement):
                    agreement = _agreement(statement, other_statement)
                    yield Match("number", slot, other, statement, other_statement, agreement)
