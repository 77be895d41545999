// Portal behaviour that needs script. No inline script anywhere: the CSP forbids it.
(function () {
  "use strict";
  // Buttons that ask before a destructive action: <button data-confirm="...">.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // A create form acts once (its one-time token); graying out its buttons after the first
  // submit saves the person a second click. Disabled after the submit has started, so the
  // button's own name and value still go with it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.querySelector('input[name="form_token"]')) {
      return;
    }
    window.setTimeout(function () {
      form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]')
        .forEach(function (button) {
          if (!button.disabled) {
            button.disabled = true;
            button.setAttribute("data-disabled-on-submit", "");
          }
        });
    }, 0);
  });
  // Back to a page kept in the browser's cache: its buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("[data-disabled-on-submit]").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("data-disabled-on-submit");
      });
    }
  });
})();
