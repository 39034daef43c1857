/* "Show in full": POST to the incident's reveal endpoint (audited on the server) with the purpose
   chosen in the picker beside the button, and put the caller's full data in place of the masked.
   The button carries the endpoint in data-reveal-url; each field to fill carries the response key
   in data-reveal-field; the picker is [data-reveal-purpose] with an optional [data-reveal-note]. */
(function () {
  "use strict";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function firstMessage(data) {
    if (!data || typeof data !== "object") return "";
    var keys = ["purpose", "note", "detail"];
    for (var i = 0; i < keys.length; i++) {
      var value = data[keys[i]];
      if (Array.isArray(value) && value.length) return String(value[0]);
      if (typeof value === "string" && value) return value;
    }
    return "";
  }

  document.querySelectorAll("[data-reveal-url]").forEach(function (button) {
    var error = document.querySelector("[data-testid=reveal-error]");
    var purpose = document.querySelector("[data-reveal-purpose]");
    var note = document.querySelector("[data-reveal-note]");

    function fail(message) {
      button.disabled = false;
      if (error) {
        error.textContent = message || button.getAttribute("data-error");
        error.hidden = false;
      }
    }

    button.addEventListener("click", function () {
      if (purpose && !purpose.value) {
        fail(button.getAttribute("data-purpose-error"));
        purpose.focus();
        return;
      }
      button.disabled = true;
      fetch(button.getAttribute("data-reveal-url"), {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json", "Content-Type": "application/json" },
        body: JSON.stringify({ purpose: purpose ? purpose.value : "", note: note ? note.value : "" }),
      })
        .then(function (response) {
          return response.json().then(
            function (data) { return { ok: response.ok, data: data }; },
            function () { return { ok: false, data: null }; }
          );
        })
        .then(function (answer) {
          if (!answer.ok) return fail(firstMessage(answer.data));
          document.querySelectorAll("[data-reveal-field]").forEach(function (el) {
            el.textContent = answer.data[el.getAttribute("data-reveal-field")] || "—";
            el.classList.add("revealed");
          });
          button.hidden = true;
          if (purpose) purpose.closest("[data-testid=reveal-purpose-picker]").hidden = true;
          if (error) error.hidden = true;
        })
        .catch(function () { fail(""); });
    });
  });
})();
