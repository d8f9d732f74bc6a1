"""Speaker mentions: the name, pronoun or noun phrase next to a cue verb, and who a pronoun refers to.

Names come from entities (PERSON, ORG, NORP, GPE, FAC, PRODUCT) when they are given, and from runs of
capitalized words otherwise (a one-word run that opens a sentence must also appear capitalized mid-sentence,
so "Speaking Sunday" is no name). A one-word name takes the fullest earlier (else later) name ending with it
("Garin" -> "Geoff Garin"). A noun phrase speaks when it looks like it can ("a spokesman for the campaign",
"officials", "Trump aides"), not "given" or "more accurately". "he"/"she" resolve to the first person named in
the nearest earlier sentence that names one outside quotes, unless the last named speaker came later; "it" to
the last organization or noun-phrase speaker; "they" to the last speaker; "I" and "we" stay unresolved.

Other languages (`languages.profile`) add their own capitalised non-names, titles and pronouns ("er", "он", "他").
After a cue the speaker is the first name that follows ("sagte Scholz am Montag in Berlin"), since these
languages invert subject and verb after a quote. In scripts without spaces (Chinese, Japanese) the speaker is the
name that ends right before the cue ("王毅表示"), else the run of characters since the last punctuation mark; in
scripts without capitals (Arabic) names come from entities only.
"""

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.analyze.languages import is_title, profile
from storyline.analyze.quote_marks import QUOTE_CHARS
from storyline.records import Entity, Sentence

