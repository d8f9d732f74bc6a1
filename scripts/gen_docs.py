"""Generate docs/records.md (from records.py) and docs/cli.md (from the CLI's --help).

python scripts/gen_docs.py          # rewrite both files
python scripts/gen_docs.py --check  # exit 1 if either is out of date (run by the test suite)
"""

import ast
import dataclasses
import inspect
import sys
import typing
from pathlib import Path

from storyline import records
from storyline.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _field_comments(cls: type) -> dict[str, str]:
    """Inline `# comments` after each field in the class body."""
    source = inspect.getsource(cls)
    lines = source.splitlines()
    comments = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            line = lines[node.lineno - 1]
            if "#" in line:
                comments[node.target.id] = line.split("#", 1)[1].strip()
    return comments


def _type_name(hint: object) -> str:
    text = str(hint) if not isinstance(hint, type) else hint.__name__
    return text.replace("storyline.records.", "").replace("typing.", "").replace("NoneType", "None")


def records_markdown() -> str:
    parts = [
        "# Records",
        "",
        "Generated from `src/storyline/records.py` by `scripts/gen_docs.py`; a test fails when they disagree.",
        "All records are frozen dataclasses. `start`/`end` are character offsets into `Article.text`.",
        "",
    ]
    for name in records.__all__:
        cls = getattr(records, name)
        if not dataclasses.is_dataclass(cls):
            continue
        hints = typing.get_type_hints(cls)
        comments = _field_comments(cls)
        parts += [f"## {name}", "", (inspect.getdoc(cls) or "").split("\n")[0], ""]
        parts += ["| field | type | meaning |", "|---|---|---|"]
        for field in dataclasses.fields(cls):
            meaning = comments.get(field.name, "").replace("|", "\\|")
            parts.append(f"| `{field.name}` | `{_type_name(hints[field.name])}` | {meaning} |")
        parts.append("")
    return "\n".join(parts)


def cli_markdown() -> str:
    parts = ["# Command line", "", "Generated from `storyline --help` by `scripts/gen_docs.py`.", ""]
    width = {"terminal_width": 100, "max_content_width": 100}
    context = cli.make_context("storyline", ["--help"], resilient_parsing=True, **width)
    parts += ["```", cli.get_help(context), "```", ""]
    for name in sorted(cli.list_commands(context)):
        command = cli.get_command(context, name)
        if command is None:
            continue
        sub = command.make_context(name, [], parent=context, resilient_parsing=True, **width)
        parts += [f"## storyline {name}", "", "```", command.get_help(sub), "```", ""]
    return "\n".join(parts)


TARGETS = {"records.md": records_markdown, "cli.md": cli_markdown}


def main(check: bool) -> int:
    stale = []
    for name, build in TARGETS.items():
        path = ROOT / "docs" / name
        text = build()
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            path.write_text(text)
    if stale:
        print(f"out of date: {', '.join(stale)} (run python scripts/gen_docs.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
