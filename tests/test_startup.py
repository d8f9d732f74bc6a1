"""What a command imports (issue 16): the settings, the pipeline module and a short `run` load no stage they do
not run. Not timed: each test looks at `sys.modules` of a fresh interpreter."""

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.config import Settings, load_settings
from storyline.errors import StorylineError

ROOT = Path(__file__).resolve().parents[1]
SHORT_DOCUMENT = ROOT / "examples" / "seeds" / "003_b937b23e001e148f.txt"
# Packages that cost a second or more to import between them, and the stages that import them.
HEAVY = (
    "spacy",
    "thinc",
    "scipy",
    "numpy",
    "httpx",
    "datasketch",
    "wordfreq",
    "trafilatura",
    "lingua",
    "onnxruntime",
    "storyline.analyze.article",
    "storyline.cluster",
    "storyline.extract.article",
    "storyline.ingest.sources",
    "storyline.synthesize.brief",
)


def imported_after(code: str) -> list[str]:
    """The HEAVY modules in sys.modules after a fresh interpreter ran `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_settings_and_the_pipeline_module_import_no_stage() -> None:
    assert imported_after("from storyline.config import load_settings\nload_settings()") == []
    assert imported_after("import storyline.pipeline") == []
    assert imported_after("from storyline.analyze.settings import ANALYSIS_VERSION, AnalyzeSettings") == []


def test_a_command_that_runs_no_stage_imports_none(tmp_path: Path) -> None:
    code = (
        "from click.testing import CliRunner\nfrom storyline.cli import cli\n"
        f"result = CliRunner().invoke(cli, ['stories', '--db', {str(tmp_path / 'x.db')!r}])\n"
        "assert result.exit_code == 0, result.output"
    )
    assert imported_after(code) == []


def test_a_short_run_analyses_in_its_worker_and_never_imports_the_analysers(tmp_path: Path) -> None:
    code = (
        "from click.testing import CliRunner\nfrom storyline.cli import cli\n"
        f"args = ['run', {str(SHORT_DOCUMENT)!r}, '--db', {str(tmp_path / 'x.db')!r}, '--out', {str(tmp_path)!r}]\n"
        "result = CliRunner().invoke(cli, args)\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'analysed 1 ' in result.output, result.output"
    )
    loaded = imported_after(code)
    assert "storyline.cluster" in loaded  # the run did cluster here
    assert "spacy" not in loaded and "storyline.analyze.article" not in loaded


def test_a_stage_is_built_from_its_table_when_first_read(tmp_path: Path) -> None:
    path = tmp_path / "storyline.toml"
    path.write_text('db = "a.db"\n[analyze]\nprocesses = 3\n[fetch]\ntimeout = 7\n[llm]\nmodel = "m"\n', "utf-8")
    settings = load_settings(path, env={"STORYLINE_LLM_MODEL": "from-env"})
    assert settings.db == "a.db"
    assert settings.analyze.processes == 3
    assert settings.ingest.fetch.timeout == 7
    assert settings.brief.writer.model == "from-env"
    assert settings.cluster == Settings().cluster
    changed = settings.replace(analyze=settings.analyze.__class__(processes=1))
    built = dataclasses.replace(settings, db="b.db")  # builds every stage
    assert built.analyze.processes == 3 and built.brief.writer.model == "from-env" and built.db == "b.db"
    assert changed.analyze.processes == 1 and settings.analyze.processes == 3
    assert changed.ingest.fetch.timeout == 7 and changed.db == "a.db"


def test_an_unknown_setting_is_refused_when_the_file_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "storyline.toml"
    path.write_text("[cluster]\nthreshold_typo = 0.5\n", "utf-8")
    with pytest.raises(StorylineError, match=r"unknown settings in \[cluster\]: threshold_typo"):
        load_settings(path, env={})


def test_the_embedder_loads_without_the_assignment_and_lineage_modules() -> None:
    """A short run loads the embedder in a thread while it extracts; the clustering stage proper (scipy,
    datasketch) is imported later, while the analyses are being made, not in that thread."""
    loaded = imported_after("from storyline.cluster import ClusterSettings, Embedder")
    assert "datasketch" not in loaded and "scipy" not in loaded
    stage = imported_after("from storyline.cluster import cluster_articles")
    assert "scipy" in stage
    assert "datasketch" not in stage  # only a story too large to compare every pair needs its MinHashLSH


@pytest.mark.parametrize(
    "module", ["storyline.cluster.stories", "storyline.cluster.state", "storyline.cluster.assign", "storyline.cli"]
)
def test_any_clustering_module_imported_first_leaves_a_working_interpreter(module: str) -> None:
    """onnxruntime imported after usearch crashes the interpreter; the package imports the embedder first."""
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
