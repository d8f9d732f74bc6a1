"""Set-level lexical overlap for short statements (quotes, claims, events), on the stage's one notion of a
content word (`similarity.word_terms`: stop words dropped, light stemming)."""

from storyline.synthesize.similarity import stem, word_terms

__all__ = ["content_words", "overlap", "stem"]


def content_words(text: str) -> set[str]:
    """Stems of the content words of `text`."""
    return set(word_terms(text))


def overlap(one: set[str], other: set[str]) -> float:
    """Shared words over the smaller set's size: 1.0 when one text's words are all in the other."""
    if not one or not other:
        return 0.0
    return len(one & other) / min(len(one), len(other))
