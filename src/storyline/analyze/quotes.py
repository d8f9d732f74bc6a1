"""Direct and indirect quotes, each with its speaker, from plain article text.

Direct quotes (``kind="direct"``): text between paired quotation marks, in every common style (“ ” " " ‘ ’ '' ''
« » „ “ 「 」 『 』). Marks are paired with a stack; the direction of an ambiguous mark (", ', '') comes from the
characters around it, and an apostrophe inside a word is not a mark. Only outermost pairs count, and only when
they stand at sentence level: at the start of a sentence or paragraph, after a colon, comma or dash, or after a
cue verb ("said, “...”"). A phrase quoted inside a clause ("called it “a disaster”") is not a direct quote. A
paragraph whose quote is still open at its end continues into the next paragraph when that one opens with a
quote mark again; each paragraph's part becomes its own `Quote`, all with the same speaker.

Speakers come from the sentence around the quote: after it ("“...,” Smith said", "“...,” said Smith, a ...",
"“...,” the spokesman told reporters") or before it ("Smith said: “...”", "..., she added, “...”"). A quote with
no cue of its own continues the speaker of the quote just before it (same paragraph, or the previous paragraph
ending in a quote). A pronoun speaker ("he said") resolves to the person the nearest earlier sentence names first,
or to the last named speaker when that one came later (see `speakers.py`).

Indirect attributions (``kind="indirect"``): "X argues (that) ...", "X said ...", "..., X said.",
"according to X, ..." and "..., according to X." The content is the reported clause, without "that".

Other languages (`find_quotes(..., language=...)`, cue words from `languages.py`): the same direct-quote rules
with the language's cues ("„...“, sagte Scholz", "« ... », a déclaré Macron", "«...», — заявил Путин",
"王毅表示：“...”", "首相は「...」と述べた", "وقال الوزير: «...»"); a cue with no named subject in a language that
drops pronouns ("dijo", "وأضاف") stands for "he", resolved like an English pronoun. Indirect attributions are
read in English only.

`speaker` is the canonical name (an entity's `canonical` when entities are given, else the name in the text,
completed from an earlier fuller mention: "Garin" -> "Geoff Garin"); `speaker_span` is the mention itself (the
pronoun when it is one); `cue` is the verb or phrase ("said", "according to").
"""

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from storyline.analyze.languages import LANGUAGES, LanguageProfile, profile
from storyline.analyze.quote_marks import QUOTE_CHARS, QuotedSpan, find_quoted_spans
from storyline.analyze.speakers import DETERMINERS, TOKEN, Mention, SpeakerFinder, words
from storyline.records import Entity, Quote, Section, Sentence

__all__ = ["CUE_VERBS", "find_quotes", "listed_quotes"]

logger = logging.getLogger(__name__)


CUE_VERBS = words(
    """
    said says say told tells wrote writes added adds noted notes explained explains asked asks argued argues
    warned warns tweeted tweets posted continued continues replied replies responded responds declared declares
    stated concluded concludes insisted insists claimed claims acknowledged acknowledges admitted admits
    recalled recalls joked jokes announced announces testified suggested suggests predicted predicts countered
    counters conceded concedes observed observes remarked remarks complained complains urged urges shouted
    yelled exclaimed chanted recounted emphasized emphasizes stressed stresses maintained maintains contended
    contends cautioned cautions reported reports wondered wonders quipped charged boasted boasts vowed vows
    promised promises explained answered answers mused muses pleaded assured assures admonished lamented
    laments scoffed sniped fumed marveled reiterated reiterates confirmed confirms revealed reveals
    saying adding telling writing noting explaining asking arguing warning tweeting declaring stating
    insisting claiming responding replying continuing concluding
    """
)
# Cues that introduce reported speech or thought without quotation marks.
_INDIRECT_CUES = words(
    """
    said says told tells argued argues warned warns claimed claims wrote writes noted notes insisted insists
    suggested suggests acknowledged acknowledges admitted admits announced announces predicted predicts
    reported reports stated explained explains contended contends maintained maintains asserted asserts
    alleged alleges added adds testified believes believed thinks thought conceded concedes confirmed confirms
    emphasized emphasizes stressed stresses cautioned cautions estimated estimates
    say tell argue warn claim write note insist suggest acknowledge admit announce predict report explain contend
    maintain assert allege believe think concede confirm emphasize stress caution estimate
    """
)
_PARTICIPLES = frozenset(w for w in CUE_VERBS if w.endswith("ing"))
_OBJECT_CUES = words("told tells telling warned warns assured assures urged urges")

