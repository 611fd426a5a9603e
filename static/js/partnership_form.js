// Log-a-partnership form: show only the chosen collaboration type's fields and preview the
// contract value with the same rule as partnerships.services.contract_value. Without this file
// the form shows both groups under their headings and the server does the same work.
(function () {
  "use strict";

  var form = document.getElementById("partnership-form");
  if (!form) {
    return;
  }
  var groups = form.querySelectorAll(".type-fields[data-type]");
  var preview = document.getElementById("contract-value-preview");

  function chosenType() {
    var checked = form.querySelector('input[name="collaboration_type"]:checked');
    return checked ? checked.value : "";
  }

  function showChosenType() {
    var type = chosenType();
    groups.forEach(function (group) {
      group.hidden = group.getAttribute("data-type") !== type;
    });
  }

  function number(name) {
    var input = form.elements[name];
    if (!input || input.value === "") {
      return 0;
    }
    var value = parseFloat(input.value);
    return isNaN(value) ? 0 : value;
  }

  function date(name) {
    var input = form.elements[name];
    if (!input || !/^\d{4}-\d{2}-\d{2}$/.test(input.value)) {
      return null;
    }
    var parts = input.value.split("-").map(Number);
    return { year: parts[0], month: parts[1], day: parts[2] };
  }

  // Started months from start to end, both days included (1 Jan - 31 Dec is 12).
  function monthsInTerm(start, end) {
    if (!start || !end) {
      return 0;
    }
    var startKey = start.year * 10000 + start.month * 100 + start.day;
    var endKey = end.year * 10000 + end.month * 100 + end.day;
    if (endKey < startKey) {
      return 0;
    }
    var months = (end.year - start.year) * 12 + (end.month - start.month);
    if (end.day >= start.day) {
      months += 1;
    }
    return Math.max(months, 1);
  }

  function contractValue() {
    var type = chosenType();
    if (type === "one_off") {
      return { value: number("fee"), note: "flat fee" };
    }
    if (type === "long_term") {
      var months = monthsInTerm(date("start_date"), date("end_date"));
      return {
        value: number("monthly_retainer") * months + number("one_time_fee"),
        note: months + " month" + (months === 1 ? "" : "s") + " x retainer + one-time fee",
      };
    }
    return null;
  }

  function showContractValue() {
    if (!preview) {
      return;
    }
    var result = contractValue();
    if (!result) {
      preview.textContent = "choose a collaboration type";
      return;
    }
    var currency = preview.getAttribute("data-currency") || "";
    var amount = result.value.toLocaleString("en-GB", {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    preview.textContent = currency + " " + amount + " (" + result.note + ")";
  }

  function refresh() {
    showChosenType();
    showContractValue();
  }

  form.addEventListener("change", refresh);
  form.addEventListener("input", showContractValue);
  refresh();
})();
