"""CSV downloads: report text never becomes a spreadsheet formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from generator.site.csvrows import csv_value


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","点击")', "+1+1", "-2+3",
                                  "@SUM(A1:A9)", "\t=1", "\r=1"])
def test_formula_text_is_shown_as_text(text: str) -> None:
    assert csv_value(text) == "'" + text
    out = io.StringIO()
    csv.writer(out).writerow([csv_value(text)])
    assert next(csv.reader(io.StringIO(out.getvalue())))[0].startswith("'")


@pytest.mark.parametrize(("value", "shown"), [(-5, "-5"), (3.0, "3"), (2.5, "2.5"), (None, ""),
                                              ("隰县人民政府", "隰县人民政府"), ("a=b", "a=b")])
def test_other_values_are_as_printed(value: object, shown: str) -> None:
    assert csv_value(value) == shown
