/* Page behaviour formerly inline in templates (the Content Security Policy allows no inline script).
   Loaded on every page by base.html, after Bootstrap; each part acts only where its markup is. */
(function () {
  "use strict";

  // <select data-autosubmit>: submit its form on change (plan list year filter).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });

  // <form data-confirm="question">: ask before submitting (delete buttons).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });

  // Tabs: open the tab named in the address (#anggota, #riwayat, #perubahan) and keep it on switch.
  var hash = window.location.hash;
  if (hash && window.bootstrap) {
    var trigger = document.querySelector('[data-bs-target="' + hash + '"]');
    if (trigger) { window.bootstrap.Tab.getOrCreateInstance(trigger).show(); }
  }
  document.querySelectorAll('.kb-tabs [data-bs-toggle="tab"]').forEach(function (el) {
    el.addEventListener("shown.bs.tab", function () { history.replaceState(null, "", el.dataset.bsTarget); });
  });

  // Import preview: "only rows with problems" toggle.
  var onlyErrors = document.getElementById("only-errors");
  if (onlyErrors) {
    onlyErrors.addEventListener("change", function () {
      document.querySelectorAll("#preview-table .kb-row-ok, #preview-list .kb-row-ok").forEach(function (row) {
        row.classList.toggle("d-none", onlyErrors.checked);
      });
    });
  }

  // Membership form: narrow the long person <select> as one types (name, position or institution).
  var input = document.getElementById("person-filter");
  var select = document.querySelector("select[data-kb-filterable]");
  if (input && select) {
    var original = select.cloneNode(true);
    input.addEventListener("input", function () {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var current = select.value;
      select.innerHTML = "";
      Array.prototype.forEach.call(original.children, function (node) {
        if (node.tagName === "OPTION") { select.appendChild(node.cloneNode(true)); return; }
        var group = node.cloneNode(false);
        Array.prototype.forEach.call(node.children, function (opt) {
          var text = (node.label + " " + opt.textContent).toLowerCase();
          if (terms.every(function (t) { return text.indexOf(t) !== -1; })) { group.appendChild(opt.cloneNode(true)); }
        });
        if (group.children.length) { select.appendChild(group); }
      });
      select.value = current;
      if (select.value !== current) { select.selectedIndex = 0; }
      if (terms.length && select.querySelectorAll("optgroup option").length === 1) {
        select.value = select.querySelector("optgroup option").value;
      }
    });
  }
})();
