/* planboek: small enhancements only; every page works fully without this script. */
(function () {
  "use strict";

  var narrow = window.matchMedia ? window.matchMedia("(max-width: 59.99em)") : null;

  /* On small screens the section list starts collapsed above the content; wide screens show it. */
  function sidebar() {
    var details = document.getElementById("pb-sidebar");
    if (!details || !narrow) return;
    var sync = function () { details.open = !narrow.matches; };
    sync();
    if (narrow.addEventListener) narrow.addEventListener("change", sync);
    else if (narrow.addListener) narrow.addListener(sync);
  }

  /* Scroll the sidebar (not the page) so that the current page's entry is in view. */
  function revealCurrent() {
    var box = document.querySelector(".pb-sidebar");
    var current = box && box.querySelector('[aria-current="page"]');
    if (!current || box.scrollHeight <= box.clientHeight) return;
    var top = current.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += top - box.clientHeight / 3;
  }

  /* Mark the table-of-contents entry of the part of the page being read. */
  function tocHighlight() {
    var links = Array.prototype.slice.call(document.querySelectorAll(".pb-toc a[href^='#']"));
    var pairs = links.map(function (a) {
      return { link: a, target: document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1))) };
    }).filter(function (p) { return p.target; });
    if (!pairs.length) return;
    var active = null, queued = false;
    function update() {
      queued = false;
      var found = null;
      for (var i = 0; i < pairs.length; i++) {
        if (pairs[i].target.getBoundingClientRect().top <= 120) found = pairs[i].link;
        else break;
      }
      if (found === active) return;
      if (active) active.classList.remove("pb-toc__link--active");
      if (found) found.classList.add("pb-toc__link--active");
      active = found;
    }
    window.addEventListener("scroll", function () {
      if (!queued) { queued = true; window.requestAnimationFrame(update); }
    }, { passive: true });
    update();
  }

  function init() {
    document.documentElement.classList.add("pb-js");
    sidebar();
    revealCurrent();
    tocHighlight();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
