"""Sides: who argues what on the story's central question, grouped by stance.

The central question is a policy or conflict action the sources' headlines and summaries keep naming (`ACTIONS`:
ban, restrict, regulate, approve, repeal, strike, ...) applied to the story's most named subject. When the
sources name no such action the story has no central question and no sides are computed (an earthquake has no
sides); a source's own "Sides"/"Perspectives" section is still shown.

Each attributed statement (a quote or reported speech with a speaker, or a claim with a holder) is read against
the question: an evaluation of the action itself counts first ("banning it would be a mistake" is against a
restrictive action; "we must ban it" is for it); otherwise an evaluation of the subject counts, flipped for
restrictive actions ("open models are safer" argues against restricting them; "open weights pose a national
security risk" argues for it). Statements that evaluate neither are not placed on a side. The side labels are
built from the sources' own words: "For/Against" + the action as the sources write it + the subject.
"""

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from storyline.records import BriefItem, Evidence, Side
from storyline.synthesize.bundle import SourceArticle, StoryInput
from storyline.synthesize.candidates import report_end
from storyline.synthesize.words import stem

__all__ = ["ACTIONS", "CentralQuestion", "central_question", "find_sides"]

# Actions, as stems; True marks a restrictive action (against it = for the thing it restricts).
ACTIONS = {
    stem(word): restrictive
    for words, restrictive in (
        # "close", "pass" and "sign" are left out: as adjectives and in idioms they mislead more than they help.
        (
            "ban restrict regulate prohibit block outlaw sanction censor limit crackdown tariff lockdown shut cut"
            " deport impeach indict strike",
            True,
        ),
        ("approve legalize allow fund subsidize reopen expand merge acquire repeal", False),
    )
    for word in words.split()
}
_NEGATIVE = re.compile(
    r"\b(?:mistake|blunder|harm\w*|hurt\w*|stifl\w*|undermin\w*|backfir\w*|damag\w*|chill\w*|wrong\w*|overreach"
    r"|misguided|misdirection|lazy|danger\w*|risk\w*|threat\w*|fear\w*|catastroph\w*|disast\w*|costly|fail\w*"
    r"|monopol\w*|concentrat\w*|weapon\w*|bad actors?|attack\w*|collateral|flaw\w*|unsafe|insecure|opaque)\b",
    re.IGNORECASE,
)
_POSITIVE = re.compile(
    r"\b(?:benefi\w*|essential|vital|safe|safer|secure|transparen\w*|innovat\w*|competiti\w*|democratiz\w*"
    r"|best defen[cs]e|protect\w*|necessary|sensible|improv\w*|strength\w*|resilient|affordable|valu\w*"
    r"|pro-\w+|progress|freedom)\b",
    re.IGNORECASE,
)
_HARM = re.compile(
    r"\b(?:stifl|undermin|damag|hurt|harm|chill|threaten|kill|destroy|erod|weaken|crippl|starv|cut\w* off)\w*"
    r"(?:\s+[\w'’-]+){0,3}?\s+(?:innovat|competiti|educat|progress|growth|securit|freedom|democra|econom)\w*",
    re.IGNORECASE,
)
_OPPOSE = re.compile(r"\b(?:oppos\w*|criticiz\w*|critics?|push(?:es|ing)? back|against|reject\w*|defend\w*)\b", re.I)
_SUPPORT = re.compile(
    r"\b(?:support\w*|back(?:s|ed|ing)|call(?:s|ed)? for|urg\w*|favou?r\w*|advocat\w*|propon\w*)\b", re.I
)
_SIDES_HEADING = re.compile(r"^(?:sides|perspectives|viewpoints|where they stand|who'?s who|the debate)$", re.I)
_NOT_A_SIDE = re.compile(
    r"^(?:forecast|timeline|key points|why it matters|sources?|noise level|outlook|background)", re.I
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


@dataclass(frozen=True, slots=True)
class CentralQuestion:
    action: str  # the action's stem, e.g. "ban"
    restrictive: bool
    phrase: str  # how the sources write it, e.g. "banning open source AI"
    subject: str  # the most named subject, e.g. "open source AI"


def _action_stem(word: str) -> str:
    """The stem, reading a short plural as its singular too ("bans" -> "ban", which the stemmer keeps)."""
    root = stem(word)
    if root not in ACTIONS and word.endswith("s") and stem(word[:-1]) in ACTIONS:
        return stem(word[:-1])
    return root


def central_question(story: StoryInput, subject: str | None) -> CentralQuestion | None:
    """The action the sources keep naming, with the subject it is applied to; None when there is none."""
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for source in story.sources:
        lead = source.article.title + " " + _summary(source)
        for word in _WORD.findall(lead):
            key = _action_stem(word)
            if key in ACTIONS:
                counts[key] += 1
                forms.setdefault(key, Counter())[word.casefold()] += 1
    if not counts or counts.most_common(1)[0][1] < 2:
        return None
    action = counts.most_common(1)[0][0]
    written = forms[action].most_common(1)[0][0]
    subject = subject or ""
    return CentralQuestion(action, ACTIONS[action], f"{written} {subject}".strip(), subject)


def _summary(source: SourceArticle) -> str:
    summary = source.analysis.summary
    return source.article.text[summary.start : summary.end] if summary else ""


_NEUTRAL = re.compile(r"^(?:neutral|undecided|observers?|analysts?|others)\b", re.IGNORECASE)


def stance(text: str, question: CentralQuestion, speaker: str = "") -> int:
    """+1 for the action, -1 against it, 0 when the statement does not take a side.

    The speaker's description counts as part of the statement ("Critics of the ban", "Proponents of restriction").
    """
    if _NEUTRAL.match(speaker):
        return 0
    text = f"{speaker}: {text}" if speaker else text
    stems = [_action_stem(w) for w in _WORD.findall(text)]
    family = {a for a, restrictive in ACTIONS.items() if restrictive == question.restrictive}
    action_named = any(s in family or any(len(a) >= 5 and s.startswith(a) for a in family) for s in stems)
    opposed, supported = _OPPOSE.search(text) is not None, _SUPPORT.search(text) is not None
    if action_named and opposed != supported:
        return 1 if supported else -1
    harmed = len(_HARM.findall(text))  # "stifle innovation": harm done to something good
    negative = len(_NEGATIVE.findall(text)) + harmed
    positive = len(_POSITIVE.findall(text)) - harmed
    if negative == positive:
        return 0
    if action_named:
        return 1 if positive > negative else -1
    # The statement evaluates the subject: for a restrictive action, praise of the subject argues against it.
    toward_subject = 1 if positive > negative else -1
    return -toward_subject if question.restrictive else toward_subject


@dataclass
class _Position:
    actor: str
    item: BriefItem
    stance: int


def _positions(story: StoryInput, question: CentralQuestion) -> Iterator[_Position]:
    for source in story.sources:
        report = report_end(source)
        for quote in source.analysis.quotes:
            if not quote.speaker or quote.speaker_span is None or quote.speaker.casefold() in ("he", "she", "they"):
                continue
            if quote.start >= report:
                continue
            side = stance(quote.text, question, quote.speaker)
            if side:
                evidence = (
                    Evidence(source.article.id, quote.start, quote.end),
                    Evidence(source.article.id, *quote.speaker_span),
                )
                yield _Position(quote.speaker, BriefItem(quote.text, evidence, speaker=quote.speaker), side)


def _source_sides(story: StoryInput, question: CentralQuestion | None) -> Iterator[tuple[str, BriefItem, int]]:
    """A source's own sides section: each labelled entry, with the stance its text takes."""
    for source in story.sources:
        text = source.article.text
        heading = next(
            (m for m in re.finditer(r"^[^\n]+$", text, re.M) if _SIDES_HEADING.match(m.group().strip())), None
        )
        if heading is None:
            continue
        for section in source.article.sections:
            if section.start < heading.end():
                continue
            if _NOT_A_SIDE.match(section.heading):
                break
            body_start = section.start + len(section.heading)
            body = text[body_start : section.end]
            offset = body_start + len(body) - len(body.lstrip())
            item = BriefItem(
                body.strip(),
                (Evidence(source.article.id, offset, offset + len(body.strip())),),
                speaker=section.heading,
            )
            yield section.heading, item, stance(body, question, section.heading) if question else 0


def find_sides(story: StoryInput, subject: str | None) -> list[Side]:
    """Sides of the story's central question, each with its actors and their statements."""
    question = central_question(story, subject)
    groups: dict[int, list[_Position]] = {1: [], -1: [], 0: []}
    if question is not None:
        for position in _positions(story, question):
            groups[position.stance].append(position)
    for label, item, side in _source_sides(story, question):
        groups[side].append(_Position(label, item, side))
    sides = []
    for side, positions in groups.items():
        if not positions:
            continue
        actors = _distinct_actors([p.actor for p in positions])
        # each item names its holder as the side's list does ("the authors" and "The authors" are one holder)
        shown = {actor.casefold(): actor for actor in actors}
        items = tuple(
            replace(p.item, speaker=shown.get(p.item.speaker.casefold(), p.item.speaker)) if p.item.speaker else p.item
            for p in positions
        )
        sides.append(Side(_label(side, question), actors, _stance_line(side, question), items))
    return sides


def _distinct_actors(names: list[str]) -> tuple[str, ...]:
    """Each holder once, in first-seen order: writings that differ only in case are one ("The authors" / "the
    authors", a capitalised one kept), and a holder whose words begin another's is that one ("Critics" / "Critics of
    potential bans": the longer, fuller name stays, where the shorter was first seen)."""
    first: dict[str, str] = {}
    for name in names:
        seen = first.setdefault(name.casefold(), name)
        if name[:1].isupper() and not seen[:1].isupper():
            first[name.casefold()] = name  # a capitalised writing reads better in a list of holders
    words = {key: key.split() for key in first}

    def fuller(key: str) -> str:
        longer = [
            other
            for other in first
            if len(words[other]) > len(words[key]) and words[other][: len(words[key])] == words[key]
        ]
        return max(longer, key=lambda other: len(words[other])) if longer else key

    return tuple(dict.fromkeys(first[fuller(key)] for key in first))


def _label(side: int, question: CentralQuestion | None) -> str:
    if question is None or side == 0:
        return "Other positions" if question else "Positions as the sources present them"
    return f"{'For' if side > 0 else 'Against'} {question.phrase}"


def _stance_line(side: int, question: CentralQuestion | None) -> str:
    if question is None or side == 0:
        return "Statements that take no clear side on the question, as the sources label them."
    verb = "support" if side > 0 else "oppose"
    return f"These voices {verb} {question.phrase}."
