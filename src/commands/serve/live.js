// planboek serve: reloads the page after a rebuild, keeping the scroll position.
// Only pages served by `planboek serve` load this; `planboek build` output never does.
(function () {
  "use strict";
  var key = "planboek-scroll:" + location.pathname;
  var saved = null;
  try { saved = sessionStorage.getItem(key); sessionStorage.removeItem(key); } catch (e) {}
  if (saved !== null) {
    var y = Number(saved);
    window.scrollTo(0, y);
    window.addEventListener("load", function () { window.scrollTo(0, y); });
  }
  // The tag of the build this page came from, so a rebuild before the stream opens counts.
  var me = document.currentScript;
  var tag = me ? me.getAttribute("data-tag") : null;
  function reload() {
    try { sessionStorage.setItem(key, String(window.scrollY)); } catch (e) {}
    location.reload();
  }
  function connect() {
    var source = new EventSource("/__planboek/events");
    source.onmessage = function (event) {
      if (tag === null) { tag = event.data; } else if (event.data !== tag) { reload(); }
    };
    // Reconnect ourselves, so that a restarted server (a new tag) reloads the page too.
    source.onerror = function () { source.close(); setTimeout(connect, 1000); };
  }
  connect();
})();
