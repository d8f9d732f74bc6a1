"""Lineage inside a story: which article is the original, a syndicated copy, a derivative rewrite or an
independent report, which earlier articles each one derives from (`derived_from`), how sure that is and why.

Direct quotes (from the analysis) are left out of both fingerprints: two outlets quoting one statement is no
evidence that one copied the other.

Evidence used, per ordered pair (earlier p, later m); "earlier" means an earlier `published` time, and arrival
order when a time is unknown (undated articles sort after dated ones):
- sentence reuse: m's sentences (>= 4 words, normalized: lower-cased words) found verbatim in p, and whether
  they keep p's order; `shingle containment`: the share of m's 5-word shingles found in p (MinHash estimate);
- copy: m adds almost nothing to p: its edits (sentences not in p, plus p's sentences cut from between the
  first and the last it keeps) are at most max(2, 10 %) of its sentences, the kept ones keep p's order, and
  its shingle containment in p is >= `copy_containment` -> m is a `syndicated_copy` of p's root. A sign-off
  line, a dateline or a trimmed ending keeps a copy a copy; a republication credit ("(Reuters) -", "originally
  appeared in") does too, but a text saying p "first reported" the story is a rewrite of p, never a copy (of p
  or of anything else);
- rewrite: m reuses p (>= 2 of its sentences, or >= `derivative_containment` of its shingles), or m's credit
  lines name p's outlet or one of p's authors, or both carry the same long title (>= 5 words) and both dates
  are known with p's earlier -> m is a `derivative` of p (a reworded, reordered, cut or extended text);
- a credit line to a source that is not in the story also makes m a `derivative` (of a credited upstream), or a
  `syndicated_copy` of it when the line says m runs that source's text: a wire dateline ("WASHINGTON (AP) -"),
  "originally appeared in", "republished from" (a paper running a wire story). Copies of such an article under
  other outlets are copies of the article, which is itself a copy of the wire.
- weaker links from what a text says about itself: an undated article with a dated one's long title and one of
  its figures derives from it; an article crediting a source outside the story derives from the earliest dated
  member giving `PROXY_FIGURES` of its figures (that source's text under another name); an article flagged as
  resting on unnamed sources (`UNSOURCED_FLAGS`) derives from the earliest dated member giving one of its figures.
Without sentence fingerprints (a state written before they existed) a copy is a MinHash Jaccard >= 0.6.
An article with none of these is a root: roots that others derive from are `original`; when nothing derives
from any root, the earliest dated root is `original` and the other roots are `independent` reports (with no
dates at all, nobody can be shown to be first, and every root is `independent`).

Each derived member also gets a confidence (0..1) and the basis in words ("credits Wire; 9 of 12 sentences
from a1b2c3 (reordered)"): a credit plus reuse 0.95, reuse alone 0.5 + containment / 2 (at most 0.9), a credit
alone 0.8, a shared title alone 0.6, an outside credit linked by figures 0.6, unnamed sources 0.5; copies their
share of sentences found in the origin.
"""

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.records import Analysis

__all__ = [
    "Lineage",
    "LineageInput",
    "Shingler",
    "assign_roles",
    "quote_spans",
    "sentence_hashes",
    "title_key",
    "without_spans",
]

SHINGLE_WORDS = 5
LSH_ABOVE = 256  # stories with more members find copy candidates through MinHashLSH
SEED = 7
SCHEME = "affine32"
ORIGINAL, COPY, DERIVATIVE, INDEPENDENT = "original", "syndicated_copy", "derivative", "independent"
WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"(?<=[.!?…。！？])[\"'”’)\]]*\s+|\n\s*\n")  # a lone newline is a wrapped line
MIN_SENTENCE_WORDS = 4
LEGACY_COPY_JACCARD = 0.6
UNSHARED = 0.3  # share of an article's word sequences found in another, with no whole sentence shared: a rewrite
TITLE_REUSE = 0.05  # a same-title article must also share this much of its word sequences (or a figure) to be derived
# Extractor flags of a text that says it rests on sources it does not name: an "AI-generated" disclaimer, a
# "Sources:" heading with nothing under it (a rewriting template's empty slot).
UNSOURCED_FLAGS = {
    "ai_generated_disclosure": "says it is AI-generated",
    "empty_source_list": "has an empty source list",
}
# A translation keeps every figure and name of its origin and adds none: two texts in different languages, the
# later one a translation when they share >= TRANSLATION_ANCHORS figures and names and that is >= TRANSLATION_SHARE
# of each text's own (independent reports in two languages share the event's figures, not all of both texts').
TRANSLATION_ANCHORS = 4
TRANSLATION_SHARE = 0.6
# ... or when their multilingual sentence vectors (USE multilingual v3, title + lead) reach this cosine: on the
# SemEval-2022 Task 8 pairs in two languages, none of 383 (82 of them rated the same story) reaches 0.85 (the
# highest 0.82), while a translation scores about 0.87 (docs/clustering.md).
TRANSLATION_COSINE = 0.85
PROXY_FIGURES = 2  # figures an article crediting an outside source must share with an earlier one to be linked to it


