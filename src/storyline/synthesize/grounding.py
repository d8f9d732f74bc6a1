"""The grounding checker: every brief item cites spans that exist and that contain what the item says.

For each item (and each conflict value, side item, and credited source):
1. it has at least one Evidence span;
2. every span names an article of the story and lies inside its text;
3. every name, number and date written in the item's text occurs in the text of its spans, after normalization
   (NFKC, case-folded, quotes and dashes unified, possessive 's dropped, thousands separators removed, number
   words read as digits): names are capitalized words that are not sentence-initial function words, numbers are
   digit groups and number words, dates are month and weekday names and the numbers of the date;
4. a quote's or forecast's `speaker`, and a conflict's value, must occur in the spans too.

A failure is a `GroundingProblem` naming the section, the item and what is missing; nothing is dropped silently.
"""

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from storyline.records import Article, Brief, BriefItem, Evidence

__all__ = ["GroundingProblem", "check_grounding", "missing_across", "required_tokens", "text_words"]

_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
        " seventeen eighteen nineteen twenty".split()
    )
}
_MONTHS = set(
    "january february march april may june july august september october november december"
    " monday tuesday wednesday thursday friday saturday sunday".split()
)
_SCALES = {"hundred", "thousand", "million", "billion", "trillion", "percent", "per cent"}
# Capitalized words that start sentences or titles without being names.
_NOT_NAMES = set(
    """
    a an the this that these those it its he she they we i you his her their our my your there here what who why
    how when where which while if but and or so as at by for from in into of on to with without after before
    during over under since until about against between through across also yet still however meanwhile
    according although because despite though unless whether not no yes all some many most more much few
    each every both either neither one two three new why key
    """.split()
)
_TOKEN = re.compile(r"[^\W_]+(?:[.'’-][^\W_]+)*|\d[\d,.]*\d|\d")


@dataclass(frozen=True, slots=True)
class GroundingProblem:
    section: str  # key_points, timeline, conflicts ...
    index: int  # the item's position in its section
    message: str

    def __str__(self) -> str:
        return f"{self.section}[{self.index}]: {self.message}"


def _unify(text: str) -> str:
    """NFKC, one apostrophe, one double quote, one dash, no possessive 's, no thousands separators; case kept."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[’‘`´]", "'", text)
    text = re.sub(r"[“”«»„]", '"', text)
    text = re.sub(r"[‐‑‒–—―]", "-", text)
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"(?<=\d)[,\u202f\u00a0](?=\d{3}\b)", "", text)
    return " ".join(text.split())


def normalize(text: str) -> str:
    """Unified and case-folded. Case folding turns the Turkish dotted capital "İ" into "i" plus a combining
    dot, which no word pattern counts as a letter (so "İran" split into "i" and "ran" in one place and stayed
    whole in another): the dot is dropped, "İran" and "Iran" both become "iran"."""
    return _unify(text).casefold().replace("i\u0307", "i")


def text_words(text: str) -> set[str]:
    words = set()
    for token in _TOKEN.findall(normalize(text)):
        words.add(token)
        words.add(_NUMBER_WORDS.get(token, token))
        words.update(part for part in re.split(r"[-.']", token) if part)
    return words


def required_tokens(text: str) -> set[str]:
    """The names, numbers and dates an item's text commits to, as normalized tokens."""
    required = set()
    for sentence in re.split(r"(?<=[.!?:])\s+|\n+", _unify(text)):
        tokens = re.findall(r"[^\W_]+(?:[.'’-][^\W_]+)*|\d[\d,.]*\d|\d", sentence)
        for position, token in enumerate(tokens):
            plain = normalize(token).strip(".")
            if not plain:
                continue
            if any(c.isdigit() for c in plain) or plain in _NUMBER_WORDS or plain in _SCALES or plain in _MONTHS:
                required.add(_NUMBER_WORDS.get(plain, plain).rstrip(".,"))
            elif (
                token[0].isupper()
                and plain not in _NOT_NAMES
                and not (position == 0 and len(tokens) > 1 and plain in _NOT_NAMES)
            ):
                required.add(plain)
    return required


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f]\d+)*")
_MONTH_NUMBERS: dict[str, int] = {}
for _names in (
    "january february march april may june july august september october november december",  # en
    "januar februar märz april mai juni juli august september oktober november dezember",  # de
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",  # fr
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",  # es
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",  # it
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",  # pt
    "januari februari maart april mei juni juli augustus september oktober november december",  # nl
):
    for _index, _name in enumerate(_names.split(), start=1):
        _MONTH_NUMBERS.setdefault(_name, _index)


def _numbers(text: str) -> set[str]:
    values = set()
    for raw in _NUMBER.findall(text):
        digits = re.sub(r"[.,\u00a0\u202f](?=\d{3}\b)", "", raw)  # thousands separators
        values.add(digits.replace(",", "."))  # decimal comma
    return values


