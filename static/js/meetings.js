// Meetings pages. No inline script anywhere: the CSP forbids it.
(function () {
  "use strict";
  // The action item form: show the person or partner field only when that owner is chosen.
  var form = document.querySelector("[data-item-form]");
  if (form) {
    var person = document.getElementById("div_id_owner_email");
    var partner = document.getElementById("div_id_owner_partner");
    var sync = function () {
      var checked = form.querySelector("input[name='owner_kind']:checked");
      var kind = checked ? checked.value : "";
      if (person) { person.hidden = kind !== "person"; }
      if (partner) { partner.hidden = kind !== "partner"; }
    };
    form.addEventListener("change", function (event) {
      if (event.target.name === "owner_kind") {
        sync();
      }
    });
    sync();
  }

  // The calendar page: a Copy button beside the address. Without script the button stays
  // hidden and the address is selectable in its field.
  document.querySelectorAll("[data-copy-button]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-button"));
    var status = document.querySelector("[data-copy-status]");
    if (!field) {
      return;
    }
    button.hidden = false;
    var say = function (text) {
      if (status) { status.textContent = text; }
    };
    button.addEventListener("click", function () {
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { say("The address is copied."); },
          function () { say("Press Ctrl+C (or ⌘+C) to copy the selected address."); }
        );
      } else {
        var copied = false;
        try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
        say(copied ? "The address is copied." : "Press Ctrl+C (or ⌘+C) to copy the selected address.");
      }
    });
  });
})();
