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
})();
