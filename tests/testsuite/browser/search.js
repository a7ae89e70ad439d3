// Real-browser checks of the search page, driven by tests/testsuite/search.rs through
// playwright-core and Debian's Chromium; and the latency benchmark of the README and docs/benchmarks.md. Usage:
//   node search.js typing <site folder> <http|file> <word> <prefix of another word>
//   node search.js xss <site folder> <http|file>
//   node search.js finds <site folder> <page under the site> <query> <results: "some" or "none">
//   node search.js bench <site folder> <query> [<query> ...]
// (bench: per query the median over five typings, at 80 ms a key, of the latency from the
// last key to the first results shown (median_ms) and to the whole first page of results
// with the filters' counts (all_ms, after the typing pause), and the index bytes loaded while
// typing; and the bytes one search loads, opened as `search.html?q=…`.)
// With `http` the site is served by a small server in this process under a sub-path, with
// `Content-Security-Policy: script-src 'self'`, as a strict intranet host would.
"use strict";
const path = require("path");
const fs = require("fs");
const http = require("http");
const { chromium } = require(path.join(process.env.PLANBOEK_NODE_MODULES, "playwright-core"));

const CHROMIUM = process.env.PLANBOEK_CHROMIUM || "/usr/bin/chromium";
const SUB = "/intranet/afdeling/handboek/";
// The README's hosting policy: scripts only from files; styles may be inline (Markdown tables
// align cells with a style attribute, printed pages carry their plan's title in @page rules).
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

function assert(ok, message) {
  if (!ok) throw new Error(message);
}

/** Serves `site` under SUB on a free port, every response with the strict policy. */
function serve(site) {
  const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
    ".svg": "image/svg+xml", ".png": "image/png" };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const rel = decodeURIComponent(url.pathname);
    const file = path.join(site, rel.startsWith(SUB) ? rel.slice(SUB.length) : "\0");
    if (!rel.startsWith(SUB) || !file.startsWith(site) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { "Content-Security-Policy": CSP });
      return res.end("not found");
    }
    res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream",
      "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** The URL of `rel` under the site, over `how` (`http` or `file`). */
async function base(site, how) {
  if (how === "file") return { url: (rel) => "file://" + path.join(site, rel), close: () => {} };
  const server = await serve(site);
  const port = server.address().port;
  return { url: (rel) => "http://127.0.0.1:" + port + SUB + rel, close: () => server.close() };
}

/** A page that records what it loads from elsewhere, script errors, CSP reports and dialogs. */
async function open(browser, url) {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  page.foreign = [];
  page.errors = [];
  page.indexLoads = [];
  page.on("request", (r) => {
    const u = r.url();
    if (u.includes("/_search/")) page.indexLoads.push(u);
    if (!u.startsWith("file://") && !u.startsWith("http://127.0.0.1:") && !u.startsWith("data:")) page.foreign.push(u);
  });
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && page.errors.push(m.text()));
  page.on("dialog", (d) => { page.errors.push("a dialog opened: " + d.message()); d.dismiss(); });
  await page.goto(url);
  return page;
}

function clean(page) {
  assert(page.foreign.length === 0, "loaded from outside the handbook: " + page.foreign.join(", "));
  assert(page.errors.length === 0, "script errors: " + page.errors.join("; "));
}

/** Waits for the search page to show the results of what the box holds now. */
async function settled(page) {
  await page.waitForFunction(() => {
    const done = document.documentElement.getAttribute("data-pb-search-done");
    const box = document.getElementById("pb-search-q");
    return done && box && document.getElementById("pb-search-count").textContent !== "" &&
      window.__pbLastQuery === box.value;
  }, null, { timeout: 10000 });
}

async function track(page) {
  await page.evaluate(() => {
    document.getElementById("pb-search-page").addEventListener("pb-search-done", (e) => {
      window.__pbLastQuery = e.detail.query;
      window.__pbHits = e.detail.hits;
    });
  });
}

async function results(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll("#pb-search-results .pb-result")).map((li) => ({
    href: li.querySelector("a").getAttribute("href"),
    title: li.querySelector("a").textContent,
    where: li.querySelector(".pb-result__where").textContent,
    marks: Array.from(li.querySelectorAll("mark")).map((m) => m.textContent),
  })));
}

