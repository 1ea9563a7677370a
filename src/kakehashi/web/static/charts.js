/* Kakehashi: draw every chart on the page with vega-embed, offline and CSP-safe.
 * Specs are inline JSON (<script type="application/json">); `ast: true` makes Vega use its
 * expression interpreter instead of eval, and default styles are off (CSS in kakehashi.css). */
"use strict";
(function () {
  var OPTIONS = {
    ast: true,
    actions: false,
    renderer: "svg",
    defaultStyle: false,
    tooltip: { theme: "custom", disableDefaultStyle: true }
  };

  function fail(el, message) {
    el.textContent = "";
    var p = document.createElement("p");
    p.className = "chart-error";
    p.textContent = message + " The data table below has the same numbers.";
    el.appendChild(p);
  }

  function draw(el) {
    var script = document.getElementById(el.getAttribute("data-spec"));
    if (!script) { return; }
    var spec;
    try {
      spec = JSON.parse(script.textContent);
    } catch (err) {
      fail(el, "The chart specification could not be read.");
      return;
    }
    el.textContent = "";
    window.vegaEmbed(el, spec, OPTIONS).then(function () {
      el.classList.add("drawn");
    }).catch(function (err) {
      fail(el, "The chart could not be drawn (" + err.message + ").");
    });
  }

  function drawAll() {
    var charts = document.querySelectorAll(".chart[data-spec]");
    if (typeof window.vegaEmbed !== "function") {
      charts.forEach(function (el) { fail(el, "The charting library did not load."); });
      return;
    }
    charts.forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
