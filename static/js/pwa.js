/* Registers the service worker (/sw.js, scope "/") on the two report forms so they open with no signal,
   and asks it to keep the page itself when it was opened before the worker took over (the staff quick
   entry: a page of the logged-in officer, never kept at install). <html data-sw="/sw.js"
   data-sw-keep> ; sets data-sw-ready="1" on <html> once the worker is active. No inline code (CSP). */
(function () {
  "use strict";
  var root = document.documentElement;
  var url = root.getAttribute("data-sw");
  if (!url || !("serviceWorker" in navigator)) { return; }
  var controlled = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.register(url, { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (root.hasAttribute("data-sw-keep") && !controlled && registration.active) {
      registration.active.postMessage({ type: "keep-page", url: window.location.pathname });
    }
    root.setAttribute("data-sw-ready", "1");
  }).catch(function () { root.setAttribute("data-sw-ready", "0"); });
})();
