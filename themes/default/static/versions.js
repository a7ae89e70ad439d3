/* planboek: the version switcher and the old-version banner of a versioned handbook. The data
   comes from scripts, not a fetch, so it works opened from disk: ../_versions.js (loaded by
   the page) sets planboekVersions = {versions: [{slug, name, adopted, date, status}], newest};
   ../_versions/<folder>.js (loaded here, for this page's plan folder or _site) sets
   planboekVersionPages = [{page: id}] per version, where pages of different versions with the
   same id are the same section (renames followed). Until it has loaded, or if it cannot,
   links lead to each version's home page. */
(function () {
  "use strict";
  var data = window.planboekVersions;
  var bar = document.querySelector("[data-pb-version]");
  if (!data || !bar) return;
  var root = bar.getAttribute("data-pb-root") || "";

  /* This page's path inside its version: as many trailing URL segments as root climbs, plus one. */
  var path = location.pathname;
  try { path = decodeURIComponent(path); } catch (e) { /* a malformed escape: keep it as it is */ }
  var parts = path.split("/");
  if (parts[parts.length - 1] === "") parts[parts.length - 1] = "index.html";
  var depth = root.split("../").length - 1;
  var page = parts.slice(parts.length - depth - 1).join("/");
  /* The version is the folder above that path (a theme's bar may still name it), so that a
     page that did not change is the same file in every version. */
  var slug = bar.getAttribute("data-pb-version") || parts[parts.length - depth - 2];
  var at = -1;
  data.versions.forEach(function (v, i) { if (v.slug === slug) at = i; });
  if (at < 0) return;

  var folder = page.indexOf("/") > 0 ? page.split("/")[0] : "_site";
  var pages = null;
  var links = [];

  /* The same section in version `to`, else its plan's overview, else that version's home. */
  function target(to) {
    if (!pages || !pages[at] || !pages[to]) return "index.html";
    var id = pages[at][page];
    var there = pages[to];
    if (id !== undefined) {
      for (var p in there) if (there[p] === id) return p;
    }
    var plan = folder + "/index.html";
    return page.indexOf("/") > 0 && there[plan] !== undefined ? plan : "index.html";
  }
  /* Page names are file paths, so each segment is escaped (a space, `#` or `?` in a name). */
  function href(to) {
    return root + "../" + data.versions[to].slug + "/" + target(to).split("/").map(encodeURIComponent).join("/");
  }
  function link(a, to) {
    a.href = href(to);
    links.push({ a: a, to: to });
  }

  var details = document.createElement("details");
  details.className = "pb-switcher";
  var summary = document.createElement("summary");
  summary.textContent = bar.getAttribute("data-pb-label") + ": " + data.versions[at].name +
    (data.versions[at].adopted ? "" : " (" + bar.getAttribute("data-pb-concept") + ")");
  details.appendChild(summary);
  var list = document.createElement("ul");
  data.versions.forEach(function (v, i) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    link(a, i);
    a.textContent = v.name;
    li.appendChild(a);
    /* Its date and status, and for this page's version the words, not only a style. */
    var meta = document.createElement("span");
    meta.className = "pb-switcher__meta";
    meta.textContent = (v.date ? v.date + " · " : "") + v.status;
    li.appendChild(meta);
    if (i === at) {
      li.className = "pb-switcher__current";
      a.setAttribute("aria-current", "page");
      var here = document.createElement("strong");
      here.textContent = " (" + bar.getAttribute("data-pb-current") + ")";
      li.appendChild(here);
    }
    list.appendChild(li);
  });
  details.appendChild(list);
  var inner = bar.querySelector(".pb-versions-bar__inner") || bar;
  inner.insertBefore(details, inner.firstChild);

  if (data.newest >= 0 && at > data.newest) {
    var banner = document.createElement("div");
    banner.className = "pb-banner pb-banner--old-version";
    banner.setAttribute("role", "note");
    var p = document.createElement("p");
    p.appendChild(document.createTextNode(bar.getAttribute("data-pb-old") + " "));
    var toNewest = document.createElement("a");
    link(toNewest, data.newest);
    toNewest.textContent = bar.getAttribute("data-pb-old-link") + ": " + data.versions[data.newest].name;
    p.appendChild(toNewest);
    banner.appendChild(p);
    bar.parentNode.insertBefore(banner, bar.nextSibling);
  }

  /* This folder's pages only: one file of every page of every version would grow with the
     handbook, and every page would load it. */
  var script = document.createElement("script");
  script.src = root + "../_versions/" + encodeURIComponent(folder) + ".js";
  script.onload = function () {
    pages = window.planboekVersionPages;
    links.forEach(function (l) { l.a.href = href(l.to); });
  };
  document.head.appendChild(script);
})();
