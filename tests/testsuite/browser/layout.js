// Real-browser checks of the layout on paper and on narrow screens, driven by
// tests/testsuite/layout.rs through playwright-core and Debian's Chromium. Each check throws
// on failure; the process exits 1 with the message. Usage:
//   node layout.js pdf <page url> <pdf file to write>
//   node layout.js reflow <width> <screenshot folder> <page url>...
"use strict";
const path = require("path");
const { chromium } = require(path.join(process.env.PLANBOEK_NODE_MODULES, "playwright-core"));

const CHROMIUM = process.env.PLANBOEK_CHROMIUM || "/usr/bin/chromium";

function assert(ok, message) {
  if (!ok) throw new Error(message);
}

/** Prints `url` to an A4 PDF as the browser's print dialog would. */
async function pdf(url, file) {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.emulateMedia({ media: "print" });
    await page.pdf({ path: file, format: "A4", printBackground: true });
  } finally {
    await browser.close();
  }
}

/**
 * At `width` CSS pixels, no page is wider than the viewport (WCAG 1.4.10 reflow): what is
 * wider scrolls inside a labelled, focusable region. Screenshots go to `shots`.
 */
async function reflow(width, shots, ...urls) {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const page = await browser.newPage();
    await page.setViewportSize({ width: Number(width), height: 800 });
    for (const url of urls) {
      await page.goto(url);
      const facts = await page.evaluate(() => {
        const doc = document.documentElement;
        const regions = Array.from(document.querySelectorAll(".pb-body table")).map((t) => {
          const region = t.closest(".pb-scroll");
          return {
            wrapped: !!region,
            labelled: !!region && region.getAttribute("role") === "region" && !!region.getAttribute("aria-label"),
            focusable: !!region && region.tabIndex === 0,
          };
        });
        const cards = Array.from(document.querySelectorAll(".pb-action-table tbody td")).map((td) => ({
          block: getComputedStyle(td).display === "block",
          label: getComputedStyle(td, "::before").content,
        }));
        return { scroll: doc.scrollWidth, client: doc.clientWidth, regions, cards };
      });
      const name = url.split("/").slice(-2).join("-").replace(/[^a-z0-9.-]/gi, "_");
      await page.screenshot({ path: path.join(shots, `${width}-${name}.png`), fullPage: true });
      assert(facts.scroll <= facts.client, `${url} is ${facts.scroll} px wide at ${width} px`);
      for (const r of facts.regions) {
        assert(r.wrapped && r.labelled && r.focusable, `${url}: a table is not in a labelled, focusable scroll region: ${JSON.stringify(r)}`);
      }
      for (const c of facts.cards) {
        assert(c.block && c.label && c.label !== "none", `${url}: an action row is no labelled card: ${JSON.stringify(c)}`);
      }
    }
  } finally {
    await browser.close();
  }
}

const [what, ...args] = process.argv.slice(2);
const checks = { pdf, reflow };
checks[what](...args).then(
  () => process.exit(0),
  (e) => {
    console.error(e && e.stack ? e.stack : String(e));
    process.exit(1);
  },
);
