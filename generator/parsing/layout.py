"""Table text -> logical rows of cells, whatever the source layout.

Extracted tables reach us in two layouts (report-format.md):

- *cell per line*: each cell on its own line, indented by a tab; rows separated by
  blank lines; a line without the tab continues the cell above (a header cell broken
  over two lines, "商业\\n企业"); a number is never glued to words that way: a number
  on such a line, or a line after a number, is a cell of its own (its tab was lost);
- *row per line*: one row per line, cells separated by tabs, empty cells as
  consecutive tabs.

Both come out as the same :class:`LogicalRow` list, so the table parsers never see
the layout. Each cell keeps its source line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter
from typing import NamedTuple

from generator.parsing.text import NUMBER, CellKind, CellValue, is_labelish, parse_cell


class SourceCell(NamedTuple):
    """One printed cell: its text and its 1-based source line.

    What the cell holds is read once, when it is made (:func:`source_cell`): ``text``
    without the spaces around it, ``value``, its ``kind``, and ``is_label`` (words, not a
    number; a number with a glued unit such as 万 is a number).

    A named tuple rather than a class with ``__slots__`` and an ``__init__``: a report
    makes about 350 cells, and ``tuple.__new__`` of the remembered :data:`CellInfo` plus
    the line runs in C, where a Python ``__init__`` cost about twice as much. Cells are
    told apart by identity (``is``) where it matters, as before; two cells are equal
    when their text and line are (the rest follows from the text).
    """

    text: str
    value: CellValue
    kind: CellKind
    is_label: bool
    line: int


_new = tuple.__new__


def source_cell(printed: str, line: int) -> SourceCell:
    """A cell printed as ``printed``: its ``text`` is ``printed`` stripped of the spaces
    around it (:data:`_SPACE`), read with what it holds from one lookup."""
    info = _CELL_INFO.get(printed)
    if info is None:
        info = _cell_info(printed)
    return _new(SourceCell, info + (line,))


def extended(cell: SourceCell, more: str) -> SourceCell:
    """``cell`` with ``more`` appended to its text (a cell broken over two lines)."""
    return _new(SourceCell, _cell_info(cell.text + more) + (cell.line,))


@dataclass(slots=True)
class LogicalRow:
    cells: list[SourceCell] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    """Every source line that contributed, in order."""

    @property
    def line(self) -> int:
        return self.lines[0]

    def has_number(self) -> bool:
        """Whether any cell holds a number (a header row never does)."""
        return has_number(self.cells)

    def labels(self) -> list[SourceCell]:
        return [c for c in self.cells if c.is_label]

    def values_after(self, label: SourceCell, count: int) -> list[SourceCell]:
        """The cells after ``label``, the cell that named the row, for ``count`` columns.

        A word right after the label is a cell that cannot be read ("无") and keeps its
        column, unless the row has more than ``count`` cells: then leading words are
        the rest of the label (a note printed in a cell of its own).
        """
        index = -1
        for i, cell in enumerate(self.cells):
            if cell is label:
                index = i
                break
        values = self.cells[index + 1:]
        while len(values) > count and values[0].is_label:
            values = values[1:]
        return values

    def values_after_labels(self) -> list[SourceCell]:
        """The cells after the row's label (all cells if there is no label).

        The label ends at the last label cell before the first number that follows a
        label: a word among the numbers ("无", "—" spelled in words) is a cell that
        cannot be read, not a label, so it keeps its column and the numbers before it
        are not dropped.
        """
        last = -1
        for i, cell in enumerate(self.cells):
            if last < 0:
                if cell.is_label:
                    last = i
            elif cell.kind is NUMBER:
                break
            elif cell.is_label:
                last = i
        return self.cells[last + 1:]


cell_text = attrgetter("text")
cell_kind = attrgetter("kind")


def has_number(cells: Sequence[SourceCell]) -> bool:
    """Whether any of ``cells`` holds a number.

    Here and in :func:`any_text`, ``map`` with an ``attrgetter`` runs in C: cheaper than
    ``any`` over a generator expression, which these hot tests were.
    """
    return NUMBER in map(cell_kind, cells)


def any_text(cells: Sequence[SourceCell]) -> bool:
    """Whether any of ``cells`` is not empty."""
    return any(map(cell_text, cells))


CellInfo = tuple[str, CellValue, CellKind, bool]
"""A cell's text (stripped), its value, its kind, and whether it is a label (words rather
than a number)."""

_CELL_INFO: dict[str, CellInfo] = {}
""":func:`_cell_info` of the printed cells seen so far (the same few hundred texts fill most
tables), looked up directly: a dictionary lookup costs less than half a cached call, and
a quarter of stripping the text with ``str.strip(_SPACE)``."""
CELL_INFO_LIMIT = 65536
"""Texts remembered at most; later new texts are read every time."""


def _cell_info(printed: str) -> CellInfo:
    """What a cell printed as ``printed`` holds, remembered in ``_CELL_INFO`` while there
    is room."""
    info = _CELL_INFO.get(printed)
    if info is None:
        text = printed.strip(_SPACE)
        value = parse_cell(text)
        info = text, value, value.kind, is_labelish(text) and value.kind is not NUMBER
        if len(_CELL_INFO) < CELL_INFO_LIMIT:
            _CELL_INFO[printed] = info
    return info


def _is_number(text: str) -> bool:
    return parse_cell(text).kind is NUMBER


Line = tuple[int, str]
"""(1-based line number, raw line text)."""


def is_row_layout(lines: Sequence[Line]) -> bool:
    """True when most non-blank lines hold a tab between two cells."""
    content = inner = 0
    for _, text in lines:
        if not text or text.isspace():
            continue
        content += 1
        if text.find("\t", 1) > 0 and "\t" in text.strip(_EDGE):
            inner += 1
    return content > 0 and inner * 2 >= content


def logical_rows(lines: Sequence[Line]) -> list[LogicalRow]:
    """Group a table region's lines into rows, detecting its layout."""
    if is_row_layout(lines):
        return _rows_per_line(lines)
    return _cells_per_line(lines)


