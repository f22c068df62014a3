"""Tables cut to the terminal's width, wide characters counted as two, text never markup."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console

from storyline.terminal import fitted_table


def _lines(width: int, columns: list[tuple[str, int]], rows: list[list[str]]) -> list[str]:
    console = Console(width=width, record=True)
    with console.capture() as captured:
        console.print(fitted_table(width, columns, rows))
    return captured.get().splitlines()


def test_long_columns_are_cut_and_short_ones_kept() -> None:
    rows = [["2024-05-21", "A headline far too long for a narrow terminal to show whole", "7"]]
    lines = _lines(40, [("date", 0), ("headline", 1), ("n", 0)], rows)
    assert max(len(line) for line in lines) <= 40 and len(lines) == 3
    assert "2024-05-21" in lines[2] and lines[2].rstrip().endswith("7") and "…" in lines[2]


def test_narrow_content_is_not_padded_to_the_width() -> None:
    lines = _lines(80, [("id", 0), ("title", 2), ("who", 1)], [["ab", "Short", "Ann"]])
    assert max(len(line.rstrip()) for line in lines) < 20


def test_wide_characters_count_double_and_brackets_stay_text() -> None:
    rows = [["港口工人结束罢工港口工人结束罢工港口工人结束罢工", "[/] [bold]x[/bold]"]]
    lines = _lines(30, [("title", 1), ("note", 1)], rows)
    assert all(cell_len(line) <= 30 for line in lines)
    assert "[/] [bold]" in lines[2]
