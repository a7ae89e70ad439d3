/* planboek search page (search.html): results as you type, from the index under _search/
   through search-core.js. Everything taken from the query or the index reaches the page as
   text (textContent and DOM nodes), never as HTML. The search box is the one in the header. */
(function () {
  "use strict";
  var engine = window.planboekSearch;
  var page = document.getElementById("pb-search-page");
  var input = document.getElementById("pb-search-q");
  if (!engine || !page || !input) return;

  var root = page.getAttribute("data-pb-root") || "";
  // The index's digest, in every index file's address: a browser that kept files of an
  // earlier build of a hosted handbook fetches this build's instead of mixing the two.
  var stamp = page.getAttribute("data-pb-stamp") || "";
  // FIRST results show right away; the rest of a page of results once typing pauses.
  var PAGE_SIZE = 10, FIRST = 3, DEBOUNCE = 20, PAUSE = 250;
  var count = document.getElementById("pb-search-count");
  var list = document.getElementById("pb-search-results");
  var more = document.getElementById("pb-search-more");
  var planSelect = document.getElementById("pb-search-plan");
  var statusSelect = document.getElementById("pb-search-status");
  var label = function (name) { return page.getAttribute("data-pb-" + name) || ""; };
  var seq = 0, shown = 0, current = null, timer = null, lastKey = 0;

  engine.loadScript = function (path, failed) {
    var s = document.createElement("script");
    s.src = root + "_search/" + path + (stamp ? "?v=" + encodeURIComponent(stamp) : "");
    s.async = true;
    s.onerror = function () { s.remove(); failed(); };
    s.onload = function () { s.remove(); };
    document.head.appendChild(s);
  };

  document.getElementById("pb-search-nojs").hidden = true;
  page.hidden = false;
  document.documentElement.classList.add("pb-searching");

  /* The plans, for the plan filter; options show how many results each has. */
  var plans = engine.plans();
  plans.forEach(function (p, i) {
    var o = document.createElement("option");
    o.value = String(i);
    o.textContent = p[0];
    planSelect.appendChild(o);
  });

  function filter() {
    return {
      plan: planSelect.value === "" ? null : Number(planSelect.value),
      status: statusSelect.value === "" ? null : Number(statusSelect.value),
    };
  }

  /* The URL says what is shown, so a search can be bookmarked and survives Back. */
  function remember(q) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    if (planSelect.value !== "") params.set("plan", planSelect.value);
    if (statusSelect.value !== "") params.set("status", statusSelect.value);
    var query = params.toString();
    try {
      history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
    } catch (e) { /* file:// in some browsers */ }
  }

  function say(text) {
    count.textContent = text;
  }

  function countText(n) {
    if (n === 0) return label("none");
    if (n === 1) return label("one");
    return label("many").replace("{n}", n.toLocaleString(document.documentElement.lang || "nl"));
  }

  /* A search shows its first results as soon as their documents are in; the documents of
     the rest of the page, and the filters' counts (a thousand plan options), wait until the
     typing pauses: a search that the next key replaces would load them for nothing. */
  function update(q, typed) {
    var mine = ++seq;
    remember(q);
    if (!q.trim()) {
      current = null;
      list.textContent = "";
      more.hidden = true;
      say("");
      return;
    }
    // An open quote is likely to be closed: what the phrase would show first comes now
    // (nothing until its last word is whole, as no pair holds a part of a word).
    if (typed && q.split('"').length % 2 === 0) {
      engine.run(q + '"', filter()).then(function (r) {
        for (var k = 0; k < Math.min(FIRST, r.count) && mine === seq; k++) engine.doc(r.hit(k)[0]).catch(function () {});
      }).catch(function () {});
    }
    engine.run(q, filter()).then(function (result) {
      if (mine !== seq || input.value !== q) return;
      current = result;
      return Promise.all(result.terms.map(function (t) { return t.phrase ? t.phrase : engine.stemsOf(t); }))
        .then(function (expansions) {
          if (mine !== seq) return;
          current.expansions = expansions;
          list.textContent = "";
          shown = 0;
          return showMore(mine, typed ? FIRST : PAGE_SIZE).then(function () {
            if (mine !== seq) return;
            say(countText(result.count));
            page.dispatchEvent(new CustomEvent("pb-search-shown", { detail: { query: q, hits: result.count } }));
            return typed ? paused(mine) : mine === seq;
          }).then(function (still) {
            if (!still) return;
            facets(result);
            return showMore(mine, PAGE_SIZE - shown);
          }).then(function () {
            if (mine !== seq) return;
            document.documentElement.setAttribute("data-pb-search-done", String(mine));
            page.dispatchEvent(new CustomEvent("pb-search-done", { detail: { query: q, hits: result.count } }));
          });
        });
    }).catch(function () {
      if (mine === seq) say(label("failed"));
    });
  }

  /* Resolves true once no key has come for PAUSE ms, false if another search began. */
  function paused(mine) {
    return new Promise(function (resolve) {
      (function wait() {
        if (mine !== seq) return resolve(false);
        var left = lastKey + PAUSE - Date.now();
        if (left <= 0) return resolve(true);
        setTimeout(wait, left);
      })();
    });
  }

  function facets(result) {
    Array.prototype.forEach.call(planSelect.options, function (o) {
      if (o.value === "") return;
      var n = result.plans.get(Number(o.value)) || 0, text = plans[Number(o.value)][0] + " (" + n + ")";
      // A thousand plans: touching only the options that change keeps typing fast.
      if (o.textContent !== text) o.textContent = text;
      var off = n === 0 && o.value !== planSelect.value;
      if (o.disabled !== off) o.disabled = off;
    });
    Array.prototype.forEach.call(statusSelect.options, function (o) {
      if (o.value === "") return;
      var n = result.statuses[Number(o.value)] || 0;
      o.textContent = o.getAttribute("data-label") + " (" + n + ")";
      o.disabled = n === 0 && o.value !== statusSelect.value;
    });
  }

  /* Appends the next `n` results with their documents, each as soon as it and those above
     it are in. */
  function showMore(mine, n) {
    var batch = [], at = 0, docs = [];
    for (var k = shown; k < Math.min(current.count, shown + n); k++) batch.push(current.hit(k));
    shown += batch.length;
    more.hidden = shown >= current.count;
    var frag = function () {
      if (mine !== seq) return;
      var f = document.createDocumentFragment();
      for (; at < batch.length && docs[at]; at++) f.appendChild(item(docs[at]));
      list.appendChild(f);
    };
    return Promise.all(batch.map(function (h, i) {
      return engine.doc(h[0]).then(function (d) { docs[i] = d; frag(); });
    }));
  }

  function item(d) {
    var ex = engine.excerpt(d, current.terms, current.expansions);
    var li = document.createElement("li");
    li.className = "pb-result";
    var h = document.createElement("h2");
    h.className = "pb-result__title";
    var a = document.createElement("a");
    a.className = "pb-result__link";
    a.href = root + d.url.split("/").map(encodeURIComponent).join("/") + (ex.anchor ? "#" + encodeURIComponent(ex.anchor) : "");
    a.textContent = d.title;
    h.appendChild(a);
    li.appendChild(h);
    var where = document.createElement("p");
    where.className = "pb-result__where";
    var plan = plans[planIndex(d.page)];
    where.textContent = [plan ? plan[0] : ""].concat(d.path).filter(Boolean).join(" › ");
    li.appendChild(where);
    if (ex.parts.length) {
      var p = document.createElement("p");
      p.className = "pb-result__excerpt";
      if (ex.before) p.appendChild(document.createTextNode("… "));
      ex.parts.forEach(function (part) {
        if (part.mark) {
          var m = document.createElement("mark");
          m.textContent = part.text;
          p.appendChild(m);
        } else {
          p.appendChild(document.createTextNode(part.text));
        }
      });
      if (ex.after) p.appendChild(document.createTextNode(" …"));
      li.appendChild(p);
    }
    return li;
  }

  function planIndex(pageNumber) {
    var found = 0;
    for (var i = 0; i < plans.length && plans[i][1] <= pageNumber; i++) found = i;
    return found;
  }

  function schedule() {
    clearTimeout(timer);
    lastKey = Date.now();
    timer = setTimeout(function () { update(input.value, true); }, DEBOUNCE);
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".pb-result__link"));
  }

  /* Arrow keys move between the box and the results, Escape clears. */
  function keys(e) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown") {
      var next = e.target === input ? all[0] : all[at + 1];
      if (next) { next.focus(); e.preventDefault(); }
    } else if (e.key === "ArrowUp" && at >= 0) {
      (at === 0 ? input : all[at - 1]).focus();
      e.preventDefault();
    } else if (e.key === "Escape") {
      input.value = "";
      update("");
      input.focus();
      e.preventDefault();
    }
  }

  input.addEventListener("input", schedule);
  input.addEventListener("keydown", keys);
  list.addEventListener("keydown", keys);
  more.addEventListener("click", function () {
    var first = shown;
    showMore(seq, PAGE_SIZE).then(function () { var l = links()[first]; if (l) l.focus(); });
  });
  [planSelect, statusSelect].forEach(function (s) {
    s.addEventListener("change", function () { update(input.value); });
  });
  input.form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    update(input.value);
  });

  var params = new URLSearchParams(location.search);
  if (params.get("plan") !== null && planSelect.querySelector('option[value="' + Number(params.get("plan")) + '"]')) {
    planSelect.value = String(Number(params.get("plan")));
  }
  if (/^[0-3]$/.test(params.get("status") || "")) statusSelect.value = params.get("status");
  input.value = params.get("q") || "";
  input.focus();
  if (input.value) update(input.value);
})();
