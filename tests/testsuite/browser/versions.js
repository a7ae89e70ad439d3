// Real-browser check of the version switcher's list, driven by tests/testsuite/browser.rs
// through playwright-core and Debian's Chromium. Throws on failure; the process exits 1 with
// the message. Usage:
//   node versions.js list <page url> <this version's name> <screenshot file>
//   node versions.js follow <site folder> <http|file> <page> <version name> <expected page>
// (follow: from <page> under the site, opened from disk or served under a sub-path with a
// strict Content-Security-Policy, the switcher's link to <version name> leads to <expected
// page>, and the page loads the switcher data of its own folder only.)
"use strict";
const path = require("path");
const { chromium } = require(path.join(process.env.PLANBOEK_NODE_MODULES, "playwright-core"));

const CHROMIUM = process.env.PLANBOEK_CHROMIUM || "/usr/bin/chromium";

function assert(ok, message) {
  if (!ok) throw new Error(message);
}

/** The switcher lists every version with its date and status, marks this one, and is a panel. */
async function list(url, name, shot) {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(url);
    await page.click(".pb-switcher summary");
    const items = await page.$$eval(".pb-switcher li", (lis) =>
      lis.map((li) => ({
        text: li.textContent,
        current: li.querySelector("a").getAttribute("aria-current"),
        bullet: getComputedStyle(li).listStyleType,
        panel: getComputedStyle(li.parentElement).position,
      })),
    );
    assert(items.length >= 2, "every version listed: " + JSON.stringify(items));
    const current = items.filter((i) => i.current === "page");
    assert(current.length === 1 && current[0].text.startsWith(name), "this version marked: " + JSON.stringify(items));
    assert(/\(deze versie\)|\(this version\)/.test(current[0].text), "marked in words: " + current[0].text);
    for (const i of items) {
      assert(/\d{4}/.test(i.text) || /Werkversie|Working version/.test(i.text), "a date: " + i.text);
      assert(/Vastgesteld|Werkversie|Adopted|Working version/.test(i.text), "a status: " + i.text);
      assert(i.bullet === "none" && i.panel === "absolute", "styled as a panel, not a bullet list: " + JSON.stringify(i));
    }
    await page.screenshot({ path: shot });
    assert(errors.length === 0, "script errors: " + errors.join("; "));
  } finally {
    await browser.close();
  }
}

/** The switcher leads to the same section in another version, from disk and over HTTP. */
async function follow(site, how, from, version, expected) {
  const { base, open, clean } = require("./search.js");
  const at = await base(site, how);
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const page = await open(browser, "about:blank");
    const data = [];
    page.on("request", (r) => r.url().includes("_versions") && data.push(decodeURIComponent(r.url())));
    await page.goto(at.url(from));
    const folder = from.split("/").length > 2 ? from.split("/")[1] : "_site";
    const loaded = data.filter((u) => u.includes("_versions/")).map((u) => u.split("_versions/")[1]);
    assert(loaded.length === 1 && loaded[0] === folder + ".js", "the switcher data loaded: " + loaded.join(", "));
    await page.click(".pb-switcher summary");
    await Promise.all([page.waitForNavigation(), page.click(`.pb-switcher a:text-is("${version}")`)]);
    const now = decodeURIComponent(page.url());
    assert(now === decodeURIComponent(at.url(expected)), "the switcher led to " + now + ", not " + expected);
    clean(page);
  } finally {
    await browser.close();
    at.close();
  }
}

const checks = { list, follow };
const [name, ...args] = process.argv.slice(2);
checks[name](...args).catch((e) => {
  console.error(e.message);
  process.exit(1);
});
