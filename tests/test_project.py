"""Tests about the project itself: generated docs are current, commands are documented, exports are real."""

import importlib
import sys

import click
import pytest

import storyline
from conftest import ROOT
from storyline.cli import cli

sys.path.insert(0, str(ROOT / "scripts"))
gen_docs = importlib.import_module("gen_docs")


@pytest.mark.parametrize("name", sorted(gen_docs.TARGETS))
def test_generated_docs_are_current(name: str) -> None:
    expected = gen_docs.TARGETS[name]()
    assert (ROOT / "docs" / name).read_text() == expected, f"run: python scripts/gen_docs.py ({name} is stale)"


def test_every_record_field_has_a_meaning() -> None:
    rows = [line for line in gen_docs.records_markdown().splitlines() if line.startswith("| `")]
    assert rows and all(not line.endswith("|  |") for line in rows)


def test_every_command_has_help() -> None:
    context = click.Context(cli)
    for name in cli.list_commands(context):
        command = cli.get_command(context, name)
        assert command is not None and command.help, f"storyline {name} has no help text"


@pytest.mark.parametrize(
    "module", ["storyline", "storyline.records", "storyline.errors", "storyline.store", "storyline.pipeline"]
)
def test_all_names_exist(module: str) -> None:
    imported = importlib.import_module(module)
    for name in imported.__all__:
        assert hasattr(imported, name), f"{module}.__all__ names {name}, which does not exist"


def test_readme_keeps_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    assert storyline.__version__
