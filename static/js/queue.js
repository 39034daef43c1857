/* The station queue's officer pickers: each row's <select data-picker> comes with the officers who cover the
   item's community; the station's other officers are written once per page in <template id="officer-options">
   and appended here to every picker not yet filled (on load and after each htmx refresh). No dependencies. */
(function () {
  "use strict";

  function fill() {
    var source = document.getElementById("officer-options");
    if (!source) return;
    var options = source.content.querySelectorAll("option");
    document.querySelectorAll("select[data-picker]:not([data-filled])").forEach(function (select) {
      var present = {};
      for (var i = 0; i < select.options.length; i++) present[select.options[i].value] = true;
      options.forEach(function (option) {
        if (!present[option.value]) select.appendChild(option.cloneNode(true));
      });
      select.setAttribute("data-filled", "");
    });
  }

  document.addEventListener("DOMContentLoaded", fill);
  document.addEventListener("htmx:afterSettle", fill);
})();
