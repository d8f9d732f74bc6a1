"""Which dates matter to a story: dated sentences become weighted mentions, and dates are ranked by their mentions.

A mention is one sentence that places something on a date (an `Event` of the analysis, or a dated entry of a
source's own timeline section). Its weight is

    weight = (floor + (1 - floor) * relevance) * (publication_weight if it is a publication-date reference)
                                               * (retrospective_weight if it looks back at a past day)
                                               * (curated_weight if it comes from a source's timeline section)
    relevance = central / (central + relevance_scale)      central = sum of the story weights of its words

A word's story weight is its share of the story's documents (or of their titles, whichever is higher) times its
specificity in general English, `clip((6.5 - zipf) / 3, 0, 1)` from wordfreq's Zipf frequency: a sentence made
of words that most sources use and that are rare in general text is about the story; one made of common words
or of words only its own article uses is incidental. A publication-date reference is a mention whose date is the
publication date of its own article ("today", "on Tuesday" in Tuesday's paper): reports repeat their own date
far more often than it matters. A retrospective mention names a day at least `retrospective_days` before its
article's publication: a later report recalling a day is the best sign that the day mattered (years and months
are not retrospective: they are mostly background). A dateline ("Updated June 19, 2026", "Outlet · Name ·
2026-06-19") or a generic present ("Today, open source powers ...": the publication date with no past-tense or
future verb) is not an event at all and yields no mention.

A date's score is the sum of the weights of its mentions, counting a sentence repeated word for word (a
syndicated copy) once. `rank_dates` orders dates by score (then by number of mentions, then by date).
"""

import datetime as dt
import functools
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wordfreq import zipf_frequency

from storyline.records import Event
from storyline.synthesize.similarity import STOP_WORDS
from storyline.synthesize.ties import settled

__all__ = [
    "CentralTerms",
    "DateMention",
    "RankingSettings",
    "content_words",
    "day_lag",
    "event_mention",
    "is_dateline",
    "mention_weight",
    "rank_dates",
    "reports_something",
    "story_words",
]

logger = logging.getLogger(__name__)

_LETTERS = re.compile(r"[^\W\d_]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_DATELINE_START = re.compile(
    r"\s*(?:page\s+)?(?:(?:last\s+)?updated|published|posted|first published|modified|last modified|filed)\b",
    re.IGNORECASE,
)
# "... updated at 05:27 GMT, " right before the date: a time stamp run into the first sentence.
_STAMP_BEFORE = re.compile(r"\b(?:updated|published|posted|modified|filed)\b\W*(?:\w+\W+){0,4}$", re.IGNORECASE)
# Past tense ("signed", "was", "said") or the future ("will", "is set to"): a sentence that reports something.
_EVENT_VERB = re.compile(
    r"\b(?:\w{3,}ed|was|were|had|did|said|told|made|took|gave|came|went|began|met|won|lost|left|held|fell|rose|"
    r"sent|set|put|cut|hit|shot|saw|found|led|ran|paid|sold|bought|brought|wrote|spoke|chose|broke|became|"
    r"will|won't|shall|is to|are to|plans? to|is (?:set|expected|due|scheduled) to|are (?:set|expected|due) to)\b",
    re.IGNORECASE,
)
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_DATELINE_WORDS = 3  # a sentence with this few words besides its date is a dateline, not an event


@dataclass(frozen=True, slots=True)
class RankingSettings:
    """How mentions weigh. One configuration serves every story (and the Timeline17 benchmark)."""

    publication_weight: float = 0.5  # a mention of its own article's publication date
    retrospective_weight: float = 2.0  # a mention of a day well before its article's publication
    retrospective_days: int = 2  # how far before the publication date a day must be to count as recalled
    relevance_floor: float = 0.3  # the weight of a mention that shares no word with the story's centre
    relevance_scale: float = 1.0  # central word mass at which a mention gets half the relevance bonus
    curated_weight: float = 2.0  # a dated entry of a source's own timeline section


@dataclass(frozen=True, slots=True)
class DateMention:
    """One sentence that places something on `date` (ISO: 1983, 2026-06, 2026-06-19)."""

    date: str
    document: int  # which article of the story (an index)
    words: frozenset[str]  # the sentence's content words (`story_words`)
    publication: bool = False  # the date is the publication date of the sentence's own article
    lag: int | None = None  # days from `date` (a day) to the article's publication date, when both are known
    curated: bool = False  # the sentence is an entry of a source's own timeline section


class CentralTerms:
    """The words a story is about: each weighs its share of the documents times its specificity."""

    def __init__(self, documents: Sequence[Iterable[str]], titles: Sequence[Iterable[str]] = ()) -> None:
        """`documents`: the content words of each article; `titles`: those of each title (may be empty)."""
        self.weights: dict[str, float] = {}
        shares = _shares(documents)
        for word, share in _shares(titles).items():
            shares[word] = max(share, shares.get(word, 0.0))
        for word, share in shares.items():
            weight = share * _specificity(word)
            if weight > 0:
                self.weights[word] = weight

    def mass(self, words: Iterable[str]) -> float:
        """The summed story weight of `words`, added in sorted order: a set's order varies with the process's
        hash seed, and float sums in another order differ in the last bits."""
        return sum(self.weights.get(word, 0.0) for word in sorted(words))

    def relevance(self, words: Iterable[str], scale: float) -> float:
        """How much a sentence with `words` is about the story, in [0, 1)."""
        central = self.mass(words)
        return central / (central + scale) if central > 0 else 0.0


