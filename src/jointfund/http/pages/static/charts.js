// Draws every chart on the page from the figure data the server embedded next to it.
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) {
      return;
    }
    document.querySelectorAll("[data-figure]").forEach(function (box) {
      var source = document.getElementById(box.dataset.figure);
      if (!source) {
        return;
      }
      var spec = JSON.parse(source.textContent);
      window.Plotly.newPlot(box, spec.data, spec.layout, {
        responsive: true,
        displaylogo: false,
      }).then(function () {
        box.dataset.drawn = "true";
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
