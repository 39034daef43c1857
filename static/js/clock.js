/* Live deadline clocks: every [data-due] element counts down to its ISO due time ("mm:ss" or
   "h:mm:ss"), then shows how late it is (from its data-late text, "{m}" replaced by minutes).
   An element with data-units counts in words with units instead ("27分", "2小时59分", "5天4小时", "29天"),
   from the formats in the page's #m-strings JSON ("units", made by tasks/countdowns.py, which draws the
   same words on the server), and its data-late text has "{t}" replaced by how late, in the same words.
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

  var UNITS = (function () {
    var el = document.getElementById("m-strings");
    try {
      return el ? JSON.parse(el.textContent).units || null : null;
    } catch (e) {
      return null;
    }
  })();
  var WEEK_DAYS = 7;

  function words(ms) {
    var minutes = Math.max(1, Math.floor(ms / 60000));
    var d = Math.floor(minutes / 1440);
    var h = Math.floor((minutes % 1440) / 60);
    var m = minutes % 60;
    var key = d ? (d >= WEEK_DAYS || !h ? "d" : "dh") : h ? (m ? "hm" : "h") : "m";
    return UNITS[key].replace("{d}", d).replace("{h}", h).replace("{m}", m);
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-due"));
      if (isNaN(due)) return;
      var left = due - now;
      var late = left <= 0;
      if (UNITS && el.hasAttribute("data-units")) {
        el.textContent = late ? (el.getAttribute("data-late") || UNITS.late).replace("{t}", words(-left)) : words(left);
      } else {
        el.textContent = late
          ? (el.getAttribute("data-late") || "overdue {m} min").replace("{m}", Math.max(1, Math.ceil(-left / 60000)))
          : countdown(left);
      }
      el.classList.toggle("clock-red", late);
      el.classList.toggle("clock-amber", !late && left <= AMBER_MS);
    });
  }

  tick();
  setInterval(tick, 1000);
})();
