"""The site's search worker (``generator/site/assets/search-worker.js``), case by case.

The worker file is loaded into a blank Chromium page (where it registers no message
handler, only ``self.siteSearch``) and its index is fed a small fixed set of entries
shaped like the build's (titles cut with U+200B, keywords, agency pages boosted).
Each case is a query and what Material would be handed back. The site-level search
tests (``test_browser.py``) check the same worker behind Material's search box.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from generator.site.assets import OWN_ASSETS

pytestmark = pytest.mark.browser

WORKER = OWN_ASSETS / "search-worker.js"
Z = "\u200b"

DOCS: list[dict[str, Any]] = [
    {"location": "index.html", "title": "首页", "text": "",
     "keywords": f"行政{Z}复议{Z}诉讼"},
    {"location": "regions/140924.html", "title": "繁峙县", "text": ""},
    {"location": "agencies/140924-a.html", "title": f"繁峙县{Z}公安局", "text": "", "boost": 2},
    {"location": "agencies/140924-b.html", "title": f"繁峙县{Z}人民政府{Z}办公室", "text": "",
     "keywords": "政府", "boost": 2},
    {"location": "agencies/140923-c.html", "title": f"代县{Z}公安局",
     "text": "山西省 › 忻州市 › 代县 · 县级 · 政府部门", "boost": 2},
    {"location": "agencies/140923-d.html", "title": f"代县{Z}教育局", "text": "", "boost": 2},
    {"location": "agencies/x.html", "title": f"＜img src=x onerror=alert(1)＞{Z}统计局",
     "text": "", "boost": 2},
    {"location": "about.html", "title": "关于", "text": ""},
    {"location": "about.html#sources", "title": "来源", "text": "各地 <b>政府</b> 网站"},
]
CONFIG = {"lang": ["zh"], "separator": "[\\s\\u200b]+", "pipeline": [],
          "fields": {"title": {"boost": 1000}, "text": {"boost": 1}, "keywords": {"boost": 0.5}}}

SEARCH_JS = """([docs, config, suggest, query]) => {
  const index = new self.siteSearch.SearchIndex({docs, config, options: {suggest}});
  return index.search(query);
}"""


@pytest.fixture(scope="module")
def blank(browser: Any) -> Iterator[Any]:
    """A blank page (no network) with the worker's code loaded."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><title>t</title>")
    page.add_script_tag(content=WORKER.read_text(encoding="utf-8"))
    try:
        yield page
    finally:
        context.close()


def run(blank: Any, query: str, suggest: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = blank.evaluate(SEARCH_JS, [DOCS, CONFIG, suggest, query])
    return result


def paths(result: dict[str, Any]) -> list[str]:
    """The page of each result group, in order."""
    return [group[0]["location"].split("#")[0] for group in result["items"]]


# --- terms ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "terms"), [
    ("繁峙县 公安局", ["繁峙县", "公安局"]),
    ("繁峙县2023", ["繁峙县", "2023"]),
    ("  ＡＢＣ，公安局。 ", ["abc", "公安局"]),
    ("公安局 公安局", ["公安局"]),
    ("\"行政复议\" -诉讼*", ["行政复议", "诉讼"]),
    ("", []),
    ("，。 ", []),
])
def test_query_is_cut_into_terms(blank: Any, query: str, terms: list[str]) -> None:
    assert blank.evaluate("q => self.siteSearch.terms(q)", query) == terms


# --- what is found, in which order -------------------------------------------------------

@pytest.mark.parametrize(("query", "expected"), [
    # a place: its agencies (boosted) first, then its region page
    ("繁峙", ["agencies/140924-a.html", "agencies/140924-b.html", "regions/140924.html"]),
    # an agency type inside longer names, never a page without it
    ("公安局", ["agencies/140923-c.html", "agencies/140924-a.html"]),
    # the whole title ranks first
    ("繁峙县公安局", ["agencies/140924-a.html"]),
    # a part of a keyword
    ("复议", ["index.html"]),
    # words of the index put together without the 县: cut into 繁峙 + 公安局
    ("繁峙公安局", ["agencies/140924-a.html"]),
    # both terms first, then pages with one of them
    ("繁峙 公安局", ["agencies/140924-a.html", "agencies/140924-b.html",
                    "agencies/140923-c.html", "regions/140924.html"]),
    # upper/lower case and full-width letters are the same
    ("IMG", ["agencies/x.html"]),
    ("ｉｍｇ", ["agencies/x.html"]),
    # a section's text: listed under its page
    ("网站", ["about.html"]),
    # an agency's summary (its place path) when its title lacks the city
    ("忻州市", ["agencies/140923-c.html"]),
    ("忻州 公安局", ["agencies/140923-c.html", "agencies/140924-a.html"]),
])
def test_query_finds_pages_in_order(blank: Any, query: str, expected: list[str]) -> None:
    assert paths(run(blank, query)) == expected


