// Staff console progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Filter menus apply as soon as a value is chosen.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) {
        select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
      }
    });
  });

  // Irreversible actions ask once more.
  document.querySelectorAll("[data-confirm]").forEach(function (control) {
    control.addEventListener("click", function (event) {
      if (!window.confirm(control.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
})();
