"""`storyline run --engine ray` gives what `--engine local` gives: the same articles, the same stories, the same
briefs; and Ray is never loaded on the default path.

Each run is a separate process (as a user runs it), so Ray starts and stops outside the test process."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from warc_data import Record, http_response, write_warc

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
STAMP = re.compile(r'"(?:created_at|updated_at|generated_at|at)": "[^"]*"')


def storyline(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "storyline", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def run_engine(sources: list[Path], folder: Path, *engine: str) -> dict[str, object]:
    """Run the pipeline with `engine` arguments; return what a user can read back, timestamps removed."""
    db, out = folder / "storyline.db", folder / "briefs"
    done = storyline("run", *map(str, sources), "--db", str(db), "--out", str(out), "--silent", *engine)
    assert done.returncode == 0, done.stderr[-3000:]
    articles = storyline("articles", "--json", "--db", str(db)).stdout.splitlines()
    stories = [json.loads(line) for line in storyline("stories", "--json", "--db", str(db)).stdout.splitlines()]
    return {
        "articles": [STAMP.sub("", line) for line in articles],
        "partition": sorted(sorted(m["article_id"] for m in s["members"]) for s in stories),
        "stories": [STAMP.sub("", json.dumps(s, sort_keys=True)) for s in stories],
        "briefs": {p.name: STAMP.sub("", p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))},
        "stderr": done.stderr,
    }


def assert_same(local: dict[str, object], ray: dict[str, object]) -> None:
    assert ray["articles"] == local["articles"]
    assert ray["partition"] == local["partition"]
    assert ray["stories"] == local["stories"]
    assert ray["briefs"] == local["briefs"]


@pytest.mark.slow
def test_ray_engine_equals_local_on_the_examples(tmp_path: Path) -> None:
    local = run_engine([EXAMPLES], tmp_path / "local")
    ray = run_engine([EXAMPLES], tmp_path / "ray", "--engine", "ray", "--processes", "2")
    assert len(local["articles"]) == 45 and len(local["partition"]) > 1  # type: ignore[arg-type]
    assert_same(local, ray)


def varied_pages(count: int) -> list[Record]:
    """`count` pages made from the bundled ECB+ articles: each a different cut of one of them (some paragraphs
    left out, the sentences of one shuffled), under its own outlet, URL and date: copies, rewrites and distinct
    events for the clustering to sort out."""
    articles = [json.loads(line) for line in (EXAMPLES / "ecbplus" / "ecbplus_sample.jsonl").read_text().splitlines()]
    records = []
    for number in range(count):
        article = articles[number % len(articles)]
        sentences = [s for s in re.split(r"(?<=\.) ", article["text"]) if s.strip()]
        drop = (number // len(articles)) % max(len(sentences), 1)
        kept = [s for i, s in enumerate(sentences) if i != drop or len(sentences) < 3]
        if number % 3 == 1:
            kept = kept[1:] + kept[:1]
        body = "".join(f"<p>{s}</p>" for s in kept)
        title = article["title"] if number % 2 else f"{article['title']} ({number % 9})"
        page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"
        uri = f"https://outlet{number % 11}.example.net/{number}.html"
        date = f"2026-10-{number % 28 + 1:02d}T08:00:00Z"
        records.append(Record("response", uri, date, http_response(page.encode())))
    return records


@pytest.mark.slow
def test_ray_engine_equals_local_on_a_few_hundred_documents_from_a_warc(tmp_path: Path) -> None:
    archive = write_warc(tmp_path / "pages.warc.gz", varied_pages(240))
    local = run_engine([archive], tmp_path / "local")
    ray = run_engine([archive], tmp_path / "ray", "--engine", "ray", "--processes", "2")
    assert len(local["articles"]) > 150  # type: ignore[arg-type]
    assert ray["articles"] == local["articles"]
    assert ray["partition"] == local["partition"]
    assert ray["stories"] == local["stories"]
    assert without_evidence(ray["briefs"]) == without_evidence(local["briefs"])  # type: ignore[arg-type]


EVIDENCE = re.compile(r'"article_id": "[0-9a-f]+",\s*"start": \d+,\s*"end": \d+')


def without_evidence(briefs: dict[str, str]) -> dict[str, str]:
    return {name: EVIDENCE.sub("", text) for name, text in briefs.items()}


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="known: among identical copies, a few briefs cite another copy as evidence on Ray; the brief writer's"
    " rankings tie-break on float scores whose last bits depend on the BLAS thread count",
)
def test_ray_engine_cites_the_same_copies_as_local(tmp_path: Path) -> None:
    archive = write_warc(tmp_path / "pages.warc.gz", varied_pages(240))
    local = run_engine([archive], tmp_path / "local")
    ray = run_engine([archive], tmp_path / "ray", "--engine", "ray", "--processes", "2")
    assert ray["briefs"] == local["briefs"]


@pytest.mark.slow
def test_a_second_ray_run_adds_nothing_and_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "ray"
    first = run_engine([EXAMPLES / "seeds"], folder, "--engine", "ray", "--processes", "1")
    second = run_engine([EXAMPLES / "seeds"], folder, "--engine", "ray", "--processes", "1")
    assert "ingested 0 · duplicates 0 · unchanged 5 · skipped 0" in second["stderr"]  # type: ignore[operator]
    assert_same(first, second)


def test_the_local_engine_never_imports_ray(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from storyline.cli import cli\n"
        f"result = CliRunner().invoke(cli, ['run', {str(EXAMPLES / 'seeds')!r}, '--db', {str(tmp_path / 'db')!r},"
        f" '--out', {str(tmp_path / 'out')!r}, '--silent'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in sys.modules if m == 'ray' or m.startswith(('ray.', 'storyline.engine'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


def test_ray_address_needs_the_ray_engine(tmp_path: Path) -> None:
    done = storyline("run", str(EXAMPLES / "seeds"), "--ray-address", "127.0.0.1:6379", "--out", str(tmp_path))
    assert done.returncode == 2 and "--ray-address needs --engine ray" in done.stderr
