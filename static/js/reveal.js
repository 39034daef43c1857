/* "Show in full": POST to the incident's reveal endpoint (audited on the server) and put the
   caller's full phone and ID in place of the masked ones. The button carries the endpoint in
   data-reveal-url; each field to fill carries the response key in data-reveal-field. */
(function () {
  "use strict";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  document.querySelectorAll("[data-reveal-url]").forEach(function (button) {
    var error = document.querySelector("[data-testid=reveal-error]");
    button.addEventListener("click", function () {
      button.disabled = true;
      fetch(button.getAttribute("data-reveal-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          document.querySelectorAll("[data-reveal-field]").forEach(function (el) {
            el.textContent = data[el.getAttribute("data-reveal-field")] || "—";
            el.classList.add("revealed");
          });
          button.hidden = true;
          if (error) error.hidden = true;
        })
        .catch(function () {
          button.disabled = false;
          if (error) {
            error.textContent = button.getAttribute("data-error");
            error.hidden = false;
          }
        });
    });
  });
})();
