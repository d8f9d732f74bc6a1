"""Sentence boundaries with character offsets.

Rules, in order:

* Blocks. A blank line always ends a sentence. A single newline ends one unless it is a soft wrap (a lowercase
  letter or comma before it, a lowercase letter after it). Each line of a list is its own sentence, and a
  leading bullet or list number (``-``, ``*``, ``•``, ``1.``, ``2)``, ``a)``) stays outside the sentence span.
* Inside a block, terminal punctuation (``. ! ? …`` and ``...``, plus any closing quotes and brackets after it)
  ends a sentence when whitespace and a plausible sentence start follow (an uppercase letter, a digit, an
  opening quote, a non-ASCII letter). So a sentence ends *after* its closing quote: ``He said “Go.” Then``.
* Not a boundary: a known abbreviation (``Mr.``, ``Sen.``, ``Calif.``), an initial (``J. Smith``), a numbering
  abbreviation before a number (``No. 3``, ``pp. 4``), a decimal (no space follows), a dotted acronym such as
  ``U.S.`` unless a common sentence-opening word follows (``the U.S. The``), a company suffix (``Inc.``) unless
  such a word follows, and an exclamation or question in quotes followed by its attribution
  (``“Stop!” Smith said.``).
* CJK full stops (``。！？．｡``), with any closing quotes and brackets after them (``」』”）》``), end a sentence
  with no space after them. The Arabic question mark and full stop (``؟ ۔``) and the Devanagari danda (``।``) end
  one like ``.``; an opening ``¿`` or ``¡`` may start the next sentence.
* Per language (`languages.profile`): in Chinese and Japanese a short clause with a cue verb after a closed quote
  stays in the quote's sentence (``“……！”毛宁说。``); its abbreviations do not end a sentence (``bzw.``,
  ``т.е.``); and in German a number with a period before a month name or a word such as ``Jahrhundert`` is an
  ordinal (``am 12. März``).
  Without a language, or in English, only the English rules above apply.
* Length. A sentence longer than `MAX_SENTENCE` characters (no real one comes near: the longest of ~47,000 in
  the evaluation corpora has 1,463) is cut at its last whitespace within the limit, or at the limit when it has
  none there, so that a text without punctuation does not reach the later steps as one huge sentence.

Every step is linear in the length of the text, hostile input included (one 5 MB paragraph splits in under a
second).
"""

import re
from collections.abc import Iterator

from storyline.analyze.languages import LanguageProfile, profile
from storyline.records import Sentence

__all__ = ["ABBREVIATIONS", "MAX_SENTENCE", "UNSPACED", "split_sentences", "word_length"]

