"""How the command line looks in a terminal: help without Python types, tables that fit.

Typer's help shows `<str>`/`<bool>` after every option; these classes show the metavar a
command gives instead. `fitted_table` makes a Rich table no wider than the terminal by cutting
its long columns with an ellipsis instead of wrapping them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import typer
from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from typer.core import TyperArgument, TyperCommand, TyperGroup
from typer.models import CommandFunctionType

__all__ = ["App", "Command", "Group", "fitted_table"]


class _Argument(TyperArgument):
    """An argument whose help names it by its metavar alone, without a `<str>` type after it."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def _plain_help(option: Any, params: list[Any]) -> Any:
    """The --help option with no `<bool>` placeholder; arguments shown by metavar only."""
    for param in params:
        if type(param) is TyperArgument:
            param.__class__ = _Argument
    if option is not None:
        option.metavar = ""
    return option


class Command(TyperCommand):
    """A command whose help shows names and metavars, not Python types."""

    def get_help_option(self, ctx: Any) -> Any:
        return _plain_help(super().get_help_option(ctx), self.params)


class Group(TyperGroup):
    """A command group whose help shows names and metavars, not Python types."""

    def get_help_option(self, ctx: Any) -> Any:
        return _plain_help(super().get_help_option(ctx), self.params)


class App(typer.Typer):
    """Typer whose commands default to `Command`, so every command's help reads the same."""

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=cls or Command, **kwargs)


# Space between two table columns, and the narrowest a cut column gets.
_GAP = 2
_MIN_WIDTH = 4


def fitted_table(
    width: int, columns: Sequence[tuple[str, int]], rows: Sequence[Sequence[str]]
) -> Table:
    """A table as wide as the terminal at most: columns with ratio 0 keep their width, the others
    share what is left by ratio and cut their cells with an ellipsis instead of wrapping."""
    natural = [
        max([cell_len(name), *(cell_len(row[i]) for row in rows)])
        for i, (name, _ratio) in enumerate(columns)
    ]
    widths = list(natural)
    flexible = [i for i, (_name, ratio) in enumerate(columns) if ratio]
    budget = width - _GAP * (len(columns) - 1)
    budget -= sum(natural[i] for i, (_name, ratio) in enumerate(columns) if not ratio)
    while flexible:
        total = sum(columns[i][1] for i in flexible)
        # A column narrower than its share keeps its width; the others split what remains.
        fits = [i for i in flexible if natural[i] * total <= budget * columns[i][1]]
        if not fits:
            for i in flexible:
                widths[i] = max(_MIN_WIDTH, budget * columns[i][1] // total)
            break
        for i in fits:
            budget -= natural[i]
            flexible.remove(i)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    for (name, _ratio), size in zip(columns, widths, strict=True):
        table.add_column(name, width=size, no_wrap=True, overflow="ellipsis")
    for row in rows:
        table.add_row(*map(Text, row))  # plain text: a title's [brackets] are not markup
    return table
