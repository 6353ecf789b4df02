/* A point for a report: "use my location" (the phone's position; the page's Permissions-Policy allows
   geolocation on the two report forms only) and, where the page has one, a tap on the offline map
   (Leaflet with the province's boundaries from static files, no tile server needed).

   Markup: an element [data-location-picker] holding
     - data-lat / data-lng: CSS selectors of the latitude and longitude inputs,
     - optionally a map element [data-location-map],
     - buttons [data-locate] and [data-clear-point], and a status element [data-location-status];
   configuration (boundary URLs, tiles, messages) in <script type="application/json" id="location-picker-config">.
   No inline code (CSP). */
(function () {
  "use strict";
  var root = document.querySelector("[data-location-picker]");
  if (!root) { return; }
  var cfgEl = document.getElementById("location-picker-config");
  var cfg = cfgEl ? JSON.parse(cfgEl.textContent) : {};
  var text = cfg.messages || {};
  var lat = document.querySelector(root.getAttribute("data-lat"));
  var lng = document.querySelector(root.getAttribute("data-lng"));
  var status = root.querySelector("[data-location-status]");
  var mapEl = root.querySelector("[data-location-map]");
  var BOUNDS = [[-3.45, 105.05], [-1.45, 108.35]];  // Kepulauan Bangka Belitung
  var map = null, marker = null, regencies = null;
  if (!lat || !lng) { return; }

  function say(message) { if (status) { status.textContent = message || ""; } }

  function round(n) { return Math.round(n * 1e6) / 1e6; }

  function current() {
    var a = parseFloat(lat.value), b = parseFloat(lng.value);
    return isFinite(a) && isFinite(b) ? [a, b] : null;
  }

  function showPoint(zoom) {
    if (!map) { return; }
    var p = current();
    if (!p) { if (marker) { map.removeLayer(marker); marker = null; } return; }
    if (!marker) {
      marker = L.circleMarker(p, { radius: 9, color: "#fff", weight: 2, fillColor: "#d9480f", fillOpacity: 1 }).addTo(map);
    } else {
      marker.setLatLng(p);
    }
    if (zoom) { map.setView(p, Math.max(map.getZoom(), 12)); }
  }

  function setPoint(a, b, message, zoom) {
    lat.value = String(round(a));
    lng.value = String(round(b));
    [lat, lng].forEach(function (el) { el.dispatchEvent(new Event("change", { bubbles: true })); });
    showPoint(zoom);
    say(message);
  }

  if (mapEl && typeof L !== "undefined") {
    map = L.map(mapEl, { zoomSnap: 0.25, attributionControl: !!cfg.tilesUrl });
    if (cfg.tilesUrl) {
      L.tileLayer(cfg.tilesUrl, { attribution: cfg.tilesAttribution || "", maxZoom: 18 }).addTo(map);
    } else {
      mapEl.classList.add("kb-map-plain");
    }
    map.fitBounds(BOUNDS);
    var style = { color: "#12355b", weight: 1, fillColor: "#e6effa", fillOpacity: 0.7 };
    if (cfg.regenciesUrl) {
      fetch(cfg.regenciesUrl).then(function (r) { return r.json(); }).then(function (geo) {
        regencies = L.geoJSON(geo, { style: style }).addTo(map);
        regencies.bringToBack();
        mapEl.setAttribute("data-ready", "1");
      }).catch(function () { mapEl.setAttribute("data-ready", "0"); });
    }
    map.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng, text.pointSet, false); });
    showPoint(true);
    // Zoom to a regency/city when the form's region select changes (code from the option's data-code).
    document.addEventListener("kb:region-code", function (e) {
      if (!regencies || !e.detail) { return; }
      regencies.eachLayer(function (layer) {
        if (layer.feature && layer.feature.properties.kode === e.detail) { map.fitBounds(layer.getBounds()); }
      });
    });
  }

  [lat, lng].forEach(function (el) { el.addEventListener("input", function () { showPoint(false); }); });

  var locate = root.querySelector("[data-locate]");
  if (locate) {
    if (!("geolocation" in navigator)) { locate.disabled = true; }
    locate.addEventListener("click", function () {
      say(text.locating);
      navigator.geolocation.getCurrentPosition(function (pos) {
        setPoint(pos.coords.latitude, pos.coords.longitude, text.located, true);
      }, function () { say(text.locationDenied); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }
  var clear = root.querySelector("[data-clear-point]");
  if (clear) {
    clear.addEventListener("click", function () {
      lat.value = ""; lng.value = "";
      [lat, lng].forEach(function (el) { el.dispatchEvent(new Event("change", { bubbles: true })); });
      showPoint(false);
      say(text.pointCleared);
    });
  }
  // The form was emptied after a report was queued: the marker goes too.
  document.addEventListener("kb:form-reset", function () { showPoint(false); say(""); });
})();