_WORD = re.compile(r"[\w][\w'’.-]*[\w.]|[\w]")


def find_quotes(
    text: str, sentences: Sequence[Sentence], entities: Sequence[Entity] = (), language: str | None = None
) -> list[Quote]:
    """Find direct quotes and indirect attributions in `text`, each with its speaker when one is named.

    Args:
        text: the article text; all offsets refer to it.
        sentences: the sentences of `text` (from `split_sentences`).
        entities: optional entities of `text`; they improve speaker spans and canonical names.
        language: ISO 639-1 code; picks the cue words (None reads English).

    Returns:
        Quotes sorted by start offset. Direct quotes exclude their quote marks.

    >>> text = "“We will win,” Smith said. He added that the race was close."
    >>> from storyline.analyze.sentences import split_sentences
    >>> [(q.text, q.speaker, q.kind) for q in find_quotes(text, split_sentences(text))]
    [('We will win', 'Smith', 'direct'), ('the race was close', 'Smith', 'indirect')]
    """
    return _Finder(text, sentences, entities, language).run()


_QUOTE_HEADING = re.compile(
    r"^(?:(?:key|notable|selected|top|best)\s+)?quotes?(?:\s+of\s+the\s+(?:day|week))?$"
    r"|^what\s+(?:they|people|others)\s+(?:said|are\s+saying)$|^in\s+(?:their|his|her)\s+(?:own\s+)?words$"
    r"|^(?:zitate?|citations?|citas|引语|金句|语录|名言)$",
    re.IGNORECASE,
)
_LISTED = re.compile(
    r"^(?:[-*•·▪]\s*)?[\"“„«「]?(?P<quote>.+?)[\"”»」]?"
    r"(?:\s+[—–-]\s*(?P<speaker>[A-Z][\w.'’-]*(?:,?\s+[\w'’-]+){0,5}))?$"
)


def listed_quotes(text: str, sections: Sequence[Section], found: Sequence[Quote] = ()) -> list[Quote]:
    """Paragraphs listed under a quotes heading ("Key quotes", "Zitate") are quotes even without quote marks.

    A trailing "— Name" names the speaker; otherwise the speaker is unknown. Paragraphs overlapping a quote in
    `found` are left to it.
    """
    quotes = []
    for section in sections:
        if not _QUOTE_HEADING.match(section.heading.strip()):
            continue
        body = section.start + len(section.heading)
        for match in re.finditer(r"[^\n]+", text[body : section.end]):
            start, end = body + match.start(), body + match.end()
            listed = _LISTED.match(match.group().strip())
            if listed is None or any(q.start < end and start < q.end for q in found):
                continue
            content_start = start + match.group().index(listed.group("quote"))
            content_end = content_start + len(listed.group("quote"))
            speaker = listed.group("speaker")
            speaker_span = None
            if speaker:
                speaker_start = start + match.group().rindex(speaker)
                speaker_span = (speaker_start, speaker_start + len(speaker))
            quotes.append(
                Quote(
                    text[content_start:content_end], content_start, content_end, speaker, speaker_span, None, "direct"
                )
            )
    return quotes


# --- cues ---------------------------------------------------------------------------------------------------

