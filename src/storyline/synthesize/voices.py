"""Headline, quotes and forecast of a brief: who says what, and who predicts what.

Headline: the title of the story's original article when lineage names one, else the title sharing the most
content words with the other titles. Quotes: direct quotes first (then indirect), named speakers first, the same
quote in several sources merged into one item citing each. Forecast: sentences with forward-looking cues
(`FORECAST_CUES`; "is likely to", "expected to", "we will see", "in the near term", "will"), scored higher inside a
source's own "Forecast"/"Outlook" section; the speaker is the quote's speaker when the sentence is attributed, and
the horizon is the time phrase of the sentence when it has one.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from storyline.records import Article, BriefItem, Evidence, Quote, Sentence
from storyline.synthesize.bundle import SourceArticle, StoryInput
from storyline.synthesize.candidates import line_key, report_end, stray_lines
from storyline.synthesize.page_marks import byline_prefix, headline_span, title_run_on
from storyline.synthesize.ties import settled
from storyline.synthesize.words import content_words, overlap

__all__ = ["FORECAST_CUES", "VoiceSettings", "forecasts", "headline", "story_quotes"]

FORECAST_CUES = re.compile(
    r"\b(?:is|are|was|were|seems?|appears?)\s+(?:increasingly\s+)?(?:likely|unlikely|expected|set|poised|projected"
    r"|forecast|slated|scheduled|due|bound|on track)\s+to\b"
    r"|\bwe\s+(?:will|expect to|are likely to)\s+see\b|\bpredict(?:s|ed|ion)?\b|\bforecasts?\b|\bexpects?\b"
    r"|\bin\s+the\s+(?:near|short|long|medium)\s+term\b|\bin\s+the\s+(?:coming|next)\s+(?:days|weeks|months|years)\b"
    r"|\bwill\s+(?!not\b)\w+|\bplans?\s+to\b|\bintends?\s+to\b|\bis\s+becoming\b",
    re.IGNORECASE,
)
_STRONG_CUE = re.compile(r"likely|expected|poised|projected|forecast|predict|we\s+will\s+see|term\b|coming|next", re.I)
_HORIZON = re.compile(
    r"\b(?:in\s+the\s+(?:near|short|long|medium)\s+term|in\s+the\s+(?:coming|next)\s+(?:few\s+)?(?:days|weeks"
    r"|months|years|decade)|(?:by|before|until|in)\s+(?:early\s+|late\s+|mid-?)?(?:19|20)\d\d|next\s+(?:week|month"
    r"|year|decade|quarter)|later\s+this\s+(?:week|month|year)|this\s+(?:year|decade)|soon|within\s+\w+\s+"
    r"(?:days|weeks|months|years))\b",
    re.IGNORECASE,
)
_FORECAST_SECTION = re.compile(
    r"^(?:forecast|outlook|what'?s\s+next|what\s+to\s+watch|looking\s+ahead|next\s+steps)", re.I
)
_PAST_REPORT = re.compile(r"\b(?:said|told|wrote|announced)\b", re.IGNORECASE)
_PRONOUNS = {"he", "she", "they", "we", "i", "it", "you"}


@dataclass(frozen=True, slots=True)
class VoiceSettings:
    max_quotes: int = 8
    max_forecasts: int = 5
    min_quote_words: int = 6
    duplicate_overlap: float = 0.6  # content-word overlap above which two quotes are the same quote


def headline(story: StoryInput, prefer: frozenset[int] = frozenset(), instead: BriefItem | None = None) -> BriefItem:
    """The story's headline: an original's title, else the most central title; cites every title like it.

    With `prefer` (indexes of sources in the language asked for, `--language`), the same rule runs among the
    titled sources of that set: their original's title, else their most central title. A title that is a stray
    line (`stray_lines`: a site's strip of other headlines that title-less records took for their title) is
    passed over; when every title is one, `instead` (the summary's first item) is the headline, if given.
    """
    sources = story.sources
    titles = [content_words(s.article.title) for s in sources]
    preferred = [i for i in sorted(prefer) if sources[i].article.title.strip()]

    def centrality(index: int) -> float:
        others = [overlap(titles[index], t) for j, t in enumerate(titles) if j != index]
        return sum(others) / len(others) if others else 0.0

    stray = stray_lines(story)
    spans = [_title_span(s.article) for s in sources]
    # what a title passed over shows when no other is left: the title after a byline run into it
    shown = [
        span or (byline_prefix(s.article.title), len(s.article.title)) for s, span in zip(sources, spans, strict=True)
    ]
    # a title that is a stray line (a site's strip of other headlines), or nothing but a page's stamp, is no
    # headline, while another is left
    on_topic = [
        i for i in range(len(sources)) if line_key(sources[i].article.title) not in stray and spans[i] is not None
    ]
    if not on_topic and instead is not None:
        return instead
    among = [i for i in preferred if i in on_topic] or preferred or on_topic or range(len(sources))
    originals = [i for i in among if sources[i].member.role == "original"]
    best = max(originals or among, key=lambda i: settled(centrality(i)))  # ties: the first source
    chosen = sources[best]
    start, end = shown[best]
    evidence = [Evidence(chosen.article.id, start, end)]
    evidence += [
        Evidence(s.article.id, *shown[i]) for i, s in enumerate(sources) if i != best and titles[i] == titles[best]
    ]
    return BriefItem(chosen.article.title[start:end], tuple(evidence), support=len(evidence))


def _title_span(article: Article) -> tuple[int, int] | None:
    """`headline_span` of the article's title; a derived title (the first line of a title-less record) also ends
    where its sentence runs into the next one (`run_on_cut`)."""
    span = headline_span(article.title)
    if span is None:
        return None
    cut = title_run_on(article, *span)
    return span if cut is None else (span[0], cut)


def story_quotes(
    story: StoryInput, settings: VoiceSettings = VoiceSettings(), prefer: frozenset[int] = frozenset()
) -> list[BriefItem]:
    """Distinct quotes with speakers, most informative first; one item per quote, citing every source of it.

    Direct quotes come before indirect ones; within each kind, quotes first found in a `prefer` source
    (`--language`) come first."""
    merged: list[tuple[Quote, list[Evidence], set[str], str | None]] = []
    later: list[bool] = []  # per merged quote: sources are preferred and its own is not
    words: list[set[str]] = []  # content words of each merged quote, computed once
    holding: dict[str, list[int]] = {}  # word -> merged quotes holding it: only those can be twins
    for index, source in enumerate(story.sources):
        report = report_end(source)
        for quote in source.analysis.quotes:
            if len(quote.text.split()) < settings.min_quote_words or quote.start >= report:
                continue
            speaker, speaker_span = _speaker_evidence(source, quote)
            spans = [Evidence(source.article.id, quote.start, quote.end), *speaker_span]
            own = content_words(quote.text)
            candidates = sorted({i for word in own for i in holding.get(word, ())})
            twin = next((i for i in candidates if overlap(words[i], own) >= settings.duplicate_overlap), None)
            if twin is None:
                merged.append((quote, spans, {_independent_id(source)}, speaker))
                later.append(bool(prefer) and index not in prefer)
                words.append(own)
                for word in own:
                    holding.setdefault(word, []).append(len(words) - 1)
            else:
                merged[twin][1].extend(spans)
                merged[twin][2].add(_independent_id(source))
    order = sorted(
        range(len(merged)),
        key=lambda i: (
            merged[i][0].kind != "direct",
            later[i],
            merged[i][3] is None,
            -len(merged[i][2]),
            merged[i][0].start,
        ),
    )
    return [
        BriefItem(quote.text, tuple(spans), support=len(support), speaker=speaker)
        for quote, spans, support, speaker in (merged[i] for i in order[: settings.max_quotes])
    ]


def _independent_id(source: SourceArticle) -> str:
    """Copies count as their original: support is counted in independent sources."""
    if source.member.role == "syndicated_copy" and source.member.derived_from:
        return source.member.derived_from[0]
    return source.article.id


def _speaker_evidence(source: SourceArticle, quote: Quote) -> tuple[str | None, list[Evidence]]:
    """The speaker's name and a span where the text names them (the mention, or the nearest earlier full name)."""
    if not quote.speaker or quote.speaker.casefold() in _PRONOUNS:
        return None, []
    text, article = source.article.text, source.article.id
    spans = []
    if quote.speaker_span is not None:
        start, end = quote.speaker_span
        if quote.speaker.casefold() in text[start:end].casefold():
            return quote.speaker, [Evidence(article, start, end)]
        if _names_match(text[start:end], quote.speaker):
            spans.append(Evidence(article, start, end))  # "Obama": the full name is cited from where it stands
    position = text.rfind(quote.speaker, 0, quote.start)
    if position < 0:
        position = text.find(quote.speaker)
    if position < 0:
        return (text[spans[0].start : spans[0].end], spans) if spans else (None, [])
    return quote.speaker, [*spans, Evidence(article, position, position + len(quote.speaker))]


def _names_match(mention: str, name: str) -> bool:
    words = set(mention.casefold().split())
    return bool(words) and words <= set(name.casefold().split())


def forecasts(
    story: StoryInput, settings: VoiceSettings = VoiceSettings(), prefer: frozenset[int] = frozenset()
) -> list[BriefItem]:
    """Forward-looking statements, each with its speaker (when attributed) and horizon (when stated); those of
    `prefer` sources (`--language`) first."""
    found: list[tuple[bool, float, BriefItem]] = []
    seen: list[set[str]] = []
    for index, source in enumerate(story.sources):
        for sentence, score in _forward_sentences(source):
            words = content_words(source.sentence_text(sentence))
            if any(overlap(words, other) >= 0.6 for other in seen):
                continue
            seen.append(words)
            found.append((bool(prefer) and index not in prefer, score, _forecast_item(source, sentence)))
    found.sort(key=lambda entry: (entry[0], -entry[1]))
    return [item for _, _, item in found[: settings.max_forecasts]]


def _forward_sentences(source: SourceArticle) -> Iterator[tuple[Sentence, float]]:
    forecast_sections = [s for s in source.article.sections if _FORECAST_SECTION.match(s.heading)]
    title_end, report = len(source.article.title), report_end(source)
    for sentence in source.analysis.sentences:
        if sentence.start >= report:
            break
        text = source.sentence_text(sentence)
        cues = FORECAST_CUES.findall(text)
        if sentence.start < title_end or not cues or text.endswith("?") or len(text.split()) < 6:
            continue
        in_section = any(s.start <= sentence.start < s.end for s in forecast_sections)
        score = len(cues) + 2 * bool(_STRONG_CUE.search(" ".join(cues))) + 3 * in_section
        score -= 1 if _PAST_REPORT.search(text) and not in_section else 0
        if score >= 2:
            yield sentence, score


def _forecast_item(source: SourceArticle, sentence: Sentence) -> BriefItem:
    text = source.sentence_text(sentence)
    evidence = [Evidence(source.article.id, sentence.start, sentence.end)]
    speaker = None
    for quote in source.analysis.quotes:
        if quote.start < sentence.end and sentence.start < quote.end and quote.speaker:
            speaker, spans = _speaker_evidence(source, quote)
            evidence += spans
            break
    horizon = _HORIZON.search(text)
    return BriefItem(text, tuple(evidence), speaker=speaker, horizon=horizon.group() if horizon else None)
