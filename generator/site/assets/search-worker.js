/* The site's search worker: our own code, no library.
 *
 * Material for MkDocs runs its search in a web worker whose address it reads from the
 * page's configuration (overrides/main.html points it here). Material's own worker
 * builds a lunr index in the browser from every entry before it can answer: at 10,000
 * reports (12,000 entries) that alone took 1.0-1.5 s of the 2.1-2.5 s to a first
 * result. This one answers from the entries as they come: each query is a scan of
 * about 12,000 short titles, a few milliseconds.
 *
 * It speaks Material's worker protocol (message type numbers from Material 9):
 *   {type: 0, data: {config, docs, options}}  ->  {type: 1}
 *   {type: 2, data: "query"}                  ->  {type: 3, data: {items, suggest}}
 * where items is a list of groups, one per page (the page and any of its sections),
 * each item a document of the index plus its score and the query's terms.
 *
 * Matching. The query is cut into terms at spaces and punctuation, and between Han and
 * other characters (繁峙县2023 -> 繁峙县, 2023). A term is found in a page when its
 * title or keywords hold it as a substring (so 公安局 finds 繁峙县公安局, 复议 finds
 * 行政复议). A Han term found whole nowhere is cut into words of the index, each the
 * longest start of an index word (繁峙公安局 -> 繁峙 + 公安局, since 繁峙县 is a word);
 * it is then found where every such word is, if all have two characters or more, so
 * that nonsense (火星自治州量子局) is not found by its single characters. A page is
 * listed when it has any of the terms; pages with all of them come first.
 *
 * Ranking: a term in the title counts more than one in the keywords, more again at
 * the title's start, most for the whole title; a page's boost (agency pages) scales
 * its score; ties go to the shorter title, then to the index order.
 *
 * Titles are HTML-escaped here before matches are wrapped in <mark>: Material puts
 * the title into the page as HTML. An entry's text (the build's summary line) comes
 * escaped already; only Han matches are marked in it.
 */
"use strict";

var SETUP = 0;
var READY = 1;
var QUERY = 2;
var RESULT = 3;

