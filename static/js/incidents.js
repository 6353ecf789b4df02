/* Incidents: dependent region selects (kabupaten/kota → kecamatan → desa) on the report forms and
   the list filter. Data from /insiden/wilayah/<id>/ (scoped JSON) on the staff pages; the public form
   (data-regions-json) reads the province's whole list, /lapor/wilayah.json, which the service worker
   keeps, and the staff quick entry falls back to that list when it has no signal
   (data-regions-fallback). No inline code (CSP). */
(function () {
  "use strict";
  var cache = {};
  var wholeList = {};

  function regionForm() {
    return document.querySelector("form[data-region-url], form[data-regions-json]");
  }

  function childrenUrl(id) {
    var form = regionForm();
    var template = form && form.getAttribute("data-region-url") ? form.getAttribute("data-region-url")
      : "/insiden/wilayah/987654321/";
    return template.replace("987654321", String(id));
  }

  function fromList(url, id) {
    if (!wholeList[url]) {
      wholeList[url] = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .catch(function (e) { delete wholeList[url]; throw e; });
    }
    return wholeList[url].then(function (data) { return (data.children || {})[String(id)] || []; });
  }

  function load(id) {
    if (!id) { return Promise.resolve([]); }
    if (cache[id]) { return Promise.resolve(cache[id]); }
    var form = regionForm();
    var json = form ? form.getAttribute("data-regions-json") : null;
    var fallback = form ? form.getAttribute("data-regions-fallback") : null;
    var request = json ? fromList(json, id) :
      fetch(childrenUrl(id), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (data) { return data.children; })
        .catch(function (e) { if (fallback) { return fromList(fallback, id); } throw e; });
    return request.then(function (children) { cache[id] = children; return children; })
      .catch(function () { return null; });  // offline and never loaded: keep what is there
  }

  function fill(select, items, keep) {
    if (!select || items === null) { return; }
    var first = select.options.length ? select.options[0].cloneNode(true) : null;
    var current = keep ? select.value : "";
    select.innerHTML = "";
    if (first) { first.value = ""; select.appendChild(first); }
    items.forEach(function (item) {
      var opt = document.createElement("option");
      opt.value = String(item.id);
      opt.textContent = item.name;
      select.appendChild(opt);
    });
    if (current && select.querySelector('option[value="' + current + '"]')) { select.value = current; }
    select.dispatchEvent(new Event("kb:filled", { bubbles: true }));
  }

  function wire(regionSel, kecSel, desaSel) {
    if (!regionSel || !kecSel) { return; }
    regionSel.addEventListener("change", function () {
      load(regionSel.value).then(function (items) {
        fill(kecSel, items || [], false);
        if (desaSel) { fill(desaSel, [], false); }
        kecSel.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
    if (desaSel) {
      kecSel.addEventListener("change", function () {
        load(kecSel.value).then(function (items) { fill(desaSel, items || [], false); });
      });
    }
  }

  // Handler select follows the handling-team select (scoped JSON /insiden/tim/<id>/petugas/).
  function wireHandlers() {
    var form = document.getElementById("incident-form");
    var teamSel = document.querySelector("[data-team-select]");
    var handlerSel = form ? form.elements.namedItem("handler") : null;
    if (!form || !teamSel || !handlerSel) { return; }
    var template = form.getAttribute("data-handlers-url");
    if (!template) { return; }
    teamSel.addEventListener("change", function () {
      if (!teamSel.value) { fill(handlerSel, [], false); return; }
      fetch(template.replace("987654321", teamSel.value),
            { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { handlers: [] }; })
        .then(function (data) { fill(handlerSel, data.handlers || [], true); })
        .catch(function () { /* offline: keep the current list */ });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    wireHandlers();
    wire(document.querySelector('[data-region-select="region"]'),
         document.querySelector('[data-region-select="kecamatan"]'),
         document.querySelector('[data-region-select="desa"]'));
    var fRegion = document.querySelector("[data-filter-region]");
    var fKec = document.querySelector("[data-filter-kecamatan]");
    if (fRegion && fKec && fRegion.value) {
      load(fRegion.value).then(function (items) { if (items) { fill(fKec, items, true); } });
    }
    wire(fRegion, fKec, null);
  });
  window.kbRegions = { load: load, fill: fill };
})();
