/* Quick entry that survives a lost connection.
   - What is typed is kept in localStorage (per login) until the report is accepted.
   - Submitting while offline (or when the request fails) keeps the report in the browser's outbox and
     sends it by itself once the connection returns, exactly once: the hidden client_key (a UUID made
     by the server when the form was opened, kept with the stored fields) lets the server hand back
     the incident already created instead of making a second one.
   - "Possible duplicate" notice: other visible reports in the same desa within 3 days.
   No inline code (CSP); messages come from a json_script block. */
(function () {
  "use strict";
  var form = document.getElementById("incident-form");
  if (!form) { return; }
  var storeKey = form.getAttribute("data-offline-store");
  var statusBox = document.getElementById("offline-status");
  var messagesEl = document.getElementById("incident-offline-messages");
  var text = messagesEl ? JSON.parse(messagesEl.textContent) : {};
  var sending = false;
  var retryTimer = null;

  function show(message, tone) {
    if (!statusBox) { return; }
    statusBox.textContent = message;
    statusBox.className = "alert alert-" + (tone || "warning");
    if (statusBox.scrollIntoView) { statusBox.scrollIntoView({ block: "center" }); }
  }

  function fields() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit" || el.type === "file") { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      data[el.name] = el.value;
    });
    return data;
  }

  function load() {
    if (!storeKey) { return null; }
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "null"); } catch (e) { return null; }
  }

  function save(extra) {
    if (!storeKey) { return; }
    var saved = load() || {};
    var record = { fields: fields(), pending: !!saved.pending, action: saved.action || "submit", savedAt: Date.now() };
    Object.keys(extra || {}).forEach(function (k) { record[k] = extra[k]; });
    try { window.localStorage.setItem(storeKey, JSON.stringify(record)); } catch (e) { /* storage full: ignore */ }
  }

  function clear() { if (storeKey) { window.localStorage.removeItem(storeKey); } }

  function setValue(name, value) {
    var el = form.elements.namedItem(name);
    if (!el || el.type === "file") { return; }
    if (el.tagName === "SELECT" && value && !el.querySelector('option[value="' + value + '"]')) {
      var opt = document.createElement("option");  // a kecamatan/desa option not loaded yet
      opt.value = value; opt.textContent = value;
      el.appendChild(opt);
    }
    el.value = value;
  }

  function restore(saved) {
    var f = saved.fields || {};
    ["region", "kecamatan", "desa"].forEach(function (n) { if (f[n] !== undefined) { setValue(n, f[n]); } });
    Object.keys(f).forEach(function (n) { if (["region", "kecamatan", "desa"].indexOf(n) < 0) { setValue(n, f[n]); } });
    // Put proper names on the restored kecamatan/desa options (when the region list can be fetched).
    if (window.kbRegions && f.region) {
      window.kbRegions.load(f.region).then(function (items) {
        var kec = form.elements.namedItem("kecamatan");
        if (items && kec) { window.kbRegions.fill(kec, items, true); }
        if (f.kecamatan) {
          window.kbRegions.load(f.kecamatan).then(function (desa) {
            var d = form.elements.namedItem("desa");
            if (desa && d) { window.kbRegions.fill(d, desa, true); }
          });
        }
      });
    }
  }

  function body(saved) {
    var fd = new FormData();
    var token = form.elements.namedItem("csrfmiddlewaretoken");
    fd.append("csrfmiddlewaretoken", token ? token.value : "");
    var f = saved.fields || {};
    Object.keys(f).forEach(function (n) { fd.append(n, f[n]); });
    fd.append("action", saved.action || "submit");
    // Files chosen on this page go along (a browser cannot keep them across a reload).
    Array.prototype.forEach.call(form.querySelectorAll('input[type="file"]'), function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { fd.append(input.name, file); });
    });
    return fd;
  }

  function scheduleRetry() {
    if (retryTimer) { return; }
    retryTimer = window.setInterval(function () { if (navigator.onLine) { send(); } }, 5000);
  }

  function send() {
    var saved = load();
    if (!saved || !saved.pending || sending) { return; }
    if (!navigator.onLine) { show(text.offline); scheduleRetry(); return; }
    sending = true;
    show(text.sending, "info");
    // form.getAttribute: the buttons named "action" shadow the form.action property.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: body(saved), credentials: "same-origin", redirect: "follow",
      headers: { "X-Requested-With": "fetch" },
    }).then(function (response) {
      sending = false;
      var type = response.headers.get("Content-Type") || "";
      if (response.ok && type.indexOf("application/json") === 0) {
        return response.json().then(function (data) {
          clear();
          if (retryTimer) { window.clearInterval(retryTimer); retryTimer = null; }
          window.location.assign(data.url);
        });
      }
      // Refused by the server (missing fields, expired session ...): show its answer the usual way.
      save({ pending: false });
      submitNatively(saved.action);
    }).catch(function () {
      sending = false;
      show(text.offline);
      scheduleRetry();
    });
  }

  function submitNatively(action) {
    var hidden = document.createElement("input");
    hidden.type = "hidden"; hidden.name = "action"; hidden.value = action || "submit";
    form.appendChild(hidden);
    form.dataset.native = "1";
    HTMLFormElement.prototype.submit.call(form);
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  if (storeKey) {
    var saved = load();
    var hasErrors = form.querySelector(".is-invalid, .invalid-feedback");
    // The page may be the copy the service worker kept (opened with no signal): every new report gets a
    // key of its own, or two reports typed on that copy would be taken for one.
    var keyField = form.elements.namedItem("client_key");
    if (keyField && !hasErrors && !(saved && saved.fields && saved.fields.client_key)) { keyField.value = newKey(); }
    if (saved && saved.fields && !hasErrors) {
      restore(saved);
      if (saved.pending) { send(); scheduleRetry(); } else if (text.restored) { show(text.restored, "info"); }
    }
    form.addEventListener("input", function () { save(); });
    form.addEventListener("change", function () { save(); });
    form.addEventListener("submit", function (event) {
      if (form.dataset.native === "1") { return; }
      event.preventDefault();
      var action = (event.submitter && event.submitter.value) || "submit";
      save({ pending: true, action: action });
      send();
    });
    window.addEventListener("online", send);
    window.addEventListener("offline", function () { if ((load() || {}).pending) { show(text.offline); } });
  }

  // --- Possible duplicate ------------------------------------------------------------------------------
  var notice = document.getElementById("duplicate-notice");
  var dupUrl = form.getAttribute("data-duplicate-url");
  function checkDuplicates() {
    var desa = form.elements.namedItem("desa");
    var day = form.elements.namedItem("occurred_on");
    if (!notice || !desa || !day || !desa.value || !day.value || !navigator.onLine) {
      if (notice) { notice.classList.add("d-none"); }
      return;
    }
    var params = new URLSearchParams({ desa: desa.value, tanggal: day.value });
    var own = form.getAttribute("data-incident-id");
    if (own) { params.set("kecuali", own); }
    fetch(dupUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { matches: [] }; })
      .then(function (data) {
        notice.innerHTML = "";
        if (!data.matches.length) { notice.classList.add("d-none"); return; }
        var strong = document.createElement("strong");
        strong.textContent = text.duplicate + " ";
        notice.appendChild(strong);
        data.matches.forEach(function (m, i) {
          var a = document.createElement("a");
          a.href = m.url; a.textContent = m.ref + " (" + m.date + ") " + m.title; a.target = "_blank";
          if (i) { notice.appendChild(document.createTextNode("; ")); }
          notice.appendChild(a);
        });
        notice.classList.remove("d-none");
      }).catch(function () { notice.classList.add("d-none"); });
  }
  form.addEventListener("change", function (e) {
    if (e.target && (e.target.name === "desa" || e.target.name === "occurred_on")) { checkDuplicates(); }
  });
  document.addEventListener("DOMContentLoaded", checkDuplicates);
  checkDuplicates();
})();
