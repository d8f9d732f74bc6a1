"""Run every benchmark script, then assemble docs/benchmarks.md from their result sections.

python bench/run.py                 # all benchmarks
python bench/run.py extraction      # only these (the others keep their last results)
"""

import subprocess
import sys
import time

from common import RESULTS, ROOT, machine

# Order of the sections in docs/benchmarks.md.
BENCHMARKS = ["extraction"]


def main(names: list[str]) -> None:
    for name in names or BENCHMARKS:
        print(f"== bench/{name}.py", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(ROOT / "bench" / f"{name}.py")])
        print(f"   exit {code} after {time.perf_counter() - started:.0f} s", flush=True)
    write_document()


def write_document() -> None:
    info = machine()
    parts = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.py`); every figure below was measured by the script named in its "
        "section, with its anchor measured in the same run where one exists. Published figures are labelled as such.",
        "",
        f"Machine of the last full run: {info['cpu']}, {info['cores']} cores, Python {info['python']}, "
        f"{info['platform']}, {info['date']}.",
        "",
    ]
    for name in BENCHMARKS:
        section = RESULTS / f"{name}.md"
        if section.exists():
            parts += [section.read_text().rstrip(), ""]
        else:
            parts += [f"## {name}", "", "Not measured yet (its evaluation data or script was missing).", ""]
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(parts))
    print(f"wrote {ROOT / 'docs' / 'benchmarks.md'}")


if __name__ == "__main__":
    main(sys.argv[1:])
