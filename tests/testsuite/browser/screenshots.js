// The README's screenshots of the main page types, taken in Debian's Chromium through
// playwright-core from a built example handbook. Run by scripts/screenshots (which builds
// the example first) and by tests/testsuite/screenshots.rs, so the script cannot rot.
// Usage: node screenshots.js <built site folder> <folder for the PNGs>
"use strict";
const path = require("path");
const { chromium } = require(path.join(process.env.PLANBOEK_NODE_MODULES, "playwright-core"));
const CHROMIUM = process.env.PLANBOEK_CHROMIUM || "/usr/bin/chromium";

/** Name, page under the site folder, viewport width, and whether to capture the whole page. */
const SHOTS = [
  ["home", "index.html", 1280, false],
  ["plan", "jeugdgroep-kadepoort/index.html", 1280, false],
  ["section", "jeugdgroep-kadepoort/03-plan-van-aanpak/02-inzet-op-het-individu.html", 1280, false],
  ["register", "jeugdgroep-kadepoort/actions.html", 1280, false],
  ["print-edition", "jeugdgroep-kadepoort/print.html", 1280, false],
  ["section-phone", "jeugdgroep-kadepoort/01-probleemanalyse/01-aanleiding.html", 375, false],
];

async function main(site, out) {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    for (const [name, page, width, full] of SHOTS) {
      const tab = await browser.newPage({ viewport: { width, height: width > 600 ? 800 : 740 } });
      await tab.goto("file://" + path.resolve(site, page));
      await tab.screenshot({ path: path.join(out, name + ".png"), fullPage: full });
      await tab.close();
    }
  } finally {
    await browser.close();
  }
  console.log(`ok: ${SHOTS.length} screenshots in ${out}`);
}

main(process.argv[2], process.argv[3]).then(
  () => process.exit(0),
  (e) => {
    console.error(e && e.stack ? e.stack : String(e));
    process.exit(1);
  },
);
