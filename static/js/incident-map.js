/* Incident map (Leaflet from static/vendor): regency/city or kecamatan boundaries coloured by the
   number of incidents (of the filtered list), markers for incidents with coordinates. Background
   tiles only when INCIDENT_MAP_TILES_URL is set: no tile server is needed. Also the small point map
   of the detail page. Config comes from a json_script block (CSP: no inline code). */
(function () {
  "use strict";
  var configEl = document.getElementById("incident-map-config");
  if (!configEl || typeof L === "undefined") { return; }
  var cfg = JSON.parse(configEl.textContent);
  var SEVERITY_COLOURS = { rendah: "#2f7d4f", sedang: "#c68a00", tinggi: "#d9480f", kritis: "#a61e1e" };
  var SCALE = ["#f1f5f9", "#fde7c8", "#fbc98e", "#f59e5b", "#e4662f", "#b93a12"];
  var BOUNDS = [[-3.45, 105.05], [-1.45, 108.35]];  // Kepulauan Bangka Belitung

  function baseMap(el, options) {
    var map = L.map(el, Object.assign({ zoomSnap: 0.25, attributionControl: !!cfg.tilesUrl }, options || {}));
    if (cfg.tilesUrl) {
      L.tileLayer(cfg.tilesUrl, { attribution: cfg.tilesAttribution || "", maxZoom: 18 }).addTo(map);
    } else {
      el.classList.add("kb-map-plain");
    }
    return map;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }

  // --- Detail page: one point --------------------------------------------------------------------------
  var pointEl = document.getElementById("incident-point-map");
  if (pointEl && cfg.point) {
    var pmap = baseMap(pointEl, { scrollWheelZoom: false });
    pmap.setView([cfg.point.lat, cfg.point.lng], 11);
    getJSON(cfg.regenciesUrl).then(function (geo) {
      L.geoJSON(geo, { style: { color: "#12355b", weight: 1, fillColor: "#e6effa", fillOpacity: 0.6 } }).addTo(pmap).bringToBack();
    }).catch(function () {});
    L.circleMarker([cfg.point.lat, cfg.point.lng], { radius: 9, color: "#fff", weight: 2, fillColor: "#d9480f", fillOpacity: 1 })
      .addTo(pmap).bindTooltip(cfg.title || "");
    return;
  }

  // --- Map page ---------------------------------------------------------------------------------------
  var el = document.getElementById("incident-map");
  if (!el) { return; }
  var map = baseMap(el);
  map.fitBounds(BOUNDS);
  var summary = document.getElementById("map-summary");
  var legend = document.getElementById("map-legend");
  var layers = { kabkota: null, kecamatan: null };
  var geo = {};
  var data = null;
  var markers = L.layerGroup().addTo(map);

  function colour(n, max) {
    if (!n) { return SCALE[0]; }
    var step = Math.min(SCALE.length - 1, 1 + Math.floor((n / Math.max(max, 1)) * (SCALE.length - 2) + 0.0001));
    return SCALE[step];
  }

  function draw(level) {
    Object.keys(layers).forEach(function (k) { if (layers[k]) { map.removeLayer(layers[k]); layers[k] = null; } });
    var counts = level === "kecamatan" ? data.kecamatan : data.regions;
    var max = 0;
    Object.keys(counts).forEach(function (k) { max = Math.max(max, counts[k]); });
    layers[level] = L.geoJSON(geo[level], {
      style: function (f) {
        var n = counts[f.properties.kode] || 0;
        return { color: "#12355b", weight: level === "kecamatan" ? 0.8 : 1.4, fillColor: colour(n, max), fillOpacity: 0.85 };
      },
      onEachFeature: function (f, layer) {
        var n = counts[f.properties.kode] || 0;
        layer.bindTooltip(f.properties.nama + ": " + n + " " + cfg.labels.incidents, { sticky: true });
        layer.feature.properties.count = n;
      },
    }).addTo(map);
    layers[level].bringToBack();
    if (legend) {
      // One entry per colour actually on the map, with the range of counts it stands for.
      var ranges = {};
      Object.keys(counts).forEach(function (k) {
        var n = counts[k];
        var step = SCALE.indexOf(colour(n, max));
        var r = ranges[step] || (ranges[step] = [n, n]);
        r[0] = Math.min(r[0], n); r[1] = Math.max(r[1], n);
      });
      ranges[0] = [0, 0];
      legend.innerHTML = "";
      Object.keys(ranges).map(Number).sort(function (a, b) { return a - b; }).forEach(function (step) {
        var span = document.createElement("span");
        span.className = "kb-legend-item";
        var sw = document.createElement("i");
        sw.className = "kb-swatch kb-swatch-" + step;
        span.appendChild(sw);
        var r = ranges[step];
        span.appendChild(document.createTextNode(r[0] === r[1] ? String(r[0]) : r[0] + "–" + r[1]));
        legend.appendChild(span);
      });
    }
  }

  function drawMarkers() {
    markers.clearLayers();
    data.markers.forEach(function (m) {
      var marker = L.circleMarker([m.lat, m.lng], {
        radius: m.kind === "peristiwa" ? 7 : 5, color: "#ffffff", weight: 1.5,
        fillColor: SEVERITY_COLOURS[m.severity] || "#555", fillOpacity: 0.95,
      });
      var box = document.createElement("div");
      var a = document.createElement("a");
      a.href = cfg.detailUrl.replace("{id}", m.id);
      a.textContent = m.ref;
      box.appendChild(a);
      var t = document.createElement("div");
      t.textContent = m.title;
      box.appendChild(t);
      var meta = document.createElement("div");
      meta.className = "small";
      meta.textContent = (cfg.labels.kind[m.kind] || m.kind) + " · " + (cfg.labels.severity[m.severity] || m.severity) +
        " · " + (cfg.labels.status[m.status] || m.status) + " · " + m.date;
      box.appendChild(meta);
      marker.bindPopup(box);
      marker.options.kbRef = m.ref;
      markers.addLayer(marker);
    });
    markers.eachLayer(function (l) { if (l.bringToFront) { l.bringToFront(); } });
  }

  function currentLevel() {
    var checked = document.querySelector('input[name="map-level"]:checked');
    return checked ? checked.value : "kabkota";
  }

  Promise.all([getJSON(cfg.dataUrl), getJSON(cfg.regenciesUrl), getJSON(cfg.kecamatanUrl)]).then(function (res) {
    data = res[0]; geo.kabkota = res[1]; geo.kecamatan = res[2];
    var total = 0;
    Object.keys(data.regions).forEach(function (k) { total += data.regions[k]; });
    if (summary) {
      summary.textContent = total + " " + cfg.labels.incidents + " · " + data.markers.length + " " +
        cfg.labels.withPoint;
    }
    draw(currentLevel());
    drawMarkers();
    el.setAttribute("data-ready", "1");
    el.setAttribute("data-markers", String(data.markers.length));
    window.kbIncidentMap = { map: map, data: data };
  }).catch(function () {
    if (summary) { summary.textContent = "!"; }
  });
  document.querySelectorAll('input[name="map-level"]').forEach(function (r) {
    r.addEventListener("change", function () { if (data) { draw(currentLevel()); drawMarkers(); } });
  });
})();
