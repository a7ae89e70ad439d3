// Runs the shipped search engine (_static/search-core.js) in node on a built handbook's index,
// loading the index files as the browser would (each a script handing its data over), and
// prints what tests/testsuite/search.rs compares with the Rust reference query:
//   node search_node.js <site folder> <queries.json>
// queries.json: [{q, plan, status}]. Output (JSON): {results: [[[page, score], ...] per query],
// anchors: [anchor of the first result per query], marks: [the marked words of its excerpt per
// query], stems: {folded word: JS stem} for every word
// of the index, with the Rust stem it was stored with: {word: [js, rust]} where they differ}.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [site, queriesFile] = process.argv.slice(2);
const context = vm.createContext({ console });
context.window = context;
const run = (file) => vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
run(path.join(site, "_static/search-core.js"));
const engine = context.planboekSearch;
let loaded = 0;
engine.loadScript = (rel, failed) => {
  const file = path.join(site, "_search", rel);
  if (!fs.existsSync(file)) return failed();
  loaded += fs.statSync(file).size;
  // Asynchronous, as a script element is.
  setImmediate(() => run(file));
};
run(path.join(site, "_search/meta.js"));

async function main() {
  const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"));
  const results = [], anchors = [], marks = [];
  for (const q of queries) {
    const r = await engine.run(q.q, { plan: q.plan, status: q.status });
    // The page reads the hits one by one (`hit`), the test the whole list.
    const shown = Array.from({ length: r.count }, (_, k) => r.hit(k));
    if (JSON.stringify(shown) !== JSON.stringify(r.hits)) throw new Error("hit(k) differs from hits for " + q.q);
    results.push(shown);
    if (r.count) {
      const expansions = await Promise.all(r.terms.map((t) => (t.phrase ? t.phrase : engine.stemsOf(t))));
      const doc = await engine.doc(r.hits[0][0]);
      const excerpt = engine.excerpt(doc, r.terms, expansions);
      anchors.push(excerpt.anchor);
      marks.push(excerpt.parts.filter((p) => p.mark).map((p) => p.text));
    } else {
      anchors.push(null);
      marks.push([]);
    }
  }
  // Every word of the index, stemmed here and by Rust.
  const differ = {};
  let words = 0;
  for (let n = 0; ; n++) {
    const file = path.join(site, "_search/w", n + ".js");
    if (!fs.existsSync(file)) break;
    const text = fs.readFileSync(file, "utf8");
    const list = JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")")));
    for (const [word, stem] of list) {
      words++;
      const js = engine.stem(word);
      if (js !== stem) differ[word] = [js, stem];
      if (engine.fold(word) !== word) differ[word] = ["fold: " + engine.fold(word), word];
    }
  }
  process.stdout.write(JSON.stringify({ results, anchors, marks, words, differ, loaded }));
}
main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
