// A built handbook served over HTTP with a strict Content-Security-Policy header, opened in
// Chromium: no page may cause a CSP violation, and the theme's scripts must still run.
// Usage:
//   node csp.js <site folder> <policy> <page>...
// A page written as `!page` must cause a violation (the check's own control); a page
// written as `page@selector` must also hold an element matching selector once its scripts
// ran. Exits 1 with the message on failure.
"use strict";
const http = require("http");
const path = require("path");
const fs = require("fs");
const { chromium } = require(path.join(process.env.PLANBOEK_NODE_MODULES, "playwright-core"));

const CHROMIUM = process.env.PLANBOEK_CHROMIUM || "/usr/bin/chromium";
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".svg": "image/svg+xml", ".png": "image/png" };

function serve(root, policy) {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, "http://x").pathname).replace(/^\/handboek\//, "");
    const file = path.resolve(root, rel);
    if (!file.startsWith(path.resolve(root)) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, {
      "Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
      "Content-Security-Policy": policy,
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function main() {
  const [root, policy, ...pages] = process.argv.slice(2);
  const server = await serve(root, policy);
  const base = `http://127.0.0.1:${server.address().port}/handboek/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  const failures = [];
  try {
    for (const arg of pages) {
      const expectViolation = arg.startsWith("!");
      const [rel, selector] = arg.replace(/^!/, "").split("@");
      const page = await browser.newPage();
      const violations = [];
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => {
          console.error("Content Security Policy violation: " + e.violatedDirective + " " + e.blockedURI);
        });
      });
      await page.goto(base + rel, { waitUntil: "load" });
      await page.waitForTimeout(100);
      if (expectViolation && violations.length === 0) failures.push(`${rel}: the control page caused no violation`);
      if (!expectViolation && violations.length > 0) failures.push(`${rel}: ${violations.join("; ")}`);
      if (selector && !(await page.$(selector))) failures.push(`${rel}: no ${selector}: the scripts did not run`);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (failures.length) throw new Error(failures.join("\n"));
}

main().catch((e) => {
  console.error(String(e && e.stack || e));
  process.exit(1);
});