def _months(text: str) -> set[int]:
    return {_MONTH_NUMBERS[w] for w in _WORD.findall(text.casefold()) if w in _MONTH_NUMBERS}


def missing_across(text: str, evidence: str, language: str) -> set[str]:
    """Numbers, months and uncommon capitalized words of an item in another language than its spans."""
    missing = _numbers(text) - _numbers(evidence)
    missing |= {f"month {m}" for m in _months(text) - _months(evidence)}
    available = {w.casefold() for w in _WORD.findall(evidence)}
    for position, word in enumerate(_WORD.findall(text)):
        if not word[0].isupper() or word.casefold() in available or word.casefold() in _MONTH_NUMBERS:
            continue
        if position == 0 or _is_common(word.casefold(), language):
            continue
        missing.add(word)
    return missing


@lru_cache(maxsize=65536)
def _is_common(word: str, language: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, language) >= 4.0


def _span_text(spans: tuple[Evidence, ...], articles: Mapping[str, Article]) -> str:
    return " ".join(articles[s.article_id].text[s.start : s.end] for s in spans if s.article_id in articles)


def _check_spans(spans: tuple[Evidence, ...], articles: Mapping[str, Article]) -> Iterator[str]:
    if not spans:
        yield "no evidence"
    for span in spans:
        article = articles.get(span.article_id)
        if article is None:
            yield f"cites article {span.article_id}, which is not a source of this story"
        elif not 0 <= span.start < span.end <= len(article.text):
            yield f"span [{span.start}, {span.end}) lies outside article {span.article_id} ({len(article.text)} chars)"


def _check_item(
    text: str, spans: tuple[Evidence, ...], articles: Mapping[str, Article], also: tuple[str, ...] = ()
) -> list[str]:
    problems = list(_check_spans(spans, articles))
    if problems:
        return problems
    available = text_words(_span_text(spans, articles))
    missing = sorted(token for token in required_tokens(text) if token not in available)
    if missing:
        problems.append(f"not in its spans: {', '.join(missing)} (item: {text[:80]!r})")
    for name in also:
        absent = sorted(t for t in text_words(name) if t not in available and t not in _NOT_NAMES)
        if absent:
            problems.append(f"{name!r} is not in its spans")
    return problems


def _items(brief: Brief) -> Iterator[tuple[str, int, BriefItem]]:
    yield "headline", 0, brief.headline
    for section in ("summary", "key_points", "why_it_matters", "explainer", "timeline", "forecast", "quotes"):
        for index, item in enumerate(getattr(brief, section)):
            yield section, index, item
    for side_index, side in enumerate(brief.sides):
        for item in side.items:
            yield f"sides[{side_index}]", side_index, item


def check_grounding(brief: Brief, articles: Mapping[str, Article]) -> list[GroundingProblem]:
    """Every problem with the brief's evidence (an empty list means the brief is grounded)."""
    problems = []
    for section, index, item in _items(brief):
        speaker = (item.speaker,) if item.speaker and section in ("quotes", "forecast") else ()
        if brief.language and item.generated_by != "extractive":  # worded by a model in another language
            messages = list(_check_spans(item.evidence, articles))
            missing = missing_across(item.text, _span_text(item.evidence, articles), brief.language)
            if not messages and missing:
                messages.append(f"not in its spans: {', '.join(sorted(missing))} (item: {item.text[:80]!r})")
        else:
            messages = _check_item(item.text, item.evidence, articles, speaker)
        if not item.verified:
            messages.append("an unverified item")
        problems += [GroundingProblem(section, index, m) for m in messages]
    for index, conflict in enumerate(brief.conflicts):
        if len(conflict.values) < 2:
            problems.append(GroundingProblem("conflicts", index, "a conflict needs two or more values"))
        for value in conflict.values:
            messages = _check_item(value.value, value.evidence, articles, (value.value,))
            problems += [GroundingProblem("conflicts", index, m) for m in messages]
    for index, source in enumerate(brief.sources):
        if source.article_id is None:
            name = (source.outlet or "",) if source.outlet else ()
            messages = _check_item(source.outlet or "", source.evidence, articles, name)
            problems += [GroundingProblem("sources", index, m) for m in messages]
        elif source.article_id not in articles:
            problems.append(GroundingProblem("sources", index, f"article {source.article_id} is not in the story"))
        lineage = [*source.added, *(e for pair in source.reused for e in (pair.copy, pair.origin))]
        if lineage:  # what a copy or rewrite took from its origin and what it added: spans inside the sources
            problems += [GroundingProblem("sources", index, m) for m in _check_spans(tuple(lineage), articles)]
    return problems
