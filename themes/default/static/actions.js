/* planboek: the filters of a plan's action register (actions.html). Without this script the
   form stays hidden and the whole table is shown; with it, rows that do not match the chosen
   partner and status are hidden, and a status line says how many are shown. The choice is
   kept in the address (#wie=…&status=…), so a filtered register can be linked to. */
(function () {
  "use strict";

  function matches(row, who, status) {
    if (who && row.getAttribute("data-who") !== who) return false;
    var deadline = row.getAttribute("data-deadline");
    switch (status) {
      case "": return true;
      case "not-done": return deadline !== "done";
      case "overdue": case "soon": return deadline === status;
      default: return row.getAttribute("data-status") === status;
    }
  }

  function init() {
    var form = document.getElementById("pb-filter");
    var table = document.getElementById("pb-register");
    if (!form || !table) return;
    var who = document.getElementById("pb-filter-who");
    var status = document.getElementById("pb-filter-status");
    var count = document.getElementById("pb-filter-count");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var template = form.getAttribute("data-pb-shown") || "{n} / {m}";

    function fromAddress() {
      var params = new URLSearchParams(window.location.hash.slice(1));
      var pick = function (select, value) {
        if (value === null) return;
        for (var i = 0; i < select.options.length; i++) {
          if (select.options[i].value === value) { select.value = value; return; }
        }
      };
      pick(who, params.get("wie"));
      pick(status, params.get("status"));
    }

    function apply(remember) {
      var shown = 0;
      rows.forEach(function (row) {
        var show = matches(row, who.value, status.value);
        row.hidden = !show;
        if (show) shown++;
      });
      count.textContent = template.replace("{n}", String(shown)).replace("{m}", String(rows.length));
      if (remember && window.history && window.history.replaceState) {
        var params = new URLSearchParams();
        if (who.value) params.set("wie", who.value);
        if (status.value) params.set("status", status.value);
        var hash = params.toString();
        try {
          window.history.replaceState(null, "", hash ? "#" + hash : window.location.pathname + window.location.search);
        } catch (e) { /* some browsers refuse this for pages opened from disk */ }
      }
    }

    form.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    who.addEventListener("change", function () { apply(true); });
    status.addEventListener("change", function () { apply(true); });
    fromAddress();
    apply(false);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