__all__ = ["DETERMINERS", "PRONOUNS", "TOKEN", "Mention", "SpeakerFinder", "capitalized_names", "words"]


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text` as a set (for word lists)."""
    return frozenset(text.split())


PRONOUNS = words("he she they it i we")
_NAME_STOP = words(
    """
    The A An But And Or So If When While As After Before In On At For From With Without By To Of This That These
    Those It He She They We I You His Her Their Its Our My Your There Here What Who Why How Yet Still Then Now
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Mr Mrs Ms Dr Also Later Earlier Meanwhile However According Asked
    """
)
_TITLES = words(
    """
    mr mrs ms miss dr prof sen rep gov gen lt col sgt capt adm rev president senator representative governor
    secretary minister chancellor mayor judge justice speaker chairman chairwoman chair ceo director
    ambassador commissioner sheriff chief general former vice prime attorney pope king queen prince
    """
)

_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "FAC", "PRODUCT"})
_NAME_WORD = re.compile(r"\w+(?:[’'.-]\w+)*\.?")
TOKEN = re.compile(r"\w+(?:[’'.&-]\w+)*\.?|,|[;:()—–]")
_SKIP_BEFORE_CUE = words(
    """
    also later then has had have previously recently once repeatedly again further simply quickly flatly bluntly
    earlier reportedly would will may might could had has often frequently famously openly privately publicly
    last this week month year night morning afternoon evening today yesterday tonight on
    monday tuesday wednesday thursday friday saturday sunday
    just already now still first initially separately finally subsequently originally
    """
)
_NP_BOUNDARY = words(
    """
    that and but or because when while as if though although since after before which who whom whose where
    said says told wrote added to so than is was were are be been being has have had do did does not
    """
)
_PREPOSITIONS = words("for of at from with by on in to")
DETERMINERS = words(
    "the a an another one some many most several few both all other two three four five his her their its our this"
    " that these those each every no"
)
_NOT_PERSON_WORDS = words(
    """
    Party Committee Campaign News Times Post Journal Network University College School Department Agency Council
    Court House Senate Congress State States County City Republic Union Bank Inc Corp Group Association Institute
    Foundation Center Fund PAC Bowl Street Avenue Road Hall Club Church Company Administration Service Office Board
    Commission Magazine Review Press Television Radio TV Channel Coalition Alliance Project Force Army Navy
    New North South East West United Los San Las Fort Lake Mount Islamic Democratic Republican National American
    """
)
_PARTICLES = words("de van von der da di del la le bin al du ibn ben dos das st.")


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker mention at [start, end)."""

    start: int
    end: int
    name: str  # canonical name, or the pronoun / noun phrase as written
    kind: str  # person | org | name | pronoun | noun


class SpeakerFinder:
    """Name mentions of one text, and the speaker nearest to a cue verb."""

    def __init__(
        self, text: str, sentences: Sequence[Sentence], entities: Sequence[Entity], language: str | None = None
    ) -> None:
        self.text = text
        self.rules = profile(language)
        self.english = not self.rules.cues  # English, or a language without cue words of its own (read as English)
        self.stops = _NAME_STOP | self.rules.stop_words
        self.titles = _TITLES | self.rules.titles
        self.pronouns = {p: p for p in PRONOUNS} if self.english else dict(self.rules.pronouns)
        self.sentences = sorted(sentences, key=lambda s: s.start)
        self.sentence_starts = [s.start for s in self.sentences]
        self.full_names: list[tuple[int, str]] = []  # (offset, full name) of multi-word person names
        self.mentions = self._name_mentions(entities)
        self.mention_starts = [m.start for m in self.mentions]
        self.quoted = bytearray(len(text) + 1)

    def mark_quoted(self, start: int, end: int) -> None:
        """Names inside [start, end) are quoted words, not antecedents for pronouns."""
        self.quoted[start:end] = b"\x01" * (end - start)

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        """[start, end) of the sentence holding `pos` (its line when no sentence does)."""
        index = bisect.bisect_right(self.sentence_starts, pos) - 1
        if index >= 0 and pos < self.sentences[index].end:
            return self.sentences[index].start, self.sentences[index].end
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, len(self.text) if end == -1 else end

    def _name_mentions(self, entities: Sequence[Entity]) -> list[Mention]:
        found = [
            Mention(e.start, e.end, e.canonical or e.text, "person" if e.label == "PERSON" else "org")
            for e in entities
            if e.label in _SPEAKER_LABELS
        ]
        covered = bytearray(len(self.text) + 1)
        for mention in found:
            covered[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
        runs = [r for r in capitalized_names(self.text, self.rules.stop_words) if not any(covered[r[0] : r[1]])]
        full_names = [(m.start, m.name) for m in found if m.kind == "person" and " " in m.name]
        full_names += [
            (s, _strip_title(self.text[s:e], self.titles))
            for s, e in runs
            if " " in _strip_title(self.text[s:e], self.titles)
        ]
        full_names.sort()
        self.full_names = full_names
        for start, end in runs:
            found.append(
                Mention(
                    start,
                    end,
                    _complete_name(_strip_title(self.text[start:end], self.titles), start, full_names),
                    "name",
                )
            )
        return sorted(found, key=lambda m: m.start)

    def mention_at(self, pos: int) -> Mention | None:
        """The name mention covering `pos`, if any."""
        index = bisect.bisect_right(self.mention_starts, pos) - 1
        if index >= 0 and self.mentions[index].start <= pos < self.mentions[index].end:
            return self.mentions[index]
        return None

    # -- the speaker next to a cue --

    def subject(self, start: int, cue_start: int) -> Mention | None:
        """The speaker just before a cue verb, skipping adverbs and an appositive ("Smith, a former aide,")."""
        if self.rules.unspaced:
            return self._unspaced_subject(start, cue_start)
        tokens = list(TOKEN.finditer(self.text, start, cue_start))
        index = _skip_back(tokens, len(tokens) - 1)
        if index >= 0 and tokens[index].group() == ",":
            commas = [k for k in range(index - 1, max(index - 30, -1), -1) if tokens[k].group() == ","]
            if not commas:
                return None
            index = _skip_back(tokens, commas[0] - 1)
        if index < 0:
            return None
        token = tokens[index]
        if token.group().lower() in ("and", "but", "then"):  # "He turned and said": the clause's subject
            return self.first_subject(start, token.start())
        if token.group().lower() in self.pronouns:
            return self._pronoun(token)
        mention = self.mention_at(token.start())
        if mention is not None:
            first = next((k for k in range(index, -1, -1) if tokens[k].start() <= mention.start), 0)
            if first < 2 or tokens[first - 1].group().lower() not in _PREPOSITIONS:
                return mention
        if token.group()[0].isupper() and mention is None:
            return self._capitalized_before(tokens, index)
        if not self.english:
            return None
        phrase = self._noun_phrase(tokens, index)
        return self._named_partner(tokens, phrase) or phrase

    def _named_partner(self, tokens: list[re.Match[str]], phrase: Mention | None) -> Mention | None:
        """In "Kevin Xu and a co-author warn", the named partner of a coordinated subject is the speaker."""
        if phrase is None:
            return None
        before = [t for t in tokens if t.end() <= phrase.start]
        if len(before) < 2 or before[-1].group().lower() not in ("and", "&"):
            return None
        named = self.mention_at(before[-2].start())
        if named is None or named.kind == "pronoun":
            return None
        return Mention(named.start, phrase.end, named.name, named.kind)

    def _capitalized_before(self, tokens: list[re.Match[str]], index: int) -> Mention | None:
        """Capitalized words right before a cue are a name even when they open the sentence ("Jones told")."""
        first = index
        while first > 0 and index - first < 3 and tokens[first - 1].group()[0].isupper():
            first -= 1
        while first <= index and tokens[first].group().rstrip(".") in self.stops:
            first += 1
        if first > index:
            return None
        start, end = tokens[first].start(), _strip_possessive(self.text, tokens[first].start(), tokens[index].end())
        name = _strip_title(self.text[start:end], self.titles)
        return Mention(start, end, _complete_name(name, start, self.full_names), "name")

    def _noun_phrase(self, tokens: list[re.Match[str]], index: int) -> Mention | None:
        """The noun phrase ending at tokens[index]: "a spokesman for the campaign", "sources"."""
        first = index
        while first > 0 and index - first < 6:
            word = tokens[first - 1].group()
            if not word[0].isalnum() or word.lower() in _NP_BOUNDARY:
                break
            first -= 1
        while first < index and tokens[first].group().lower() in _PREPOSITIONS:
            first += 1
        start, end = tokens[first].start(), tokens[index].end()
        if not _plausible_speaker([t.group() for t in tokens[first : index + 1]]):
            return None
        return Mention(start, end, self.text[start:end], "noun")

    def mention_after(self, pos: int, end: int) -> Mention | None:
        """The speaker right after a cue: "said Geoff Garin, a pollster", "according to a spokesman"."""
        if not self.english:
            return self._first_mention_after(pos, end)
        tokens: list[re.Match[str]] = []
        for token in TOKEN.finditer(self.text, pos, end):
            word = token.group()
            if not word[0].isalnum() or (tokens and word.lower() in _NP_BOUNDARY):
                break
            tokens.append(token)
            if len(tokens) == 8:
                break
        if not tokens or tokens[0].group().lower() in _PREPOSITIONS:
            return None
        if tokens[0].group().lower() in PRONOUNS:
            return Mention(tokens[0].start(), tokens[0].end(), tokens[0].group(), "pronoun")
        mentions = [m for t in tokens if (m := self.mention_at(t.start())) is not None]
        if mentions:
            last = mentions[-1]
            before = [t.group().lower() for t in tokens if t.end() <= last.start]
            if not before or before[-1] not in _PREPOSITIONS:
                return last
        return self._noun_phrase(tokens, len(tokens) - 1) if len(tokens) <= 6 else None

    def first_subject(self, start: int, end: int) -> Mention | None:
        """The first person or pronoun of a clause: the subject of "..., saying “...”"."""
        for token in TOKEN.finditer(self.text, start, end):
            if token.group().lower() in self.pronouns:
                return self._pronoun(token)
            mention = self.mention_at(token.start())
            if mention is not None:
                return mention
        return None

    # -- other languages --

    def _pronoun(self, token: re.Match[str]) -> Mention:
        """A pronoun mention, named by its English equivalent ("er" -> "he") so that `resolve` reads it."""
        return Mention(token.start(), token.end(), self.pronouns[token.group().lower()], "pronoun")

    def first_person(self, start: int, end: int) -> Mention | None:
        """The first person named in [start, end): the topic of "岸田文雄首相は…「…」と述べた"."""
        index = bisect.bisect_left(self.mention_starts, start)
        for mention in self.mentions[index:]:
            if mention.start >= end:
                break
            if mention.kind == "person" and mention.end <= end:
                return mention
        return None

    def _first_mention_after(self, pos: int, end: int) -> Mention | None:
        """The first name (or pronoun) within a few words after `pos`, before any punctuation: the inverted
        subject of "sagte Scholz am Montag", "a déclaré Emmanuel Macron", "заявил Путин", "وقال الوزير"."""
        for count, token in enumerate(TOKEN.finditer(self.text, pos, end)):
            word = token.group()
            if count >= 6 or not word[0].isalnum():
                return None
            if word.lower() in self.pronouns:
                return self._pronoun(token)
            mention = self.mention_at(token.start())
            if mention is not None:
                return self._person_after(mention) or mention
        return None

    def _person_after(self, mention: Mention) -> Mention | None:
        """The person named right after an organisation: "глава ЦБ Эльвира Набиуллина" is Nabiullina speaking."""
        if mention.kind == "person":
            return None
        index = bisect.bisect_right(self.mention_starts, mention.start)
        if index < len(self.mentions):
            following = self.mentions[index]
            if following.kind == "person" and not self.text[mention.end : following.start].strip():
                return following
        return None

    def _unspaced_subject(self, start: int, cue_start: int) -> Mention | None:
        """In Chinese or Japanese: the name ending right before the cue ("王毅表示"), a pronoun ("他说"), else
        the characters since the last punctuation mark when they are few ("外交部发言人毛宁说")."""
        index = bisect.bisect_right(self.mention_starts, cue_start) - 1
        while index >= 0 and self.mentions[index].end > cue_start:
            index -= 1
        if index >= 0 and start <= self.mentions[index].start and cue_start - self.mentions[index].end <= 3:
            between = self.text[self.mentions[index].end : cue_start]
            if not re.search(r"[^\w]", between):
                return self.mentions[index]
        for pronoun, english in sorted(self.pronouns.items(), key=lambda p: -len(p[0])):
            if self.text.endswith(pronoun, start, cue_start):
                return Mention(cue_start - len(pronoun), cue_start, english, "pronoun")
        run = re.search(r"\w{2,12}$", self.text[start:cue_start])
        if run is None:
            return None
        run_start = start + run.start()
        return Mention(run_start, cue_start, _strip_topic(self.text[run_start:cue_start]), "noun")

    # -- pronouns --

    def resolve(self, mention: Mention, last: dict[str, tuple[str, int]]) -> str | None:
        """The speaker's name: a name as is, a pronoun resolved (`last`: kind -> (name, offset) of speakers so far)."""
        if mention.kind != "pronoun":
            return mention.name
        pronoun = mention.name.lower()
        if pronoun in ("he", "she"):
            return self._person_before(mention.start, last.get("named"))
        if pronoun == "it":
            found = last.get("org") or last.get("noun")
        elif pronoun == "they":
            found = last.get("any")
        else:
            found = None
        return found[0] if found else None

    def _person_before(self, pos: int, named: tuple[str, int] | None) -> str | None:
        """He/she: the first person of the nearest earlier sentence naming one (outside quotes), unless the last
        named speaker came after that person."""
        people = [m for m in self.mentions if m.end <= pos and self._person_like(m) and not self.quoted[m.start]]
        if not people:
            return named[0] if named else None
        sentence_start, _ = self.sentence_bounds(people[-1].start)
        first = next(m for m in people if m.start >= sentence_start)
        if named and named[1] >= first.start:
            return named[0]
        return first.name

    def _person_like(self, mention: Mention) -> bool:
        if mention.kind == "person":
            return True
        if mention.kind != "name":
            return False
        words = mention.name.split()
        return 1 < len(words) <= 4 and not any(w in _NOT_PERSON_WORDS for w in words)


def _strip_topic(name: str) -> str:
    """A Japanese topic or subject particle is no part of the name: "首相は" -> "首相"."""
    return name[:-1] if len(name) > 2 and name[-1] in "はが" else name


def _strip_title(name: str, titles: frozenset[str] = _TITLES) -> str:
    words = name.split()
    if titles is not _TITLES:  # another language's titles, compounds included ("Umweltministerin")
        while len(words) > 1 and is_title(words[0], titles):
            words = words[1:]
    while len(words) > 1 and words[0].lower().rstrip(".") in titles:
        words = words[1:]
    return " ".join(words)


def _strip_possessive(text: str, start: int, end: int) -> int:
    if text[end - 2 : end] in ("’s", "'s"):
        return end - 2
    if end - start > 2 and text[end - 1] == "." and text[end - 3 : end - 2] != "." and text[end - 2].islower():
        title = text[start:end].split()[-1].lower().rstrip(".")
        if title not in _TITLES and title not in ("jr", "sr", "st"):
            return end - 1
    return end


def capitalized_names(text: str, extra_stops: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Runs of capitalized words that look like names (the fallback when no entities are given).

    A single capitalized word that opens a sentence counts only if the text also capitalizes it mid-sentence
    ("Trump said" yes, "Speaking Sunday" no). `extra_stops` adds another language's capitalised non-names.
    """
    stops = _NAME_STOP | extra_stops
    words = list(_NAME_WORD.finditer(text))
    initial = [_opens_sentence(text, w.start()) for w in words]
    mid_sentence = {w.group() for w, first in zip(words, initial, strict=True) if not first and w.group()[0].isupper()}
    runs: list[tuple[int, int]] = []
    current: list[int] = []
    for index, word in enumerate(words):
        token = word.group()
        joined = bool(current) and text[words[current[-1]].end() : word.start()] == " "
        if joined and words[current[-1]].group().endswith(".") and len(words[current[-1]].group()) > 4:
            joined = False  # "Trump. He": a sentence ends; "Mr. Smith", "J. Smith", "Sen. Cruz" go on
        if token[0].isupper() or (joined and token.lower() in _PARTICLES):
            if not joined:
                _close_run(
                    text, [words[k] for k in current], runs, bool(current) and initial[current[0]], mid_sentence, stops
                )
                current = []
            current.append(index)
        else:
            _close_run(
                text, [words[k] for k in current], runs, bool(current) and initial[current[0]], mid_sentence, stops
            )
            current = []
    _close_run(text, [words[k] for k in current], runs, bool(current) and initial[current[0]], mid_sentence, stops)
    return runs


def _opens_sentence(text: str, pos: int) -> bool:
    pos -= 1
    while pos >= 0 and (text[pos].isspace() or text[pos] in QUOTE_CHARS or text[pos] in "([¿¡"):
        if text[pos] == "\n":
            return True
        pos -= 1
    return pos < 0 or text[pos] in ".!?:;—–-•*"


def _close_run(
    text: str,
    words: list[re.Match[str]],
    runs: list[tuple[int, int]],
    initial: bool,
    mid_sentence: set[str],
    stops: frozenset[str] = _NAME_STOP,
) -> None:
    if words and words[0].group().rstrip(".") in stops:
        initial = False
    while words and (words[0].group().rstrip(".") in stops or words[0].group().lower() in _PARTICLES):
        words = words[1:]
    while words and words[-1].group().lower() in _PARTICLES:
        words = words[:-1]
    if not words or (len(words) == 1 and initial and words[0].group() not in mid_sentence):
        return
    start, end = words[0].start(), _strip_possessive(text, words[0].start(), words[-1].end())
    if end > start:
        runs.append((start, end))


def _skip_back(tokens: list[re.Match[str]], index: int) -> int:
    while index >= 0 and (
        tokens[index].group().lower() in _SKIP_BEFORE_CUE or re.fullmatch(r"[a-z]+ly", tokens[index].group())
    ):
        index -= 1
    return index


def _plausible_speaker(words: list[str]) -> bool:
    """A noun phrase that can say things: "a spokesman for the campaign", "officials", "Trump aides"."""
    head, first = words[-1], words[0]
    if not re.fullmatch(r"[A-Za-z0-9][a-z0-9’'-]*[a-z]", head) or head.lower() in _NP_BOUNDARY | PRONOUNS:
        return False
    if head.endswith(("ly", "ing")) or not re.search(r"[a-z]", head):
        return False
    if first.lower() in DETERMINERS or first[0].isupper() or first[0].isdigit():
        return True
    return len(words) == 1 and head.endswith("s")


def _complete_name(name: str, pos: int, full_names: list[tuple[int, str]]) -> str:
    """A one-word name gets the nearest earlier (else the first later) full name that ends with it."""
    if " " in name:
        return name
    matches = [(start, full) for start, full in full_names if full.split()[-1] == name]
    if not matches:
        return name
    earlier = [full for start, full in matches if start < pos]
    return earlier[-1] if earlier else matches[0][1]
