// Keeps the closed stages the user opened open when a move swaps the board in (htmx); without
// this each move folded them again. The board works without it.
(function () {
  "use strict";
  var opened = [];
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target.id !== "board") {
      return;
    }
    opened = Array.prototype.map.call(
      document.querySelectorAll("#board .board-column-closed details[open]"),
      function (details) {
        return details.closest("[data-status]").dataset.status;
      }
    );
  });
  document.body.addEventListener("htmx:afterSwap", function () {
    opened.forEach(function (status) {
      var details = document.querySelector(
        '#board .board-column-closed[data-status="' + status + '"] details'
      );
      if (details) {
        details.open = true;
      }
    });
    opened = [];
  });
})();
