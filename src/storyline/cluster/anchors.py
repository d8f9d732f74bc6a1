"""Language-independent anchors: names matched across scripts, numbers written the same in every language.

Two articles about one event in two languages share few words but many anchors: the people, places and
companies they name, and the numbers they report. This module turns both into tokens that agree across
languages and scripts, so that the word block of features.py can match them:

- name keys: a capitalised word (any script with case), or any word of a script without case (Arabic,
  Hebrew), is transliterated to ASCII (`anyascii`: "Путин" -> "Putin", "ترامب" -> "trmb") and reduced to a
  consonant skeleton (first letter, then consonants with voiced/unvoiced pairs folded and repeats collapsed):
  "Trump", "Трамп" and "ترامب" all give "trmb", "Biden", "Байден" and "بايدن" give "btn". Keys shorter than
  3 letters are dropped; stop words of the article's language are not names.
- numbers: digit groups with any thousands separator ("19,000", "19.000", "19 000") become "19000"; a single
  decimal separator becomes a point ("4,5" and "4.5" -> "4.5").
- CJK runs (Chinese, Japanese) have no spaces: they become character bigrams, so two Chinese texts share
  word tokens the way two English ones do. Latin-script names and numbers inside CJK text are found as usual.

Stop words per language are the 100 most frequent words of that language in `wordfreq` (English keeps the
Glasgow list of features.py, so the English path is unchanged).
"""

import functools
import re

from anyascii import anyascii

__all__ = ["CJK_CHARS", "cjk_bigrams", "is_cjk", "name_key", "name_keys", "normalize_number", "stop_words_for"]

# Voiced/unvoiced and spelling variants folded together, so transliterations of one name agree.
_FOLD = str.maketrans({"p": "b", "v": "f", "w": "f", "c": "k", "q": "k", "g": "k", "z": "s", "x": "s", "d": "t"})
_DIGRAPHS = (("ph", "f"), ("th", "t"), ("sh", "s"), ("ch", "k"), ("ck", "k"), ("kh", "k"))
CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"  # kana, CJK ideographs, Hangul (a class body)
_CJK = re.compile(f"[{CJK_CHARS}]")
_UNCASED_SCRIPTS = re.compile(r"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f]")  # Hebrew, Arabic
_NUMBER_PARTS = re.compile(r"[.,\u00a0\u202f ]")
STOP_WORD_COUNT = 100


def name_key(word: str) -> str:
    """The consonant skeleton of a name in any script ("" when nothing Latin is left)."""
    ascii_form = re.sub(r"[^a-z]", "", anyascii(word).lower())
    if not ascii_form:
        return ""
    for digraph, letter in _DIGRAPHS:
        ascii_form = ascii_form.replace(digraph, letter)
    folded = ascii_form.translate(_FOLD)
    skeleton = folded[0] + re.sub(r"[aeiouyhj]", "", folded[1:])
    return re.sub(r"(.)\1+", r"\1", skeleton)


def is_cjk(text: str) -> bool:
    """True when the text holds Chinese, Japanese or Korean characters."""
    return _CJK.search(text) is not None


def name_keys(words: list[str], stop_words: frozenset[str]) -> list[str]:
    """Name keys ("nk_" + skeleton) of the capitalised (or uncased-script) words that are not stop words."""
    out = []
    for word in words:
        first = word[0]
        if not (first.isupper() or _UNCASED_SCRIPTS.match(first)) or len(word) < 3:
            continue
        if word.lower() in stop_words or _CJK.search(word):
            continue
        key = name_key(word)
        if len(key) >= 3:
            out.append("nk_" + key)
    return out


def cjk_bigrams(run: str) -> list[str]:
    """Character bigrams of a CJK run (the run itself when it is one character)."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def normalize_number(value: str) -> str:
    """ "19,000" / "19.000" / "19 000" -> "19000"; "4,5" / "4.5" -> "4.5"; other text kept (lower-cased)."""
    head = re.match(r"\d+(?:[.,\u00a0\u202f ]\d+)*", value)
    if head is None:
        return value.lower()
    digits = head.group(0)
    parts = _NUMBER_PARTS.split(digits)
    if len(parts) > 1 and all(len(part) == 3 for part in parts[1:]):
        number = "".join(parts)
    elif len(parts) == 2:
        number = f"{parts[0]}.{parts[1]}"
    else:
        number = "".join(parts)
    return number + value[len(digits) :].lower()


@functools.cache
def stop_words_for(language: str) -> frozenset[str]:
    """The most frequent words of a language (wordfreq), lower-cased; empty for a language it does not know.

    Memoized: the lists are constant data (a few KB per language), read once per process.
    """
    import wordfreq

    if language not in wordfreq.available_languages():
        return frozenset()  # wordfreq would answer, with a warning, with the words of its nearest language (English)
    return frozenset(wordfreq.top_n_list(language, STOP_WORD_COUNT))
