/* planboek: the version switcher and the old-version banner of a versioned handbook. The data
   comes from ../_versions.js (a script, not a fetch, so it works opened from disk):
   planboekVersions = {versions: [{slug, name, adopted, date, status}], newest, pages: [{page: id}]}, where
   pages of different versions with the same id are the same section (renames followed). */
(function () {
  "use strict";
  var data = window.planboekVersions;
  var bar = document.querySelector("[data-pb-version]");
  if (!data || !bar) return;
  var slug = bar.getAttribute("data-pb-version");
  var root = bar.getAttribute("data-pb-root") || "";
  var at = -1;
  data.versions.forEach(function (v, i) { if (v.slug === slug) at = i; });
  if (at < 0) return;

  /* This page's path inside its version: as many trailing URL segments as root climbs, plus one. */
  var parts = decodeURIComponent(location.pathname).split("/");
  if (parts[parts.length - 1] === "") parts[parts.length - 1] = "index.html";
  var depth = root.split("../").length - 1;
  var page = parts.slice(parts.length - depth - 1).join("/");

  /* The same section in version `to`, else its plan's overview, else that version's home. */
  function target(to) {
    var id = data.pages[at][page];
    var there = data.pages[to];
    if (id !== undefined) {
      for (var p in there) if (there[p] === id) return p;
    }
    var plan = page.split("/")[0] + "/index.html";
    return page.indexOf("/") > 0 && there[plan] !== undefined ? plan : "index.html";
  }
  function href(to) { return root + "../" + data.versions[to].slug + "/" + target(to); }

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
    a.href = href(i);
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
    var link = document.createElement("a");
    link.href = href(data.newest);
    link.textContent = bar.getAttribute("data-pb-old-link") + ": " + data.versions[data.newest].name;
    p.appendChild(link);
    banner.appendChild(p);
    bar.parentNode.insertBefore(banner, bar.nextSibling);
  }
})();
