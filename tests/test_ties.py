"""Rankings of the brief writer compare scores with their last bits dropped (synthesize/ties.py)."""

import numpy as np

from storyline.synthesize.ties import settled, settled_array


def test_scores_equal_but_for_float_noise_tie() -> None:
    exact = np.float32(0.1) + np.float32(0.2) + np.float32(0.3)
    reordered = np.float32(0.3) + np.float32(0.2) + np.float32(0.1)
    assert settled(float(exact)) == settled(float(reordered))
    assert settled(0.99999994) == settled(1.0) == 1.0
    noisy = np.nextafter(np.float32(0.0153497), np.float32(1.0))
    assert settled_array(np.array([0.0153497, noisy], dtype=np.float32)).tolist() == [settled(0.0153497)] * 2


def test_scores_that_differ_keep_their_order_at_any_magnitude() -> None:
    for low, high in ((0.015376, 0.015415), (2.5001, 2.5011), (-0.30, -0.29), (1e-6, 1.001e-6)):
        assert settled(low) < settled(high)


def test_arrays_round_as_scalars_and_keep_infinities() -> None:
    values = np.array([0.123456789, -3.14159265, np.inf, -np.inf, 0.0], dtype=np.float32)
    rounded = settled_array(values)
    assert rounded.dtype == np.float32
    assert rounded[:2].tolist() == [settled(0.123456789), settled(-3.14159265)]
    assert rounded[2:].tolist() == [np.inf, -np.inf, 0.0]
    assert int(np.argmax(rounded[:2])) == 0
