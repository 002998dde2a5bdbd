"""Table text -> logical rows of cells, whatever the source layout.

Extracted tables reach us in two layouts (report-format.md):

- *cell per line*: each cell on its own line, indented by a tab; rows separated by
  blank lines; a line without the tab continues the cell above (a header cell broken
  over two lines, "商业\\n企业"); a number is never glued to words that way: a number
  on such a line, or a line after a number, is a cell of its own (its tab was lost);
- *row per line*: one row per line, cells separated by tabs, empty cells as
  consecutive tabs.

Both come out as the same :class:`LogicalRow` list, so the table parsers never see
the layout. A row keeps the source line of each of its cells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import TypeVar

from generator.parsing.text import BLANK, NUMBER, CellKind, CellValue, is_labelish, parse_cell


@dataclass(frozen=True, slots=True, eq=False)
class PrintedCell:
    """What a cell printed as some text holds: its ``text`` without the spaces around it,
    its ``value``, its ``kind``, and ``is_label`` (words, not a number; a number with a
    glued unit such as 万 is a number).

    Read once per printed text and shared by every cell printed that way (:func:`read_cell`):
    a report has about 350 cells but the same few hundred texts fill most tables, so no
    object is made per cell. Where a cell was printed is its row's business
    (:attr:`LogicalRow.cell_lines`), and a cell is named by its position in its row.

    Cells compare by identity (``eq=False``): searching a list of cells (``in``,
    ``list.index``) then runs in C, without a call of a generated ``__eq__`` per cell.
    """

    text: str
    value: CellValue
    kind: CellKind
    is_label: bool


T = TypeVar("T")


@dataclass(slots=True)
class LogicalRow:
    cells: Sequence[PrintedCell]
    cell_lines: Sequence[int]
    """The 1-based source line of each cell (its first line if it was broken over two)."""
    lines: list[int]
    """Every source line that contributed, in order."""

    @property
    def line(self) -> int:
        return self.lines[0]

    def has_number(self) -> bool:
        """Whether any cell holds a number (a header row never does)."""
        return has_number(self.cells)

    def labels(self) -> list[PrintedCell]:
        return [c for c in self.cells if c.is_label]

    def last_label(self, names: Callable[[str], T | None]) -> tuple[T, int] | tuple[None, None]:
        """What the most specific label names: the last label cell whose text ``names``
        something, and that cell's position."""
        cells = self.cells
        for index in range(len(cells) - 1, -1, -1):
            cell = cells[index]
            if cell.is_label:
                named = names(cell.text)
                if named is not None:
                    return named, index
        return None, None

    def values_after(self, label: int, count: int) -> int:
        """Where the values start after the cell at ``label``, the cell that named the row,
        for ``count`` columns.

        A word right after the label is a cell that cannot be read ("无") and keeps its
        column, unless the row has more than ``count`` cells: then leading words are
        the rest of the label (a note printed in a cell of its own).
        """
        cells = self.cells
        start = label + 1
        while len(cells) - start > count and cells[start].is_label:
            start += 1
        return start

    def values_after_labels(self) -> int:
        """Where the cells after the row's label start (0 if there is no label).

        The label ends at the last label cell before the first number that follows a
        label: a word among the numbers ("无", "—" spelled in words) is a cell that
        cannot be read, not a label, so it keeps its column and the numbers before it
        are not dropped.
        """
        last = i = -1
        for cell in self.cells:  # counted by hand: an enumerate object costs more
            i += 1
            if last < 0:
                if cell.is_label:
                    last = i
            elif cell.kind is NUMBER:
                break
            elif cell.is_label:
                last = i
        return last + 1


cell_text = attrgetter("text")
cell_kind = attrgetter("kind")


def has_number(cells: Sequence[PrintedCell]) -> bool:
    """Whether any of ``cells`` holds a number.

    Here and in :func:`any_text`, ``map`` with an ``attrgetter`` runs in C: cheaper than
    ``any`` over a generator expression, which these hot tests were.
    """
    return NUMBER in map(cell_kind, cells)


def any_text(cells: Sequence[PrintedCell]) -> bool:
    """Whether any of ``cells`` is not empty."""
    return any(map(cell_text, cells))


_CELL_INFO: dict[str, PrintedCell] = {}
""":func:`read_cell` of the printed cells seen so far (the same few hundred texts fill most
tables), looked up directly: a dictionary lookup costs less than half a cached call, and
a quarter of stripping the text with ``str.strip(_SPACE)``."""
CELL_INFO_LIMIT = 65536
"""Texts remembered at most; later new texts are read every time."""


