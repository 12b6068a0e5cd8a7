/*
 * Draws the reports' charts with Chart.js from the numbers the page carries
 * in a JSON data block (Django's json_script). Each canvas names its block in
 * data-chart and its kind in data-kind ("bar", "line" or "curve"). The same
 * numbers are always in a table on the page, so nothing is lost without
 * scripts.
 */
(function () {
  "use strict";

  // Colours that stay apart for most kinds of colour blindness.
  var COLOURS = ["#005eb8", "#d5281b", "#007f3b", "#7c2855", "#ed8b00", "#330072", "#00a499", "#425563"];

  function colour(index) {
    return COLOURS[index % COLOURS.length];
  }

  function axes(data, stepped) {
    var scales = {
      y: {
        beginAtZero: true,
        title: { display: Boolean(data.yTitle), text: data.yTitle || "" },
        ticks: { precision: 0 }
      }
    };
    if (stepped) {
      scales.x = {
        type: "linear",
        beginAtZero: true,
        ticks: { includeBounds: true },
        title: { display: Boolean(data.xTitle), text: data.xTitle || "" }
      };
      scales.y.max = 100;
    }
    return scales;
  }

  function config(kind, data) {
    var datasets = data.datasets.map(function (set, index) {
      var result = {
        label: set.label,
        data: set.data,
        backgroundColor: colour(index),
        borderColor: colour(index)
      };
      if (kind === "curve") {
        result.stepped = true;
        result.fill = false;
        result.pointRadius = 0;
      }
      return result;
    });
    return {
      type: kind === "bar" ? "bar" : "line",
      data: { labels: data.labels || [], datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        // Room on the right so the last label of the x axis is not cut off.
        layout: { padding: { right: 24 } },
        scales: axes(data, kind === "curve"),
        plugins: { legend: { position: "bottom" } }
      }
    };
  }

  function draw() {
    if (typeof window.Chart === "undefined") {
      return;
    }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var block = document.getElementById(canvas.getAttribute("data-chart"));
      if (!block) {
        return;
      }
      var data = JSON.parse(block.textContent);
      new window.Chart(canvas, config(canvas.getAttribute("data-kind"), data));
      canvas.setAttribute("data-drawn", "true");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
