"""Chinese names for data paths (``applications.granted.total`` -> 三、（一）予以公开 · 总计)."""

from __future__ import annotations

from generator.tables import (
    APPLICATION_COLUMNS,
    APPLICATION_ROW_BY_KEY,
    G_RESULTS,
    PROACTIVE_ITEMS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    SECTION_BY_KEY,
)

_APP_COLUMNS = {c.key: c.label for c in APPLICATION_COLUMNS}
_REVIEW_COLUMNS = {c.key: c.label for c in REVIEW_COLUMNS}
_REVIEW_GROUPS = {g.key: (f"{g.parent}（{g.label}）" if g.parent else g.label)
                  for g in REVIEW_GROUPS}


def _part(key: str) -> str:
    return f"第{SECTION_BY_KEY[key].number}部分："


def _row_label(key: str) -> str:
    row = APPLICATION_ROW_BY_KEY.get(key)
    if row is None:
        return key
    if row.group is None or row.group == G_RESULTS:
        return row.full_label
    return f"{row.group} {row.full_label}"


def _item_label(item: str, column: str, template: str | None) -> tuple[str, str]:
    for tpl in sorted(PROACTIVE_ITEMS, key=lambda t: t != template):
        for it in PROACTIVE_ITEMS[tpl]:
            if it.key == item:
                cols = {c.key: c.label for c in it.columns}
                return it.label, cols.get(column, column)
    return item, column


def path_label(path: str, template: str | None = None) -> str:
    """The Chinese name of a data path (raw text); unknown paths as given."""
    parts = str(path).split(".")
    head, rest = parts[0], parts[1:]
    if not rest and head in SECTION_BY_KEY:
        sdef = SECTION_BY_KEY[head]
        return f"第{sdef.number}部分：{sdef.heading}"
    if head == "applications" and rest:
        label = _part("applications") + _row_label(rest[0])
        return label + (f" · {_APP_COLUMNS.get(rest[1], rest[1])}" if len(rest) > 1 else "")
    if head == "proactive" and rest:
        item, col = _item_label(rest[0], rest[1] if len(rest) > 1 else "", template)
        return _part("proactive") + item + (f" · {col}" if col else "")
    if head in _REVIEW_GROUPS:
        label = _part("review") + _REVIEW_GROUPS[head]
        return label + (f" · {_REVIEW_COLUMNS.get(rest[0], rest[0])}" if rest else "")
    return str(path)
