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
from functools import lru_cache

from generator.parsing.text import CellKind, CellValue, is_labelish, parse_cell


class SourceCell:
    """One printed cell: its text and its 1-based source line."""

    __slots__ = ("_text", "line", "is_label", "_value")

    def __init__(self, text: str, line: int) -> None:
        self._text = text
        self.line = line
        self._value, self.is_label = _cell_info(text)
        """``is_label``: words, not a number (a number with a glued unit such as 万 is a number)."""

    @property
    def text(self) -> str:
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        self._text = value
        self._value, self.is_label = _cell_info(value)

    def __repr__(self) -> str:
        return f"SourceCell({self._text!r}, {self.line})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, SourceCell) and self._text == other._text
                and self.line == other.line)

    __hash__ = None  # type: ignore[assignment]

    def value(self) -> CellValue:
        return self._value


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
        return any(c.value().kind is CellKind.NUMBER for c in self.cells)

    def labels(self) -> list[SourceCell]:
        return [c for c in self.cells if c.is_label]

    def values_after(self, label: SourceCell, count: int) -> list[SourceCell]:
        """The cells after ``label``, the cell that named the row, for ``count`` columns.

        A word right after the label is a cell that cannot be read ("无") and keeps its
        column, unless the row has more than ``count`` cells: then leading words are
        the rest of the label (a note printed in a cell of its own).
        """
        index = next((i for i, c in enumerate(self.cells) if c is label), -1)
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
        first = next((i for i, c in enumerate(self.cells) if c.is_label), None)
        if first is None:
            return list(self.cells)
        last = first
        for i in range(first + 1, len(self.cells)):
            cell = self.cells[i]
            if cell.value().kind is CellKind.NUMBER:
                break
            if cell.is_label:
                last = i
        return self.cells[last + 1:]


@lru_cache(maxsize=65536)
def _cell_info(text: str) -> tuple[CellValue, bool]:
    """The cell's value, and whether it is a label (words rather than a number)."""
    value = parse_cell(text)
    return value, is_labelish(text) and value.kind is not CellKind.NUMBER


def _is_number(text: str) -> bool:
    return parse_cell(text).kind is CellKind.NUMBER


Line = tuple[int, str]
"""(1-based line number, raw line text)."""


def is_row_layout(lines: Sequence[Line]) -> bool:
    """True when most non-blank lines hold a tab between two cells."""
    content = [text for _, text in lines if text.strip()]
    if not content:
        return False
    inner = sum(1 for text in content if "\t" in text.strip("\t \u3000\u00a0"))
    return inner * 2 >= len(content)


def logical_rows(lines: Sequence[Line]) -> list[LogicalRow]:
    """Group a table region's lines into rows, detecting its layout."""
    if is_row_layout(lines):
        return _rows_per_line(lines)
    return _cells_per_line(lines)


def _rows_per_line(lines: Sequence[Line]) -> list[LogicalRow]:
    rows = []
    for number, text in lines:
        if not text.strip():
            continue
        cells = [SourceCell(part.strip(" \u3000\u00a0"), number) for part in text.split("\t")]
        rows.append(LogicalRow(cells, [number]))
    return rows


_SPACE = " \u3000\u00a0"


def _cells_per_line(lines: Sequence[Line]) -> list[LogicalRow]:
    rows: list[LogicalRow] = []
    current = LogicalRow()
    for number, text in lines:
        if text[:1] == "\t" and "\t" not in text[1:]:
            # The common line: one tab-indented cell.
            current.lines.append(number)
            current.cells.append(SourceCell(text[1:].strip(_SPACE), number))
            continue
        if not text.strip(_SPACE) and "\t" not in text:
            if current.cells:
                rows.append(current)
            current = LogicalRow()
            continue
        current.lines.append(number)
        body = text.lstrip(" \u3000\u00a0")
        if body.startswith("\t") or not current.cells:
            for part in body[1:].split("\t") if body.startswith("\t") else [text]:
                current.cells.append(SourceCell(part.strip(" \u3000\u00a0"), number))
            continue
        first, *more = body.split("\t")
        first = first.strip(" \u3000\u00a0")
        last = current.cells[-1]
        if _is_number(first) or _is_number(last.text):
            current.cells.append(SourceCell(first, number))
        else:
            last.text = last.text + first
        current.cells.extend(SourceCell(part.strip(" \u3000\u00a0"), number) for part in more)
    if current.cells:
        rows.append(current)
    return rows
