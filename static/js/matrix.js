// The partner row editor: a priority only matters for a need, a capacity note only for a
// contribution. Fields that do not apply to the chosen stance are disabled (the server
// ignores them anyway), and leaving with unsaved changes asks first.
(function () {
  "use strict";
  var form = document.querySelector("form[data-matrix-row]");
  if (!form) {
    return;
  }
  var NEEDS = { need: true, both: true };
  var CONTRIBUTES = { contribute: true, both: true };

  function sync(select) {
    var pk = select.getAttribute("data-matrix-stance");
    var stance = select.value;
    var priority = form.querySelector('[data-matrix-priority="' + pk + '"]');
    var capacity = form.querySelector('[data-matrix-capacity="' + pk + '"]');
    if (priority) {
      priority.disabled = !NEEDS[stance];
      priority.closest("td").classList.toggle("is-irrelevant", !NEEDS[stance]);
    }
    if (capacity) {
      capacity.disabled = !CONTRIBUTES[stance];
      capacity.closest("td").classList.toggle("is-irrelevant", !CONTRIBUTES[stance]);
    }
  }

  var selects = form.querySelectorAll("[data-matrix-stance]");
  Array.prototype.forEach.call(selects, function (select) {
    sync(select);
    select.addEventListener("change", function () {
      sync(select);
    });
  });

  var dirty = false;
  form.addEventListener("input", function () {
    dirty = true;
  });
  form.addEventListener("change", function () {
    dirty = true;
  });
  form.addEventListener("submit", function () {
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