/** From the home page's header form to the results, typing, the keyboard, and a result's anchor. */
async function typing(site, how, word, prefix) {
  const at = await base(site, how);
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const page = await open(browser, at.url("index.html"));
    const form = await page.evaluate(() => {
      const f = document.querySelector("header form[role=search]");
      const input = f && f.querySelector('input[type=search][name=q]');
      const label = input && document.querySelector('label[for="' + input.id + '"]');
      return { ok: !!(f && input && label && label.textContent.trim()) };
    });
    assert(form.ok, "the header has a labelled search form");
    await page.fill("#pb-search-q", word);
    await Promise.all([page.waitForNavigation(), page.press("#pb-search-q", "Enter")]);
    assert(page.url().includes("search.html?q="), "the form leads to the search page: " + page.url());
    await track(page);
    await page.waitForSelector("#pb-search-results .pb-result", { timeout: 10000 });
    let found = await results(page);
    assert(found.length > 0, "results for " + word);
    assert(found.some((r) => r.marks.length > 0), "excerpts mark the word: " + JSON.stringify(found.slice(0, 3)));
    // A browser that kept index files of an earlier build never mixes them with this one's.
    const stamp = await page.evaluate(() => document.getElementById("pb-search-page").getAttribute("data-pb-stamp"));
    assert(/^[0-9a-f]{12}$/.test(stamp) && page.indexLoads.length > 1 &&
      page.indexLoads.every((u) => u.endsWith("?v=" + stamp)), "index files under this build's address: " + page.indexLoads);
    const live = await page.evaluate(() => {
      const c = document.getElementById("pb-search-count");
      return { live: c.getAttribute("aria-live"), text: c.textContent, inMain: !!c.closest("main") };
    });
    assert(live.live === "polite" && /\d/.test(live.text) && live.inMain, "the count is announced: " + JSON.stringify(live));
    assert(await page.evaluate(() => !!document.querySelector("main #pb-search-results .pb-result")), "results in main");
    // As you type: a prefix of another word shows its results without Enter.
    await page.fill("#pb-search-q", "");
    await page.type("#pb-search-q", prefix, { delay: 30 });
    await settled(page);
    found = await results(page);
    assert(found.length > 0, "typing `" + prefix + "` finds pages");
    // The first results came at once, the rest of the first page after the pause in typing.
    const hits = await page.evaluate(() => window.__pbHits);
    assert(found.length === Math.min(10, hits), "a whole first page once typing pauses: " + found.length + " of " + hits);
    assert(found[0].marks.some((m) => m.toLowerCase().startsWith(prefix.toLowerCase().slice(0, 3))),
      "the prefix is marked: " + JSON.stringify(found[0]));
    // The keyboard: down into the results, along them, back up, Escape clears.
    await page.focus("#pb-search-q");
    await page.keyboard.press("ArrowDown");
    let focus = await page.evaluate(() => document.activeElement.className);
    assert(focus === "pb-result__link", "ArrowDown reaches the first result, not " + focus);
    if (found.length > 1) {
      await page.keyboard.press("ArrowDown");
      const second = await page.evaluate(() => document.activeElement.getAttribute("href"));
      assert(second === found[1].href, "ArrowDown moves to the second result");
      await page.keyboard.press("ArrowUp");
    }
    await page.keyboard.press("ArrowUp");
    focus = await page.evaluate(() => document.activeElement.id);
    assert(focus === "pb-search-q", "ArrowUp returns to the box, not " + focus);
    await page.keyboard.press("ArrowDown");
    const target = found[0].href;
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    const there = decodeURIComponent(page.url());
    assert(there.endsWith(decodeURIComponent(target.replace(/^(\.\.\/)*/, ""))), "Enter opens " + target + ", not " + there);
    if (target.includes("#")) {
      const id = decodeURIComponent(target.split("#")[1]);
      assert(await page.evaluate((id) => !!document.getElementById(id), id), "the anchor #" + id + " exists");
    }
    await page.goBack();
    await track(page);
    await page.waitForSelector("#pb-search-results .pb-result", { timeout: 10000 });
    await page.focus("#pb-search-q");
    await page.keyboard.press("Escape");
    const cleared = await page.evaluate(() => ({ box: document.getElementById("pb-search-q").value,
      results: document.querySelectorAll("#pb-search-results li").length }));
    assert(cleared.box === "" && cleared.results === 0, "Escape clears: " + JSON.stringify(cleared));
    clean(page);
    // The deep link, with a filter that leaves nothing.
    const deep = await open(browser, at.url("search.html?q=" + encodeURIComponent(word)));
    await track(deep);
    await deep.waitForSelector("#pb-search-results .pb-result", { timeout: 10000 });
    assert(await deep.evaluate(() => document.getElementById("pb-search-q").value) === word, "?q= fills the box");
    clean(deep);
  } finally {
    await browser.close();
    at.close();
  }
}

/** Script in the query, in ?q= and typed, is shown as text and never runs. */
async function xss(site, how) {
  const at = await base(site, how);
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  const attacks = ["<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>", "<script>alert(1)</script>",
    "javascript:alert(1)", "'\"><iframe src=javascript:alert(1)>"];
  try {
    for (const q of attacks) {
      const page = await open(browser, at.url("search.html?q=" + encodeURIComponent(q)));
      await page.waitForFunction(() => document.getElementById("pb-search-count").textContent !== "", null,
        { timeout: 10000 });
      const state = await page.evaluate(() => ({
        box: document.getElementById("pb-search-q").value,
        injected: document.querySelectorAll("main img, main svg, main iframe, main script, header img, header svg").length,
        title: document.title,
      }));
      assert(state.box === q, "the box holds the query as text: " + JSON.stringify(state));
      assert(state.injected === 0, "no element was made from the query: " + JSON.stringify(state));
      // Typed, too.
      await page.fill("#pb-search-q", "");
      await page.type("#pb-search-q", q, { delay: 5 });
      await page.waitForTimeout(300);
      const typed = await page.evaluate(() =>
        document.querySelectorAll("main img, main svg, main iframe, main script").length);
      assert(typed === 0, "typing " + q + " made no element");
      await page.waitForTimeout(200);
      clean(page);
      await page.close();
    }
  } finally {
    await browser.close();
    at.close();
  }
}

