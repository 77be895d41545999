// The block editor: autosave answers that htmx should show (400/403/409), stopping autosave
// after a conflict or once editing has closed, waiting for an autosave in flight before a
// submit, and a warning before leaving the page with unsaved changes. No inline script: CSP.
(function () {
  "use strict";
  var form = document.getElementById("block-form");
  if (!form) { return; }
  var edits = 0;      // inputs typed so far
  var savedEdits = 0; // inputs covered by the last successful save
  var sentEdits = 0;  // inputs covered by the request in flight

  function autosaveOn() { return form.getAttribute("data-autosave") !== "off"; }
  function stopAutosave() { form.setAttribute("data-autosave", "off"); }

  form.addEventListener("input", function () { edits += 1; });

  form.addEventListener("htmx:beforeRequest", function (event) {
    if (!autosaveOn()) { event.preventDefault(); return; }
    sentEdits = edits;
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (event.detail.requestConfig.elt === form && [400, 403, 409].indexOf(status) !== -1) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  form.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 200) { savedEdits = sentEdits; }
  });

  document.body.addEventListener("mou-conflict", function () {
    stopAutosave();
    var status = document.getElementById("autosave-status");
    if (status) {
      status.textContent = "Not saved: someone else changed this block. Choose what to keep below.";
      status.classList.add("text-danger", "fw-semibold");
    }
    var area = document.getElementById("conflict-area");
    if (area) { area.scrollIntoView({ block: "start" }); }
  });
  document.body.addEventListener("mou-closed", stopAutosave);

  var deferred = false;
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    stopAutosave();
    if (!deferred && form.classList.contains("htmx-request")) {
      // Let the autosave in flight land first (it moves the revision on), then submit.
      deferred = true;
      event.preventDefault();
      form.addEventListener("htmx:afterRequest", function () {
        savedEdits = edits;
        form.requestSubmit(submitter);
      }, { once: true });
      return;
    }
    savedEdits = edits;
  });

  // The sticky Save/Submit bar must never cover the field being typed in (WCAG 2.4.11):
  // the page's scroll padding follows the bar's height, and a field focused under the bar
  // (a tap, a Tab, a browser that ignores scroll padding) is scrolled up clear of it.
  var bar = document.getElementById("mou-actions");
  if (bar) {
    var root = document.documentElement;
    var measure = function () {
      root.style.setProperty("--mou-actions-height", bar.getBoundingClientRect().height + "px");
    };
    measure();
    if (window.ResizeObserver) { new ResizeObserver(measure).observe(bar); }
    form.addEventListener("focusin", function (event) {
      var field = event.target;
      if (!field || bar.contains(field)) { return; }
      window.requestAnimationFrame(function () {
        var barTop = bar.getBoundingClientRect().top;
        var box = field.getBoundingClientRect();
        // Up enough to clear the bar, never so far that the field's own top leaves the window.
        var delta = Math.min(box.bottom + 12 - barTop, box.top - 8);
        if (delta > 0) { window.scrollBy({ top: delta, behavior: "instant" }); }
      });
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (edits > savedEdits && autosaveOn()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
