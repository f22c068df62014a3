"""The README and the CLI agree, as sqlite-utils checks its docs: every command and option is
documented, every command the README shows exists, every help has an example, every export
column is described."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer.main
from typer.core import TyperGroup, TyperOption
from typer.testing import CliRunner

from storyline.cli import app
from storyline.tell.columns import TABLES
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
ROOT = typer.main.get_command(app)


def _commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    if isinstance(group, TyperGroup):
        for name, command in group.commands.items():
            yield from _commands(command, (*path, name))
    else:
        yield path


def _command(path: tuple[str, ...]) -> Any:
    command = ROOT
    for name in path:
        assert isinstance(command, TyperGroup)
        command = command.commands[name]
    return command


COMMANDS = list(_commands(ROOT))


def _readme_code() -> Iterator[str]:
    """Command lines the README shows: indented blocks, fenced blocks and `inline code`."""
    fenced = False
    for line in README.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced or line.startswith("    "):
            yield line.strip()
    yield from re.findall(r"`([^`\n]+)`", README)


def _shown_commands() -> Iterator[tuple[str, ...]]:
    """The command each `storyline ...` line names, skipping the global --db option."""
    for code in _readme_code():
        for match in re.finditer(r"(?:^|[|&;(]\s*)storyline((?: +[^\s|&;#>]+)+)", code):
            words = match.group(1).split()
            while words and words[0] == "--db":
                words = words[2:]
            if words and not words[0].startswith("-"):
                yield tuple(words[:2]) if words[0] == "eval" else (words[0],)


def test_readme_shows_every_command() -> None:
    shown = set(_shown_commands())
    for path in COMMANDS:
        assert path in shown or path[:1] in shown, f"README never shows storyline {path}"


def test_every_command_the_readme_shows_exists() -> None:
    shown = list(_shown_commands())
    assert len(shown) >= len(COMMANDS)
    names = {p[0] for p in COMMANDS}
    for words in shown:
        assert words[0] in names, f"README shows `storyline {' '.join(words)}`: no such command"
        if words[0] == "eval":
            assert words[:2] in COMMANDS, f"README shows `storyline {' '.join(words)}`"


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_option_is_documented(path: tuple[str, ...]) -> None:
    for param in _command(path).params:
        if isinstance(param, TyperOption):
            longest = max(param.opts, key=len)
            assert re.search(rf"{re.escape(longest)}\b", README), (
                f"README never shows {longest} of `storyline {' '.join(path)}` (see 'Using it')"
            )


@pytest.mark.parametrize("path", [(), *COMMANDS], ids=lambda p: " ".join(p) or "storyline")
def test_help_has_an_example_and_no_type_placeholders(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert "Example: storyline" in result.stdout
    assert not re.search(r"<(str|bool|int|float|path|list\[\w+\])>", result.stdout)


def test_export_columns_are_documented() -> None:
    section = README[README.index("## Exports") :]
    for name, columns in TABLES.items():
        table = section[section.index(f"**{name}**") :]
        for column in columns:
            row = f"| `{column.name}` | {column.kind} |"
            assert row in table, f"README's Exports table for {name} lacks the row {row} ..."
