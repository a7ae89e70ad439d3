// Real-browser checks of built and served handbooks, driven by tests/browser.rs through
// playwright-core and Debian's Chromium. Each check throws on failure; the process exits 1
// with the message. Usage:
//   node check.js keyboard <page url> <fewest Tab stops>
//   node check.js switcher <page url> <version name> <expected path suffix>
//   node check.js reload <page url> <source file>
"use strict";
const path = require("path");
const fs = require("fs");
const { chromium } = require(path.join(process.env.PLANBOEK_NODE_MODULES, "playwright-core"));

const CHROMIUM = process.env.PLANBOEK_CHROMIUM || "/usr/bin/chromium";

function assert(ok, message) {
  if (!ok) throw new Error(message);
}

/** A page that records what it loads from elsewhere and every script error. */
async function open(target, url, viewport) {
  // `target` is the browser or one of its contexts.
  const page = await target.newPage();
  await page.setViewportSize(viewport || { width: 1280, height: 800 });
  page.foreign = [];
  page.errors = [];
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith("file://") && !u.startsWith("http://127.0.0.1:") && !u.startsWith("data:")) page.foreign.push(u);
  });
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && page.errors.push(m.text()));
  await page.goto(url);
  return page;
}

function clean(page) {
  assert(page.foreign.length === 0, "loaded from outside the handbook: " + page.foreign.join(", "));
  assert(page.errors.length === 0, "script errors: " + page.errors.join("; "));
}

/** What has focus, and whether it is drawn so that a keyboard user sees it. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none" ||
      s.backgroundColor === "rgb(255, 221, 0)";
    return { tag: el.tagName, id: el.id, cls: el.className, text: (el.textContent || "").trim().slice(0, 40),
      ring, visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 };
  });
}

async function keyboard(url, fewest) {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const page = await open(browser, url);
    await page.keyboard.press("Tab");
    const skip = await focused(page);
    assert(skip.cls === "pb-skip", "the first Tab reaches the skip link, not " + JSON.stringify(skip));
    assert(skip.visible && skip.ring, "the focused skip link is visible: " + JSON.stringify(skip));
    await page.keyboard.press("Enter");
    const main = await focused(page);
    assert(main.id === "pb-main", "Enter on the skip link moves focus to main, not " + JSON.stringify(main));
    // Every stop of the Tab order shows where the focus is.
    await page.goto(url);
    const seen = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press("Tab");
      const f = await focused(page);
      if (f.tag === "BODY") break;
      assert(f.ring, "no visible focus on " + JSON.stringify(f));
      seen.push(f.tag + ":" + f.text.replace(/\s+/g, " "));
    }
    assert(seen.length >= Number(fewest), "the Tab order has " + seen.length + " stops: " + seen.join(" | "));
    clean(page);
    // A phone: nothing wider than the screen, and the plan's menu folds away.
    const phone = await open(browser, url, { width: 360, height: 740 });
    const layout = await phone.evaluate(() => ({
      wide: document.documentElement.scrollWidth - window.innerWidth,
      menuOpen: document.getElementById("pb-sidebar") ? document.getElementById("pb-sidebar").open : null,
    }));
    assert(layout.wide <= 0, "the page is " + layout.wide + "px wider than a phone's screen");
    assert(layout.menuOpen !== true, "on a phone the plan's menu starts folded");
    clean(phone);
  } finally {
    await browser.close();
  }
}

async function switcher(url, version, suffix) {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const page = await open(browser, url);
    await page.click(".pb-switcher summary");
    await Promise.all([page.waitForNavigation(), page.click(`.pb-switcher a:text-is("${version}")`)]);
    const now = decodeURIComponent(page.url());
    assert(now.endsWith(suffix), "the switcher led to " + now + ", not …" + suffix);
    clean(page);
  } finally {
    await browser.close();
  }
}

async function reload(url, source) {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const context = await browser.newContext();
    // Note when the page's live-reload stream is open, to edit only then.
    await context.addInitScript(() => {
      const Real = window.EventSource;
      window.EventSource = function (url) {
        const source = new Real(url);
        source.addEventListener("open", () => { window.planboekStreamOpen = true; });
        return source;
      };
    });
    const page = await open(context, url, { width: 1000, height: 500 });
    await page.waitForFunction(() => window.planboekStreamOpen === true, null, { timeout: 10000 });
    await page.evaluate(() => window.scrollTo(0, 400));
    const before = await page.evaluate(() => window.scrollY);
    assert(before > 300, "the page is long enough to scroll: " + before);
    const original = fs.readFileSync(source, "utf8");
    fs.writeFileSync(source, original + "\n\nBrowserregel na het opslaan.\n");
    await page.waitForFunction(() => document.body.textContent.includes("Browserregel na het opslaan."),
      null, { timeout: 10000 });
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 2, before, { timeout: 5000 });
    // A broken file: the page shows the error, then loses it when fixed.
    fs.writeFileSync(source, "+++\ntitle = \n+++\n");
    await page.waitForSelector("#planboek-errors", { timeout: 10000 });
    fs.writeFileSync(source, original);
    await page.waitForFunction(() => !document.getElementById("planboek-errors"), null, { timeout: 10000 });
    clean(page);
  } finally {
    await browser.close();
  }
}

const [what, ...args] = process.argv.slice(2);
const checks = { keyboard, switcher, reload };
checks[what](...args).then(
  () => console.log("ok " + what),
  (e) => {
    console.error(String(e && e.stack ? e.stack : e));
    process.exit(1);
  },
);