# datasketch's "affine32" MinHash (datasketch >= 2.0), computed here so that clustering does not import
# datasketch (0.2 s: its package imports scipy.integrate) unless a story is large enough for MinHashLSH. Each
# 32-bit CRC of a shingle is pre-mixed with the MurmurHash3 finalizer, then permuted as a * h + b modulo 2^32
# with odd a; a and b are datasketch's, drawn from RandomState(seed). tests/test_cluster_lineage.py checks the
# signatures against datasketch's own, value for value.
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def _permutations(num_perm: int, seed: int) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(values: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    s1, m1, s2, m2, s3 = _FMIX32
    values = values ^ (values >> s1)
    values = values * m1
    values = values ^ (values >> s2)
    values = values * m2
    return values ^ (values >> s3)


class Shingler:
    """MinHash signatures of 5-word shingles, with permutations shared by every signature it makes."""

    def __init__(self, num_perm: int = 128, seed: int = SEED) -> None:
        self.num_perm = num_perm
        self.seed = seed
        self._a, self._b = _permutations(num_perm, seed)

    def signature(self, text: str) -> tuple[npt.NDArray[np.uint64], int]:
        """(hash values, number of distinct shingles) of a text."""
        words = WORD.findall(text.lower())
        shingles = {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(max(1, len(words) - 4))}
        # never empty: a text of under five words is one shingle (an empty text the empty one)
        hashes = _fmix32(np.array([zlib.crc32(shingle) for shingle in shingles], np.uint32)).reshape(-1, 1)
        with np.errstate(over="ignore"):
            permuted = hashes * self._a + self._b  # wraps modulo 2^32, as intended
        return permuted.min(axis=0).astype(np.uint64), len(shingles)


def sentence_hashes(text: str, quoted: Sequence[tuple[int, int]] = ()) -> npt.NDArray[np.uint32]:
    """CRC-32 of each sentence of >= 4 words (lower-cased words joined by spaces), in text order; sentences at
    least half inside `quoted` spans (direct quotes) are left out."""
    hashes = []
    start = 0
    for boundary in [*SENTENCE_END.finditer(text), None]:
        end = boundary.start() if boundary else len(text)
        words = WORD.findall(text[start:end].lower())
        inside = sum(max(0, min(end, b) - max(start, a)) for a, b in quoted)
        if len(words) >= MIN_SENTENCE_WORDS and inside * 2 < end - start:
            hashes.append(zlib.crc32(" ".join(words).encode()))
        start = boundary.end() if boundary else end
    return np.array(hashes, np.uint32)


def quote_spans(analysis: Analysis | None) -> list[tuple[int, int]]:
    """The spans of an article's direct quotes (content without the marks)."""
    return [(q.start, q.end) for q in analysis.quotes if q.kind == "direct"] if analysis else []


def without_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text with the characters of `spans` blanked (offsets outside them unchanged)."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (min(end, len(text)) - start) if start < len(text) else []
    return "".join(chars)


@dataclass(frozen=True, slots=True)
class LineageInput:
    """What lineage needs of one story member."""

    article_id: str
    order: tuple[float, int]  # (published as epoch days, or +inf when unknown; arrival sequence)
    minhash: npt.NDArray[np.uint64]
    shingles: int
    outlet: str | None
    authors: tuple[str, ...]
    title_key: str  # normalized title
    credited: tuple[str, ...]  # lower-cased names the article credits
    sentences: npt.NDArray[np.uint32] | None = None  # `sentence_hashes` of the text (None: not known)
    reported: tuple[str, ...] = ()  # lower-cased names it says first reported the story ("as first reported by")
    republished: tuple[str, ...] = ()  # lower-cased names whose text it says it runs (a wire dateline, "originally
    # appeared in", "republished from")
    figures: frozenset[int] = frozenset()  # hashed number mentions ("90%", "$8 trillion"; features.extract_numbers)
    unsourced: str = ""  # an UNSOURCED_FLAGS flag: the text says it rests on sources it does not name
    language: str | None = None  # ISO 639-1 code of the text
    names: frozenset[int] = frozenset()  # hashed name keys, the same across scripts (anchors.name_keys)
    crosslingual: npt.NDArray[np.float32] | None = None  # unit multilingual sentence vector of title + lead


@dataclass(frozen=True, slots=True)
class Lineage:
    """What lineage decided for one member."""

    role: str
    derived_from: tuple[str, ...] = ()
    confidence: float = 0.0  # 0 for roots
    basis: str = ""  # the evidence in words


@dataclass(frozen=True, slots=True)
class _Reuse:
    shared: int  # m's sentences found in p
    total: int  # m's sentences
    reordered: bool  # the shared sentences appear in p in another order
    jaccard: float  # MinHash Jaccard of the two shingle sets
    containment: float  # share of m's shingles in p (MinHash estimate)
    dropped: int = 0  # p's sentences missing between the first and the last that m shares (a cut in the middle)

    @property
    def edits(self) -> int:
        """Sentences m adds or rewords, and sentences it cuts from the middle of p."""
        return self.total - self.shared + self.dropped


def _lean(hashvalues: npt.NDArray[np.uint64]) -> Any:
    from datasketch import LeanMinHash  # type: ignore[import-untyped]

    return LeanMinHash(seed=SEED, hashvalues=hashvalues, scheme=SCHEME)


def _jaccard(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> float:
    return float(np.mean(a == b))


def _containment(m: LineageInput, p: LineageInput, jaccard: float) -> float:
    shared = jaccard * (m.shingles + p.shingles) / (1.0 + jaccard)
    return shared / max(m.shingles, 1)


def _names(p: LineageInput) -> set[str]:
    return {n.lower() for n in (p.outlet, *p.authors) if n}


def _credits_parent(m: LineageInput, p: LineageInput) -> bool:
    """m's credit lines name p's outlet or one of p's authors."""
    return bool(_names(p) & set(m.credited))


def _translation(member: LineageInput, parent: LineageInput) -> str:
    """The evidence in words when `member` reads as a translation of `parent`, else ""."""
    if not member.language or not parent.language or member.language == parent.language:
        return ""
    if member.crosslingual is not None and parent.crosslingual is not None:
        cosine = float(member.crosslingual @ parent.crosslingual)
        if cosine >= TRANSLATION_COSINE:
            return f"multilingual sentence-vector cosine {cosine:.2f} of title and lead"
    mine, theirs = member.figures | member.names, parent.figures | parent.names
    shared = len(mine & theirs)
    if shared >= TRANSLATION_ANCHORS and shared >= TRANSLATION_SHARE * max(len(mine), len(theirs)):
        return f"{shared} figures and names in common, few of either text's own"
    return ""


def _figures_phrase(count: int) -> str:
    return "the same figure" if count == 1 else f"the same {count} figures"


def _figure_source(
    member: LineageInput, earlier: Sequence[LineageInput], copy_root: dict[int, int], figures: int
) -> tuple[int, str] | None:
    """For an article crediting a source that is not in the story (or naming none): the earliest dated earlier
    article (not a copy) that gives at least `figures` of the same figures, with the basis words for the link,
    or None. Such an article is most likely the credited source's text under another name (a co-published
    op-ed, a syndicated version), so the credit is shown as a link to it."""
    for index, parent in enumerate(earlier):
        if index in copy_root or parent.order[0] == float("inf"):
            continue
        shared = len(member.figures & parent.figures)
        if shared >= figures:
            return index, f"{_figures_phrase(shared)} as {parent.article_id}, published earlier"
    return None


def _copy_candidates(members: Sequence[LineageInput], num_perm: int, jaccard_floor: float) -> list[list[int]]:
    """For each member, the earlier members whose MinHash Jaccard reaches `jaccard_floor` (every pair up to
    LSH_ABOVE members, one numpy pass; larger stories take their candidates from a MinHashLSH index first)."""
    if len(members) <= LSH_ABOVE:
        signatures = np.stack([m.minhash for m in members])
        agreement = (signatures[:, None, :] == signatures[None, :, :]).mean(axis=2)
        return [np.flatnonzero(agreement[i, :i] >= jaccard_floor).tolist() for i in range(len(members))]
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=jaccard_floor, num_perm=num_perm)
    for index, member in enumerate(members):
        lsh.insert(str(index), _lean(member.minhash))
    return [
        sorted(
            o
            for c in lsh.query(_lean(m.minhash))
            if (o := int(c)) < i and _jaccard(m.minhash, members[o].minhash) >= jaccard_floor
        )
        for i, m in enumerate(members)
    ]


def _reuse(m: LineageInput, p: LineageInput, p_positions: dict[int, int] | None) -> _Reuse:
    jaccard = _jaccard(m.minhash, p.minhash)
    containment = _containment(m, p, jaccard)
    if m.sentences is None or p_positions is None:
        return _Reuse(0, 0, False, jaccard, containment)
    positions = [p_positions[h] for h in m.sentences.tolist() if h in p_positions]
    reordered = any(b < a for a, b in zip(positions, positions[1:], strict=False))
    dropped = max(0, max(positions) - min(positions) + 1 - len(set(positions))) if positions else 0
    return _Reuse(len(positions), len(m.sentences), reordered, jaccard, containment, dropped)


def _is_copy(reuse: _Reuse, copy_containment: float) -> bool:
    if reuse.total == 0:  # no sentence fingerprint (older state) or no sentence of 4 words
        return reuse.jaccard >= LEGACY_COPY_JACCARD
    return (
        reuse.shared > 0
        and reuse.edits <= max(2, int(0.1 * reuse.total))
        and not reuse.reordered
        and reuse.containment >= copy_containment
    )


def _positions(member: LineageInput) -> dict[int, int] | None:
    if member.sentences is None:
        return None
    positions: dict[int, int] = {}
    for index, value in enumerate(member.sentences.tolist()):
        positions.setdefault(value, index)
    return positions


def _describe(
    p: LineageInput, reuse: _Reuse, credited: bool, reused: bool = True, when: str = "published later"
) -> str:
    parts = [f"credits {p.outlet or ', '.join(p.authors)}"] if credited else []
    if reused and reuse.shared:
        order = " (reordered)" if reuse.reordered else ""
        parts.append(f"{reuse.shared} of {reuse.total} sentences from {p.article_id}{order}")
    elif reused:
        parts.append(f"{reuse.containment:.0%} of its word sequences in {p.article_id}")
    return "; ".join(parts) or f"same title as {p.article_id}, {when}"


def assign_roles(
    members: Sequence[LineageInput],
    copy_containment: float = 0.75,
    derivative_containment: float = 0.12,
) -> dict[str, Lineage]:
    """Role, derived_from ids, confidence and basis for every member, keyed by article id."""
    ordered = sorted(members, key=lambda m: m.order)
    num_perm = len(ordered[0].minhash) if ordered else 128
    candidates = _copy_candidates(ordered, num_perm, jaccard_floor=0.3)
    positions = [_positions(m) for m in ordered]
    result: dict[str, Lineage] = {}
    copy_root: dict[int, int] = {}
    has_children: set[int] = set()
    roots: list[int] = []
    for index, member in enumerate(ordered):
        reported = set(member.reported)
        rewrites = reported and any(_names(ordered[e]) & reported for e in range(index))  # "first reported by p"
        for earlier in [] if rewrites else candidates[index]:
            reuse = _reuse(member, ordered[earlier], positions[earlier])
            if _is_copy(reuse, copy_containment):
                root = copy_root.get(earlier, earlier)
                copy_root[index] = root
                has_children.add(root)
                share = reuse.shared / reuse.total if reuse.total else _jaccard(member.minhash, ordered[root].minhash)
                basis = _describe(ordered[earlier], reuse, False)
                result[member.article_id] = Lineage(COPY, (ordered[root].article_id,), round(share, 2), basis)
                break
        if index in copy_root:
            continue
        found = []
        for earlier in range(index):
            if earlier in copy_root:
                continue
            parent = ordered[earlier]
            credited = _credits_parent(member, parent)
            reuse = _reuse(member, parent, positions[earlier])
            # Shared word sequences alone (fewer than two sentences taken whole) are weak evidence: two reports
            # quoting the same statement, or one wire sentence, share them. They count from `UNSHARED` up; with
            # two sentences taken whole, from `derivative_containment`.
            reused = reuse.containment >= (
                derivative_containment if reuse.shared >= 2 or not reuse.total else UNSHARED
            ) or (reuse.shared >= 2 and reuse.shared >= 0.15 * reuse.total)
            same_title = member.title_key == parent.title_key and len(member.title_key.split()) >= 5
            # The same headline as a dated earlier article, and some text of it too (a headline alone is often
            # the wire's). An undated article counts as later than a dated one (it cannot show it was first), and
            # for it one of the dated article's figures is enough: its dates cannot tell a wire copy apart.
            titled = (
                same_title
                and parent.order[0] != float("inf")
                and parent.order[0] < member.order[0]
                and (
                    reuse.containment >= TITLE_REUSE
                    or (member.order[0] == float("inf") and bool(member.figures & parent.figures))
                )
            )
            translated = "" if reused or credited else _translation(member, parent)
            if translated:
                basis = f"a {member.language} translation of {parent.article_id} ({parent.language}): {translated}"
                found.append(((False, 0, 0.7, -earlier), earlier, 0.7, basis))
            elif credited or reused or titled:
                confidence = 0.95 if credited and reused else 0.8 if credited else 0.6
                if reused and not credited:
                    confidence = min(0.9, 0.5 + max(reuse.containment, reuse.shared / max(reuse.total, 1)) / 2)
                strength = (credited, reuse.shared, reuse.containment, -earlier)
                figures = len(member.figures & parent.figures)
                when = "which is dated; this one is not" if member.order[0] == float("inf") else "published later"
                if figures and reuse.containment < TITLE_REUSE:
                    when += f"; {_figures_phrase(figures)}"
                basis = _describe(parent, reuse, credited, reused, when)
                found.append((strength, earlier, confidence, basis))
        if found:
            found.sort(key=lambda f: f[0], reverse=True)
            has_children.update(f[1] for f in found)
            best = found[0]
            parents = tuple(ordered[f[1]].article_id for f in found[:3])
            result[member.article_id] = Lineage(DERIVATIVE, parents, round(best[2], 2), best[3])
        elif member.republished:  # a wire story as a paper runs it: a copy of a source that was not ingested
            basis = "runs the text of " + ", ".join(member.republished) + " (dateline or republication line)"
            result[member.article_id] = Lineage(COPY, (), 0.8, basis)
        elif member.credited:
            basis = "credits " + ", ".join(member.credited) + " (not in the story)"
            linked = _figure_source(member, ordered[:index], copy_root, PROXY_FIGURES)
            if linked is not None:  # the story's earlier text with the credited source's figures
                has_children.add(linked[0])
                parents, basis = (ordered[linked[0]].article_id,), f"{basis}; {linked[1]}"
                result[member.article_id] = Lineage(DERIVATIVE, parents, 0.6, basis)
            else:
                result[member.article_id] = Lineage(DERIVATIVE, (), 0.8, basis)
        elif member.unsourced and (linked := _figure_source(member, ordered[:index], copy_root, 1)) is not None:
            # It says it rests on unnamed sources (a rewrite's tell); the story's earlier text with its figures
            # is the likeliest one. Without such a text it stays a root: nothing shows where it came from.
            has_children.add(linked[0])
            basis = f"{UNSOURCED_FLAGS.get(member.unsourced, member.unsourced)} (a rewrite's tell); {linked[1]}"
            result[member.article_id] = Lineage(DERIVATIVE, (ordered[linked[0]].article_id,), 0.5, basis)
        else:
            roots.append(index)
    dated_roots = [r for r in roots if ordered[r].order[0] != float("inf")]
    originals = [r for r in roots if r in has_children] or dated_roots[:1]
    for root in roots:
        result[ordered[root].article_id] = Lineage(ORIGINAL if root in originals else INDEPENDENT)
    return result


def title_key(title: str) -> str:
    """Lower-cased title words joined by single spaces (for same-title checks)."""
    return " ".join(WORD.findall(title.lower()))