def read_cell(printed: str) -> PrintedCell:
    """What a cell printed as ``printed`` holds (its ``text`` is ``printed`` stripped of
    the spaces around it, :data:`_SPACE`), remembered in ``_CELL_INFO`` while there is
    room."""
    cell = _CELL_INFO.get(printed)
    if cell is None:
        text = printed.strip(_SPACE)
        value = parse_cell(text)
        cell = PrintedCell(text, value, value.kind,
                           is_labelish(text) and value.kind is not NUMBER)
        if len(_CELL_INFO) < CELL_INFO_LIMIT:
            _CELL_INFO[printed] = cell
    return cell


def extended(cell: PrintedCell, more: str) -> PrintedCell:
    """``cell`` with ``more`` appended to its text (a cell broken over two lines)."""
    return read_cell(cell.text + more)


def _is_number(text: str) -> bool:
    return parse_cell(text).kind is NUMBER


def is_row_layout(texts: Sequence[str]) -> bool:
    """True when most non-blank lines hold a tab between two cells."""
    if not _tab_after_start(texts):
        return False
    content = inner = 0
    for text in texts:
        if not text or text.isspace():
            continue
        content += 1
        if text.find("\t", 1) > 0 and "\t" in text.strip(_EDGE):
            inner += 1
    return content > 0 and inner * 2 >= content


def _tab_after_start(texts: Sequence[str]) -> bool:
    """Whether a line holds a tab after its first character, the only place a tab between
    two cells can be.

    A cell-per-line table has none: counted in C over the joined lines (every tab, less
    those starting a line) instead of by a test per line. A line holding a line break,
    which none does, is left to the test per line (``True``).
    """
    joined = "\n".join(texts)
    at_start = joined.count("\n\t") + joined.startswith("\t")
    return joined.count("\t") > at_start or joined.count("\n") >= len(texts)


def logical_rows(texts: Sequence[str], first: int = 1) -> list[LogicalRow]:
    """Group a table region's lines (``texts``, the first of them line ``first``) into
    rows, detecting its layout."""
    if is_row_layout(texts):
        return _rows_per_line(texts, first)
    return _cells_per_line(texts, first)


_SPACE = " \u3000\u00a0"
"""What is stripped from both ends of a cell."""
_EDGE = "\t" + _SPACE
"""What is stripped from both ends of a line before looking for a tab between cells."""


def _rows_per_line(texts: Sequence[str], first: int) -> list[LogicalRow]:
    rows = []
    for number, text in enumerate(texts, first):
        if not text or text.isspace():
            continue
        cells = _ROW_CELLS.get(text)
        if cells is None:
            cells = _row_cells(text)
        rows.append(LogicalRow(cells, (number,) * len(cells), [number]))
    return rows


def _cells_per_line(texts: Sequence[str], first: int) -> list[LogicalRow]:
    """The rows of the cell-per-line layout: the lines between two blank lines.

    Every line is looked up at once in ``_LINE_CELL`` (in C): a row whose lines are all
    known one-cell lines is made whole, its cells a slice of what was looked up, and its
    lines, which are also its cells' lines, one list (:func:`_known_rows`); only a row
    holding another line is read line by line (:func:`_read_rows`). Blank lines look up
    as ``_ROW_END``, found by ``list.index``; one more at the end closes the last row.
    """
    looked = list(map(_LINE_CELL.get, texts, repeat(_UNKNOWN)))
    looked.append(_ROW_END)
    end = len(texts)
    if _UNKNOWN not in looked:
        return _known_rows(looked, 0, end, first)
    rows: list[LogicalRow] = []
    start = 0
    while start < end:
        stop = looked.index(_ROW_END, start)
        if _UNKNOWN in looked[start:stop]:
            rows.extend(_read_rows(texts, looked, start, stop, first))
        elif stop > start:
            rows.append(_known_row(looked, start, stop, first))
        start = stop + 1
    return rows


def _known_rows(looked: list[PrintedCell], start: int, end: int,
                first: int) -> list[LogicalRow]:
    """The rows of ``looked[start:end]``, known one-cell lines and blank lines only, with
    a blank line at ``end``."""
    rows: list[LogicalRow] = []
    while start < end:
        stop = looked.index(_ROW_END, start)
        if stop > start:
            rows.append(_known_row(looked, start, stop, first))
        start = stop + 1
    return rows


