// The matrix grid scrolls sideways inside its box but up and down with the page, so every
// row can be reached by scrolling the page. A box that scrolls sideways is also where a
// sticky header would stick (CSS cannot stick it to the window from inside it), so the
// header cells are moved down by the distance the page has scrolled past the table's top,
// until the table's end. Without script the header simply scrolls away with the page.
(function () {
  "use strict";
  var table = document.querySelector("table[data-matrix-grid]");
  if (!table || !table.tHead) {
    return;
  }
  var head = table.tHead;
  var queued = false;

  function place() {
    queued = false;
    var box = table.getBoundingClientRect();
    var room = box.height - head.offsetHeight - (table.tFoot ? table.tFoot.offsetHeight : 0);
    var shift = Math.max(0, Math.min(-box.top, room));
    table.style.setProperty("--matrix-head-shift", shift + "px");
    table.classList.toggle("head-floating", shift > 0);
  }

  function queue() {
    if (!queued) {
      queued = true;
      window.requestAnimationFrame(place);
    }
  }

  window.addEventListener("scroll", queue, { passive: true });
  window.addEventListener("resize", queue);
  place();
})();
