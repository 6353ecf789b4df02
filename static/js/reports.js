// Report progress: poll the small JSON status while the report is queued or being built, move the
// bar, and reload the page once it is done (downloads and figures appear) or failed.
(function () {
  "use strict";
  var box = document.getElementById("report-progress");
  if (!box || box.dataset.running !== "1") return;
  var url = box.dataset.statusUrl;
  var bar = document.getElementById("report-bar");
  var pct = document.getElementById("report-pct");
  var note = document.getElementById("report-note");
  var delay = 1000;

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        bar.value = data.progress;
        bar.textContent = data.progress + "%";
        pct.textContent = data.progress;
        note.textContent = data.note || "";
        if (data.done || data.failed) {
          window.location.reload();
          return;
        }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);  // server busy or offline: back off, keep trying
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, 500);
})();