var ZWSP = /\u200b/g;
var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
var HAN_ONLY = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/;
var HAN_OR_OTHER = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
var SEPARATOR = /[\s\u200b\u3000\-_、。，．,.？?！!；;：:（）()【】\[\]《》<>「」『』"“”'‘’*+~^|\\/]+/;
var TAGS = /<[^>]*>/g;

var WEIGHT = {
  titleWhole: 40,    /* the title is the term */
  titleStart: 20,    /* the title starts with it */
  title: 10,         /* the title contains it */
  other: 4,          /* the keywords (or text) contain it */
  titleWords: 6,     /* all its index words are in the title */
  otherWords: 2      /* all its index words are in the title or keywords */
};

/* --- text ------------------------------------------------------------------------ */

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

function plain(value) {
  if (typeof value !== "string") return "";
  return value.indexOf("\u200b") >= 0 ? value.replace(ZWSP, "") : value;
}

/* The query's terms: lower-cased, full-width letters and digits made plain (NFKC),
 * cut at separators and at every change between Han and other characters. */
function terms(query) {
  var out = [];
  String(query).normalize("NFKC").toLowerCase().split(SEPARATOR).forEach(function (part) {
    (part.match(HAN_OR_OTHER) || []).forEach(function (term) {
      if (term && out.indexOf(term) < 0) out.push(term);
    });
  });
  return out;
}

/* --- the index --------------------------------------------------------------------- */

/* One entry made ready for matching. */
function prepare(doc, order, fields) {
  var title = plain(doc.title);
  var other = "";
  for (var i = 0; i < fields.length; i++) {
    var value = plain(doc[fields[i]]);
    if (value) other += (value.indexOf("<") >= 0 ? value.replace(TAGS, " ") : value) + "\n";
  }
  return {
    doc: doc,
    order: order,
    path: String(doc.location).split("#")[0],
    title: title,
    lowTitle: title.toLowerCase(),
    lowOther: other.toLowerCase(),
    boost: typeof doc.boost === "number" && doc.boost > 0 ? doc.boost : 1
  };
}

/* The index words: the pieces the build cut titles and keywords into (U+200B between
 * them), two characters or more, sorted for a binary search by prefix. */
function vocabulary(entries, fields) {
  var seen = Object.create(null);
  entries.forEach(function (entry) {
    var doc = entry.doc;
    ["title"].concat(fields).forEach(function (name) {
      if (typeof doc[name] !== "string") return;
      doc[name].toLowerCase().split(/[\u200b\s]+/).forEach(function (word) {
        if (word.length >= 2) seen[word] = true;
      });
    });
  });
  return Object.keys(seen).sort();
}

function SearchIndex(data) {
  var config = data.config || {};
  var docs = Array.isArray(data.docs) ? data.docs : [];
  this.fields = Object.keys(config.fields || { text: {} }).filter(function (name) {
    return name !== "title" && name !== "tags";
  });
  this.suggest = Boolean(data.options && data.options.suggest);
  this.words = null;  /* made when first needed: most queries are found whole */
  var fields = this.fields;
  this.entries = docs.map(function (doc, n) { return prepare(doc, n, fields); });
  this.pages = Object.create(null);
  var pages = this.pages;
  this.entries.forEach(function (entry) {
    if (!(entry.path in pages)) pages[entry.path] = entry;
  });
}

/* Whether some index word starts with ``text``. */
SearchIndex.prototype.startsWord = function (text) {
  if (this.words === null) this.words = vocabulary(this.entries, this.fields);
  var words = this.words;
  var lo = 0;
  var hi = words.length;
  while (lo < hi) {
    var mid = (lo + hi) >> 1;
    if (words[mid] < text) lo = mid + 1; else hi = mid;
  }
  return lo < words.length && words[lo].lastIndexOf(text, 0) === 0;
};

/* A Han term cut into the longest starts of index words; null when a piece would be
 * a single character (or the term is a single word already). */
SearchIndex.prototype.pieces = function (term) {
  if (!HAN.test(term) || term.length < 3) return null;
  var out = [];
  var start = 0;
  while (start < term.length) {
    var end = start + 1;
    while (end < term.length && this.startsWord(term.slice(start, end + 1))) end++;
    if (end - start < 2) return null;
    out.push(term.slice(start, end));
    start = end;
  }
  return out.length > 1 ? out : null;
};

/* --- matching ------------------------------------------------------------------------ */

function scoreTerm(entry, term, pieces) {
  var at = entry.lowTitle.indexOf(term);
  if (at === 0 && entry.lowTitle.length === term.length) return WEIGHT.titleWhole;
  if (at === 0) return WEIGHT.titleStart;
  if (at > 0) return WEIGHT.title;
  if (entry.lowOther.indexOf(term) >= 0) return WEIGHT.other;
  if (!pieces) return 0;
  var inTitle = true;
  for (var i = 0; i < pieces.length; i++) {
    if (entry.lowTitle.indexOf(pieces[i]) >= 0) continue;
    if (entry.lowOther.indexOf(pieces[i]) < 0) return 0;
    inTitle = false;
  }
  return inTitle ? WEIGHT.titleWords : WEIGHT.otherWords;
}

/* The title, HTML-escaped, with every occurrence of the query's ``marks`` (a
 * regular expression, or null) wrapped in <mark>. */
function highlight(entry, marks) {
  var title = entry.title;
  if (!marks || entry.lowTitle.length !== title.length) return escapeHtml(title);
  var html = "";
  var last = 0;
  entry.lowTitle.replace(marks, function (match, at) {
    html += escapeHtml(title.slice(last, at)) + "<mark>" + escapeHtml(title.slice(at, at + match.length)) + "</mark>";
    last = at + match.length;
    return match;
  });
  return html + escapeHtml(title.slice(last));
}

/* The entry's text (HTML, as Material's index holds it) with Han matches (``hanMarks``,
 * a regular expression, or null) marked where it has no tags: Han characters never
 * occur inside an entity such as &amp;. */
function markText(text, hanMarks) {
  if (typeof text !== "string") return "";
  if (!text || !hanMarks || text.indexOf("<") >= 0) return text;
  return text.replace(hanMarks, "<mark>$&</mark>");
}

/* One regular expression finding any of ``marks`` (longest first), or null. */
function anyOf(marks) {
  var unique = marks.filter(function (mark, n) { return mark && marks.indexOf(mark) === n; });
  if (!unique.length) return null;
  unique.sort(function (a, b) { return b.length - a.length; });
  return new RegExp(unique.map(function (mark) {
    return mark.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }).join("|"), "g");
}

function item(entry, score, found, marks) {
  var doc = {};
  Object.keys(entry.doc).forEach(function (key) { doc[key] = entry.doc[key]; });
  doc.title = highlight(entry, marks.all);
  doc.text = markText(doc.text, marks.han);
  doc.score = score;
  doc.terms = found;
  return doc;
}

/* The word of the best result's title that completes the query's last word. */
SearchIndex.prototype.completion = function (query, best) {
  var typed = String(query).split(/[\s-]+/).pop();
  if (!typed || !best) return [];
  var words = String(best.doc.title).split(/[\u200b\s]+/);
  for (var i = 0; i < words.length; i++)
    if (words[i].length > typed.length && words[i].lastIndexOf(typed, 0) === 0) return [words[i]];
  return [];
};

/* Every page that has at least one of the query's terms: those with more of them
 * first (a term missing from a result is shown struck through by Material), then by
 * score. */
SearchIndex.prototype.search = function (query) {
  var list = terms(query);
  if (!list.length) return { items: [] };
  var that = this;
  var cuts = list.map(function (term) {
    var whole = that.entries.some(function (entry) {
      return entry.lowTitle.indexOf(term) >= 0 || entry.lowOther.indexOf(term) >= 0;
    });
    return whole ? null : that.pieces(term);
  });

  /* The marks of the terms found, as regular expressions, one pair for each
   * combination of found terms. */
  var made = {};
  function marksFor(which) {
    if (!(which in made)) {
      var marks = [];
      list.forEach(function (term, n) {
        if (which[n] === "1") marks = marks.concat([term], cuts[n] || []);
      });
      made[which] = {
        all: anyOf(marks),
        han: anyOf(marks.filter(function (mark) { return HAN_ONLY.test(mark); }))
      };
    }
    return made[which];
  }

  var hits = [];
  var length = list.join("").length;
  var entries = this.entries;
  var scores = new Array(list.length);
  for (var e = 0; e < entries.length; e++) {
    var entry = entries[e];
    var score = 0;
    var count = 0;
    for (var n = 0; n < list.length; n++) {
      scores[n] = scoreTerm(entry, list[n], cuts[n]);
      if (scores[n]) { count++; score += scores[n]; }
    }
    if (!count) continue;
    var found = {};
    var which = "";
    for (n = 0; n < list.length; n++) {
      found[list[n]] = scores[n] > 0;
      which += scores[n] > 0 ? "1" : "0";
    }
    score += length / Math.max(entry.title.length, 1);
    hits.push({ entry: entry, count: count, score: score * entry.boost, found: found,
                marks: marksFor(which) });
  }
  hits.sort(function (a, b) {
    return b.count - a.count ||
      b.score - a.score ||
      a.entry.title.length - b.entry.title.length ||
      a.entry.order - b.entry.order;
  });

  var groups = [];
  var byPage = Object.create(null);
  hits.forEach(function (hit) {
    var group = byPage[hit.entry.path];
    if (!group) groups.push(group = byPage[hit.entry.path] = []);
    group.push(item(hit.entry, hit.score, hit.found, hit.marks));
  });
  groups.forEach(function (group) {
    var page = that.pages[group[0].location.split("#")[0]];
    var has = group.some(function (doc) { return doc.location === page.doc.location; });
    if (!has) group.push(item(page, 0, {}, { all: null, han: null }));
  });

  var result = { items: groups };
  if (this.suggest) result.suggest = this.completion(query, hits.length ? hits[0].entry : null);
  return result;
};

/* --- the worker ---------------------------------------------------------------------- */

/* Where the site's whole index is, from this file (assets/site/search-worker.js). */
var OWN_INDEX = "../../search/entries.json";

var index = null;
var waiting = false;    /* a setup message waits for the worker's own fetch */
var fetching = null;    /* the worker's own fetch of the index, while it is under way */

/* The index from Material's setup message, unless the worker's own fetch brings it:
 * the online edition gives Material's page an index with no entries (see
 * generator/site/shards.py), so a setup without entries waits for that fetch. */
function handle(message) {
  if (message.type === SETUP) {
    var data = message.data || {};
    var suggest = Boolean(data.options && data.options.suggest);
    if (index) {
      index.suggest = suggest;
    } else if (fetching && !(data.docs && data.docs.length)) {
      waiting = true;
      fetching.then(function () {
        if (!index) index = new SearchIndex(data);
        index.suggest = suggest;
        reply({ type: READY });
      });
      return null;
    } else {
      index = new SearchIndex(data);
    }
    return { type: READY };
  }
  if (message.type === QUERY) {
    return { type: RESULT, data: index ? index.search(message.data) : { items: [] } };
  }
  throw new TypeError("unknown search message type: " + message.type);
}

/* Every setup message is answered with READY once the index is held, even when the
 * worker has said so on its own before: the page may not have been listening then
 * (overrides/main.html starts the worker before Material's code has run, and a message
 * to a page with no listener is lost). Material heeds the first READY it hears. */
function reply(message) {
  if (message) postMessage(message);
}

/* The worker fetches the whole index itself as soon as it starts, parses it off the
 * page's main thread and says it is ready as soon as it holds it; Material sends
 * queries from then on. Not over file:// (the offline edition), where the index is a
 * script the page loads and only the setup message brings it. */
function fetchOwnIndex() {
  if (typeof WorkerGlobalScope === "undefined" || typeof fetch !== "function") return;
  if (!/^https?:$/.test(self.location.protocol)) return;
  fetching = fetch(new URL(OWN_INDEX, self.location.href).href)
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(function (data) {
      if (index) return;
      index = new SearchIndex({ config: data.config, docs: data.docs, options: { suggest: true } });
      if (!waiting) reply({ type: READY });  /* else the waiting setup answers */
    })
    .catch(function (error) {
      console.warn("search: " + OWN_INDEX + " not fetched, searching what Material sends:", error);
    })
    .then(function () { fetching = null; });
}

if (typeof WorkerGlobalScope !== "undefined" || typeof parent !== "undefined" && parent !== self) {
  addEventListener("message", function (event) {
    reply(handle(event.data));
  });
  fetchOwnIndex();
}

/* For tests that load this file into a page. */
self.siteSearch = { terms: terms, SearchIndex: SearchIndex, handle: handle };
