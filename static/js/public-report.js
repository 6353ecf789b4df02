/* The public report form (/lapor/) on a phone with a weak signal.

   - Photos are made smaller in the browser before they are sent (longest side 1600 px, JPEG), so a
     report goes through on a slow connection and stays under the server's size limit.
   - Sending: the report (its fields and the smaller photos) is first put in the browser's outbox
     (IndexedDB), then sent. Without a signal it stays there and is sent by itself once the connection
     returns (also when this page is opened again later), exactly once: each report carries its own
     key (client_key, a random UUID made here), and the server hands back the report already made for
     a key it has seen.
   - A report the server refuses (a missing field, a limit reached) is put back in the form and sent the
     ordinary way, so the server's page says what to change, with what was typed kept.
   - The tracking codes of reports sent from this phone are remembered here (localStorage) and listed.
   No inline code (CSP); texts and URLs come from json_script blocks. */
(function () {
  "use strict";
  var form = document.getElementById("public-report-form");
  if (!form) { return; }
  var cfg = JSON.parse(document.getElementById("public-report-config").textContent);
  var text = JSON.parse(document.getElementById("public-report-messages").textContent);
  var statusBox = document.getElementById("outbox-status");
  var photoInput = form.elements.namedItem("photos");
  var photoList = document.getElementById("photo-list");
  var keyField = form.elements.namedItem("client_key");
  var DB = "kesbang-lapor", STORE = "outbox", CODES = "kesbang-lapor-kode";
  var MAX_SIDE = 1600, QUALITY = 0.82;
  var photos = [];  // the (smaller) photos chosen on this page, as File objects
  var sending = false, retry = null, dirty = false;

  // --- small helpers -------------------------------------------------------------------------------------
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function show(message, tone) {
    if (!statusBox) { return; }
    if (!message) { statusBox.className = "d-none"; statusBox.textContent = ""; return; }
    statusBox.textContent = message;
    statusBox.className = "alert alert-" + (tone || "warning");
    if (statusBox.scrollIntoView) { statusBox.scrollIntoView({ block: "center" }); }
  }

  // --- the outbox (IndexedDB) ------------------------------------------------------------------------------
  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var req = work(t.objectStore(STORE));
        t.oncomplete = function () { db.close(); resolve(req ? req.result : undefined); };
        t.onerror = function () { db.close(); reject(t.error); };
        t.onabort = function () { db.close(); reject(t.error); };
      });
    });
  }
  function put(record) { return run("readwrite", function (s) { return s.put(record); }); }
  function drop(key) { return run("readwrite", function (s) { return s.delete(key); }); }
  function records() {
    return run("readonly", function (s) { return s.getAll(); }).then(function (list) {
      return (list || []).sort(function (a, b) { return a.savedAt - b.savedAt; });
    });
  }

  // --- the form's fields -------------------------------------------------------------------------------------
  function fields() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "file" || el.type === "submit"
          || el.type === "button") { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      data[el.name] = el.value;
    });
    return data;
  }

  function setFiles(files) {
    photos = files.slice(0, cfg.maxPhotos);
    if (photoInput && window.DataTransfer) {
      try {
        var dt = new DataTransfer();
        photos.forEach(function (f) { dt.items.add(f); });
        photoInput.files = dt.files;
      } catch (e) { /* an old browser: the photos still go with the outbox */ }
    }
    drawPhotos();
  }

  function restore(record, onlyPhotos) {
    if (!onlyPhotos) {
      var f = record.fields || {};
      Object.keys(f).forEach(function (name) {
        var el = form.elements.namedItem(name);
        if (!el) { return; }
        if (el instanceof RadioNodeList || (el.length && el[0] && el[0].type === "radio")) {
          Array.prototype.forEach.call(el, function (r) { r.checked = r.value === f[name]; });
        } else if (el.type === "checkbox") {
          el.checked = true;
        } else {
          if (el.tagName === "SELECT" && f[name] && !el.querySelector('option[value="' + f[name] + '"]')) {
            var opt = document.createElement("option"); opt.value = f[name]; opt.textContent = f[name];
            el.appendChild(opt);
          }
          el.value = f[name];
        }
      });
      ["region", "kecamatan"].forEach(function (name) {
        var el = form.elements.namedItem(name);
        if (el && f[name] && window.kbRegions) {
          window.kbRegions.load(f[name]).then(function (items) {
            var child = form.elements.namedItem(name === "region" ? "kecamatan" : "desa");
            if (items && child) { window.kbRegions.fill(child, items, true); }
          });
        }
      });
      var lat = form.elements.namedItem("latitude");
      if (lat) { lat.dispatchEvent(new Event("input", { bubbles: true })); }
      syncIdentity();
    }
    setFiles((record.photos || []).map(function (p) { return new File([p.blob], p.name, { type: p.type }); }));
  }

  function emptyForm() {
    form.reset();
    keyField.value = uuid();
    setFiles([]);
    syncIdentity();
    dirty = false;
    document.dispatchEvent(new Event("kb:form-reset"));
  }

  // --- photos: smaller before sending ---------------------------------------------------------------------
  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
        return createImageBitmap(file);
      });
    }
    return new Promise(function (resolve, reject) {  // a data: URL, which the page's CSP allows for images
      var reader = new FileReader();
      reader.onload = function () {
        var img = new Image();
        img.onload = function () { resolve(img); };
        img.onerror = reject;
        img.src = reader.result;
      };
      reader.onerror = reject;
      reader.readAsDataURL(file);
    });
  }

  function shrink(file) {
    return decode(file).then(function (img) {
      var w = img.width, h = img.height;
      var scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(w * scale));
      canvas.height = Math.max(1, Math.round(h * scale));
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      if (img.close) { img.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          var base = (file.name || "foto").replace(/\.[^.]*$/, "") || "foto";
          resolve(blob ? new File([blob], base + ".jpg", { type: "image/jpeg", lastModified: Date.now() }) : null);
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return null; });
  }

  function drawPhotos() {
    if (!photoList) { return; }
    photoList.innerHTML = "";
    photos.forEach(function (file, i) {
      var li = document.createElement("li");
      li.className = "kb-photo-item";
      var name = document.createElement("span");
      name.textContent = file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " KB)";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-sm btn-link text-danger p-0 ms-2";
      remove.textContent = text.removePhoto;
      remove.setAttribute("aria-label", text.removePhoto + ": " + file.name);
      remove.addEventListener("click", function () {
        var rest = photos.slice(); rest.splice(i, 1); setFiles(rest);
      });
      li.appendChild(name); li.appendChild(remove);
      photoList.appendChild(li);
    });
  }

  if (photoInput) {
    photoInput.addEventListener("change", function () {
      var chosen = Array.prototype.slice.call(photoInput.files || []);
      if (!chosen.length) { return; }
      if (photos.length + chosen.length > cfg.maxPhotos) { show(text.tooManyPhotos); }
      chosen = chosen.slice(0, Math.max(0, cfg.maxPhotos - photos.length));
      show(text.resizing, "info");
      Promise.all(chosen.map(shrink)).then(function (small) {
        var bad = chosen.filter(function (_f, i) { return !small[i]; }).map(function (f) { return f.name; });
        setFiles(photos.concat(small.filter(Boolean)));
        show(bad.length ? text.notImage.replace("%(name)s", bad.join(", ")) : "", bad.length ? "warning" : "");
        dirty = true;
      });
    });
  }

  // --- identity: the contact fields only when the reporter chose to give them -------------------------
  var contact = document.getElementById("reporter-contact");
  function syncIdentity() {
    var chosen = form.querySelector('input[name="identity"]:checked');
    if (contact) { contact.classList.toggle("d-none", !chosen || chosen.value !== "identitas"); }
  }
  Array.prototype.forEach.call(form.querySelectorAll('input[name="identity"]'), function (r) {
    r.addEventListener("change", syncIdentity);
  });
  syncIdentity();

  // --- the codes of reports sent from this phone ------------------------------------------------------------
  function codes() {
    try { return JSON.parse(window.localStorage.getItem(CODES) || "[]"); } catch (e) { return []; }
  }
  function remember(code) {
    var list = codes().filter(function (c) { return c.code !== code; });
    list.unshift({ code: code, at: Date.now() });
    try { window.localStorage.setItem(CODES, JSON.stringify(list.slice(0, 20))); } catch (e) { /* full */ }
  }
  function drawCodes() {
    var box = document.getElementById("my-reports");
    var list = codes();
    if (!box || !list.length) { return; }
    var ul = box.querySelector("ul");
    ul.innerHTML = "";
    list.slice(0, 5).forEach(function (c) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = cfg.statusUrl.replace("KODE000000", c.code);
      a.textContent = c.code;
      a.className = "kb-code";
      li.appendChild(a);
      var when = document.createElement("span");
      when.className = "small text-secondary ms-2";
      when.textContent = new Date(c.at).toLocaleDateString("id-ID", { day: "numeric", month: "long", year: "numeric" });
      li.appendChild(when);
      ul.appendChild(li);
    });
    box.classList.remove("d-none");
  }

  // --- sending --------------------------------------------------------------------------------------------
  function token() {
    var el = form.elements.namedItem("csrfmiddlewaretoken");
    return el ? el.value : "";
  }

  function post(record) {
    var fd = new FormData();
    fd.append("csrfmiddlewaretoken", token());
    var f = record.fields || {};
    Object.keys(f).forEach(function (name) { fd.append(name, f[name]); });
    (record.photos || []).forEach(function (p) { fd.append("photos", new File([p.blob], p.name, { type: p.type })); });
    return fetch(form.getAttribute("action") || window.location.pathname, {
      method: "POST", body: fd, credentials: "same-origin", headers: { "X-Requested-With": "fetch" },
    }).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      if (r.ok && type.indexOf("application/json") === 0) { return r.json(); }
      return { refused: r.status };
    });
  }

  function freshToken() {
    // The form's security token may be older than the browser's cookie (the page was kept offline for
    // a long time): read a fresh one from the server once.
    return fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      return r.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.querySelector('input[name="csrfmiddlewaretoken"]');
      var mine = form.elements.namedItem("csrfmiddlewaretoken");
      if (fresh && mine) { mine.value = fresh.value; return true; }
      return false;
    }).catch(function () { return false; });
  }

  function sendOne(record, again) {
    return post(record).then(function (answer) {
      if (answer.refused === 403 && !again) {
        return freshToken().then(function (ok) { return ok ? sendOne(record, true) : answer; });
      }
      return answer;
    });
  }

  function hold(record) {
    // Refused by the server: the report goes back into the form and is sent the ordinary way, so the
    // server's page says what to change (the photos are put back from the outbox on that page).
    record.state = "held";
    return put(record).then(function () {
      restore(record, false);
      keyField.value = record.key;
      form.dataset.native = "1";
      HTMLFormElement.prototype.submit.call(form);
    });
  }

  function scheduleRetry() {
    if (retry) { return; }
    retry = window.setInterval(function () { if (navigator.onLine) { flush(); } }, 5000);
  }

  function flush() {
    if (sending) { return Promise.resolve(); }
    sending = true;
    return records().then(function (list) {
      var pending = list.filter(function (r) { return r.state === "pending"; });
      if (!pending.length) { sending = false; return null; }
      if (!navigator.onLine) { sending = false; show(text.offline); scheduleRetry(); return null; }
      show(text.sending, "info");
      var last = null;
      var chain = Promise.resolve();
      pending.forEach(function (record) {
        chain = chain.then(function () {
          if (last === false) { return null; }
          return sendOne(record, false).then(function (answer) {
            if (answer.refused) { last = false; return hold(record); }
            remember(answer.code);
            last = answer;
            return drop(record.key);
          });
        });
      });
      return chain.then(function () {
        sending = false;
        if (last && last.url) {
          if (retry) { window.clearInterval(retry); retry = null; }
          if (!dirty) { window.location.assign(last.url); return; }
          drawCodes();
          show(text.sent.replace("%(code)s", last.code), "success");
        }
      });
    }).catch(function () {
      sending = false;
      show(text.offline);
      scheduleRetry();
    });
  }

  form.addEventListener("submit", function (event) {
    if (form.dataset.native === "1") { return; }
    if (!window.indexedDB || !window.fetch) { return; }  // an old browser: the ordinary form
    event.preventDefault();
    var record = {
      key: keyField.value || uuid(), state: "pending", savedAt: Date.now(), fields: fields(),
      photos: photos.map(function (f) { return { name: f.name, type: f.type, blob: f }; }),
    };
    record.fields.client_key = record.key;
    put(record).then(function () {
      dirty = false;
      if (!navigator.onLine) {
        emptyForm();
        show(text.offline);
        scheduleRetry();
        return;
      }
      return flush().then(function () {
        return records().then(function (list) {
          if (list.some(function (r) { return r.key === record.key && r.state === "pending"; })) { emptyForm(); }
        });
      });
    }).catch(function () {
      form.dataset.native = "1";  // no outbox in this browser (private mode): the ordinary form
      HTMLFormElement.prototype.submit.call(form);
    });
  });
  form.addEventListener("input", function () { dirty = true; });
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () {
    records().then(function (list) { if (list.some(function (r) { return r.state === "pending"; })) { show(text.offline); } });
  });

  // --- on load -------------------------------------------------------------------------------------------
  var refusedPage = !!form.querySelector(".is-invalid, .invalid-feedback") || !!document.getElementById("form-refused");
  if (!refusedPage) { keyField.value = uuid(); }  // one key per report, even on a page kept offline
  drawCodes();
  if (window.indexedDB) {
    records().then(function (list) {
      var held = list.filter(function (r) { return r.state === "held"; });
      var mine = held.filter(function (r) { return r.key === keyField.value; })[0];
      if (refusedPage && mine) {
        restore(mine, true);  // the server kept the fields; the photos come back from the outbox
      } else if (!refusedPage && held.length) {
        var newest = held[held.length - 1];
        restore(newest, false);
        keyField.value = newest.key;
        show(text.restored, "info");
      }
      if (list.some(function (r) { return r.state === "pending"; })) { flush(); scheduleRetry(); }
    }).catch(function () { /* no outbox (private mode) */ });
  }

  // The region select tells the map which regency/city to show (the codes come with the region list).
  var regionSel = form.elements.namedItem("region");
  if (regionSel && cfg.regionsUrl) {
    var codesById = null;
    var zoom = function () {
      if (!regionSel.value) { return; }
      var go = function () {
        document.dispatchEvent(new CustomEvent("kb:region-code", { detail: codesById[regionSel.value] }));
      };
      if (codesById) { go(); return; }
      fetch(cfg.regionsUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
        codesById = {};
        (data.regencies || []).forEach(function (r) { codesById[String(r.id)] = r.code; });
        go();
      }).catch(function () {});
    };
    regionSel.addEventListener("change", zoom);
  }
})();
