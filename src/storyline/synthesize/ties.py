"""Rankings compare float scores with their last bits dropped, so that scores equal in exact arithmetic tie.

Two copies of one sentence, or two titles alike, have scores that are equal in exact arithmetic but may differ in
their last bits: sums taken in another order (another CPU's vector width, another BLAS), or another hash seed
where a set's order decided the order of a sum (`similarity.TermMatrix` and `date_ranking.CentralTerms.mass`
now add in sorted order). Every ranking of the brief writer compares scores rounded to `BITS` significant bits
(relative steps of 2^-15, about 3e-5, at any magnitude: importances of 0.01 and of 3 alike) and breaks the
remaining ties by a stable key: the candidate's index (the story's source order, then the position in the
article), the source index, or the (source, start offset) of a span. So which copy a brief cites does not
depend on float noise: float32 noise after a few hundred additions is about 1e-6 relative, and two different
sentences whose scores agree to 3e-5 are a tie for any reader.

A tie whose noisy scores straddle a rounding step still splits; that takes noise in the last bits landing on
one of 2^16 steps, and never happens between two runs on one machine, where the sums are bit-identical.
"""

from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = ["BITS", "settled", "settled_array"]

BITS = 16  # significant bits kept of float32's 24
_DROP = 24 - BITS
_HALF, _MASK = np.uint32(1 << (_DROP - 1)), np.uint32(~((1 << _DROP) - 1) & 0xFFFFFFFF)

F = TypeVar("F", bound=np.floating[Any])


def settled(value: float) -> float:
    """`value` as rankings compare it: as float32, rounded to `BITS` significant bits."""
    return float(settled_array(np.array([value], dtype=np.float32))[0])


def settled_array(values: npt.NDArray[F]) -> npt.NDArray[np.float32]:
    """`values` as rankings compare them (a new float32 array), each rounded to `BITS` significant bits.

    Rounds the magnitude to nearest (ties away from zero) in the float32 bit pattern: sign-magnitude, so adding
    half a step and clearing the dropped bits rounds negative values as positive ones; a carry into the exponent
    is the next power of two, as it should be. Infinities and NaN are not scores and are kept as they are.
    """
    as32 = np.asarray(values, dtype=np.float32)
    bits = as32.view(np.uint32)
    rounded = ((bits + _HALF) & _MASK).view(np.float32)
    return np.where(np.isfinite(as32), rounded, as32)
