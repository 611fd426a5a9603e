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
    var compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
    // Bar labels round to two significant digits so neighbouring bars' labels do not overlap;
    // the tables below and the tooltips give the exact values.
    var short = new Intl.NumberFormat(undefined, { notation: "compact", maximumSignificantDigits: 2 });

    // Writes each bar's value above it, so a small tier's number reads even where its bar is short.
    var valueLabels = {
      id: "valueLabels",
      afterDatasetsDraw: function (instance) {
        var ctx = instance.ctx;
        ctx.save();
        ctx.font = "10px system-ui, sans-serif";
        ctx.fillStyle = "#212529";
        ctx.textAlign = "center";
        ctx.textBaseline = "bottom";
        instance.data.datasets.forEach(function (dataset, index) {
          var meta = instance.getDatasetMeta(index);
          if (meta.hidden) {
            return;
          }
          meta.data.forEach(function (bar, position) {
            var value = dataset.data[position];
            if (value === null || value === undefined) {
              return;
            }
            ctx.fillText(short.format(value), bar.x, bar.y - 2);
          });
        });
        ctx.restore();
      },
    };
    // Money spans orders of magnitude between Nano and Mega: on a log scale every tier's bar shows.
    var logScale = {
      scales: {
        y: {
          type: "logarithmic",
          title: { display: true, text: "log scale" },
          // Room above the tallest bar for its label, and below the shortest so it shows.
          afterDataLimits: function (scale) {
            scale.max = scale.max * 3;
            scale.min = scale.min / 3;
          },
          ticks: {
            callback: function (value) {
              var exponent = Math.log10(value);
              return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? compact.format(value) : "";
            },
          },
        },
      },
    };
    var base = {
      responsive: true,
      animation: false,
      layout: { padding: { top: 14 } },
      plugins: { legend: { display: true, position: "bottom" } },
      scales: { y: { beginAtZero: true, grace: "10%" } },
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
        plugins: [valueLabels],
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
    ], logScale);
    chart("chart-spend", [
      { label: "Spend", data: data.spend, backgroundColor: "#dc3545" },
      { label: "Revenue", data: data.revenue, backgroundColor: "#198754" },
    ], logScale);
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