/** Whether searching `query` on the search page at `rel` finds anything. */
async function finds(site, rel, query, expect) {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const page = await open(browser, "file://" + path.join(site, rel) + "?q=" + encodeURIComponent(query));
    await page.waitForFunction(() => document.getElementById("pb-search-count").textContent !== "", null,
      { timeout: 10000 });
    const n = (await results(page)).length;
    assert(expect === "some" ? n > 0 : n === 0, rel + ": `" + query + "` gave " + n + " results, expected " + expect);
    clean(page);
  } finally {
    await browser.close();
  }
}

/** The README's latency figures: for each query, typed as a reader types it (80 ms a key)
    into the search page opened from disk, the time from the last key to the first results,
    and what the query loaded from _search/. Prints one line per query and the medians. */
async function bench(site, ...queries) {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  const rows = [];
  try {
    for (const q of queries) {
      for (let round = 0; round < 5; round++) {
        const page = await open(browser, "file://" + path.join(site, "search.html"));
        // meta.js came with the page, before the query; it counts all the same.
        let bytes = fs.statSync(path.join(site, "_search/meta.js")).size;
        const loaded = new Set();
        page.on("requestfinished", (r) => {
          const u = decodeURIComponent(r.url()).split("?")[0];
          const at = u.indexOf("/_search/");
          if (at >= 0 && !loaded.has(u)) {
            loaded.add(u);
            bytes += fs.statSync(path.join(site, u.slice(at + 1))).size;
          }
        });
        await page.evaluate(() => {
          window.__pbKeys = [];
          document.getElementById("pb-search-q").addEventListener("keydown", () => window.__pbKeys.push(performance.now()));
          const box = document.getElementById("pb-search-q");
          document.getElementById("pb-search-page").addEventListener("pb-search-shown", (e) => {
            if (e.detail.query === box.value && window.__pbShown === undefined) window.__pbShown = performance.now();
          });
          document.getElementById("pb-search-page").addEventListener("pb-search-done", (e) => {
            if (e.detail.query === box.value) window.__pbDone = performance.now();
          });
          box.addEventListener("keydown", () => { window.__pbShown = undefined; });
        });
        await page.focus("#pb-search-q");
        await page.keyboard.type(q, { delay: 80 });
        await page.waitForFunction(() => window.__pbDone !== undefined && window.__pbDone > window.__pbKeys[window.__pbKeys.length - 1],
          null, { timeout: 20000 });
        const [ms, allMs] = await page.evaluate(() => [window.__pbShown, window.__pbDone]
          .map((t) => t - window.__pbKeys[window.__pbKeys.length - 1]));
        const hits = await page.evaluate(() => document.getElementById("pb-search-count").textContent);
        await page.close();
        // The same query as one search: opened as a link (`search.html?q=…`).
        const link = await browser.newPage();
        let linkBytes = fs.statSync(path.join(site, "_search/meta.js")).size;
        link.on("requestfinished", (r) => {
          const u = decodeURIComponent(r.url()).split("?")[0];
          const at = u.indexOf("/_search/");
          if (at >= 0 && !u.endsWith("/meta.js")) linkBytes += fs.statSync(path.join(site, u.slice(at + 1))).size;
        });
        await link.goto("file://" + path.join(site, "search.html") + "?q=" + encodeURIComponent(q));
        await link.waitForFunction(() => document.documentElement.hasAttribute("data-pb-search-done"), null, { timeout: 20000 });
        await link.close();
        rows.push({ q, ms, allMs, bytes, hits, linkBytes });
      }
    }
  } finally {
    await browser.close();
  }
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const q of queries) {
    const mine = rows.filter((r) => r.q === q);
    console.log(JSON.stringify({ query: q, median_ms: Math.round(median(mine.map((r) => r.ms))),
      all_ms: Math.round(median(mine.map((r) => r.allMs))),
      median_kB: Math.round(median(mine.map((r) => r.bytes)) / 1000),
      link_kB: Math.round(median(mine.map((r) => r.linkBytes)) / 1000), results: mine[0].hits }));
  }
}

module.exports = { base, open, clean };
if (require.main !== module) return;
const [what, ...args] = process.argv.slice(2);
const checks = { typing, xss, finds, bench };
checks[what](...args).then(
  () => console.error("ok " + what),
  (e) => {
    console.error(String(e && e.stack ? e.stack : e));
    process.exit(1);
  },
);