@pytest.mark.parametrize("query", [
    "锟斤拷䶵", "qzxvbnkw", "火星自治州量子局", "繁峙量子", "", "  ", "<script>",
])
def test_nonsense_finds_nothing(blank: Any, query: str) -> None:
    assert run(blank, query)["items"] == []


def test_missing_term_is_marked_false_for_material_to_strike_through(blank: Any) -> None:
    result = run(blank, "代县 繁峙县")
    first = result["items"][0][0]
    assert first["terms"] == {"代县": True, "繁峙县": False} or \
        first["terms"] == {"代县": False, "繁峙县": True}


def test_section_match_brings_its_page_into_the_group(blank: Any) -> None:
    group = run(blank, "网站")["items"][0]
    assert sorted(doc["location"] for doc in group) == ["about.html", "about.html#sources"]
    page = next(doc for doc in group if doc["location"] == "about.html")
    assert page["score"] == 0 and page["terms"] == {}


# --- what Material is handed ----------------------------------------------------------------

def test_title_is_escaped_then_marked(blank: Any) -> None:
    doc = run(blank, "img 统计局")["items"][0][0]
    assert doc["title"] == ("＜<mark>img</mark> src=x onerror=alert(1)＞<mark>统计局</mark>")
    assert "\u200b" not in doc["title"]


def test_markup_in_a_title_reaches_material_as_text(blank: Any) -> None:
    docs = [{"location": "a.html", "title": "<img src=x onerror=alert(1)>局&amp;", "text": ""}]
    result = blank.evaluate(SEARCH_JS, [docs, CONFIG, False, "局"])
    assert result["items"][0][0]["title"] == \
        "&lt;img src=x onerror=alert(1)&gt;<mark>局</mark>&amp;amp;"


def test_summary_text_gets_han_marks_only(blank: Any) -> None:
    doc = run(blank, "忻州 代县")["items"][0][0]
    assert doc["text"] == "山西省 › <mark>忻州</mark>市 › <mark>代县</mark> · 县级 · 政府部门"
    docs = [{"location": "a.html", "title": "局", "text": "a &amp; b 局"},
            {"location": "b.html", "title": "处", "text": "<p>局</p>"}]
    result = blank.evaluate(SEARCH_JS, [docs, CONFIG, False, "amp 局"])
    texts = sorted(group[0]["text"] for group in result["items"])
    assert texts == ["<p>局</p>", "a &amp; b <mark>局</mark>"]


def test_agency_pages_keep_their_fields_and_get_score_and_terms(blank: Any) -> None:
    doc = run(blank, "繁峙县公安局")["items"][0][0]
    assert doc["location"] == "agencies/140924-a.html" and doc["boost"] == 2
    assert doc["terms"] == {"繁峙县公安局": True} and doc["score"] > 0
    assert doc["text"] == ""


def test_suggestion_completes_the_last_word_from_the_best_title(blank: Any) -> None:
    assert run(blank, "繁峙", suggest=True)["suggest"] == ["繁峙县"]
    assert run(blank, "公安局", suggest=True)["suggest"] == []
    assert "suggest" not in run(blank, "繁峙", suggest=False)


# --- the protocol ---------------------------------------------------------------------------

def test_worker_messages_follow_materials_protocol(blank: Any) -> None:
    replies = blank.evaluate("""([docs, config]) => {
      const h = self.siteSearch.handle;
      const before = h({type: 2, data: "繁峙"});
      const ready = h({type: 0, data: {docs, config, options: {suggest: false}}});
      const result = h({type: 2, data: "繁峙"});
      let error = null;
      try { h({type: 7}); } catch (e) { error = e.name; }
      return [before, ready, result.type, result.data.items.length, error];
    }""", [DOCS, CONFIG])
    assert replies == [{"type": 3, "data": {"items": []}}, {"type": 1}, 3, 3, "TypeError"]


def test_worker_file_registers_no_handler_in_a_page(blank: Any) -> None:
    # Loaded into a page (not a worker, not the iframe-worker shim's frame), the file must
    # not answer the page's own messages: it would answer itself without end.
    assert blank.evaluate("""() => new Promise(resolve => {
      let seen = 0;
      addEventListener("message", () => { seen++; });
      postMessage({type: 2, data: "繁峙"}, "*");
      setTimeout(() => resolve(seen), 100);
    })""") == 1