def _known_row(looked: list[PrintedCell], start: int, stop: int,
               first: int) -> LogicalRow:
    """The row of the known one-cell lines ``looked[start:stop]`` (``looked[i]`` is line
    ``first + i``): each cell's line is one of the row's lines, so one list is both."""
    numbers = list(range(first + start, first + stop))
    return LogicalRow(looked[start:stop], numbers, numbers)


def _read_rows(texts: Sequence[str], looked: list[PrintedCell], start: int, end: int,
               first: int) -> list[LogicalRow]:
    """The rows of ``texts[start:end]`` read line by line, with the lines' cells already
    looked up (``looked``, ``_UNKNOWN`` where not known)."""
    rows: list[LogicalRow] = []
    cells: list[PrintedCell] = []
    cell_lines: list[int] = []
    numbers: list[int] = []
    for index in range(start, end):
        text = texts[index]
        number = first + index
        cell: PrintedCell | None = looked[index]
        if cell is _UNKNOWN:
            cell = _read_line(text)
        if cell is _ROW_END:
            if cells:
                rows.append(LogicalRow(cells, cell_lines, numbers))
                cells, cell_lines, numbers = [], [], []
            continue
        numbers.append(number)
        if cell is not None:
            # The common line: one tab-indented cell.
            cells.append(cell)
            cell_lines.append(number)
        else:
            _add_line_cells(cells, cell_lines, text, number)
    if cells:
        rows.append(LogicalRow(cells, cell_lines, numbers))
    return rows


_LINE_CELL: dict[str, PrintedCell] = {}
"""The cell of a line printed as a tab and a cell (the common line of the cell-per-line
layout), by the whole line, and ``_ROW_END`` for a blank line, while there is room: read
with one lookup, without slicing the tab off and looking for a second tab
(:func:`_read_line`)."""
_ROW_END = PrintedCell("", CellValue(BLANK, None, ""), BLANK, is_label=False)
"""Stands for a blank line, which ends a row of the cell-per-line layout, where cells are
looked up: told apart by identity (:class:`PrintedCell` compares by identity)."""
_UNKNOWN = PrintedCell("", CellValue(BLANK, None, ""), BLANK, is_label=False)
"""Stands for a line not in ``_LINE_CELL`` where lines are looked up."""
_ROW_CELLS: dict[str, tuple[PrintedCell, ...]] = {}
"""The cells of a line of the row-per-line layout, by the whole line, while there is room
(:func:`_row_cells`): rows of zeros and rows of labels repeat from report to report."""
ROW_CELLS_LIMIT = 16384
"""Lines of the row-per-line layout remembered at most."""


def _read_line(text: str) -> PrintedCell | None:
    """What a line not yet in ``_LINE_CELL`` is: the cell of a tab and a cell without a
    tab, or ``_ROW_END`` for a blank line (no tab, only spaces), remembered while there
    is room; ``None`` for any other line."""
    if text[:1] == "\t" and text.find("\t", 1) < 0:
        cell = read_cell(text[1:])
    elif "\t" not in text and not text.strip(_SPACE):
        cell = _ROW_END
    else:
        return None
    if len(_LINE_CELL) < CELL_INFO_LIMIT:
        _LINE_CELL[text] = cell
    return cell


def _row_cells(text: str) -> tuple[PrintedCell, ...]:
    """The tab-separated cells of ``text``."""
    cells = tuple(map(read_cell, text.split("\t")))
    if len(_ROW_CELLS) < ROW_CELLS_LIMIT:
        _ROW_CELLS[text] = cells
    return cells


def _add_line_cells(cells: list[PrintedCell], cell_lines: list[int], text: str,
                    number: int) -> None:
    """The cells of a line that is not one tab-indented cell, added to the row's ``cells``
    (and their line to its ``cell_lines``).

    A line not starting with a tab continues the cell above, unless either is a number.
    """
    body = text.lstrip(_SPACE)
    if body.startswith("\t") or not cells:
        parts = body[1:].split("\t") if body.startswith("\t") else [text]
    else:
        first, *parts = body.split("\t")
        first = first.strip(_SPACE)
        if _is_number(first) or _is_number(cells[-1].text):
            parts.insert(0, first)
        else:
            cells[-1] = extended(cells[-1], first)
    cells.extend(map(read_cell, parts))
    cell_lines.extend(repeat(number, len(parts)))
