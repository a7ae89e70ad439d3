// The accessibility gate: axe-core (npm, in .ci/tools) injected into every given page in
// Debian's Chromium through playwright-core, with the WCAG 2.0 and 2.1 A and AA rules.
// Any violation fails, listed with its rule, impact, help and the elements concerned.
// Usage: node axe.js [--known RULE:TEXT]... <page url>...
// `--known RULE:TEXT` lets through a violation of RULE on elements whose HTML holds TEXT: a
// known defect fixed elsewhere, named in the calling test with where it is fixed.
"use strict";
const path = require("path");
const modules = process.env.PLANBOEK_NODE_MODULES;
const { chromium } = require(path.join(modules, "playwright-core"));
// PLANBOEK_AXE names axe.min.js where it is not beside playwright-core.
const AXE = process.env.PLANBOEK_AXE || path.join(modules, "axe-core", "axe.min.js");
const CHROMIUM = process.env.PLANBOEK_CHROMIUM || "/usr/bin/chromium";

async function main(args) {
  const known = [];
  const urls = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--known") {
      const [rule, text] = args[++i].split(/:(.*)/s);
      known.push({ rule, text });
    } else {
      urls.push(args[i]);
    }
  }
  const isKnown = (v, n) => known.some((k) => k.rule === v.id && n.html.includes(k.text));
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  const problems = [];
  try {
    for (const width of [1280, 375]) {
      const page = await browser.newPage();
      await page.setViewportSize({ width, height: 900 });
      for (const url of urls) {
        await page.goto(url);
        // A search page is checked with its results shown.
        if (url.includes("search.html?")) await page.waitForSelector(".pb-result", { timeout: 20000 });
        await page.addScriptTag({ path: AXE });
        const result = await page.evaluate(() =>
          window.axe.run(document, {
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
            resultTypes: ["violations"],
          }),
        );
        for (const v of result.violations) {
          const open = v.nodes.filter((n) => !isKnown(v, n));
          if (open.length === 0) continue;
          const nodes = open.slice(0, 5).map((n) => "    " + n.target.join(" ") + ": " + n.failureSummary.replace(/\n/g, " "));
          problems.push(`${url} at ${width} px: ${v.id} (${v.impact}) ${v.help}\n${nodes.join("\n")}`);
        }
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
  if (problems.length > 0) throw new Error(`${problems.length} WCAG 2.1 A/AA violations:\n\n` + problems.join("\n\n"));
  console.log(`ok: ${urls.length} pages without a WCAG 2.1 A/AA violation`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e) => {
    console.error(e && e.stack ? e.stack : String(e));
    process.exit(1);
  },
);
