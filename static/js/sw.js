/* Kesbang service worker: the public report form (/lapor/) and the staff quick entry (/insiden/lapor/)
   open with no signal. Served by /sw.js (incidents/pwa.py), which puts self.KB_SW (the URLs to keep
   and a version) in front of this file.

   - Static files of the two forms (stylesheets, scripts, icons, fonts, the map's boundaries): kept at
     install, served from the cache first (their URLs carry a hash in production).
   - The public form, its notice and the region list: kept at install; pages are asked from the network
     first (a few seconds), the kept copy when there is no answer; the region list from the cache,
     refreshed in the background.
   - The staff quick entry and its kecamatan/desa lists: kept when a logged-in officer opens them, used
     only when the network fails; dropped when the login page is opened or someone logs out.
   - Anything else (other pages, every POST) goes to the network untouched: a report is never sent by
     this worker; the page keeps it and sends it once when the connection returns. */
"use strict";
var CFG = self.KB_SW;
var STATIC = "kb-static-" + CFG.version;
var PUBLIC = "kb-lapor-" + CFG.version;
var STAFF = "kb-staf";
var TIMEOUT_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(Promise.all([
    caches.open(STATIC).then(function (cache) { return cache.addAll(CFG.precacheStatic); }),
    caches.open(PUBLIC).then(function (cache) { return cache.addAll(CFG.publicPages.concat([CFG.regionsUrl])); }),
  ]).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("kb-") === 0 && name !== STATIC && name !== PUBLIC && name !== STAFF;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// A page asks to keep itself (the staff quick entry, right after the worker took over).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep-page" && typeof data.url === "string" && isStaffPage(new URL(data.url, self.location).pathname)) {
    event.waitUntil(fetch(data.url, { credentials: "same-origin" }).then(function (response) {
      return keepStaff(new Request(data.url), response);
    }).catch(function () {}));
  }
});

function isStaffPage(path) { return CFG.staffPages.indexOf(path) >= 0; }

function keepStaff(request, response) {
  // Only a real page of the login (not a redirect to the login page, not an error).
  if (!response || !response.ok || response.redirected || response.type !== "basic") { return Promise.resolve(); }
  var copy = response.clone();  // now, before the page starts reading the body
  return caches.open(STAFF).then(function (cache) { return cache.put(request, copy); });
}

function withTimeout(promise) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, TIMEOUT_MS);
    promise.then(function (r) { clearTimeout(timer); resolve(r); }, function (e) { clearTimeout(timer); reject(e); });
  });
}

function offlinePage() {
  return new Response(CFG.offlineText, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

function networkFirst(request, cacheName, keep) {
  return withTimeout(fetch(request)).then(function (response) {
    if (keep) { keep(request, response); }
    return response;
  }).catch(function () {
    return caches.open(cacheName).then(function (cache) {
      return cache.match(request, { ignoreSearch: true, ignoreVary: true });
    }).then(function (hit) { return hit || offlinePage(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (CFG.clearStaffOn.indexOf(url.pathname) >= 0) {
    // Logging in or out on this phone: the previous officer's kept page must not stay.
    event.waitUntil(caches.delete(STAFF));
    return;
  }
  if (request.method !== "GET") { return; }

  if (url.pathname.indexOf(CFG.staticPrefix) === 0) {
    event.respondWith(caches.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (hit) {
      return hit || fetch(request);
    }));
    return;
  }
  if (CFG.publicPages.indexOf(url.pathname) >= 0) {
    event.respondWith(networkFirst(request, PUBLIC, function (req, response) {
      if (response.ok && !response.redirected && url.search === "") {
        var copy = response.clone();
        caches.open(PUBLIC).then(function (cache) { cache.put(req, copy); });
      }
    }));
    return;
  }
  if (url.pathname === CFG.regionsUrl) {
    event.respondWith(caches.open(PUBLIC).then(function (cache) {
      return cache.match(request, { ignoreVary: true }).then(function (hit) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        });
        if (hit) { event.waitUntil(fresh.catch(function () {})); return hit; }
        return fresh;
      });
    }));
    return;
  }
  if (isStaffPage(url.pathname) || new RegExp(CFG.staffJson).test(url.pathname)) {
    event.respondWith(networkFirst(request, STAFF, function (req, response) {
      if (url.search === "") { keepStaff(req, response); }
    }));
  }
});
