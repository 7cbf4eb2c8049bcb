// Progress on long requests (imports, uploads, downloads), without inline script (CSP):
// - a form with data-working="<text>": once sent, its submit button shows the text, is marked busy
//   and cannot be pressed twice; the page that answers says what happened (Django's messages);
// - a download link with data-working="<text>": shows the text until the file has had time to come
//   (the page stays, so the link comes back by itself).
(function () {
  "use strict";

  var DOWNLOAD_SHOWN_MS = 6000;

  function busy(control, text) {
    if (!control.hasAttribute("data-idle-text")) {
      control.setAttribute("data-idle-text", control.textContent);
    }
    control.textContent = text;
    control.classList.add("is-working");
    control.setAttribute("aria-disabled", "true");
  }

  function idle(control) {
    if (!control.hasAttribute("data-idle-text")) return;
    control.textContent = control.getAttribute("data-idle-text");
    control.removeAttribute("data-idle-text");
    control.classList.remove("is-working");
    control.removeAttribute("aria-disabled");
    if (control.tagName === "BUTTON") control.disabled = false;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-working") || event.defaultPrevented) {
      return;
    }
    var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    form.setAttribute("aria-busy", "true");
    if (button) {
      busy(button, form.getAttribute("data-working"));
      // Disabled only after this turn: the submission still carries the button's name and value.
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[data-working]") : null;
    if (!link) return;
    if (link.classList.contains("is-working")) {
      event.preventDefault();  // the file is already on its way
      return;
    }
    busy(link, link.getAttribute("data-working"));
    window.setTimeout(function () { idle(link); }, DOWNLOAD_SHOWN_MS);
  });

  // Back to a page the browser kept: its forms are idle again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[aria-busy]").forEach(function (form) { form.removeAttribute("aria-busy"); });
    document.querySelectorAll("[data-idle-text]").forEach(idle);
  });
})();
