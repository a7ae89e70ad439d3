// Real-browser checks of the commitments pages, driven by tests/testsuite/browser.rs through
// playwright-core and Debian's Chromium. Each check throws on failure; the process exits 1
// with the message. Usage:
//   node commitments.js register <register url> <partner> <section page url>
//   node commitments.js print <print edition url> <pdf file to write>
"use strict";
const path = require("path");
const { chromium } = require(path.join(process.env.PLANBOEK_NODE_MODULES, "playwright-core"));

const CHROMIUM = process.env.PLANBOEK_CHROMIUM || "/usr/bin/chromium";

function assert(ok, message) {
  if (!ok) throw new Error(message);
}

async function open(context, url, width) {
  const page = await context.newPage();
  await page.setViewportSize({ width: width || 1280, height: 800 });
  page.errors = [];
  page.foreign = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && page.errors.push(m.text()));
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith("file://") && !u.startsWith("data:")) page.foreign.push(u);
  });
  await page.goto(url);
  return page;
}

function clean(page) {
  assert(page.errors.length === 0, "script errors: " + page.errors.join("; "));
  assert(page.foreign.length === 0, "loaded from outside the handbook: " + page.foreign.join(", "));
}

/** The register's rows: which are shown, with their partner and deadline. */
function rows(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll("#pb-register tbody tr")).map((r) => ({
    shown: !r.hidden && r.getBoundingClientRect().height > 0,
    who: r.getAttribute("data-who"),
    deadline: r.getAttribute("data-deadline"),
  })));
}

async function register(url, partner, sectionUrl) {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    // Without JavaScript: no filters, the whole table.
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const p0 = await open(plain, url);
    assert(!(await p0.isVisible("#pb-filter")), "the filters are hidden without JavaScript");
    const all = await rows(p0);
    assert(all.length > 3 && all.every((r) => r.shown), "every row is shown without JavaScript");
    // With it: by partner, by status, both, and kept in the address.
    const context = await browser.newContext();
    const page = await open(context, url);
    assert(await page.isVisible("#pb-filter"), "the filters are shown");
    await page.selectOption("#pb-filter-who", partner);
    let now = await rows(page);
    const mine = all.filter((r) => r.who === partner).length;
    assert(mine > 0 && mine < all.length, "the partner has some of the actions");
    assert(now.filter((r) => r.shown).length === mine && now.every((r) => !r.shown || r.who === partner),
      "only " + partner + "'s actions are shown: " + JSON.stringify(now));
    const status = await page.textContent("#pb-filter-count");
    assert(status.includes(String(mine)) && status.includes(String(all.length)), "the count is said: " + status);
    await page.selectOption("#pb-filter-who", "");
    await page.selectOption("#pb-filter-status", "overdue");
    now = await rows(page);
    const late = all.filter((r) => r.deadline === "overdue").length;
    assert(late > 0 && now.filter((r) => r.shown).length === late && now.every((r) => !r.shown || r.deadline === "overdue"),
      "only overdue actions are shown");
    await page.selectOption("#pb-filter-status", "not-done");
    now = await rows(page);
    assert(now.every((r) => r.shown === (r.deadline !== "done")), "not done: every action but the done ones");
    assert(page.url().includes("#status=not-done"), "the choice is in the address: " + page.url());
    const again = await open(context, page.url());
    assert((await again.inputValue("#pb-filter-status")) === "not-done", "a linked choice is applied");
    clean(page);
    clean(again);
    // A 320 px phone: the register and a section page with actions fit the screen.
    for (const u of [url, sectionUrl]) {
      const phone = await open(context, u, 320);
      const wide = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(wide <= 0, u + " is " + wide + "px wider than a 320px screen");
      const label = await phone.evaluate(() => {
        const cell = document.querySelector(".pb-cards td[data-label]");
        return cell ? getComputedStyle(cell, "::before").content : "";
      });
      assert(label.length > 2, "on a phone each value is labelled: " + label);
      clean(phone);
    }
  } finally {
    await browser.close();
  }
}

async function print(url, pdf) {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const context = await browser.newContext();
    const page = await open(context, url);
    await page.emulateMedia({ media: "print" });
    const facts = await page.evaluate(() => {
      const style = (el, pseudo) => (el ? getComputedStyle(el, pseudo) : null);
      const external = document.querySelector('.pb-body a[href^="http"]');
      return {
        breaks: Array.from(document.querySelectorAll(".pb-print-section--level-2")).map((s) => style(s).breakBefore),
        note: style(document.querySelector(".pb-print-note")).display,
        header: style(document.querySelector(".pb-header")).display,
        external: external ? style(external, "::after").content : null,
        svg: document.querySelector(".pb-timeline__svg").getBoundingClientRect().width,
      };
    });
    assert(facts.breaks.length > 1 && facts.breaks.every((b) => b === "page"), "top-level sections start a page: " + facts.breaks);
    assert(facts.note === "none" && facts.header === "none", "no screen furniture on paper");
    assert(facts.external && facts.external.includes("http"), "external links print their target: " + facts.external);
    assert(facts.svg > 200, "the timeline prints");
    await page.pdf({ path: pdf, format: "A4", printBackground: true });
    clean(page);
  } finally {
    await browser.close();
  }
}

const [what, ...args] = process.argv.slice(2);
const checks = { register, print };
checks[what](...args).then(
  () => console.log("ok " + what),
  (e) => {
    console.error(String(e && e.stack ? e.stack : e));
    process.exit(1);
  },
);
