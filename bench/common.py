"""Helpers shared by the benchmark scripts: where the evaluation data is, what machine ran, where results go."""

import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def eval_dir() -> Path:
    """The shared evaluation data: $STORYLINE_EVAL_DIR, else ../shared/eval next to the repository."""
    return Path(os.environ.get("STORYLINE_EVAL_DIR") or ROOT.parent / "shared" / "eval")


def require(path: Path, what: str) -> Path:
    """Exit with a clear message (status 0: a skip, not a failure) when evaluation data is absent."""
    if not path.exists():
        print(f"skipped: {what} not found at {path}")
        sys.exit(0)
    return path


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "date": dt.date.today().isoformat(),
    }


def write_results(name: str, data: dict[str, Any], markdown: str) -> Path:
    """Write bench/results/<name>.json (data + machine) and <name>.md (the section for docs/benchmarks.md)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {**data, "machine": machine()}
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    path = RESULTS / f"{name}.md"
    path.write_text(markdown.rstrip() + "\n")
    return path


def table(columns: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table; floats printed with three decimals."""

    def cell(value: Any) -> str:
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
