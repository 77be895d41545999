// The dashboard's messages after "remind now" (sent with htmx): the server names the outcome
// in an HX-Trigger header; this shows it in the page's live region.
(function () {
  "use strict";
  var region = document.getElementById("dashboard-flash");
  if (!region) {
    return;
  }
  document.body.addEventListener("dashboard:message", function (event) {
    var detail = event.detail || {};
    var level = ["success", "danger", "warning", "info"].indexOf(detail.level) >= 0 ? detail.level : "info";
    var alert = document.createElement("div");
    alert.className = "alert alert-" + level + " alert-dismissible fade show";
    alert.setAttribute("role", level === "danger" ? "alert" : "status");
    alert.textContent = detail.text || "";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", "Close");
    alert.appendChild(close);
    region.replaceChildren(alert);
  });
})();