def _shares(documents: Sequence[Iterable[str]]) -> dict[str, float]:
    counts: dict[str, int] = defaultdict(int)
    for words in documents:
        for word in set(words):
            counts[word] += 1
    total = len(documents)
    return {word: count / total for word, count in counts.items()}


def content_words(text: str) -> list[str]:
    """The content words of `text` in order: lower-cased, possessive dropped, stop words and short words left out."""
    words = (match.group().lower().replace("’", "'").removesuffix("'s") for match in _WORD.finditer(text))
    return [word for word in words if len(word) > 2 and word not in STOP_WORDS]


def story_words(text: str) -> frozenset[str]:
    """The set of `content_words` of `text`."""
    return frozenset(content_words(text))


@functools.lru_cache(maxsize=65536)
def _specificity(word: str) -> float:
    """How rare a word is in general English: 0 for "said", 1 for names and jargon (cached: a story's words
    recur in every sentence that is ranked)."""
    zipf = zipf_frequency(word, "en")
    return min(1.0, max(0.0, (6.5 - zipf) / 3.0))


def is_dateline(sentence: str, time_start: int, time_end: int) -> bool:
    """True when `sentence` only stamps a date: "Updated 3 June 2026", "Interconnects · N. Lambert · 2026-06-19".

    That is: it starts with "Updated"/"Published"/..., or such a word comes just before the date, or it has at
    most three words besides the date and no closing punctuation ("Biden wins on June 3." is an event).
    `time_start`/`time_end` locate the date expression inside `sentence`.
    """
    if _DATELINE_START.match(sentence) or _STAMP_BEFORE.search(sentence[:time_start]):
        return True
    rest = sentence[:time_start] + " " + sentence[time_end:]
    return len(_LETTERS.findall(rest)) <= _DATELINE_WORDS and not sentence.rstrip().endswith((".", "!", "?"))


def reports_something(sentence: str) -> bool:
    """True when `sentence` has a past-tense or future verb (it reports an event, not a state of things)."""
    return _EVENT_VERB.search(sentence) is not None


def event_mention(event: Event, offset: int, document: int, published: str | None) -> DateMention | None:
    """The mention an event makes, or None when it is a dateline or a generic present on the publication date.

    Args:
        event: a dated sentence; `event.time` lies inside it.
        offset: where the sentence starts in the coordinates of `event.time` (the sentence's `start`).
        document: the index of the event's article in the story.
        published: the article's publication date (ISO), when known.
    """
    sentence = event.text
    start, end = event.time.start - offset, event.time.end - offset
    if is_dateline(sentence, start, end):
        return None
    publication = published is not None and event.date == published[:10]
    if publication and not _has_digit(event.time.text) and not reports_something(sentence):
        return None  # "Today, a similar dynamic is unfolding": the present, not an event of that day
    lag = day_lag(event.date, published)
    return DateMention(event.date, document, story_words(sentence), publication=publication, lag=lag)


def day_lag(date: str, published: str | None) -> int | None:
    """Days from the day `date` to the publication date `published` (None unless both are full dates)."""
    if published is None or not _DAY.fullmatch(date):
        return None
    try:
        return (dt.date.fromisoformat(published[:10]) - dt.date.fromisoformat(date)).days
    except ValueError:
        return None


def _has_digit(text: str) -> bool:
    return any(character.isdigit() for character in text)


def mention_weight(mention: DateMention, central: CentralTerms, settings: RankingSettings) -> float:
    """How much one mention counts for its date (see the module docstring)."""
    relevance = central.relevance(mention.words, settings.relevance_scale)
    weight = settings.relevance_floor + (1.0 - settings.relevance_floor) * relevance
    if mention.publication:
        weight *= settings.publication_weight
    elif mention.lag is not None and mention.lag >= settings.retrospective_days:
        weight *= settings.retrospective_weight
    if mention.curated:
        weight *= settings.curated_weight
    return weight


def rank_dates(
    mentions: Iterable[DateMention], central: CentralTerms, settings: RankingSettings = RankingSettings()
) -> list[tuple[str, float]]:
    """Dates with their scores, best first: the sum of mention weights, a sentence repeated word for word once."""
    seen: set[tuple[str, frozenset[str]]] = set()
    scores: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for mention in mentions:
        key = (mention.date, mention.words)
        if mention.words and key in seen:
            continue
        seen.add(key)
        scores[mention.date] += mention_weight(mention, central, settings)
        counts[mention.date] += 1
    return sorted(scores.items(), key=lambda item: (-settled(item[1]), -counts[item[0]], item[0]))