# Scripts written without spaces between words, with the characters of an average word: Han and kana 2, Thai, Lao,
# Myanmar and Khmer 4 code points (the extractor's `word_count` counts the same way).
UNSPACED = (
    (re.compile("[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]"), 2),
    (re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]"), 4),
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ABBREVIATIONS = _words(
    """
    mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr adm gov sen rep pres rev hon fr messrs supt insp
    inc ltd co corp llc plc bros dept univ assn est
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    approx ca cf al vs v etc e.g i.e
    ave blvd rd hwy ft sq
    ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nev okla
    ore pa penn tenn tex va vt wash wis wyo
    """
)
# Abbreviations that precede a number ("No. 3", "pp. 12"); elsewhere the period ends the sentence.
_NUMBERING = _words("no nos vol vols p pp ch fig figs eq art sec para")
# Abbreviations that often end a sentence: a boundary when a sentence-opening word follows.
_CAN_END = _words("inc ltd co corp llc plc bros etc jr sr al")

MAX_SENTENCE = 5_000  # characters; longer spans are cut (see the module docstring)

_CLOSERS = "\"'”’»」』)]）》〉】〕"
_OPENERS = "\"'“‘«„「『([¿¡（《〈【〔"
# Possessive, and a run of ``.!?`` is only tried from its first character: a long run not followed by
# whitespace fails once, not once per start and backtracking step (which made "....." quadratic or worse).
_LATIN_END = re.compile(r"(?:(?<![.!?])[.!?]++|…|[؟۔।॥]++)[" + re.escape(_CLOSERS) + r"]*+(?=\s)")
# German-style quotes close with “ (and ‘): „Wir gehen.“ Dann ...
_LOW_QUOTE_END = re.compile(r"(?:(?<![.!?])[.!?]++|…)[" + re.escape(_CLOSERS + "“‘") + r"]*+(?=\s)")
_CJK_END = re.compile(r"[。！？!?．｡]+[" + re.escape(_CLOSERS) + r"]*")
_SHORT_CLAUSE = re.compile(r"[^。！？!?“「『\n]{1,12}[。！？]")
_CJK_CHARS = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_SPACES = re.compile(r"\s*")
_WORD = re.compile(r"[\w']+")
_UP_TO_LAST_SPACE = re.compile(r".*\s", re.DOTALL)
_SOFT_WRAP = re.compile(r"[a-z,;]\n(?=[a-z])")
_BULLET = re.compile(r"[ \t]*(?:[-*•·▪◦‣–—]|\(?\d{1,3}[.)]|\(?[a-z]\))[ \t]+")
_SPEECH = (
    r"(?:said|says|asked|asks|added|adds|told|tells|shouted|yelled|cried|exclaimed|replied|responded|wrote"
    r"|writes|tweeted|insisted|warned|declared|continued|joked|laughed)\b"
)
# After “...!” or “...?”: an attribution follows, so the sentence goes on ("“Stop!” Smith said.").
_ATTRIBUTION_AFTER = re.compile(
    r"(?:(?:[A-Z][\w.'’-]*|the|a|an|an?other|his|her|their)\s+){1,4}" + _SPEECH + r"|(?:He|She|They|I|We)\s+" + _SPEECH
)

_SENTENCE_STARTERS = frozenset(
    [
        "The",
        "A",
        "An",
        "It",
        "He",
        "She",
        "They",
        "We",
        "I",
        "This",
        "That",
        "These",
        "Those",
        "In",
        "On",
        "At",
        "But",
        "And",
        "Or",
        "So",
        "If",
        "When",
        "While",
        "As",
        "After",
        "Before",
        "Its",
        "His",
        "Her",
        "Their",
        "Our",
        "There",
        "Here",
        "What",
        "Who",
        "Why",
        "How",
        "Now",
        "Then",
        "Still",
        "Yet",
        "Meanwhile",
        "However",
    ]
)


def word_length(text: str) -> int:
    """Words in `text`, any script: space-separated tokens, plus characters of unspaced scripts per word.

    >>> word_length("市政府周二宣布投入三百亿元。"), word_length("The mayor spoke.")
    (7, 3)
    """
    spaced = text
    words = 0
    for pattern, chars_per_word in UNSPACED:
        spaced, characters = pattern.subn(" ", spaced)
        words += -(-characters // chars_per_word)
    return words + sum(1 for token in spaced.split() if any(c.isalnum() for c in token))


def split_sentences(text: str, language: str | None = None) -> list[Sentence]:
    """Return the sentences of `text` as offset spans, stripped of surrounding whitespace and list bullets.

    `language` (ISO 639-1) adds that language's abbreviations and ordinals; None or "en" splits as English.

    >>> text = "Mr. Smith left. He said “Go.” Then 3.5 hours passed."
    >>> [text[s.start:s.end] for s in split_sentences(text)]
    ['Mr. Smith left.', 'He said “Go.”', 'Then 3.5 hours passed.']
    """
    sentences: list[Sentence] = []
    rules = profile(language)
    for block_start, block_end in _blocks(text):
        bullet = _BULLET.match(text, block_start, block_end)
        start = bullet.end() if bullet else block_start
        for cut in _cuts(text, start, block_end, rules):
            _append(sentences, text, start, cut)
            start = cut
        _append(sentences, text, start, block_end)
    return sentences


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Yield [start, end) of line blocks; soft-wrapped lines stay in one block."""
    soft = {m.start() + 1 for m in _SOFT_WRAP.finditer(text) if not _BULLET.match(text, m.end())}
    start = 0
    for index, char in enumerate(text):
        if char == "\n" and index not in soft:
            yield start, index
            start = index + 1
    yield start, len(text)


def _cuts(text: str, start: int, end: int, rules: LanguageProfile) -> Iterator[int]:
    line = text[start:end]
    cuts: set[int] = set()
    for match in (_LOW_QUOTE_END if rules.low_quotes else _LATIN_END).finditer(line):
        if _is_boundary(line, match) and not _language_exception(line, match, rules):
            cuts.add(match.end())
    for match in _CJK_END.finditer(line):
        if _CJK_CHARS.search(match.group()) and not _cjk_attribution(line, match.end(), rules):
            cuts.add(match.end())
    for cut in sorted(cuts):
        yield start + cut


def _is_boundary(line: str, match: re.Match[str]) -> bool:
    """Whether terminal punctuation `match` ends a sentence, reading only the text near it (no copy of the rest)."""
    after = _skip_spaces(line, match.end())  # the first non-space character after the punctuation
    if after == len(line):
        return True
    first = line[after]
    if not (first.isupper() or first.isdigit() or first in _OPENERS or not first.isascii()):
        return False
    punct = match.group()
    if punct[-1] in _CLOSERS + "“‘" and ("!" in punct or "?" in punct) and _ATTRIBUTION_AFTER.match(line, after):
        return False
    if not punct.startswith(".") or punct.startswith(".."):
        return True
    word = _word_before(line, match.start())
    if not word:
        return True
    return _ends_after_word(word, line, after)


def _cjk_attribution(line: str, end: int, rules: LanguageProfile) -> bool:
    """After a quote closed by ``。”`` or ``！」``, a short clause with a cue verb is its attribution, so the sentence
    goes on: ``“我们欢迎投资！”毛宁说。`` is one sentence (as ``“Stop!” Smith said.`` is in English)."""
    if not rules.unspaced or line[end - 1 : end] not in _CLOSERS:
        return False
    clause = _SHORT_CLAUSE.match(line, end)  # from `end`, no copy of the rest of the line
    return clause is not None and any(cue in clause.group() for cue in rules.cues)


def _language_exception(line: str, match: re.Match[str], rules: LanguageProfile) -> bool:
    """Whether a boundary the English rules found is none in `rules`' language: an abbreviation or an ordinal."""
    if match.group() != "." or not (rules.abbreviations or rules.ordinals):
        return False
    word = _word_before(line, match.start())
    if word.lower() in rules.abbreviations:
        return True
    if word.isdigit() and len(word) <= 2 and rules.ordinals:
        following = _WORD.match(line, _skip_spaces(line, match.end()))
        return following is not None and following.group() in rules.ordinals
    return False


def _skip_spaces(text: str, position: int) -> int:
    """The first position at or after `position` that is not whitespace (`len(text)` if none)."""
    spaces = _SPACES.match(text, position)
    return spaces.end() if spaces else position  # `\s*` always matches


def _word_before(line: str, end: int) -> str:
    """The run of word characters and periods that ends at `end` ("" if none), found by walking back from `end`.

    The runs before two matches never overlap (whitespace follows every match), so a block costs linear time.
    """
    start = end
    while start > 0 and (line[start - 1].isalnum() or line[start - 1] in "_."):  # `[\w.]` of `re`
        start -= 1
    return line[start:end]


def _ends_after_word(word: str, line: str, after: int) -> bool:
    """Whether a period after `word` ends the sentence, given the text of `line` from `after` on."""
    lower = word.lower()
    if lower in _NUMBERING:
        return not line[after].isdigit()
    if lower in _CAN_END:
        return _starts_sentence(line, after)
    if lower in ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith"
        return False
    # "U.S." and other dotted acronyms end a sentence only before a clear new-sentence word.
    return not ("." in word and len(word) <= 5 and not _starts_sentence(line, after))


def _starts_sentence(line: str, position: int) -> bool:
    word = _WORD.match(line, position)
    return word is not None and word.group() in _SENTENCE_STARTERS


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    """Append the span [start, end) stripped of whitespace, cut into pieces of at most MAX_SENTENCE characters."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = _long_cut(text, start)
        _append(sentences, text, start, cut)
        start = _skip_spaces(text, cut)  # before `end`, which follows a non-space character
    if end > start:
        sentences.append(Sentence(start, end))


def _long_cut(text: str, start: int) -> int:
    """Where to cut an over-long sentence starting at `start`: its last whitespace within MAX_SENTENCE, else there."""
    limit = start + MAX_SENTENCE
    up_to_space = _UP_TO_LAST_SPACE.match(text, start + 1, limit + 1)  # one match: linear in MAX_SENTENCE
    return up_to_space.end() - 1 if up_to_space else limit
