// Adds social-account rows to the influencer form from its <template> (the form works without it).
(function () {
  "use strict";
  const button = document.getElementById("add-account");
  const template = document.getElementById("account-row-template");
  const rows = document.getElementById("account-rows");
  const total = document.getElementById("id_accounts-TOTAL_FORMS");
  const max = document.getElementById("id_accounts-MAX_NUM_FORMS");
  if (!button || !template || !rows || !total) {
    return;
  }
  button.classList.remove("d-none");
  button.addEventListener("click", function () {
    const index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) {
      return;
    }
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const first = rows.lastElementChild && rows.lastElementChild.querySelector("select, input");
    if (first) {
      first.focus();
    }
  });
})();
