"""Lineage inside a story: which article is the original, a syndicated copy, a derivative rewrite or an
independent report, and which earlier articles each one derives from (`derived_from`).

Evidence used, per ordered pair (earlier p, later m); "earlier" means an earlier `published` time, and arrival
order when a time is unknown (undated articles sort after dated ones):
- copy: MinHash Jaccard of 5-word shingles >= `copy_jaccard` -> m is a `syndicated_copy` of p's root;
- rewrite: m contains >= `derivative_containment` of its shingles in p (shared rare word sequences), or m's
  credit lines name p's outlet or one of p's authors, or both carry the same long title (>= 5 words) and
  both dates are known with p's earlier -> m is a `derivative` of p;
- a credit line to a source that is not in the story also makes m a `derivative` (of a credited upstream).
An article with none of these is a root: roots that others derive from are `original`; when nothing derives
from any root, the earliest dated root is `original` and the other roots are `independent` reports (with no
dates at all, nobody can be shown to be first, and every root is `independent`).
"""

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from datasketch import LeanMinHash, MinHash, MinHashLSH  # type: ignore[import-untyped]

__all__ = ["LineageInput", "Shingler", "assign_roles", "title_key"]

SHINGLE_WORDS = 5
LSH_ABOVE = 256  # stories with more members find copy candidates through MinHashLSH
SEED = 7
SCHEME = "affine32"
ORIGINAL, COPY, DERIVATIVE, INDEPENDENT = "original", "syndicated_copy", "derivative", "independent"
WORD = re.compile(r"\w+")


def _crc32(data: bytes) -> int:
    return zlib.crc32(data)


class Shingler:
    """MinHash signatures of 5-word shingles, with permutations shared by every signature it makes."""

    def __init__(self, num_perm: int = 128, seed: int = SEED) -> None:
        self.num_perm = num_perm
        self.seed = seed
        self._template = MinHash(num_perm=num_perm, seed=seed, hashfunc=_crc32, scheme=SCHEME)

    def signature(self, text: str) -> tuple[npt.NDArray[np.uint64], int]:
        """(hash values, number of distinct shingles) of a text."""
        words = WORD.findall(text.lower())
        shingles = {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(max(1, len(words) - 4))}
        minhash = MinHash(
            num_perm=self.num_perm,
            seed=self.seed,
            hashfunc=_crc32,
            permutations=self._template.permutations,
            scheme=SCHEME,
        )
        minhash.update_batch(list(shingles))
        return minhash.hashvalues.astype(np.uint64), len(shingles)


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


def _lean(hashvalues: npt.NDArray[np.uint64]) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=hashvalues, scheme=SCHEME)


def _jaccard(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> float:
    return float(np.mean(a == b))


def _containment(m: LineageInput, p: LineageInput, jaccard: float) -> float:
    shared = jaccard * (m.shingles + p.shingles) / (1.0 + jaccard)
    return shared / max(m.shingles, 1)


def _credits_parent(m: LineageInput, p: LineageInput) -> bool:
    names = {n.lower() for n in (p.outlet, *p.authors) if n}
    return bool(names & set(m.credited))


def _copy_parents(members: Sequence[LineageInput], copy_jaccard: float, num_perm: int) -> dict[int, int]:
    """Index of the earliest earlier near-copy of each member that has one.

    Up to LSH_ABOVE members every pair is compared (one numpy pass); larger stories take their candidates
    from a MinHashLSH index first.
    """
    if len(members) <= LSH_ABOVE:
        signatures = np.stack([m.minhash for m in members])
        agreement = (signatures[:, None, :] == signatures[None, :, :]).mean(axis=2)
        candidates = [np.flatnonzero(agreement[i, :i] >= copy_jaccard).tolist() for i in range(len(members))]
    else:
        lsh = MinHashLSH(threshold=copy_jaccard, num_perm=num_perm)
        for index, member in enumerate(members):
            lsh.insert(str(index), _lean(member.minhash))
        candidates = [
            sorted(
                o
                for c in lsh.query(_lean(m.minhash))
                if (o := int(c)) < i and _jaccard(m.minhash, members[o].minhash) >= copy_jaccard
            )
            for i, m in enumerate(members)
        ]
    parents: dict[int, int] = {}
    for index, earlier in enumerate(candidates):
        if earlier:
            parents[index] = parents.get(earlier[0], earlier[0])
    return parents


def assign_roles(
    members: Sequence[LineageInput], copy_jaccard: float = 0.6, derivative_containment: float = 0.12
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Role and derived_from ids for every member, keyed by article id."""
    ordered = sorted(members, key=lambda m: m.order)
    num_perm = len(ordered[0].minhash) if ordered else 128
    copies = _copy_parents(ordered, copy_jaccard, num_perm)
    result: dict[str, tuple[str, tuple[str, ...]]] = {}
    has_children: set[int] = set()
    roots: list[int] = []
    for index, member in enumerate(ordered):
        if index in copies:
            parent = copies[index]
            has_children.add(parent)
            result[member.article_id] = (COPY, (ordered[parent].article_id,))
            continue
        parents = [p for p in range(index) if p not in copies and _derives(member, ordered[p], derivative_containment)]
        if parents:
            has_children.update(parents)
            result[member.article_id] = (DERIVATIVE, tuple(ordered[p].article_id for p in parents[:3]))
        elif member.credited:
            result[member.article_id] = (DERIVATIVE, ())
        else:
            roots.append(index)
    dated_roots = [r for r in roots if ordered[r].order[0] != float("inf")]
    originals = [r for r in roots if r in has_children] or dated_roots[:1]
    for root in roots:
        role = ORIGINAL if root in originals else INDEPENDENT
        result[ordered[root].article_id] = (role, ())
    return result


def _derives(m: LineageInput, p: LineageInput, derivative_containment: float) -> bool:
    if _credits_parent(m, p):
        return True
    same_title = m.title_key and m.title_key == p.title_key and len(m.title_key.split()) >= 5
    if same_title and p.order[0] < m.order[0] != float("inf"):  # only when both dates say who was first
        return True
    return _containment(m, p, _jaccard(m.minhash, p.minhash)) >= derivative_containment


def title_key(title: str) -> str:
    """Lower-cased title words joined by single spaces (for same-title checks)."""
    return " ".join(WORD.findall(title.lower()))
