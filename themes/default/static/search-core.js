/* planboek search engine: the query side of the index that `planboek build` writes under
   _search/. The index files are classic scripts that hand their data to window.planboekSearch
   (so search works opened from disk and under `Content-Security-Policy: script-src 'self'`):
   meta.js first, then word (w/), term (t/) and document (d/) files as a query needs them.
   This file repeats the Rust rules of src/search exactly (pieces, folding, the Dutch Snowball
   stemmer, query parsing and scores); a test runs it in node against the Rust reference
   query on the same index. It touches no DOM: search.js draws the page. */
(function (root) {
  "use strict";

  var MIN_PREFIX = 3, MAX_EXPANSIONS = 5, MAX_TERMS = 10, WINDOW = 30;
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var VALUE = {};
  var CODE = new Int8Array(128).fill(-1);
  for (var a = 0; a < 64; a++) {
    VALUE[ALPHABET.charAt(a)] = a;
    CODE[ALPHABET.charCodeAt(a)] = a;
  }

  /* ---- the number code (src/search/code.rs) ---- */

  /** Every number of a code string. */
  function numbers(code) {
    var out = [], n = 0, scale = 1;
    for (var i = 0; i < code.length; i++) {
      var c = code.charCodeAt(i), v = c < 128 ? CODE[c] : -1;
      if (v < 0) break;
      if (v < 32) {
        out.push(n + v * scale);
        n = 0;
        scale = 1;
      } else {
        n += (v - 32) * scale;
        scale *= 32;
      }
    }
    return out;
  }

  /** Postings with `width` numbers per page: {pages: [...], values: [...]} (values flat). */
  function postings(code, width) {
    var all = numbers(code), pages = [], values = [], page = -1;
    for (var i = 0; i + width < all.length; i += 1 + width) {
      page = page < 0 ? all[i] : page + all[i] + 1;
      pages.push(page);
      for (var k = 1; k <= width; k++) values.push(all[i + k]);
    }
    return { pages: pages, values: values };
  }

  /** A stem's packed postings (code::pack): {pages, values} with the impacts as values,
      decoded straight into typed arrays (a common word has a posting on every page). */
  function packed(code) {
    var pages = new Int32Array(code.length), values = new Uint8Array(code.length), count = 0;
    var page = -1, n = 0, scale = 1;
    for (var i = 0; i < code.length; i++) {
      var c = code.charCodeAt(i), v = c < 128 ? CODE[c] : -1;
      if (v < 0) break;
      if (v >= 32) {
        n += (v - 32) * scale;
        scale *= 32;
        continue;
      }
      var x = n + v * scale, delta = Math.floor(x / 32);
      n = 0;
      scale = 1;
      page = page < 0 ? delta : page + delta + 1;
      pages[count] = page;
      values[count++] = x % 32;
    }
    return { pages: pages.subarray(0, count), values: values.subarray(0, count) };
  }

  /* ---- words (src/search/words.rs) ---- */

  var WORD_CHAR = /[\p{Alphabetic}\p{N}\p{M}]/u;
  var APOSTROPHE = /['\u2019]/;

  function isWordChar(c) {
    return WORD_CHAR.test(c);
  }

  /** The pieces of `text`: [{text, word}], words and what lies between them. */
  function pieces(text) {
    var out = [], chars = Array.from(text), start = 0, inWord = null, buf = "";
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      var word = isWordChar(c);
      if (inWord === true && APOSTROPHE.test(c) && (chars[i + 1] === "s" || chars[i + 1] === "S") &&
          !(i + 2 < chars.length && isWordChar(chars[i + 2]))) {
        buf += c + chars[i + 1];
        i++;
        continue;
      }
      if (inWord !== word) {
        if (inWord !== null) out.push({ text: buf, word: inWord });
        buf = "";
        inWord = word;
      }
      buf += c;
    }
    if (inWord !== null) out.push({ text: buf, word: inWord });
    return out;
  }

  var SPECIAL = { "\u00df": "ss", "\u00e6": "ae", "\u0153": "oe", "\u00f8": "o", "\u0111": "d", "\u00f0": "d",
    "\u0142": "l", "\u0127": "h", "\u0167": "t", "\u00fe": "th", "\u0131": "i" };

  /** A word folded: `Financiën` → `financien`, `risico's` → `risico`. */
  function fold(word) {
    word = word.replace(/['\u2019][sS]$/, "");
    if (/^[\x00-\x7f]*$/.test(word)) return word.toLowerCase();
    var lower = word.normalize("NFKD").replace(/[\p{M}'\u2019]/gu, "").toLowerCase();
    if (/^[\x00-\x7f]*$/.test(lower)) return lower;
    return Array.from(lower).map(function (c) { return SPECIAL[c] || c; }).join("");
  }

  /* ---- the Dutch Snowball stemmer (rust-stemmers' `Algorithm::Dutch`) ---- */

  function isV(c) {
    return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y" || c === "\u00e8";
  }

  /** The stem of a folded word; words with letters outside a–z are their own stem. */
  function stem(word) {
    if (!/^[a-z0-9]+$/.test(word)) return word;
    var w = word.split("");
    if (w[0] === "y") w[0] = "Y";
    for (var i = 0; i < w.length; i++) {
      if (!isV(w[i])) continue;
      if (w[i + 1] === "i" && i + 2 < w.length && isV(w[i + 2])) w[i + 1] = "I";
      else if (w[i + 1] === "y") w[i + 1] = "Y";
    }
    var n = w.length, p1 = n, p2 = n, j = 0;
    while (j < n && !isV(w[j])) j++;
    if (j < n) {
      j++;
      while (j < n && isV(w[j])) j++;
      if (j < n) {
        j++;
        p1 = Math.max(j, 3);
        while (j < n && !isV(w[j])) j++;
        if (j < n) {
          j++;
          while (j < n && isV(w[j])) j++;
          if (j < n) p2 = j + 1;
        }
      }
    }
    var s = w.join(""), eFound = false;
    function undouble() {
      if (/(kk|dd|tt)$/.test(s)) { s = s.slice(0, -1); return true; }
      return false;
    }
    function nonVowelBefore(at) { return at > 0 && !isV(s.charAt(at - 1)); }
    function eEnding() {
      eFound = false;
      var at = s.length - 1;
      if (s.charAt(at) !== "e" || at < p1 || !nonVowelBefore(at)) return false;
      s = s.slice(0, at);
      eFound = true;
      return undouble();
    }
    function enEnding(at) {
      if (at < p1 || !nonVowelBefore(at) || s.slice(0, at).slice(-3) === "gem") return false;
      s = s.slice(0, at);
      return undouble();
    }
    function sEnding(at) {
      if (at >= p1 && nonVowelBefore(at) && s.charAt(at - 1) !== "j") s = s.slice(0, at);
    }
    var end = function (suffix) { return s.slice(-suffix.length) === suffix && s.length >= suffix.length; };
    if (end("heden")) { if (s.length - 5 >= p1) s = s.slice(0, -5) + "heid"; }
    else if (end("ene")) enEnding(s.length - 3);
    else if (end("en")) enEnding(s.length - 2);
    else if (end("se")) sEnding(s.length - 2);
    else if (end("s")) sEnding(s.length - 1);
    eEnding();
    if (end("heid") && s.length - 4 >= p2 && s.charAt(s.length - 5) !== "c") {
      s = s.slice(0, -4);
      if (end("en")) enEnding(s.length - 2);
    }
    if (end("end") || end("ing")) {
      if (s.length - 3 >= p2) {
        s = s.slice(0, -3);
        if (end("ig") && s.length - 2 >= p2 && s.charAt(s.length - 3) !== "e") s = s.slice(0, -2);
        else undouble();
      }
    } else if (end("ig")) {
      if (s.length - 2 >= p2 && s.charAt(s.length - 3) !== "e") s = s.slice(0, -2);
    } else if (end("lijk")) {
      if (s.length - 4 >= p2) { s = s.slice(0, -4); eEnding(); }
    } else if (end("baar")) {
      if (s.length - 4 >= p2) s = s.slice(0, -4);
    } else if (end("bar")) {
      if (s.length - 3 >= p2 && eFound) s = s.slice(0, -3);
    }
    var L = s.length, last = s.charAt(L - 1), pair = s.slice(L - 3, L - 1);
    if (L >= 4 && !isV(last) && last !== "I" && (pair === "aa" || pair === "ee" || pair === "oo" || pair === "uu") &&
        !isV(s.charAt(L - 4))) {
      s = s.slice(0, L - 2) + last;
    }
    return s.replace(/Y/g, "y").replace(/I/g, "i");
  }

  /* ---- queries (src/search/query.rs) ---- */

  /** The terms of a query: [{word, stem, prefix}] or [{phrase: [stems]}]. */
  function parse(query) {
    var terms = [], parts = query.split('"');
    parts.forEach(function (part, i) {
      var folded = pieces(part).filter(function (p) { return p.word; })
        .map(function (p) { return fold(p.text); }).filter(function (w) { return w !== ""; });
      if (i % 2 === 1 && i + 1 < parts.length && folded.length > 1) {
        terms.push({ phrase: folded.map(stem) });
      } else {
        folded.forEach(function (w) { terms.push({ word: w, stem: stem(w), prefix: false }); });
      }
    });
    var chars = Array.from(query);
    if (chars.length && isWordChar(chars[chars.length - 1]) && terms.length && terms[terms.length - 1].word !== undefined) {
      terms[terms.length - 1].prefix = true;
    }
    var unique = [];
    terms.forEach(function (t) {
      var key = JSON.stringify(t);
      if (!unique.some(function (u) { return JSON.stringify(u) === key; })) unique.push(t);
    });
    return unique.slice(0, MAX_TERMS);
  }

  /* ---- loading the index files ---- */

  var meta = null, files = { words: {}, terms: {}, docs: {} }, waiting = {};

  /** Loads `_search/<dir>/<n>.js` (a document file: `_search/d/<n / meta.docFolder>/<n>.js`)
      once; resolves when it has handed over its data. */
  function load(kind, n) {
    if (files[kind][n]) return Promise.resolve(files[kind][n]);
    var key = kind + n;
    if (!waiting[key]) {
      var entry = {};
      entry.promise = new Promise(function (resolve, reject) { entry.resolve = resolve; entry.reject = reject; });
      waiting[key] = entry;
      var folder = kind === "docs" ? Math.floor(n / meta.docFolder) + "/" : "";
      api.loadScript(kind.charAt(0) + "/" + folder + n + ".js", function () {
        delete waiting[key];
        entry.reject(new Error("cannot load the search index (" + kind + " " + n + ")"));
      });
    }
    return waiting[key].promise;
  }

  /** The strings of a front-coded list of meta.js: [shared with the one before, rest]. */
  function unfront(list) {
    var prev = "";
    return list.map(function (e) { prev = prev.slice(0, e[0]) + e[1]; return prev; });
  }

  /** Called by the index files. */
  function arrived(kind, n, data) {
    files[kind][n] = data;
    var entry = waiting[kind + n];
    delete waiting[kind + n];
    if (entry) entry.resolve(data);
  }

  /** The last file whose first key is at most `key`. */
  function fileOf(keys, key) {
    var lo = 0, hi = keys.length - 1, found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (keys[mid] <= key) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  /** [idf, postings] of a stem, or null. */
  function stemEntry(s) {
    return load("terms", fileOf(meta.terms, s)).then(function (file) {
      var e = file[s];
      if (!Array.isArray(e)) return null;
      if (!e.decoded) e.decoded = packed(e[1]);
      return { idf: e[0], pages: e.decoded.pages, impacts: e.decoded.values };
    });
  }

  /** The pages of a word pair (decoded once). */
  var pairs = new Map();

  function pairPages(first, second) {
    var key = first + " " + second;
    if (pairs.has(key)) return Promise.resolve(pairs.get(key));
    return load("terms", fileOf(meta.terms, key)).then(function (file) {
      var e = file[key], pages = typeof e === "string" ? postings(e, 0).pages : [];
      pairs.set(key, pages);
      return pages;
    });
  }

  /** The stems a word term stands for: its own, and for a prefix the most frequent others. */
  function stemsOf(term) {
    var out = [term.stem];
    if (!term.prefix || Array.from(term.word).length < MIN_PREFIX) return Promise.resolve(out);
    var first = fileOf(meta.words, term.word), loads = [];
    for (var f = first; f < meta.words.length; f++) {
      if (f > first && meta.words[f].slice(0, term.word.length) !== term.word) break;
      loads.push(load("words", f));
    }
    return Promise.all(loads).then(function (lists) {
      var found = [];
      lists.forEach(function (list) {
        list.forEach(function (e) { if (e[0].slice(0, term.word.length) === term.word) found.push(e); });
      });
      found.sort(function (a, b) { return b[2] - a[2] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
      found.forEach(function (e) {
        if (out.indexOf(e[1]) < 0 && out.length <= MAX_EXPANSIONS) out.push(e[1]);
      });
      return out;
    });
  }

  /** The scores of one term, one slot per page: score + 1 where the page matches, else 0
      (typed arrays: a word of every page is 16,000 pages, which a Map makes slow). */
  function termScores(term) {
    var scores = new Int32Array(meta.pages);
    if (term.phrase) {
      var pairs = [];
      for (var i = 0; i + 1 < term.phrase.length; i++) pairs.push(pairPages(term.phrase[i], term.phrase[i + 1]));
      return Promise.all([Promise.all(pairs), Promise.all(term.phrase.map(stemEntry))]).then(function (r) {
        var pages = r[0].reduce(function (acc, list) {
          if (acc === null) return list;
          var set = new Set(list);
          return acc.filter(function (p) { return set.has(p); });
        }, null) || [];
        pages.forEach(function (page) {
          var sum = 0;
          r[1].forEach(function (e) {
            if (!e) return;
            var at = search(e.pages, page);
            if (at >= 0) sum += e.idf * e.impacts[at];
          });
          if (page < scores.length) scores[page] = sum + 1;
        });
        return scores;
      });
    }
    return stemsOf(term).then(function (stems) {
      return Promise.all(stems.map(stemEntry));
    }).then(function (entries) {
      entries.forEach(function (e) {
        if (!e) return;
        for (var i = 0; i < e.pages.length; i++) {
          var p = e.pages[i], s = e.idf * e.impacts[i] + 1;
          if (p < scores.length && s > scores[p]) scores[p] = s;
        }
      });
      return scores;
    });
  }

  /** Binary search in a sorted array. */
  function search(sorted, x) {
    var lo = 0, hi = sorted.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] === x) return mid;
      if (sorted[mid] < x) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  /* Every page's plan and status, unpacked once from meta.js: a query looks them up for
     each of up to all pages. */
  var pagePlan = null, pageStatus = null;

  function unpackPages() {
    pagePlan = new Int32Array(meta.pages);
    pageStatus = new Uint8Array(meta.pages);
    for (var k = 0; k < meta.plans.length; k++) {
      var end = k + 1 < meta.plans.length ? meta.plans[k + 1][1] : meta.pages;
      for (var p = meta.plans[k][1]; p < end && p < meta.pages; p++) pagePlan[p] = k;
    }
    for (var q = 0; q < meta.pages; q++) {
      pageStatus[q] = (VALUE[meta.status.charAt(Math.floor(q / 3))] >> (2 * (q % 3))) & 3;
    }
  }



  /** Runs `query`: {terms, count, hit(k) → [page, score] of the k-th best, plans: Map
      plan → count, statuses: [count per status]}, `filter` {plan, status} (null for any)
      applied to the hits; each facet counts under the other facet's filter. `hits`, every
      [page, score] best first, is made only when asked for: a word of every page has
      16,000 of them and a page shows ten. */
  function run(query, filter) {
    filter = filter || {};
    var terms = parse(query);
    if (!terms.length || !meta) return Promise.resolve(result(terms, new Float64Array(0), 1, new Map(), [0, 0, 0, 0]));
    return Promise.all(terms.map(termScores)).then(function (lists) {
      var total = lists[0];
      for (var i = 1; i < lists.length; i++) {
        var other = lists[i];
        for (var p = 0; p < total.length; p++) total[p] = total[p] && other[p] ? total[p] + other[p] - 1 : 0;
      }
      // Best first, then reading order: one number per hit (score × pages + the page counted
      // from the end) sorts without a comparator.
      var PAGES = Math.max(1, total.length), keys = new Float64Array(total.length), n = 0;
      var perPlan = new Int32Array(meta.plans.length), statuses = [0, 0, 0, 0];
      for (var page = 0; page < total.length; page++) {
        if (!total[page]) continue;
        var plan = pagePlan[page], status = pageStatus[page];
        var planOk = filter.plan == null || plan === filter.plan, statusOk = filter.status == null || status === filter.status;
        if (statusOk) perPlan[plan]++;
        if (planOk) statuses[status]++;
        if (planOk && statusOk) keys[n++] = (total[page] - 1) * PAGES + (PAGES - 1 - page);
      }
      var plans = new Map();
      for (var pl = 0; pl < perPlan.length; pl++) if (perPlan[pl]) plans.set(pl, perPlan[pl]);
      return result(terms, keys.subarray(0, n).sort().reverse(), PAGES, plans, statuses);
    });
  }

  /** The result of `run` over its sorted keys (score × pages + pages − 1 − page). */
  function result(terms, sorted, pages, plans, statuses) {
    var hit = function (k) {
      var score = Math.floor(sorted[k] / pages);
      return [pages - 1 - (sorted[k] - score * pages), score];
    };
    var out = { terms: terms, count: sorted.length, hit: hit, plans: plans, statuses: statuses };
    Object.defineProperty(out, "hits", {
      get: function () { return Array.from(sorted, function (_, k) { return hit(k); }); },
    });
    return out;
  }

  /* ---- documents and excerpts ---- */

  /** The document of `page`: {page, url, title, path, pieces: [{text, word}], heads}. A
      document file holds `meta.docPages` consecutive pages, so ten results load at most
      ten small files. */
  var decoded = new Map();

  function doc(page) {
    if (decoded.has(page)) return Promise.resolve(decoded.get(page));
    return load("docs", Math.floor(page / meta.docPages)).then(function (list) {
      for (var i = 0; i < list.length; i++) {
        if (list[i][0] !== page) continue;
        // Typing a query shows the same pages again and again; a few hundred are kept.
        if (decoded.size >= 200) decoded.clear();
        decoded.set(page, decodeDoc(list[i]));
        return decoded.get(page);
      }
      throw new Error("no document for page " + page);
    });
  }

  function decodeDoc(d) {
    var table = d[4], isWord = table.map(function (t) { return isWordChar(Array.from(t)[0] || ""); });
    var out = [], prevWord = false;
    numbers(d[5]).forEach(function (id) {
      var word = isWord[id];
      if (word && prevWord) out.push({ text: " ", word: false });
      out.push({ text: table[id], word: word });
      prevWord = word;
    });
    return { page: d[0], url: d[1], title: d[2], path: d[3], pieces: out, heads: d[6] };
  }

  /** The matcher of each query's terms, by its expansions: the ten excerpts of a result
      page share the words they fold and stem. */
  var matchers = new WeakMap();

  /** Which terms a folded word matches: a set of term indices. */
  function matcher(terms, expansions) {
    var cache = new Map();
    return function (text) {
      if (cache.has(text)) return cache.get(text);
      var folded = fold(text), s = stem(folded), hit = [];
      terms.forEach(function (t, i) {
        if (t.phrase ? t.phrase.indexOf(s) >= 0
          : expansions[i].indexOf(s) >= 0 || (t.prefix && folded.slice(0, t.word.length) === t.word)) hit.push(i);
      });
      cache.set(text, hit);
      return hit;
    };
  }

  /** The excerpt of a document for a query: {anchor, parts: [{text, mark}], before, after}
      where the window of WINDOW words holding the most different terms is shown. */
  function excerpt(d, terms, expansions) {
    var match = expansions && matchers.get(expansions);
    if (!match) {
      match = matcher(terms, expansions);
      if (expansions) matchers.set(expansions, match);
    }
    var words = [], i;
    d.pieces.forEach(function (p, at) { if (p.word) words.push({ at: at, hit: match(p.text) }); });
    // The window is slid one word at a time, counting each term's matches in it.
    var counts = terms.map(function () { return 0; }), distinct = 0, count = 0;
    function slide(k, by) {
      var hit = words[k].hit;
      if (!hit.length) return;
      count += by;
      for (var h = 0; h < hit.length; h++) {
        if (by > 0 && counts[hit[h]]++ === 0) distinct++;
        if (by < 0 && --counts[hit[h]] === 0) distinct--;
      }
    }
    for (i = 0; i < Math.min(words.length, WINDOW); i++) slide(i, 1);
    var best = 0, bestKey = distinct * 1000 + count;
    for (i = 1; i + WINDOW <= words.length; i++) {
      slide(i - 1, -1);
      slide(i + WINDOW - 1, 1);
      if (distinct * 1000 + count > bestKey) { bestKey = distinct * 1000 + count; best = i; }
    }
    // Start a little before the first match of the window, so it reads in context.
    var firstHit = best;
    while (firstHit < Math.min(words.length, best + WINDOW) && !words[firstHit].hit.length) firstHit++;
    var from = Math.max(0, Math.min(firstHit, words.length) - 4), to = Math.min(words.length, from + WINDOW);
    var parts = [];
    if (words.length) {
      var startPiece = words[from].at, endPiece = words[to - 1].at;
      for (i = startPiece; i <= endPiece; i++) {
        var p = d.pieces[i];
        var text = p.text.replace(/\s+/g, " ");
        parts.push({ text: text, mark: p.word && match(p.text).length > 0 });
      }
    }
    // The heading whose own words match most terms, else the one the excerpt falls under.
    var anchor = null, most = 0, under = null;
    d.heads.forEach(function (h) {
      var got = new Set();
      for (var w = h[2]; w < h[3] && w < words.length; w++) words[w].hit.forEach(function (t) { got.add(t); });
      if (got.size > most) { most = got.size; anchor = h[0]; }
      if (h[2] <= from) under = h[0];
    });
    return { anchor: anchor || under, parts: parts, before: from > 0, after: to < words.length };
  }

  var api = {
    /** Loads an index script by path under _search/; the page (or the node test) sets it. */
    loadScript: null,
    meta: function (m) {
      m.words = unfront(m.words);
      m.terms = unfront(m.terms);
      var titles = unfront(m.plans);
      m.plans = m.plans.map(function (p, i) { return [titles[i], p[2]]; });
      meta = m;
      unpackPages();
    },
    words: function (n, list) { arrived("words", n, list); },
    terms: function (n, map) { arrived("terms", n, map); },
    docs: function (n, list) { arrived("docs", n, list); },
    ready: function () { return meta !== null; },
    plans: function () { return meta ? meta.plans : []; },
    run: run,
    doc: doc,
    excerpt: excerpt,
    stemsOf: stemsOf,
    parse: parse,
    fold: fold,
    stem: stem,
    pieces: pieces,
  };
  root.planboekSearch = api;
})(typeof window !== "undefined" ? window : globalThis);
