/* Live deadline clocks: every [data-due] element counts down to its ISO due time ("mm:ss" or
   "h:mm:ss"), then shows how late it is (from its data-late text, "{m}" replaced by minutes).
   Classes: clock-amber in the last 10 minutes, clock-red once overdue. No dependencies. */
(function () {
  "use strict";
  var AMBER_MS = 10 * 60 * 1000;

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function countdown(ms) {
    var s = Math.floor(ms / 1000);
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var rest = pad(m) + ":" + pad(s % 60);
    return h ? h + ":" + rest : rest;
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-due"));
      if (isNaN(due)) return;
      var left = due - now;
      var late = left <= 0;
      el.textContent = late
        ? (el.getAttribute("data-late") || "overdue {m} min").replace("{m}", Math.max(1, Math.ceil(-left / 60000)))
        : countdown(left);
      el.classList.toggle("clock-red", late);
      el.classList.toggle("clock-amber", !late && left <= AMBER_MS);
    });
  }

  tick();
  setInterval(tick, 1000);
})();