_CUE_ALTERNATIVES = "|".join(sorted(CUE_VERBS, key=len, reverse=True))
_CUE = re.compile(r"\b(?:according to|" + _CUE_ALTERNATIVES + r")\b", re.IGNORECASE)
_LEAD_CUE = re.compile(r"(?:(?:also|then|later|again)\s+)?(according to|" + _CUE_ALTERNATIVES + r")\b", re.IGNORECASE)
_LEAD_PUNCT = re.compile(r"[\s,—–-]*")
_PAST_VERB = re.compile(r"\b[a-z]{2,}ed\b")
_LEAD_PAST = re.compile(r"([a-z]{2,}ed)\b")
_INDIRECT_CUE = re.compile(r"\b(?:" + "|".join(sorted(_INDIRECT_CUES, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_INDIRECT_LEAD = re.compile(
    r"(?:(?:also|then|later|again)\s+)?(" + "|".join(sorted(_INDIRECT_CUES, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_ACCORDING = re.compile(r"\baccording to\b", re.IGNORECASE)
_WH_BEFORE = re.compile(r"\b(?:what|as|than|whether|how|why|which)\s+\S+\s*$", re.IGNORECASE)
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_ADVERBIAL = re.compile(
    r"(?:\s*,?\s*(?:(?:on|last|this|early|late|earlier|later)\s+)?(?:"
    + _DAYS
    + r"|week|night|month|year|morning|afternoon|evening|today|yesterday|tonight|recently|repeatedly|previously"
    r"|also|again|privately|publicly|flatly|often|once)\b"
    r"|\s*(?:in|during|on|at) (?:a|an|the|his|her|their|its) (?:[\w’'-]+ ){0,3}?(?:statement|interview|email|letter"
    r"|post|tweet|speech|op-ed|memo|report|release|conference|call|video|message|appearance|hearing|rally)\b"
    r"(?: (?:with|on|to) [\w’'.-]+(?: [A-Z][\w’'.-]*){0,3})?)*"
)
_ASIDE = re.compile(r", (?:adding|saying|noting|citing|calling|conceding|despite|compared)\b")
_CLAUSE_SUBJECTS = words("he she they it we i you there this these those")
_BARE_CLAUSE_CUES = words(
    """
    said says say told tells thinks think believes believe believed thought argued argues claimed claims insisted
    insists added adds warned warns predicted predicts suggested suggests acknowledged acknowledges admitted admits
    wrote writes
    """
)
_SENTENCE_LEVEL_BEFORE = ":,—–-(：，"


@dataclass(frozen=True, slots=True)
class _Cues:
    """The cue patterns of one language."""

    cue: re.Pattern[str]  # a cue anywhere in a span
    lead: re.Pattern[str]  # a cue right at a position (group 1: the cue)
    according: frozenset[str]  # cues the speaker follows ("according to", "selon")
    lead_punct: re.Pattern[str]  # what may stand between a closing mark and the cue after it
    trailing: re.Pattern[str] | None = None  # a cue after the quote whose speaker stands before it (Japanese)


def _language_cues(rules: LanguageProfile) -> _Cues:
    """Cue patterns built from a language profile; no word boundaries in scripts written without spaces."""
    alternatives = "|".join(re.escape(c) for c in rules.cues)
    left, right = ("", "") if rules.unspaced else (r"(?<!\w)", r"(?!\w)")
    trailing = "|".join(re.escape(c) for c in rules.trailing_cues)
    return _Cues(
        cue=re.compile(left + "(?:" + alternatives + ")" + right, re.IGNORECASE),
        lead=re.compile("(" + alternatives + ")" + right, re.IGNORECASE),
        according=frozenset(rules.according),
        lead_punct=re.compile(r"[\s,，、،:：—–-]*"),
        trailing=re.compile(trailing) if trailing else None,
    )


_SHORT_ATTRIBUTION = 16  # characters: "“...。”外交部发言人毛宁说。" may follow a quote as its own sentence
_ENGLISH_CUES = _Cues(_CUE, _LEAD_CUE, frozenset({"according to"}), _LEAD_PUNCT)
_CUES = {code: _language_cues(rules) for code, rules in LANGUAGES.items() if rules.cues}  # built once, read-only


@dataclass(frozen=True, slots=True)
class _Attribution:
    mention: Mention | None
    cue: str


_Item = tuple[int, int, _Attribution | None, str]
_Found = tuple[int, int, _Attribution]


class _Finder:
    """One text's sentences and name mentions, and the speakers seen so far while reading it in order."""

    def __init__(
        self, text: str, sentences: Sequence[Sentence], entities: Sequence[Entity], language: str | None = None
    ) -> None:
        self.text = text
        self.sentences = sorted(sentences, key=lambda s: s.start)
        self.rules = profile(language)
        self.english = not self.rules.cues  # English, or a language without cue words of its own (read as English)
        self.cues = _ENGLISH_CUES if self.english else _CUES[self.rules.code]
        self.speakers = SpeakerFinder(text, self.sentences, entities, language)
        self.ends = "!?" if self.english else "!?。！？"  # a quote ending so may be attributed in the next sentence

    def run(self) -> list[Quote]:
        pieces = find_quoted_spans(self.text)
        for piece in pieces:
            self.speakers.mark_quoted(piece.start, piece.end)
        direct = self._direct(pieces)
        items: list[_Item] = [(p.start, p.end, a, "direct") for p, a in direct]
        items += self._indirect([p for p, _ in direct])
        items.sort(key=lambda item: item[0])
        return self._resolve(items)

    # -- sentences and mentions --

    def _cues(self, pattern: re.Pattern[str], start: int, end: int) -> Iterator[re.Match[str]]:
        """Cue matches in lowercase ("said"), or capitalized in a title-case headline ("Trump Says")."""
        for match in pattern.finditer(self.text, start, end):
            if self._cue_case(match.group(), match.start()):
                yield match

    def _cue_case(self, cue: str, pos: int) -> bool:
        """English cues are lowercase unless in a title-case headline; elsewhere not capitalised (caseless pass),
        except an "according to" cue, which often opens the sentence ("Selon la ministre, « ... »")."""
        if self.english:
            return cue[0].islower() or self._title_case(pos)
        return not cue[0].isupper() or cue.lower() in self.cues.according

    def _lead(self, pattern: re.Pattern[str], start: int, end: int) -> re.Match[str] | None:
        match = pattern.match(self.text, start, end)
        if match is None:
            return None
        if not self.english:
            return None if match.group(1)[0].isupper() else match
        if not (match.group(1)[0].islower() or self._title_case(start)):
            return None
        return match

    def _title_case(self, pos: int) -> bool:
        start, end = self.speakers.sentence_bounds(pos)
        words = re.findall(r"[A-Za-z]+", self.text[start:end])
        return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)

    def _direct(self, pieces: list[QuotedSpan]) -> list[tuple[QuotedSpan, _Attribution | None]]:
        result: list[tuple[QuotedSpan, _Attribution | None]] = []
        group_speaker: dict[int, _Attribution] = {}
        previous: tuple[QuotedSpan, _Attribution | None] | None = None
        for index, piece in enumerate(pieces):
            piece.start, piece.end = _trim_content(self.text, piece.start, piece.end)
            if piece.end <= piece.start or not self._sentence_level(piece):
                continue
            following = pieces[index + 1] if index + 1 < len(pieces) else None
            attribution = self._after(piece, following) or self._before(piece, previous)
            if attribution is None and piece.group is not None:
                attribution = group_speaker.get(piece.group)
            if attribution is None and previous is not None and self._continues(previous[0], piece):
                attribution = previous[1]
            words = len(_WORD.findall(self.text, piece.start, piece.end))
            if self.text[piece.open_pos] in "「『" or self.rules.unspaced:  # no spaces between words: characters
                words = (piece.end - piece.start) // 2
            if attribution is None and words < 3 and piece.group is None:
                continue
            if attribution is not None and piece.group is not None:
                group_speaker.setdefault(piece.group, attribution)
            result.append((piece, attribution))
            previous = (piece, attribution)
        return [(p, a if a or p.group is None else group_speaker.get(p.group)) for p, a in result]

    def _sentence_level(self, piece: QuotedSpan) -> bool:
        """A quote that starts a sentence or follows a colon, comma, dash or cue verb (not "called it “x”")."""
        if piece.group is not None or self.text[piece.open_pos] in "「『":
            return True
        if not self.english:
            return self._sentence_level_other(piece)
        sentence_start, _ = self.speakers.sentence_bounds(piece.open_pos)
        line_start = self.text.rfind("\n", 0, piece.open_pos) + 1
        before = self.text[max(sentence_start, line_start) : piece.open_pos].rstrip()
        if not before or before[-1] in _SENTENCE_LEVEL_BEFORE or before[-1] in QUOTE_CHARS:
            return True
        last = re.search(r"(\w+)\W*$", before)
        return last is not None and last.group(1).lower() in CUE_VERBS

    def _sentence_level_other(self, piece: QuotedSpan) -> bool:
        """`_sentence_level` in other languages: after punctuation (also "،") or right after one of its cues."""
        sentence_start, _ = self.speakers.sentence_bounds(piece.open_pos)
        line_start = self.text.rfind("\n", 0, piece.open_pos) + 1
        before = self.text[max(sentence_start, line_start) : piece.open_pos].rstrip()
        if not before or before[-1] in _SENTENCE_LEVEL_BEFORE + "،؛" or before[-1] in QUOTE_CHARS:
            return True
        return any(m.end() == len(before) for m in self.cues.cue.finditer(before, max(0, len(before) - 20)))

    def _continues(self, previous: QuotedSpan, piece: QuotedSpan) -> bool:
        """Whether `piece` goes on with the speaker of `previous` (same paragraph, or the next one)."""
        between = self.text[previous.close_end : piece.open_pos]
        if "\n" not in between:
            return True
        tail, _, gap = between.partition("\n")
        return not gap.strip() and len(_WORD.findall(tail)) <= 15

    def _after(self, piece: QuotedSpan, following: QuotedSpan | None) -> _Attribution | None:
        """“...,” Smith said / “...,” said Smith / “...,” the spokesman told reporters."""
        _, end = self.speakers.sentence_bounds(piece.close_end - 1)
        content_end = self.text[: piece.close_pos].rstrip()[-1:]
        if end <= piece.close_end and content_end in self.ends:  # “Stop!” / Smith said. (split by the splitter)
            following_end = self.speakers.sentence_bounds(_skip_space(self.text, piece.close_end, len(self.text)))[1]
            if self.english or following_end - piece.close_end <= _SHORT_ATTRIBUTION:  # "“...。”毛宁说。"
                end = following_end
        end = max(end, piece.close_end)
        if following is not None and self._sentence_level(following):
            end = min(end, following.open_pos)
        newline = self.text.find("\n", piece.close_end, end)
        end = newline if newline != -1 else end
        start = self.cues.lead_punct.match(self.text, piece.close_end, end).end()  # type: ignore[union-attr]
        if start >= end:
            return None
        if not self.english:
            return self._after_other(piece, start, end)
        lead = self._lead(_LEAD_CUE, start, end)
        if lead is None and content_end in ",!?—–-":
            lead = _LEAD_PAST.match(self.text, start, end)  # “...,” beamed Donald Hartley
        if lead:
            mention = self.speakers.mention_after(lead.end(), end)
            if mention is None or (mention.kind == "noun" and lead.group(1).lower() not in CUE_VERBS):
                return None
            return _Attribution(mention, lead.group(1).lower())
        cue = next(self._cues(_CUE, start, end), None)
        if cue is None and content_end in ",!?—–-":
            cue = _PAST_VERB.search(self.text, start, end)  # "“...,” Trump barked."
        if cue is None or len(TOKEN.findall(self.text, start, cue.start())) > self._subject_room(start):
            return None
        mention = self.speakers.subject(start, cue.start())
        return _Attribution(mention, cue.group().lower()) if mention else None

    def _after_other(self, piece: QuotedSpan, start: int, end: int) -> _Attribution | None:
        """`_after` in other languages: "„...“, sagte Scholz", "«...», — заявил Путин", "“...”，王毅表示",
        "首相は「...」と述べた" (the speaker stands before a trailing cue)."""
        trailing = self.cues.trailing.match(self.text, start, end) if self.cues.trailing else None
        if trailing is not None:
            sentence_start, _ = self.speakers.sentence_bounds(piece.open_pos)
            mention = self.speakers.first_person(sentence_start, piece.open_pos) or self.speakers.subject(
                sentence_start, piece.open_pos
            )
            return _Attribution(mention, trailing.group()) if mention else None
        lead = self._lead(self.cues.lead, start, end)
        if lead is not None:
            cue = lead.group(1).lower()
            inverted = "-t-" in cue  # "a-t-il déclaré devant l'Assemblée": the pronoun is the subject
            mention = (None if inverted else self.speakers.mention_after(lead.end(), end)) or self._implied(lead, cue)
            return _Attribution(mention, cue) if mention else None
        cue_match = next(self._cues(self.cues.cue, start, end), None)
        if cue_match is None or len(TOKEN.findall(self.text, start, cue_match.start())) > self._subject_room(start):
            return None
        if self.rules.unspaced and cue_match.start() - start > _SHORT_ATTRIBUTION:
            return None  # a cue far into the next clause attributes something else
        if self.text[_skip_space(self.text, cue_match.end(), end) : end][:1] in (":", "："):
            return None  # "“...。”她说：“...”": the cue introduces the next quote
        mention = self.speakers.subject(start, cue_match.start()) or self.speakers.mention_after(cue_match.end(), end)
        return _Attribution(mention, cue_match.group().lower()) if mention else None

    def _implied(self, cue: re.Match[str], word: str) -> Mention | None:
        """The subject a cue carries without a name: "a-t-il déclaré", or a dropped pronoun ("dijo", "وأضاف")."""
        if word in self.cues.according:
            return None
        inverted = re.search(r"-t-(il|elle)\b", cue.group(), re.IGNORECASE)
        if inverted:
            english = "he" if inverted.group(1).lower() == "il" else "she"
            return Mention(cue.start() + inverted.start(1), cue.start() + inverted.end(1), english, "pronoun")
        return Mention(cue.start(), cue.end(), "he", "pronoun")

    def _subject_room(self, start: int) -> int:
        """How many tokens may stand between a quote and its cue: more after "Name, <appositive>,"."""
        mention = self.speakers.mention_at(_skip_space(self.text, start, len(self.text)))
        return 45 if mention is not None and self.text[mention.end : mention.end + 1] == "," else 25

    def _before(
        self, piece: QuotedSpan, previous: tuple[QuotedSpan, _Attribution | None] | None
    ) -> _Attribution | None:
        """Smith said: “...” / ..., she added, “...” / according to Smith, “...”."""
        sentence_start, _ = self.speakers.sentence_bounds(piece.open_pos)
        line_start = self.text.rfind("\n", 0, piece.open_pos) + 1
        start = max(sentence_start, line_start)
        if previous is not None and start < previous[0].close_end <= piece.open_pos:
            start = previous[0].close_end
        end = piece.open_pos
        if not self.text[line_start:end].strip():  # a paragraph that opens with the quote: "Smith said:\n\n“..."
            colon = len(self.text[:line_start].rstrip())
            if colon == 0 or self.text[colon - 1] != ":":
                return None
            start, end = self.speakers.sentence_bounds(colon - 1)[0], colon
        cues = list(self._cues(self.cues.cue, start, end))
        if not cues or len(_WORD.findall(self.text, cues[-1].end(), end)) > 8:
            if self.text[start:end].rstrip().endswith(":"):  # "She then addressed the crowd: “...”"
                mention = self.speakers.first_subject(start, min(end, start + 40))
                return _Attribution(mention, ":") if mention else None
            return None
        cue = cues[-1]
        word = cue.group().lower()
        if not self.english:
            return self._before_other(cue, word, start, end)
        if word == "according to":
            mention = self.speakers.mention_after(cue.end(), end)
        elif word in _PARTICIPLES:
            mention = self.speakers.first_subject(start, cue.start())
        else:
            mention = self.speakers.subject(start, cue.start())
        return _Attribution(mention, word) if mention else None

    def _before_other(self, cue: re.Match[str], word: str, start: int, end: int) -> _Attribution | None:
        """`_before` in other languages: "Scholz sagte: „...“", "selon Macron, « ... »", "وقال الوزير: «...»"."""
        if word in self.cues.according:
            mention = self.speakers.mention_after(cue.end(), end)
        else:
            mention = (
                self.speakers.subject(start, cue.start())
                or self.speakers.mention_after(cue.end(), end)
                or self._implied(cue, word)
            )
        return _Attribution(mention, word) if mention else None

    # -- indirect attributions --

    def _indirect(self, direct: list[QuotedSpan]) -> list[_Item]:
        """One reported statement per sentence that holds no direct quote (English only)."""
        if not self.english:
            return []
        taken = bytearray(len(self.text) + 1)
        for piece in direct:
            taken[piece.open_pos : piece.close_end] = b"\x01" * (piece.close_end - piece.open_pos)
        items: list[_Item] = []
        for sentence in self.sentences:
            if any(taken[sentence.start : sentence.end]):
                continue
            start, end = sentence.start, _trim_end(self.text, sentence.start, sentence.end)
            item = self._according_to(start, end) or self._trailing(start, end) or self._leading(start, end)
            if item is not None and len(_WORD.findall(self.text, item[0], item[1])) >= 3:
                items.append((*item, "indirect"))
        return items

    def _according_to(self, start: int, end: int) -> _Found | None:
        """ "According to X, ..." and "..., according to X"."""
        match = _ACCORDING.search(self.text, start, end)
        if match is None:
            return None
        if not self.text[start : match.start()].strip(" \t“\"'"):
            comma = self.text.find(",", match.end(), end)
            if comma == -1 or len(TOKEN.findall(self.text, match.end(), comma)) > 12:
                return None
            mention = self.speakers.mention_after(match.end(), comma)
            content = _skip_space(self.text, comma + 1, end)
            return (content, end, _Attribution(mention, "according to")) if mention else None
        if (
            self.text[match.start() - 1 : match.start()] != " "
            or "," not in self.text[match.start() - 2 : match.start()]
        ):
            return None
        if len(TOKEN.findall(self.text, match.end(), end)) > 12:
            return None
        mention = self.speakers.mention_after(match.end(), end)
        content_end = _trim_end(self.text, start, match.start())
        return (start, content_end, _Attribution(mention, "according to")) if mention else None

    def _trailing(self, start: int, end: int) -> _Found | None:
        """ "..., sources said." / "..., said Smith." / "..., the spokesman told reporters."."""
        comma = self.text.rfind(",", start, end)
        if comma == -1 or len(TOKEN.findall(self.text, comma, end)) > 12:
            return None
        tail = _skip_space(self.text, comma + 1, end)
        lead = self._lead(_INDIRECT_LEAD, tail, end)
        if lead is not None:
            mention = self.speakers.mention_after(lead.end(), end)
            cue, rest = lead.group(1).lower(), mention.end if mention else end
        else:
            found = next(self._cues(_INDIRECT_CUE, tail, end), None)
            if found is None:
                return None
            mention, cue, rest = self.speakers.subject(tail, found.start()), found.group().lower(), found.end()
        if mention is None or mention.start < tail or not self._ends_clause(rest, end):
            return None
        return start, _trim_end(self.text, start, comma), _Attribution(mention, cue)

    def _ends_clause(self, pos: int, end: int) -> bool:
        """Whether only a short adverbial or appositive follows `pos` in the sentence ("said Smith, a lawyer.")."""
        rest = TOKEN.findall(self.text, pos, end)
        if "that" in rest:
            return False
        return len(rest) <= 4 or (bool(rest) and rest[0] == "," and len(rest) <= 14)

    def _leading(self, start: int, end: int) -> _Found | None:
        """ "Smith argued (that) ..." / "Officials told reporters that ..."."""
        for cue in self._cues(_INDIRECT_CUE, start, end):
            before = self.text[start : cue.start()]
            if _WH_BEFORE.search(before) or len(TOKEN.findall(before)) > 20:
                return None
            mention = self.speakers.subject(start, cue.start())
            if mention is None or self.text[mention.end : cue.start()].count(",") > 0 and mention.kind != "noun":
                continue
            content = self._content_after(cue, end)
            if content is not None:
                return content, _cut_clause(self.text, content, end), _Attribution(mention, cue.group().lower())
            return None
        return None

    def _content_after(self, cue: re.Match[str], end: int) -> int | None:
        """Where the reported clause starts after a cue: after "that", an object ("told reporters") or adverbs."""
        window = list(TOKEN.finditer(self.text, cue.end(), end))[:10]
        for token in window:
            if token.group() in (",", ";", ":", "(", ")"):
                break
            if token.group().lower() == "that":
                return _skip_space(self.text, token.end(), end)
        if cue.group().lower() not in _BARE_CLAUSE_CUES:  # "announced a plan" is no reported clause
            return None
        pos = _ADVERBIAL.match(self.text, cue.end(), end).end()  # type: ignore[union-attr]
        if cue.group().lower() in _OBJECT_CUES:
            obj = TOKEN.match(self.text, _skip_space(self.text, pos, end), end)
            if obj is None:
                return None
            mention = self.speakers.mention_at(obj.start())
            pos = _ADVERBIAL.match(self.text, mention.end if mention else obj.end(), end).end()  # type: ignore[union-attr]
        pos = _skip_space(self.text, pos, end)
        first = TOKEN.match(self.text, pos, end)
        if first is None:
            return None
        word = first.group()
        if word.lower() in _CLAUSE_SUBJECTS or word[0].isupper() or word[0].isdigit() or word.lower() in DETERMINERS:
            return pos
        return None

    # -- speaker mentions --

    def _resolve(self, items: list[_Item]) -> list[Quote]:
        quotes: list[Quote] = []
        resolved: dict[tuple[int, int], str | None] = {}
        last: dict[str, tuple[str, int]] = {}
        for start, end, attribution, kind in items:
            speaker, span, cue = None, None, None
            if attribution is not None:
                cue = attribution.cue
                mention = attribution.mention
                if mention is not None:
                    span = (mention.start, mention.end)
                    if span not in resolved:
                        resolved[span] = self.speakers.resolve(mention, last)
                    speaker = resolved[span]
                    if mention.kind != "pronoun" and speaker:
                        last[mention.kind] = last["any"] = (speaker, mention.start)
                        if mention.kind in ("person", "name"):
                            last["named"] = (speaker, mention.start)
            quotes.append(Quote(self.text[start:end], start, end, speaker, span, cue, kind))
        return quotes


def _cut_clause(text: str, start: int, end: int) -> int:
    """End a reported clause before a participle aside (", adding ...", ", citing ..."): a statement of its own."""
    cut = _ASIDE.search(text, start, end)
    return _trim_end(text, start, cut.start()) if cut else end


def _trim_end(text: str, start: int, end: int) -> int:
    """The end of a clause without its final punctuation and spaces."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!?"):
        end -= 1
    return end


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _trim_content(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace, and the comma or colon that belongs to the attribution, from quoted content."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end
