// Keyboard and screen-reader help every page shares (loaded by base.html).
// - A form that failed to save shows an error summary (templates/bootstrap5/errors.html): focus
//   moves to it, so the errors are read out first and each links to its field.
// - An htmx swap replaces the element that had focus, which drops focus to <body>. An element
//   marked data-keep-focus (with an id) gets focus back after a request made from inside it, in
//   its new place; if it is gone, the swapped element gets it when it can take it (tabindex=-1).
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  var keep = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt;
    var holder = source && source.closest ? source.closest("[data-keep-focus][id]") : null;
    var target = event.detail.target;
    keep = holder ? { id: holder.id, targetId: target ? target.id : "" } : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!keep) {
      return;
    }
    var wanted = keep;
    keep = null;
    var element = document.getElementById(wanted.id);
    if (!element || !element.getClientRects().length) {
      element = wanted.targetId ? document.getElementById(wanted.targetId) : null;
    }
    if (element && element.hasAttribute("tabindex")) {
      element.focus();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }
})();
