// Meetings pages. No inline script anywhere: the CSP forbids it.
(function () {
  "use strict";
  // The action item form: show the person or partner field only when that owner is chosen.
  var form = document.querySelector("[data-item-form]");
  if (!form) {
    return;
  }
  var person = document.getElementById("div_id_owner_email");
  var partner = document.getElementById("div_id_owner_partner");
  function sync() {
    var checked = form.querySelector("input[name='owner_kind']:checked");
    var kind = checked ? checked.value : "";
    if (person) { person.hidden = kind !== "person"; }
    if (partner) { partner.hidden = kind !== "partner"; }
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "owner_kind") {
      sync();
    }
  });
  sync();
})();
