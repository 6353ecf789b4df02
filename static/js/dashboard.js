// Dashboard charts (Chart.js, vendored) and the open-incidents map (Leaflet, vendored). Data comes
// from the json_script block "dashboard-data"; clicking a bar or a region opens the filtered list.
(function () {
  "use strict";
  var el = document.getElementById("dashboard-data");
  if (!el) return;
  var data = JSON.parse(el.textContent);
  var NAVY = "#12355b", GOLD = "#d4a21a";
  var PALETTE = ["#12355b", "#d4a21a", "#2f7d4f", "#b8400c", "#5b3f8c", "#1d7f99", "#8a5a00"];

  function short(label) {
    label = String(label);
    return label.length > 22 ? label.slice(0, 21) + "…" : label;
  }

  // An axis label on at most two lines ("Kabupaten" as "Kab."): long names stay readable on a phone.
  function lines(label) {
    var words = String(label).replace(/^Kabupaten /, "Kab. ").split(" "), out = [""];
    words.forEach(function (w) {
      var last = out.length - 1;
      if (out[last] && (out[last] + " " + w).length > 18) out.push(w);
      else out[last] = out[last] ? out[last] + " " + w : w;
    });
    return out.length > 2 ? [out[0], short(out.slice(1).join(" ")).slice(0, 17) + "…"] : out;
  }

  function go(urls) {
    return function (evt, elements) {
      if (elements && elements.length) window.location.href = urls[elements[0].index];
    };
  }

  function bar(id, set, options) {
    var canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") return;
    new Chart(canvas, {
      type: options.type || "bar",
      data: { labels: set.labels, datasets: [{ label: data.label_incidents, data: set.values,
        backgroundColor: options.colours || NAVY, borderColor: options.border || NAVY, borderWidth: 1, maxBarThickness: 28,
        tension: 0.25, fill: options.type === "line" ? { target: "origin", above: "rgba(18,53,91,.08)" } : false }] },
      options: {
        maintainAspectRatio: false, responsive: true, indexAxis: options.indexAxis || "x",
        onClick: go(set.urls),
        onHover: function (evt, els) { evt.native.target.style.cursor = els.length ? "pointer" : "default"; },
        plugins: { legend: { display: false } },
        scales: options.indexAxis === "y"
          ? { x: { beginAtZero: true, ticks: { precision: 0 } },
              y: { ticks: { autoSkip: false, callback: function (v) { return lines(this.getLabelForValue(v)); } } } }
          : { x: { ticks: { autoSkip: true, maxRotation: 0, callback: function (v) { return short(this.getLabelForValue(v)); } } },
              y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  bar("chart-weekly", data.weekly, { type: "line", colours: NAVY, border: NAVY });
  bar("chart-sources", data.sources, { indexAxis: "y", colours: PALETTE });
  // Horizontal, as the sources: seven regency names never fit under vertical bars on a phone.
  bar("chart-regions", data.regions, { indexAxis: "y", colours: GOLD, border: GOLD });

  var mapEl = document.getElementById("dashboard-map");
  if (!mapEl || typeof L === "undefined") return;
  var SCALE = ["#f1f5f9", "#fde7c8", "#fbc98e", "#f59e5b", "#e4662f", "#b93a12"];
  var max = 0;
  Object.keys(data.map.open).forEach(function (k) { max = Math.max(max, data.map.open[k]); });
  function colour(n) {
    if (!n) return SCALE[0];
    return SCALE[Math.min(SCALE.length - 1, 1 + Math.floor((n / Math.max(max, 1)) * (SCALE.length - 2) + 0.0001))];
  }
  var map = L.map(mapEl, { zoomSnap: 0.25, attributionControl: false, scrollWheelZoom: false });
  map.fitBounds([[-3.45, 105.05], [-1.45, 108.35]]);
  fetch(data.map.geojson, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (geo) {
      var layer = L.geoJSON(geo, {
        style: function (f) {
          return { color: NAVY, weight: 1, fillColor: colour(data.map.open[f.properties.kode] || 0), fillOpacity: 0.85 };
        },
        onEachFeature: function (f, lyr) {
          var n = data.map.open[f.properties.kode] || 0;
          lyr.bindTooltip(f.properties.nama + ": " + n + " " + data.map.label, { sticky: true });
          lyr.on("click", function () {
            var url = data.map.urls[f.properties.kode];
            if (url) window.location.href = url;
          });
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [4, 4] });
    })
    .catch(function () { mapEl.classList.add("d-none"); });
})();
