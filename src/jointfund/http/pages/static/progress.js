// Polls a running forecast's JSON twin and reloads the page when the run is done or failed.
(function () {
  "use strict";
  var box = document.querySelector("[data-poll]");
  if (!box || box.dataset.status === "failed") {
    return;
  }
  var bar = document.getElementById("run-bar");
  var count = document.getElementById("run-count");
  var status = document.getElementById("run-status");
  function poll() {
    fetch(box.dataset.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (answer) { return answer.json(); })
      .then(function (run) {
        if (run.status === "done" || run.status === "failed") {
          window.location.reload();
          return;
        }
        if (bar) { bar.value = run.progress; }
        if (count) { count.textContent = run.done_paths; }
        if (status) {
          var words = JSON.parse(status.dataset.words || "{}");
          status.textContent = words[run.status] || run.status;
        }
        window.setTimeout(poll, 500);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 300);
})();
