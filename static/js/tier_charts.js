// Draws the tier comparison charts from the JSON the page embeds (json_script); no inline script.
// Tier names are user-typed: Chart.js draws them on a canvas as text, never as HTML.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("tier-chart-data");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var base = {
      responsive: true,
      animation: false,
      plugins: { legend: { display: true, position: "bottom" } },
      scales: { y: { beginAtZero: true } },
    };

    function chart(id, datasets, options) {
      var canvas = document.getElementById(id);
      if (!canvas) {
        return;
      }
      var instance = new window.Chart(canvas, {
        type: "bar",
        data: { labels: data.labels, datasets: datasets },
        options: Object.assign({}, base, options || {}),
      });
      // Lets people (and the browser tests) see the chart was drawn.
      canvas.dataset.chartDrawn = String(instance.data.datasets.length);
    }

    chart("chart-engagement", [
      { label: "Engagement rate % (" + data.engagementBasis + ")", data: data.engagementRate, backgroundColor: "#0d6efd" },
    ]);
    chart("chart-cost", [
      { label: "CPM", data: data.cpm, backgroundColor: "#6f42c1" },
      { label: "CPE", data: data.cpe, backgroundColor: "#fd7e14" },
    ]);
    chart("chart-spend", [
      { label: "Spend", data: data.spend, backgroundColor: "#dc3545" },
      { label: "Revenue", data: data.revenue, backgroundColor: "#198754" },
    ]);
    chart(
      "chart-long-term",
      [{ label: "Long-term share %", data: data.longTermShare, backgroundColor: "#20c997" }],
      { scales: { y: { beginAtZero: true, max: 100 } } }
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
