/* Kesbang page behaviour, loaded on every page after Bootstrap. No inline scripts or handlers
   anywhere (the Content Security Policy has no 'unsafe-inline'): templates mark elements with
   data-kb-* attributes and this file wires them up.

   data-kb-confirm="Text?"   on a <form>: ask before submitting (the text is an HTML attribute,
                             escaped by the template engine like any other, never JavaScript code).
   data-kb-filterable        on a <select>, with #person-filter: narrow the options as one types.
   .kb-tabs [data-bs-toggle=tab]: open the tab named in the address (#anggota) and keep it there.
   data-kb-autosubmit        on a <select>: submit its form when the choice changes.
   #only-errors              on the import preview: show only rows with problems. */
(function () {
  'use strict';

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    var question = form.getAttribute('data-kb-confirm');
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  document.addEventListener('change', function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute('data-kb-autosubmit') && el.form) { el.form.requestSubmit(); }
  });

  function personFilter() {
    // Narrow the long person <select> as one types (name, position or institution); keeps optgroups.
    var input = document.getElementById('person-filter');
    var select = document.querySelector('select[data-kb-filterable]');
    if (!input || !select) { return; }
    var original = select.cloneNode(true);
    input.addEventListener('input', function () {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var current = select.value;
      select.innerHTML = '';
      Array.prototype.forEach.call(original.children, function (node) {
        if (node.tagName === 'OPTION') { select.appendChild(node.cloneNode(true)); return; }
        var group = node.cloneNode(false);
        Array.prototype.forEach.call(node.children, function (opt) {
          var text = (node.label + ' ' + opt.textContent).toLowerCase();
          if (terms.every(function (t) { return text.indexOf(t) !== -1; })) { group.appendChild(opt.cloneNode(true)); }
        });
        if (group.children.length) { select.appendChild(group); }
      });
      select.value = current;
      if (select.value !== current) { select.selectedIndex = 0; }
      if (terms.length && select.querySelectorAll('optgroup option').length === 1) {
        select.value = select.querySelector('optgroup option').value;
      }
    });
  }

  function tabsFromAddress() {
    var triggers = document.querySelectorAll('.kb-tabs [data-bs-toggle="tab"]');
    if (!triggers.length || !window.bootstrap) { return; }
    var hash = window.location.hash;
    if (hash) {
      var trigger = document.querySelector('.kb-tabs [data-bs-target="' + CSS.escape(hash) + '"]');
      if (trigger) { window.bootstrap.Tab.getOrCreateInstance(trigger).show(); }
    }
    triggers.forEach(function (el) {
      el.addEventListener('shown.bs.tab', function () { history.replaceState(null, '', el.dataset.bsTarget); });
    });
  }

  function onlyErrors() {
    var toggle = document.getElementById('only-errors');
    if (!toggle) { return; }
    toggle.addEventListener('change', function () {
      document.querySelectorAll('#preview-table .kb-row-ok, #preview-list .kb-row-ok').forEach(function (row) {
        row.classList.toggle('d-none', toggle.checked);
      });
    });
  }

  function ready(fn) {
    if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', fn); } else { fn(); }
  }
  ready(function () { personFilter(); tabsFromAddress(); onlyErrors(); });
})();
