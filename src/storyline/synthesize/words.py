"""Content words of a sentence, lightly stemmed, and their overlap: the lexical similarity the brief uses."""

import re

__all__ = ["content_words", "overlap", "stem"]

_WORD = re.compile(r"[^\W\d_][\w'’]*|\d[\d.,]*")
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of
    off on once only or other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours yourself yourselves said says say told
    one like even much many may might must shall upon via per within without across among amid around
    """.split()
)


def stem(word: str) -> str:
    """A light suffix strip: plurals, -ing, -ed, -ly, possessives ("banning" -> "ban", "bans" -> "ban")."""
    word = word.casefold().replace("’", "'").removesuffix("'s")
    for suffix in ("ions", "ion", "ings", "ing", "edly", "ed", "ies", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            if (
                suffix in ("ing", "ings", "ed", "edly")
                and len(word) > 3
                and word[-1] == word[-2]
                and word[-1] not in "lsz"
            ):
                word = word[:-1]
            return word
    return word


def content_words(text: str) -> set[str]:
    """Stems of the words of `text` that are not stop words."""
    return {stem(w) for w in _WORD.findall(text) if w.casefold() not in STOP_WORDS}


def overlap(one: set[str], other: set[str]) -> float:
    """Shared words over the smaller set's size: 1.0 when one text's words are all in the other."""
    if not one or not other:
        return 0.0
    return len(one & other) / min(len(one), len(other))