_SPACE = " \u3000\u00a0"
"""What is stripped from both ends of a cell."""
_EDGE = "\t" + _SPACE
"""What is stripped from both ends of a line before looking for a tab between cells."""


def _rows_per_line(lines: Sequence[Line]) -> list[LogicalRow]:
    rows = []
    for number, text in lines:
        if not text or text.isspace():
            continue
        infos = _ROW_CELLS.get(text)
        if infos is None:
            infos = _row_cells(text)
        rows.append(LogicalRow([_new(SourceCell, info + (number,)) for info in infos],
                               [number]))
    return rows


def _cells_per_line(lines: Sequence[Line]) -> list[LogicalRow]:
    rows: list[LogicalRow] = []
    cells: list[SourceCell] = []
    numbers: list[int] = []
    known = _LINE_CELL.get
    for number, text in lines:
        info = known(text)
        if info is None and text[:1] == "\t" and text.find("\t", 1) < 0:
            info = _line_cell(text)
        if info is not None:
            # The common line: one tab-indented cell.
            numbers.append(number)
            cells.append(_new(SourceCell, info + (number,)))
            continue
        if "\t" not in text and not text.strip(_SPACE):
            if cells:
                rows.append(LogicalRow(cells, numbers))
                cells, numbers = [], []
            continue
        numbers.append(number)
        _add_line_cells(cells, text, number)
    if cells:
        rows.append(LogicalRow(cells, numbers))
    return rows


_LINE_CELL: dict[str, CellInfo] = {}
"""What the one cell of a line printed as a tab and a cell holds (the common line of the
cell-per-line layout), by the whole line, while there is room: read with one lookup,
without slicing the tab off and looking for a second tab (:func:`_line_cell`)."""
_ROW_CELLS: dict[str, tuple[CellInfo, ...]] = {}
"""What the cells of a line of the row-per-line layout hold, by the whole line, while there
is room (:func:`_row_cells`): rows of zeros and rows of labels repeat from report to
report."""
ROW_CELLS_LIMIT = 16384
"""Lines of the row-per-line layout remembered at most."""


def _line_cell(text: str) -> CellInfo:
    """:func:`_cell_info` of the cell of ``text``, a tab and a cell without a tab."""
    info = _cell_info(text[1:])
    if len(_LINE_CELL) < CELL_INFO_LIMIT:
        _LINE_CELL[text] = info
    return info


def _row_cells(text: str) -> tuple[CellInfo, ...]:
    """:func:`_cell_info` of each tab-separated cell of ``text``."""
    infos = tuple(map(_cell_info, text.split("\t")))
    if len(_ROW_CELLS) < ROW_CELLS_LIMIT:
        _ROW_CELLS[text] = infos
    return infos


def _add_line_cells(cells: list[SourceCell], text: str, number: int) -> None:
    """The cells of a line that is not one tab-indented cell, added to the row's ``cells``.

    A line not starting with a tab continues the cell above, unless either is a number.
    """
    body = text.lstrip(_SPACE)
    if body.startswith("\t") or not cells:
        for part in body[1:].split("\t") if body.startswith("\t") else [text]:
            cells.append(source_cell(part, number))
        return
    first, *more = body.split("\t")
    first = first.strip(_SPACE)
    last = cells[-1]
    if _is_number(first) or _is_number(last.text):
        cells.append(source_cell(first, number))
    else:
        cells[-1] = extended(last, first)
    cells.extend(map(source_cell, more, repeat(number)))
